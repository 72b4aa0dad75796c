/**
 * The client's FAST negotiation against a scripted KDC (no lab): which requests it sends, what is inside the tunnel,
 * and how it reacts to each reply. The script opens the requests with keys derived here from the RFC primitives.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeApReq,
  decodeAsReq,
  decodeAuthenticator,
  decodeKrbFastReq,
  decodePaEncryptedChallenge,
  decodePaEncTsEnc,
  decodePaFxFastRequest,
  encodeEtypeInfo2,
  encodeKdcReqBody,
  encodeKrbError,
  encodeKrbFastResponse,
  encodeMethodData,
  encodePaFxFastReply,
  type KrbError,
  type PaData,
  PaDataType,
} from '../../src/asn1/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { decrypt, encrypt, Key, stringToKey, verifyChecksum } from '../../src/crypto/index.js';
import { KerberosError, ProtocolError } from '../../src/errors.js';
import type { Credential } from '../../src/messages/credential.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import type { Transport } from '../../src/transport/index.js';
import { cf2ByHand, counterRandom } from '../fast/spec.js';
import { TEST_NOW } from '../helpers/clock.js';
import { scripted } from '../helpers/scripted-transport.js';

const REALM = 'SCRIPT.TEST';
const PASSWORD = 'correct horse';
const SALT = `${REALM}alice`;
const sessionKey = new Key(18, new Uint8Array(32).fill(0x21));
const armorTgt = {
  client: { realm: REALM, name: { nameType: 1, nameString: ['host', 'a.script.test'] } },
  server: { realm: REALM, name: { nameType: 2, nameString: ['krbtgt', REALM] } },
  sessionKey,
  ticket: {
    tktVno: 5,
    realm: REALM,
    sname: { nameType: 2, nameString: ['krbtgt', REALM] },
    encPart: { etype: 18, kvno: 1, cipher: new Uint8Array(40).fill(3) },
  },
  ticketBytes: new Uint8Array(0),
  flags: {},
  authtime: new Date(TEST_NOW),
  endtime: new Date(TEST_NOW + 3_600_000),
  encPart: {},
} as unknown as Credential;

function krbError(code: number, padata?: PaData[]): KrbError {
  return {
    pvno: 5,
    msgType: 30,
    stime: new Date(Math.floor(TEST_NOW / 1000) * 1000),
    susec: 0,
    errorCode: code,
    realm: REALM,
    sname: { nameType: 2, nameString: ['krbtgt', REALM] },
    ...(padata ? { eData: encodeMethodData(padata) } : {}),
  } as KrbError;
}

const etypeInfo2: PaData = {
  padataType: PaDataType.ETYPE_INFO2,
  padataValue: encodeEtypeInfo2([{ etype: 18, salt: SALT }]),
};
const fxFastHint: PaData = { padataType: PaDataType.FX_FAST, padataValue: new Uint8Array(0) };

/** What the scripted KDC saw in one armored request. */
interface Opened {
  armorKey: Key;
  nonce: number;
  outerPadataTypes: number[];
  innerPadata: PaData[];
}

/** Opens an armored AS-REQ the way a KDC does: armor AP-REQ -> subkey -> armor key -> checksum -> KrbFastReq. */
function openArmored(bytes: Uint8Array): Opened {
  const req = decodeAsReq(bytes);
  const fx = req.padata?.find((p) => p.padataType === PaDataType.FX_FAST);
  if (!fx) throw new Error('not armored');
  const ar = decodePaFxFastRequest(fx.padataValue).armoredData;
  const ap = decodeApReq(ar.armor!.armorValue);
  const auth = decodeAuthenticator(decrypt(sessionKey, 11, ap.authenticator.cipher));
  const sub = new Key(auth.subkey!.keytype, auth.subkey!.keyvalue);
  const armorKey = cf2ByHand(sub, sessionKey, 'subkeyarmor', 'ticketarmor');
  const ok = verifyChecksum(
    ar.reqChecksum.cksumtype,
    armorKey,
    50,
    encodeKdcReqBody(req.reqBody),
    ar.reqChecksum.checksum,
  );
  if (!ok) throw new Error('req-checksum does not verify');
  const inner = decodeKrbFastReq(decrypt(armorKey, 51, ar.encFastReq.cipher));
  return {
    armorKey,
    nonce: req.reqBody.nonce,
    outerPadataTypes: (req.padata ?? []).map((p) => p.padataType),
    innerPadata: inner.padata,
  };
}

/** An armored KRB-ERROR: `inner` inside PA-FX-ERROR, with `padata` beside it, in the armor key (usage 52). */
function armoredError(o: Opened, inner: KrbError, padata: PaData[]): Uint8Array {
  const resp = encodeKrbFastResponse({
    padata: [{ padataType: PaDataType.FX_ERROR, padataValue: encodeKrbError(inner) }, ...padata],
    nonce: o.nonce,
  });
  const fx = encodePaFxFastReply({
    armoredData: { encFastRep: { etype: 18, cipher: encrypt(o.armorKey, 52, resp) } },
  });
  return encodeKrbError(krbError(inner.errorCode, [{ padataType: PaDataType.FX_FAST, padataValue: fx }]));
}

const client = (t: Transport) =>
  new KdcClient({
    realm: REALM,
    transport: t,
    etypes: [18],
    random: counterRandom(5),
    clock: () => TEST_NOW,
  });

