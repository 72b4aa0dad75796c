// The initiator (RFC 4121 4.1): the AP-REQ it sends, the AP-REP and KRB-ERROR replies it takes.
import { describe, expect, it } from 'vitest';
import {
  decodeApReq,
  decodeAuthenticator,
  encodeApRep,
  encodeEncApRepPart,
  MessageType,
} from '../../src/asn1/index.js';
import { decrypt, encrypt, generateKey, type Key, KeyUsage } from '../../src/crypto/index.js';
import { KerberosError, ProtocolError } from '../../src/errors.js';
import { acceptSecContext } from '../../src/gss/acceptor.js';
import { ApExchangeError, makeApErrorToken } from '../../src/gss/ap-error.js';
import { decodeGssChecksum } from '../../src/gss/authenticator-checksum.js';
import { channelBindingsHash } from '../../src/gss/channel-bindings.js';
import { GSS_CHECKSUM_TYPE, GssFlag, GssMechOid, GssTokenId } from '../../src/gss/constants.js';
import type { Krb5Context } from '../../src/gss/context.js';
import { decodeKrb5Token, encodeKrb5Token } from '../../src/gss/framing.js';
import { initSecContext } from '../../src/gss/initiator.js';
import { MemoryReplayCache } from '../../src/gss/replay-cache.js';
import { utf8 } from '../../src/util/bytes.js';
import { TEST_NOW, testClock } from '../helpers/clock.js';
import { forwardedTgt, issue, SERVICE, seededRandom, serviceKey } from './fixtures.js';

const clock = testClock();
const cred = issue(18);

function opened(token: Uint8Array) {
  const t = decodeKrb5Token(token, [GssTokenId.AP_REQ]);
  const apReq = decodeApReq(t.body);
  const auth = decodeAuthenticator(
    decrypt(cred.sessionKey, KeyUsage.ApReqAuthenticator, apReq.authenticator.cipher),
  );
  return { t, apReq, auth, cksum: decodeGssChecksum(auth.cksum!.checksum) };
}

