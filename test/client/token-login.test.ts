/**
 * Token pre-authentication (Apache Kerby PA-TOKEN-REQUEST) against a scripted KDC, with the test's own clock: the
 * FAST-only rule (nothing is sent without armor), where the token goes, that its bytes never appear in the clear,
 * how a KDC without token support is reported, and a full exchange with a KDC scripted to behave as Kerby's does
 * (the AS-REP enc-part in the armor key, AD-TOKEN copied into the ticket). No available KDC issues such a ticket: the
 * ticket here is built by this test with a krbtgt key it owns.
 */
import { describe, expect, it } from 'vitest';
import {
  AdType,
  decodeApReq,
  decodeAsReq,
  decodeAuthenticator,
  decodeEncTicketPart,
  decodeKrbFastReq,
  decodePaFxFastRequest,
  encodeAdToken,
  encodeAsRep,
  encodeEncAsRepPart,
  encodeEncTicketPart,
  encodeKrbError,
  encodeKrbFastResponse,
  encodeMethodData,
  encodePaFxFastReply,
  encodeTicket,
  type KdcReqBody,
  KerbyPaDataType,
  type KrbError,
  type PaData,
  PaDataType,
  type Ticket,
} from '../../src/asn1/index.js';
import { decodeAdValue } from '../../src/asn1/registry.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { TOKEN_NEEDS_FAST } from '../../src/client/token-login.js';
import { checksumTypeOf, decrypt, encrypt, Key, KeyUsage, makeChecksum } from '../../src/crypto/index.js';
import { KerberosError, ProtocolError } from '../../src/errors.js';
import { openPaTokenRequest } from '../../src/fast/token.js';
import type { Credential } from '../../src/messages/credential.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import type { Transport } from '../../src/transport/index.js';
import { utf8 } from '../../src/util/bytes.js';
import { parseJwt } from '../../src/util/jwt.js';
import { cf2ByHand, counterRandom } from '../fast/spec.js';
import { TEST_NOW, testClock } from '../helpers/clock.js';
import { scripted } from '../helpers/scripted-transport.js';

const REALM = 'TOKEN.TEST';
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const JWT = `${b64url('{"alg":"RS256","typ":"JWT"}')}.${b64url(
  JSON.stringify({ iss: 'token-service', sub: 'alice', aud: `krbtgt/${REALM}@${REALM}`, role: 'admin' }),
)}.${b64url('signature-not-checked-here')}`;
const sessionKey = new Key(18, new Uint8Array(32).fill(0x21));
const krbtgtKey = new Key(18, new Uint8Array(32).fill(0x42));
const krbtgtName = { nameType: 2, nameString: ['krbtgt', REALM] };
const armorTgt = {
  client: { realm: REALM, name: { nameType: 1, nameString: ['WELLKNOWN', 'ANONYMOUS'] } },
  server: { realm: REALM, name: krbtgtName },
  sessionKey,
  ticket: {
    tktVno: 5,
    realm: REALM,
    sname: krbtgtName,
    encPart: { etype: 18, kvno: 1, cipher: new Uint8Array(40) },
  },
  ticketBytes: new Uint8Array(0),
  flags: {},
  authtime: new Date(TEST_NOW),
  endtime: new Date(TEST_NOW + 3_600_000),
  encPart: {},
} as unknown as Credential;
const armor = { tgt: armorTgt };

interface Opened {
  armorKey: Key;
  nonce: number;
  reqBody: KdcReqBody;
  outer: PaData[];
  inner: PaData[];
}

/** Opens an armored AS-REQ as a KDC does: armor AP-REQ -> subkey -> KRB-FX-CF2 armor key -> KrbFastReq. */
function openArmored(bytes: Uint8Array): Opened {
  const req = decodeAsReq(bytes);
  const fx = req.padata?.find((p) => p.padataType === PaDataType.FX_FAST);
  if (!fx) throw new Error('not armored');
  const ar = decodePaFxFastRequest(fx.padataValue).armoredData;
  const ap = decodeApReq(ar.armor!.armorValue);
  const auth = decodeAuthenticator(decrypt(sessionKey, KeyUsage.ApReqAuthenticator, ap.authenticator.cipher));
  const armorKey = cf2ByHand(new Key(18, auth.subkey!.keyvalue), sessionKey, 'subkeyarmor', 'ticketarmor');
  const inner = decodeKrbFastReq(decrypt(armorKey, KeyUsage.FastEnc, ar.encFastReq.cipher));
  return {
    armorKey,
    nonce: req.reqBody.nonce,
    reqBody: req.reqBody,
    outer: req.padata ?? [],
    inner: inner.padata,
  };
}

function krbError(code: number, padata?: PaData[]): KrbError {
  return {
    pvno: 5,
    msgType: 30,
    stime: new Date(TEST_NOW),
    susec: 0,
    errorCode: code,
    realm: REALM,
    sname: krbtgtName,
    ...(padata ? { eData: encodeMethodData(padata) } : {}),
  } as KrbError;
}