describe('KdcClient FAST negotiation (scripted KDC)', () => {
  it('fast "required" without an armor source fails before sending anything', async () => {
    const t = scripted([]);
    const err = await client(t)
      .login({ principal: 'alice', password: PASSWORD, fast: 'required' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KerberosError);
    expect((err as KerberosError).hint).toMatch(/armor/);
    expect(t.sent).toHaveLength(0);
  });

  it('"off" against a KDC that offers only FAST: the refusal comes after one request, without a blind timestamp', async () => {
    const t = scripted([() => encodeKrbError(krbError(25, [fxFastHint, etypeInfo2]))]);
    const err = await client(t)
      .login({ principal: 'alice', password: PASSWORD })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KdcError);
    expect((err as KdcError).codeName).toBe('KDC_ERR_PREAUTH_REQUIRED');
    expect((err as KdcError).hint).toMatch(/FAST/);
    expect(t.sent).toHaveLength(1);
  });

  it('"if-available": restarts armored, echoes PA-FX-COOKIE, sends only the encrypted challenge, unwraps PREAUTH_FAILED', async () => {
    const cookie: PaData = { padataType: PaDataType.FX_COOKIE, padataValue: Uint8Array.of(0xc0, 0x0c, 0x1e) };
    const seen: Opened[] = [];
    const t = scripted([
      () => encodeKrbError(krbError(25, [fxFastHint, etypeInfo2])),
      (req) => {
        const o = openArmored(req);
        seen.push(o);
        const challengeHint = { padataType: PaDataType.ENCRYPTED_CHALLENGE, padataValue: new Uint8Array(0) };
        return armoredError(o, krbError(25), [etypeInfo2, challengeHint, cookie]);
      },
      (req) => {
        const o = openArmored(req);
        seen.push(o);
        return armoredError(o, krbError(24), []);
      },
    ]);
    const err = await client(t)
      .login({ principal: 'alice', password: PASSWORD, armor: { tgt: armorTgt } })
      .catch((e: unknown) => e);
    expect(t.sent).toHaveLength(3);
    expect(decodeAsReq(t.sent[0]!).padata?.map((p) => p.padataType)).toEqual([
      PaDataType.PAC_REQUEST,
      PaDataType.REQ_ENC_PA_REP,
    ]);
    // Armored requests carry nothing but PA-FX-FAST outside.
    expect(seen.map((o) => o.outerPadataTypes)).toEqual([[136], [136]]);
    expect(seen[0]!.innerPadata.map((p) => p.padataType)).toEqual([
      PaDataType.PAC_REQUEST,
      PaDataType.REQ_ENC_PA_REP,
    ]);
    const second = seen[1]!.innerPadata;
    expect(second.map((p) => p.padataType)).toEqual([
      PaDataType.FX_COOKIE,
      PaDataType.ENCRYPTED_CHALLENGE,
      PaDataType.PAC_REQUEST,
      PaDataType.REQ_ENC_PA_REP,
    ]);
    expect(second[0]!.padataValue).toEqual(cookie.padataValue);
    // The challenge opens with KRB-FX-CF2(armor key, long-term key, "clientchallengearmor", "challengelongterm").
    const lt = stringToKey(18, PASSWORD, SALT);
    const key = cf2ByHand(seen[1]!.armorKey, lt, 'clientchallengearmor', 'challengelongterm');
    const ts = decodePaEncTsEnc(decrypt(key, 54, decodePaEncryptedChallenge(second[1]!.padataValue).cipher));
    expect(Math.abs(ts.patimestamp.getTime() - TEST_NOW)).toBeLessThan(1000);
    expect(err).toBeInstanceOf(KdcError);
    expect((err as KdcError).codeName).toBe('KDC_ERR_PREAUTH_FAILED');
    expect((err as KdcError).step).toBe('FAST');
  });

  it.each([
    ['KDC_ERR_C_PRINCIPAL_UNKNOWN', () => krbError(6)],
    ['KRB_AP_ERR_SKEW (a day ahead)', () => ({ ...krbError(37), stime: new Date(TEST_NOW + 86_400_000) })],
    ['KDC_ERR_WRONG_REALM', () => ({ ...krbError(68), crealm: 'EVIL.TEST' })],
    [
      'KDC_ERR_PREAUTH_REQUIRED with rc4 ETYPE-INFO2',
      () =>
        krbError(25, [
          { padataType: PaDataType.ETYPE_INFO2, padataValue: encodeEtypeInfo2([{ etype: 23 }]) },
        ]),
    ],
  ] as const)(
    'an unarmored %s answering an armored request is a ProtocolError, never acted on',
    async (name, make) => {
      const t = scripted([() => encodeKrbError(make() as KrbError)]);
      const k = client(t);
      const err = await k
        .login({ principal: 'alice', password: PASSWORD, armor: { tgt: armorTgt }, fast: 'required' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).check).toBe('fast-error');
      expect(((err as ProtocolError).cause as KdcError).codeName).toBe(name.split(' ')[0]);
      expect(t.sent).toHaveLength(1);
      expect(k.timeOffsetMs).toBe(0);
      expect(() => openArmored(t.sent[0]!)).not.toThrow();
    },
  );

  it('anonymous PKINIT armor without trust anchors is refused before any request', async () => {
    const t = scripted([]);
    const err = await client(t)
      .login({
        principal: 'alice',
        password: PASSWORD,
        armor: { anonymous: true, trustAnchors: [] },
        fast: 'required',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KerberosError);
    expect((err as KerberosError).message).toMatch(/trustAnchors/);
    expect(t.sent).toHaveLength(0);
  });

  it('an armor TGT of another realm is refused with a hint', async () => {
    const other = {
      ...armorTgt,
      server: { realm: 'X.TEST', name: { nameType: 2, nameString: ['krbtgt', 'X.TEST'] } },
    } as Credential;
    const err = await client(scripted([]))
      .login({ principal: 'alice', password: PASSWORD, armor: { tgt: other }, fast: 'required' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KerberosError);
    expect((err as KerberosError).hint).toMatch(/SCRIPT.TEST/);
  });
});
