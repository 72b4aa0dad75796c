/** Every asn1-reference.json row with a value: encode(value) == der and decode(der) deep-equals value. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as A from '../../src/asn1/index.js';
import { fromHex, toHex, utf8 } from '../../src/util/bytes.js';
import { CODECS, type Codec, PKINIT_CODECS } from './codecs.js';
import { jsonToValue, SCHEMAS } from './reference-schema.js';

interface Row {
  mitName: string;
  type: string;
  variant: string;
  der: string;
  asn1Type?: string;
  value?: unknown;
}

const rows: Row[] = JSON.parse(
  readFileSync(new URL('../vectors/asn1-reference.json', import.meta.url), 'utf8'),
);

const label = (r: Row): string =>
  r.variant ? `${r.asn1Type ?? r.type} (${r.variant})` : (r.asn1Type ?? r.type);
const withValue = rows.filter((r) => r.value !== undefined).map((r) => [label(r), r] as const);

describe('asn1-reference.json rows with a value', () => {
  it('has the 56 rows the README announces', () => {
    expect(withValue).toHaveLength(56);
  });

  it.each(withValue)('%s: encode(value) is the reference DER', (_, r) => {
    const [, encode] = CODECS[r.asn1Type!]!;
    const value = jsonToValue(SCHEMAS[r.asn1Type!]!, r.value);
    expect(toHex(encode(value as never))).toBe(r.der);
  });

  it.each(withValue)('%s: decode(der) is the reference value', (_, r) => {
    const [decode] = CODECS[r.asn1Type!]!;
    expect(decode(fromHex(r.der))).toEqual(jsonToValue(SCHEMAS[r.asn1Type!]!, r.value));
  });
});

// PKINIT rows carry no `value`; these expectations are read off MIT's trval dumps (ktest.c uses "krb5data"
// for every opaque field; its OID 6b72…61 reads as 2.27.114.98.53.100.97.116.97).
const K = fromHex('6b72623564617461');
const KDF_OID = '2.27.114.98.53.100.97.116.97';
const T = new Date(Date.UTC(1994, 5, 10, 6, 3, 17));
const PKINIT: Record<string, [unknown]> = {
  pa_pk_as_req: [
    {
      signedAuthPack: K,
      trustedCertifiers: [{ subjectName: K, issuerAndSerialNumber: K, subjectKeyIdentifier: K }],
      kdcPkId: K,
    },
  ],
  'pa_pk_as_rep(dhInfo)': [{ dhInfo: { dhSignedData: K, serverDhNonce: K, kdf: { kdfId: KDF_OID } } }],
  'pa_pk_as_rep(encKeyPack)': [{ encKeyPack: K }],
  auth_pack: [
    {
      pkAuthenticator: {
        cusec: 123456,
        ctime: T,
        nonce: 42,
        paChecksum: K,
        freshnessToken: K,
        paChecksum2: {
          checksum: K,
          algorithmIdentifier: fromHex('301306092a864886f7120102020406706172616d73'),
        },
      },
      clientPublicValue: fromHex('04067076616c7565'),
      supportedCmsTypes: [
        fromHex('301306092a864886f7120102020406706172616d73'),
        fromHex('300b06092a864886f712010202'),
      ],
      clientDhNonce: K,
      supportedKdfs: [{ kdfId: KDF_OID }],
    },
  ],
  kdc_dh_key_info: [{ subjectPublicKey: K, nonce: 42, dhKeyExpiration: T }],
  reply_key_pack: [
    {
      replyKey: { keytype: 1, keyvalue: fromHex('3132333435363738') },
      asChecksum: { cksumtype: 1, checksum: fromHex('31323334') },
    },
  ],
};

const pkKey = (r: Row): string => (r.variant ? `${r.type}(${r.variant})` : r.type);
const pkRows = rows
  .filter((r) => r.value === undefined && PKINIT[pkKey(r)])
  .map((r) => [pkKey(r), r] as const);
describe('asn1-reference.json PKINIT rows (expected values from trval)', () => {
  it('covers the six PKINIT rows tskrb declares', () => {
    expect(pkRows.map(([k]) => k).sort()).toEqual(Object.keys(PKINIT).sort());
  });

  it.each(pkRows)('%s: decode and re-encode', (k, r) => {
    const [expected] = PKINIT[k]!;
    const [decode, encode] = PKINIT_CODECS[k]!;
    expect(decode(fromHex(r.der))).toEqual(expected);
    expect(toHex(encode(expected as never))).toBe(r.der);
  });
});

// Rows outside the client (SAM-2, OTP, SPAKE, IAKERB, CAMMAC, secure cookie, PKINIT KDF inputs): no `value`
// either; expectations read off MIT's trval dumps and the ktest.c sample values the README lists.
const u = utf8;
const CIPHER = { etype: 0, kvno: 5, cipher: u('krbASN.1 test message') };
const HFTSAI = { nameType: 1, nameString: ['hftsai', 'extra'] };
const SAM_FLAGS = { useSadAsKey: true, sendEncryptedSad: false, mustPkEncryptSad: false };
const NO_TOKEN_FLAGS = {
  reserved: false,
  nextOtp: false,
  combine: false,
  collectPin: false,
  doNotCollectPin: false,
  mustEncryptNonce: false,
  separatePinRequired: false,
  checkDigit: false,
};
const TOKEN_MIN = { flags: NO_TOKEN_FLAGS };
const TOKEN_FULL = {
  flags: {
    ...NO_TOKEN_FLAGS,
    nextOtp: true,
    combine: true,
    collectPin: true,
    mustEncryptNonce: true,
    separatePinRequired: true,
    checkDigit: true,
  },
  otpVendor: 'Examplecorp',
  otpChallenge: u('hark!'),
  otpLength: 10,
  otpFormat: 2,
  otpTokenId: u('yourtoken'),
  otpAlgId: 'urn:ietf:params:xml:ns:keyprov:pskc:hotp',
  supportedHashAlg: [fromHex('300b0609608648016503040201'), fromHex('300706052b0e03021a')],
  iterationCount: 1000,
};
const NO_REQ_FLAGS = { reserved: false, nextOtp: false, combine: false };
const VERIFIER = (mac: string) => ({
  identifier: HFTSAI,
  kvno: 5,
  enctype: 16,
  mac: { cksumtype: 1, checksum: u(mac) },
});
const PRINCIPAL_DER = fromHex(
  '302ea0101b0e415448454e412e4d49542e454455a11a3018a003020101a111300f1b066866747361691b056578747261',
);
const EXTRA: Record<string, [unknown, Codec]> = {
  sam_challenge_2: [
    {
      samChallenge2Body: fromHex('300b04096368616c6c656e6765'),
      samCksum: [{ cksumtype: 1, checksum: u('1234') }],
    },
    [A.decodeSamChallenge2, A.encodeSamChallenge2],
  ],
  sam_challenge_2_body: [
    {
      samType: 42,
      samFlags: SAM_FLAGS,
      samTypeName: u('type name'),
      samChallengeLabel: u('challenge label'),
      samChallenge: u('challenge ipse'),
      samResponsePrompt: u('response_prompt ipse'),
      samNonce: 5517840,
      samEtype: 20,
    },
    [A.decodeSamChallenge2Body, A.encodeSamChallenge2Body],
  ],
  sam_response_2: [
    {
      samType: 43,
      samFlags: SAM_FLAGS,
      samTrackId: u('track data'),
      samEncNonceOrSad: { etype: 20, kvno: 3382, cipher: u('nonce or sad') },
      samNonce: 5517840,
    },
    [A.decodeSamResponse2, A.encodeSamResponse2],
  ],
  enc_sam_response_enc_2: [
    { samNonce: 88, samSad: u('enc_sam_response_enc_2') },
    [A.decodeEncSamResponseEnc2, A.encodeEncSamResponseEnc2],
  ],
  iakerb_header: [
    { targetRealm: 'krb5data', cookie: u('krb5data') },
    [A.decodeIakerbHeader, A.encodeIakerbHeader],
  ],
  iakerb_finished: [
    { checksum: { cksumtype: 1, checksum: u('1234') } },
    [A.decodeIakerbFinished, A.encodeIakerbFinished],
  ],
  'otp_tokeninfo(optionals NULL)': [TOKEN_MIN, [A.decodeOtpTokenInfo, A.encodeOtpTokenInfo]],
  otp_tokeninfo: [TOKEN_FULL, [A.decodeOtpTokenInfo, A.encodeOtpTokenInfo]],
  'pa_otp_challenge(optionals NULL)': [
    { nonce: u('minnonce'), otpTokenInfo: [TOKEN_MIN] },
    [A.decodePaOtpChallenge, A.encodePaOtpChallenge],
  ],
  pa_otp_challenge: [
    {
      nonce: u('maxnonce'),
      otpService: 'testservice',
      otpTokenInfo: [TOKEN_MIN, TOKEN_FULL],
      salt: 'keysalt',
      s2kparams: u('1234'),
    },
    [A.decodePaOtpChallenge, A.encodePaOtpChallenge],
  ],
  'pa_otp_req(optionals NULL)': [
    { flags: NO_REQ_FLAGS, encData: CIPHER },
    [A.decodePaOtpRequest, A.encodePaOtpRequest],
  ],
  pa_otp_req: [
    {
      flags: { ...NO_REQ_FLAGS, nextOtp: true, combine: true },
      nonce: u('nonce'),
      encData: CIPHER,
      hashAlg: fromHex('300b0609608648016503040201'),
      iterationCount: 1000,
      otpValue: u('frogs'),
      otpPin: 'myfirstpin',
      otpChallenge: u('hark!'),
      otpTime: T,
      otpCounter: u('346'),
      otpFormat: 2,
      otpTokenId: u('yourtoken'),
      otpAlgId: 'urn:ietf:params:xml:ns:keyprov:pskc:hotp',
      otpVendor: 'Examplecorp',
    },
    [A.decodePaOtpRequest, A.encodePaOtpRequest],
  ],
  pa_otp_enc_req: [{ nonce: K }, [A.decodePaOtpEncRequest, A.encodePaOtpEncRequest]],
  'cammac(optionals NULL)': [
    { elements: [{ adType: 1, adData: u('ad1') }] },
    [A.decodeAdCammac, A.encodeAdCammac],
  ],
  cammac: [
    {
      elements: [
        { adType: 1, adData: u('ad1') },
        { adType: 2, adData: u('ad2') },
      ],
      kdcVerifier: VERIFIER('cksumkdc'),
      svcVerifier: VERIFIER('cksumsvc'),
      otherVerifiers: [
        { mac: { mac: { cksumtype: 1, checksum: u('cksum1') } } },
        { mac: VERIFIER('cksum2') },
      ],
    },
    [A.decodeAdCammac, A.encodeAdCammac],
  ],
  secure_cookie: [
    {
      time: 771228197,
      data: [
        { padataType: 13, padataValue: u('pa-data') },
        { padataType: 13, padataValue: u('pa-data') },
      ],
    },
    [A.decodeSecureCookie, A.encodeSecureCookie],
  ],
  'spake_factor(optionals NULL)': [{ type: 1 }, [A.decodeSpakeSecondFactor, A.encodeSpakeSecondFactor]],
  spake_factor: [{ type: 2, data: u('fdata') }, [A.decodeSpakeSecondFactor, A.encodeSpakeSecondFactor]],
  'pa_spake(support)': [{ support: { groups: [1, 2] } }, [A.decodePaSpake, A.encodePaSpake]],
  'pa_spake(challenge)': [
    { challenge: { group: 1, pubkey: u('T value'), factors: [{ type: 1 }, { type: 2, data: u('fdata') }] } },
    [A.decodePaSpake, A.encodePaSpake],
  ],
  'pa_spake(response)': [
    { response: { pubkey: u('S value'), factor: CIPHER } },
    [A.decodePaSpake, A.encodePaSpake],
  ],
  'pa_spake(encdata)': [{ encdata: CIPHER }, [A.decodePaSpake, A.encodePaSpake]],
  sp80056a_other_info: [
    {
      algorithmId: fromHex('300b06092a864886f712010202'),
      partyUInfo: PRINCIPAL_DER,
      partyVInfo: PRINCIPAL_DER,
      suppPubInfo: K,
    },
    [A.decodeSp80056aOtherInfo, A.encodeSp80056aOtherInfo],
  ],
  pkinit_supp_pub_info: [
    { enctype: 20, asReq: K, pkAsRep: K },
    [A.decodePkinitSuppPubInfo, A.encodePkinitSuppPubInfo],
  ],
};

const extraRows = rows
  .filter((r) => r.value === undefined && EXTRA[pkKey(r)])
  .map((r) => [pkKey(r), r] as const);
const skipped = rows
  .filter((r) => r.value === undefined && !PKINIT[pkKey(r)] && !EXTRA[pkKey(r)])
  .map((r) => [r.mitName] as const);

describe('asn1-reference.json rows outside the client (expected values from trval)', () => {
  it('covers every table entry and leaves no row without a codec', () => {
    expect(extraRows.map(([k]) => k).sort()).toEqual(Object.keys(EXTRA).sort());
    expect(skipped).toEqual([]);
  });

  it.each(extraRows)('%s: decode(der) is the expected value', (k, r) => {
    const [expected, [decode]] = EXTRA[k]!;
    expect(decode(fromHex(r.der))).toEqual(expected);
  });

  it.each(extraRows)('%s: encode(value) is the reference DER', (k, r) => {
    const [expected, [, encode]] = EXTRA[k]!;
    expect(toHex(encode(expected as never))).toBe(r.der);
  });
});