/** An armored KRB-ERROR as MIT sends it: the error inside PA-FX-ERROR in the armor key (usage 52). */
function armoredError(o: Opened, code: number, padata: PaData[] = []): Uint8Array {
  const inner = encodeKrbError(krbError(code));
  const resp = encodeKrbFastResponse({
    padata: [{ padataType: PaDataType.FX_ERROR, padataValue: inner }, ...padata],
    nonce: o.nonce,
  });
  const fx = encodePaFxFastReply({
    armoredData: { encFastRep: { etype: 18, cipher: encrypt(o.armorKey, 52, resp) } },
  });
  return encodeKrbError(krbError(code, [{ padataType: PaDataType.FX_FAST, padataValue: fx }]));
}

/** The AS-REP a Kerby KDC sends for a token login: ticket with AD-TOKEN, enc-part in the armor key, FAST-finished. */
function kerbyAsRep(o: Opened, tokenPa: PaData): Uint8Array {
  const req = openPaTokenRequest(tokenPa, o.armorKey);
  const tgtSession = { keytype: 18, keyvalue: new Uint8Array(32).fill(0x5a) };
  const times = { authtime: new Date(TEST_NOW), endtime: new Date(TEST_NOW + 36_000_000) };
  const flags = { initial: true, preAuthent: true };
  const encTicket = encodeEncTicketPart({
    flags,
    key: tgtSession,
    crealm: REALM,
    cname: o.reqBody.cname!,
    transited: { trType: 1, contents: new Uint8Array(0) },
    ...times,
    authorizationData: [{ adType: AdType.TOKEN, adData: encodeAdToken({ token: req.token }) }],
  });
  const ticket: Ticket = {
    tktVno: 5,
    realm: REALM,
    sname: krbtgtName,
    encPart: { etype: 18, kvno: 1, cipher: encrypt(krbtgtKey, KeyUsage.KdcRepTicket, encTicket) },
  };
  const cksumtype = checksumTypeOf(18);
  const resp = encodeKrbFastResponse({
    padata: [],
    finished: {
      timestamp: new Date(TEST_NOW),
      usec: 0,
      crealm: REALM,
      cname: o.reqBody.cname!,
      ticketChecksum: {
        cksumtype,
        checksum: makeChecksum(cksumtype, o.armorKey, KeyUsage.FastFinished, encodeTicket(ticket)),
      },
    },
    nonce: o.nonce,
  });
  const fx = encodePaFxFastReply({
    armoredData: { encFastRep: { etype: 18, cipher: encrypt(o.armorKey, KeyUsage.FastRep, resp) } },
  });
  const enc = encodeEncAsRepPart({
    key: tgtSession,
    lastReq: [{ lrType: 0, lrValue: times.authtime }],
    nonce: o.nonce,
    flags,
    ...times,
    srealm: REALM,
    sname: krbtgtName,
  });
  return encodeAsRep({
    pvno: 5,
    msgType: 11,
    padata: [{ padataType: PaDataType.FX_FAST, padataValue: fx }],
    crealm: REALM,
    cname: o.reqBody.cname!,
    ticket,
    encPart: { etype: 18, cipher: encrypt(o.armorKey, KeyUsage.AsRepEncPart, enc) },
  });
}

const client = (t: Transport, extra: { armor?: typeof armor } = {}) =>
  new KdcClient({
    realm: REALM,
    transport: t,
    etypes: [18],
    random: counterRandom(9),
    clock: testClock(),
    ...extra,
  });

/** True when `needle` occurs in `hay`. */
function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
/** Fragments of the JWT that must never be on the wire in the clear (header, claims, signature, and the whole). */
const jwtFragments = [JWT, ...JWT.split('.')].map(utf8);

