/**
 * SPNEGO end to end over the real Kerberos mechanism (initSecContext <-> acceptSecContext): the optimistic
 * path as Windows and MIT run it, the mechListMIC path, a downgrade in transit and a replay, per enctype.
 */
import { describe, expect, it } from 'vitest';
import { Key } from '../../src/crypto/index.js';
import type { ProtocolError } from '../../src/errors.js';
import { acceptSecContext } from '../../src/gss/acceptor.js';
import { ApExchangeError, makeApErrorToken } from '../../src/gss/ap-error.js';
import { GssFlag, GssMechOid } from '../../src/gss/constants.js';
import { MemoryReplayCache } from '../../src/gss/replay-cache.js';
import { encodeSpnegoReject, spnegoAccept } from '../../src/gss/spnego-acceptor.js';
import {
  decodeNegotiationToken,
  decodeNegTokenResp,
  decodeSpnegoInitialToken,
  encodeSpnegoInitialToken,
  NegState,
} from '../../src/gss/spnego-codec.js';
import { formatNegotiateHeader, parseNegotiateHeader } from '../../src/gss/spnego-http.js';
import { spnegoInit } from '../../src/gss/spnego-initiator.js';
import { NTLMSSP_OID } from '../../src/gss/spnego-mic.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { fromHex, fromUtf8, utf8 } from '../../src/util/bytes.js';
import { TEST_NOW } from '../helpers/clock.js';
import { checkOf, ENCTYPES, krb5Mech, mitSpnegoSessions, mitToken, WEB } from './spnego-fixtures.js';

const { KRB5, MS_KRB5 } = GssMechOid;