describe('initSecContext', () => {
  it('frames an AP-REQ (01 00, krb5 OID) with mutual-required, a subkey, a sequence number and the 0x8003 checksum', () => {
    const { token } = initSecContext({ credential: cred, clock, random: seededRandom(2) });
    const { t, apReq, auth, cksum } = opened(token);
    expect(t.mechOid).toBe(GssMechOid.KRB5);
    expect(apReq.apOptions.mutualRequired).toBe(true);
    expect(apReq.ticket).toEqual(cred.ticket);
    expect(auth.cksum?.cksumtype).toBe(GSS_CHECKSUM_TYPE);
    expect(auth.subkey?.keytype).toBe(18);
    expect(auth.subkey?.keyvalue).not.toEqual(cred.sessionKey.bytes);
    expect(auth.seqNumber).toBeLessThan(2 ** 30);
    expect(auth.ctime.getTime()).toBe(TEST_NOW);
    expect(cksum.flags).toBe(
      GssFlag.MUTUAL | GssFlag.REPLAY | GssFlag.SEQUENCE | GssFlag.CONF | GssFlag.INTEG,
    );
    expect(cksum.bnd).toEqual(new Uint8Array(16));
  });

  it('puts the channel-binding hash in Bnd and leaves out mutual-required without MUTUAL', () => {
    const cb = { applicationData: utf8('tls-server-end-point:x') };
    const { token } = initSecContext({ credential: cred, clock, channelBindings: cb, flags: GssFlag.INTEG });
    const { apReq, cksum } = opened(token);
    expect(cksum.bnd).toEqual(channelBindingsHash(cb));
    expect(apReq.apOptions.mutualRequired).toBeFalsy();
  });

  it('delegating sets DELEG and carries the KRB-CRED encrypted in the session key (usage 14)', () => {
    const tgt = forwardedTgt();
    const { token } = initSecContext({ credential: cred, clock, delegate: { tgt } });
    const { cksum } = opened(token);
    expect(cksum.flags & GssFlag.DELEG).toBe(GssFlag.DELEG);
    expect(cksum.deleg![0]).toBe(0x76); // [APPLICATION 22] KRB-CRED
  });

  it('the DELEG flag without a TGT is an error', () => {
    expect(() => initSecContext({ credential: cred, clock, flags: GssFlag.DELEG | GssFlag.MUTUAL })).toThrow(
      KerberosError,
    );
  });

  it('a KRB-ERROR reply throws ApExchangeError with the code and a hint', () => {
    const { context } = initSecContext({ credential: cred, clock });
    const err = makeApErrorToken(new ProtocolError('x', { check: 'skew' }), { service: SERVICE, clock });
    let e: unknown;
    try {
      context.step(err);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(ApExchangeError);
    expect((e as ApExchangeError).codeName).toBe('KRB_AP_ERR_SKEW');
    expect((e as ApExchangeError).hint).toMatch(/clock/);
  });

  it('refuses an AP-REP that does not echo ctime/cusec, and a second step', () => {
    const { token, context } = initSecContext({ credential: cred, clock });
    const { auth } = opened(token);
    const forged = encodeKrb5Token(
      GssTokenId.AP_REP,
      encodeApRep({
        pvno: 5,
        msgType: MessageType.AP_REP,
        encPart: {
          etype: 18,
          cipher: encrypt(
            cred.sessionKey,
            KeyUsage.ApRepEncPart,
            encodeEncApRepPart({ ctime: auth.ctime, cusec: auth.cusec + 1, seqNumber: 1 }),
          ),
        },
      }),
    );
    expect(() => context.step(forged)).toThrow(expect.objectContaining({ check: 'ap-rep-time' }));
    const r = acceptSecContext(token, {
      keys: [serviceKey(18)],
      clock,
      replayCache: new MemoryReplayCache({ clock }),
    });
    context.step(r.outputToken!);
    expect(() => context.step(r.outputToken!)).toThrow(expect.objectContaining({ check: 'established' }));
  });

  it('refuses a reply with another TOK_ID', () => {
    const { context } = initSecContext({ credential: cred, clock });
    expect(() => context.step(encodeKrb5Token(GssTokenId.MIC, new Uint8Array(4)))).toThrow(
      expect.objectContaining({ check: 'token-id' }),
    );
  });
});

describe('the AP-REP subkey (MIT init_sec_context.c mutual_auth)', () => {
  /** Steps an initiator with an AP-REP carrying `subkey`, and returns its context key. */
  function contextKeyAfter(etype: number, subkey: Key) {
    const c = issue(etype);
    const { token, context } = initSecContext({ credential: c, clock, etypeNegotiation: false });
    const apReq = decodeApReq(decodeKrb5Token(token, [GssTokenId.AP_REQ]).body);
    const auth = decodeAuthenticator(
      decrypt(c.sessionKey, KeyUsage.ApReqAuthenticator, apReq.authenticator.cipher),
    );
    const encPart = encodeEncApRepPart({
      ctime: auth.ctime,
      cusec: auth.cusec,
      subkey: { keytype: subkey.etype, keyvalue: subkey.bytes },
      seqNumber: 7,
    });
    const apRep = encodeApRep({
      pvno: 5,
      msgType: MessageType.AP_REP,
      encPart: { etype, cipher: encrypt(c.sessionKey, KeyUsage.ApRepEncPart, encPart) },
    });
    context.step(encodeKrb5Token(GssTokenId.AP_REP, apRep));
    return { key: (context as unknown as Krb5Context).contextKey, own: auth.subkey! };
  }

  it('an rc4 context ignores an rc4 AP-REP subkey and keeps its own subkey (RFC 4757, as MIT)', () => {
    const { key, own } = contextKeyAfter(23, generateKey(23));
    expect(key.etype).toBe(23);
    expect(key.bytes).toEqual(own.keyvalue);
  });

  it('an rc4 context takes an AP-REP subkey of another enctype (RFC 4537 upgrade)', () => {
    const upgrade = generateKey(18);
    expect(contextKeyAfter(23, upgrade).key).toEqual(upgrade);
  });

  it('an RFC 4121 context takes an AP-REP subkey of its own enctype', () => {
    const fresh = generateKey(18);
    expect(contextKeyAfter(18, fresh).key).toEqual(fresh);
  });
});