describe('token login: FAST only (scripted KDC, test clock)', () => {
  it('without an armor source: refused with a typed error and a hint, before anything is sent', async () => {
    const t = scripted([]);
    const err = await client(t)
      .login({ principal: 'alice', token: JWT })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KerberosError);
    expect((err as KerberosError).code).toBe(TOKEN_NEEDS_FAST);
    expect((err as KerberosError).hint).toMatch(/armor/);
    expect(t.sent).toHaveLength(0);
  });

  it('with fast: "off": refused even when an armor source is given, before anything is sent', async () => {
    const t = scripted([]);
    const err = await client(t, { armor })
      .login({ principal: 'alice', token: JWT, fast: 'off' })
      .catch((e: unknown) => e);
    expect((err as KerberosError).code).toBe(TOKEN_NEEDS_FAST);
    expect((err as KerberosError).message).toMatch(/FAST is off/);
    expect(t.sent).toHaveLength(0);
  });

  it('a password or keys beside the token is a usage error, before anything is sent', async () => {
    const t = scripted([]);
    const err = await client(t, { armor })
      .login({ principal: 'alice', token: JWT, password: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KerberosError);
    expect(t.sent).toHaveLength(0);
  });

  it('"if-available" (the default with armor) still armors the first request: no unarmored probe carries the token', async () => {
    let o: Opened | undefined;
    const t = scripted([
      (req) => {
        o = openArmored(req);
        return armoredError(o, 25);
      },
    ]);
    await client(t, { armor })
      .login({ principal: 'alice', token: JWT })
      .catch(() => undefined);
    expect(t.sent).toHaveLength(1);
    expect(o!.outer.map((p) => p.padataType)).toEqual([PaDataType.FX_FAST]);
    expect(o!.inner.map((p) => p.padataType)).toEqual([
      KerbyPaDataType.TOKEN_REQUEST,
      PaDataType.PAC_REQUEST,
      PaDataType.REQ_ENC_PA_REP,
    ]);
    const opened = openPaTokenRequest(o!.inner[0]!, o!.armorKey);
    expect(opened.tokenInfo).toEqual({ tokenVendor: 'token-service' });
    expect(new TextDecoder().decode(opened.token.tokenValue)).toBe(JWT);
    for (const f of jwtFragments) expect(contains(t.sent[0]!, f)).toBe(false);
  });

  it('kerby-outer placement: PA-TOKEN-REQUEST beside PA-FX-FAST, sealed in the armor key (usage 57), never clear', async () => {
    let o: Opened | undefined;
    const t = scripted([
      (req) => {
        o = openArmored(req);
        return armoredError(o, 25);
      },
    ]);
    await client(t, { armor })
      .login({ principal: 'alice', token: JWT, tokenPlacement: 'kerby-outer', tokenVendor: 'vendor-x' })
      .catch(() => undefined);
    expect(o!.outer.map((p) => p.padataType)).toEqual([KerbyPaDataType.TOKEN_REQUEST, PaDataType.FX_FAST]);
    expect(o!.inner.map((p) => p.padataType)).not.toContain(KerbyPaDataType.TOKEN_REQUEST);
    expect(openPaTokenRequest(o!.outer[0]!, o!.armorKey).tokenInfo.tokenVendor).toBe('vendor-x');
    for (const f of jwtFragments) expect(contains(t.sent[0]!, f)).toBe(false);
  });

  it('a KDC without token support (armored PREAUTH_REQUIRED, as MIT answers): KdcError naming the missing support', async () => {
    const t = scripted([
      (req) => armoredError(openArmored(req), 25, [{ padataType: 138, padataValue: new Uint8Array(0) }]),
    ]);
    const err = await client(t, { armor })
      .login({ principal: 'alice', token: JWT })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KdcError);
    expect((err as KdcError).code).toBe('KDC_ERR_PREAUTH_REQUIRED');
    expect((err as KdcError).step).toBe('TOKEN');
    expect((err as KdcError).hint).toMatch(/no token pre-authentication/);
    expect((err as KdcError).hint).toMatch(/Kerby/);
    expect(t.sent).toHaveLength(1);
  });

  it('an unarmored error in reply to the armored token request is not acted on (ProtocolError fast-error)', async () => {
    const t = scripted([() => encodeKrbError(krbError(16))]);
    const err = await client(t, { armor })
      .login({ principal: 'alice', token: JWT })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).check).toBe('fast-error');
  });

  it('a JWT without `iss` needs tokenVendor; a JWE (5 parts) too', async () => {
    const noIss = `${b64url('{"alg":"none"}')}.${b64url('{"sub":"alice"}')}.`;
    for (const token of [noIss, 'a.b.c.d.e']) {
      const t = scripted([]);
      const err = await client(t, { armor })
        .login({ principal: 'alice', token })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KerberosError);
      expect(t.sent).toHaveLength(0);
    }
  });

  it('Kerby-like KDC: the TGT comes back, its enc-part in the armor key; the ticket carries AD-TOKEN with the claims', async () => {
    const t = scripted([
      (req) => {
        const o = openArmored(req);
        return kerbyAsRep(o, o.inner.find((p) => p.padataType === KerbyPaDataType.TOKEN_REQUEST)!);
      },
    ]);
    const s = await client(t, { armor }).login({ principal: 'alice', token: JWT });
    expect(s.tgt.client.name.nameString).toEqual(['alice']);
    expect(s.tgt.sessionKey.bytes).toEqual(new Uint8Array(32).fill(0x5a));
    // The test owns the krbtgt key: open the ticket and read the token the "KDC" copied into it.
    const part = decodeEncTicketPart(decrypt(krbtgtKey, KeyUsage.KdcRepTicket, s.tgt.ticket.encPart.cipher));
    const ad = part.authorizationData!;
    const v = decodeAdValue(ad[0]!.adType, ad[0]!.adData);
    expect(v.name).toBe('AD-TOKEN');
    const jwt = new TextDecoder().decode((v.value as { token: { tokenValue: Uint8Array } }).token.tokenValue);
    expect(parseJwt(jwt).claims).toMatchObject({ iss: 'token-service', sub: 'alice', role: 'admin' });
  });
});