describe.each(ENCTYPES)('SPNEGO over Kerberos, $name', ({ etype, size }) => {
  it('Windows-style: one round trip through `Negotiate` headers, then Wrap and MIC both ways', () => {
    const mech = krb5Mech(etype, size);
    const { token, initiator } = spnegoInit({ start: mech.start });
    const header = formatNegotiateHeader(token);
    const { outputToken, acceptor } = spnegoAccept(parseNegotiateHeader(header)!, mech.accept);
    const reply = decodeNegotiationToken(outputToken);
    expect('negTokenResp' in reply && reply.negTokenResp.negState).toBe(NegState.ACCEPT_COMPLETED);
    expect(acceptor.established).toBe(true);
    expect(formatPrincipal(acceptor.result!.client.name, acceptor.result!.client.realm)).toBe(
      'alice@UNIT.TEST',
    );

    expect(initiator.step(parseNegotiateHeader(formatNegotiateHeader(outputToken))!)).toBeUndefined();
    expect(initiator.established).toBe(true);
    expect(initiator.mech).toBe(MS_KRB5);

    const client = initiator.context!;
    const server = acceptor.result!.context;
    expect(fromUtf8(server.unwrap(client.wrap(utf8('GET /data'))).message)).toBe('GET /data');
    expect(fromUtf8(client.unwrap(server.wrap(utf8('200 OK'))).message)).toBe('200 OK');
    server.verifyMic(utf8('m'), client.getMic(utf8('m')));
    client.verifyMic(utf8('n'), server.getMic(utf8('n')));
  });

  it('MIT-style [KRB5] without mutual authentication: one token, no reply needed by the initiator', () => {
    const mech = krb5Mech(etype, size, GssFlag.SEQUENCE | GssFlag.REPLAY | GssFlag.CONF | GssFlag.INTEG);
    const { token, initiator } = spnegoInit({ mechs: [KRB5], start: mech.start });
    const { outputToken, acceptor } = spnegoAccept(token, mech.accept);
    expect(acceptor.result!.outputToken).toBeUndefined();
    expect(initiator.step(outputToken)).toBeUndefined();
    expect(initiator.established).toBe(true);
    expect(fromUtf8(acceptor.result!.context.unwrap(initiator.context!.wrap(utf8('x'))).message)).toBe('x');
  });

  it('Kerberos second ([NTLM, KRB5]): request-mic, AP-REQ, AP-REP with MIC, initiator MIC; real MICs', () => {
    const mech = krb5Mech(etype, size);
    const { token, initiator } = spnegoInit({ mechs: [NTLMSSP_OID, KRB5], start: mech.start });
    const first = spnegoAccept(token, mech.accept);
    const t2 = initiator.step(first.outputToken)!;
    const t3 = first.acceptor.step(t2)!;
    expect(first.acceptor.established).toBe(false);
    const t4 = initiator.step(t3)!;
    expect(initiator.established).toBe(true);
    expect(first.acceptor.step(t4)).toBeUndefined();
    expect(first.acceptor.established).toBe(true);
    // The contexts stay in step after the mechListMICs consumed a sequence number each way.
    const server = first.acceptor.result!.context;
    expect(fromUtf8(server.unwrap(initiator.context!.wrap(utf8('after MIC'))).message)).toBe('after MIC');
    expect(fromUtf8(initiator.context!.unwrap(server.wrap(utf8('reply'))).message)).toBe('reply');
  });

  it('a downgrade in transit (mechTypes rewritten) fails the mechListMIC', () => {
    const mech = krb5Mech(etype, size);
    const { token, initiator } = spnegoInit({ mechs: [NTLMSSP_OID, KRB5], start: mech.start });
    const t = decodeSpnegoInitialToken(token);
    if (!('negTokenInit' in t)) throw new Error('not a NegTokenInit');
    const forged = encodeSpnegoInitialToken({
      negTokenInit: { ...t.negTokenInit, mechTypes: ['1.2.3.4', KRB5] },
    });
    const first = spnegoAccept(forged, mech.accept);
    const t3 = first.acceptor.step(initiator.step(first.outputToken)!)!;
    expect(checkOf(() => initiator.step(t3))).toBe('spnego-mech-list-mic');
  });

  it('the same SPNEGO token twice: the second is a replay; the reject carries the KRB-ERROR, typed at the client', () => {
    const mech = krb5Mech(etype, size);
    const { token, initiator } = spnegoInit({ start: mech.start });
    spnegoAccept(token, mech.accept);
    let refused: unknown;
    try {
      spnegoAccept(token, mech.accept);
    } catch (e) {
      refused = e;
    }
    expect((refused as ProtocolError).check).toBe('replay');
    const reject = encodeSpnegoReject(makeApErrorToken(refused, { service: WEB, clock: () => TEST_NOW }));
    let err: unknown;
    try {
      initiator.step(reject);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApExchangeError);
    expect((err as ApExchangeError).codeName).toBe('KRB_AP_ERR_REPEAT');
  });
});

const MIT = mitSpnegoSessions();

describe.skipIf(MIT.length === 0)('MIT gss-client -spnego tokens (test/vectors/gss-mit-spnego.json)', () => {
  it.each(MIT.map((x) => [x.name, x] as const))('%s: accepted, answered as MIT answers', (_, s) => {
    const keys = s.serviceKeys.map((k) => new Key(k.etype, fromHex(k.hex)));
    const clock = () => Date.parse(s.clock);
    const { outputToken, acceptor } = spnegoAccept(mitToken(s, 'spnego-neg-token-init'), (t) =>
      acceptSecContext(t, { keys, clock, replayCache: new MemoryReplayCache({ clock }) }),
    );
    expect(acceptor.established).toBe(true);
    expect(formatPrincipal(acceptor.result!.client.name, acceptor.result!.client.realm)).toBe(s.client);
    const ours = decodeNegTokenResp(outputToken, 'acceptor');
    const mit = decodeNegTokenResp(mitToken(s, 'spnego-neg-token-resp'), 'acceptor');
    expect(Object.keys(ours)).toEqual(Object.keys(mit));
    expect([ours.negState, ours.supportedMech]).toEqual([mit.negState, mit.supportedMech]);
  });
});
