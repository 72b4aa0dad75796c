/** fast-check round trips for the types outside the client: SAM-2, OTP, SPAKE, IAKERB, AD-CAMMAC, secure cookie, RFC 8636 KDF inputs. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as A from '../../src/asn1/index.js';
import { toHex } from '../../src/util/bytes.js';
import { flagsOf } from './reference-schema.js';

const int32 = fc.integer({ min: -2147483648, max: 2147483647 });
const uint32 = fc.integer({ min: 0, max: 4294967295 });
const any32 = fc.integer({ min: -2147483648, max: 4294967295 });
const bytes = fc.uint8Array({ maxLength: 40 });
const str = fc.string({ unit: 'grapheme', maxLength: 12 });
const time = fc.integer({ min: -62167219200, max: 253402300799 }).map((s) => new Date(s * 1000));
const small = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(a, { maxLength: 3 });
const nonEmpty = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(a, { minLength: 1, maxLength: 3 });
const rawSequence = fc
  .uint8Array({ maxLength: 30 })
  .map((b) => Uint8Array.of(0x30, b.length + 2, 0x04, b.length, ...b));
function rec<T>(
  model: { [K in keyof T]-?: fc.Arbitrary<T[K]> },
  optional: (keyof T)[] = [],
): fc.Arbitrary<T> {
  const keys = Object.keys(model) as (keyof T)[];
  return fc.record(model as never, {
    requiredKeys: keys.filter((k) => !optional.includes(k)) as never,
  }) as fc.Arbitrary<T>;
}
const flags = <T>(table: Record<string, number>): fc.Arbitrary<T> =>
  uint32.map((v) => flagsOf(table, v) as T);

// Bit tables from the specs (draft SAM-03 SAMFlags; RFC 6560 4.1 and 4.2 OTPFlags).
const SAM_FLAGS = { useSadAsKey: 0, sendEncryptedSad: 1, mustPkEncryptSad: 2 };
const OTP_TOKEN_FLAGS = {
  reserved: 0,
  nextOtp: 1,
  combine: 2,
  collectPin: 3,
  doNotCollectPin: 4,
  mustEncryptNonce: 5,
  separatePinRequired: 6,
  checkDigit: 7,
};
const OTP_REQUEST_FLAGS = { reserved: 0, nextOtp: 1, combine: 2 };

const checksum = rec<A.VerifierMac['mac']>({ cksumtype: int32, checksum: bytes });
const encryptedData = rec<A.PaOtpRequest['encData']>({ etype: int32, kvno: any32, cipher: bytes }, ['kvno']);
const principal = rec<NonNullable<A.VerifierMac['identifier']>>({ nameType: int32, nameString: small(str) });
const samFlags = flags<A.SamFlags>(SAM_FLAGS);

const samChallenge2 = rec<A.SamChallenge2>({ samChallenge2Body: rawSequence, samCksum: small(checksum) });
const samChallenge2Body = rec<A.SamChallenge2Body>(
  {
    samType: int32,
    samFlags,
    samTypeName: bytes,
    samTrackId: bytes,
    samChallengeLabel: bytes,
    samChallenge: bytes,
    samResponsePrompt: bytes,
    samPkForSad: rec({ keytype: int32, keyvalue: bytes }),
    samNonce: int32,
    samEtype: int32,
  },
  ['samTypeName', 'samTrackId', 'samChallengeLabel', 'samChallenge', 'samResponsePrompt', 'samPkForSad'],
);
const samResponse2 = rec<A.SamResponse2>(
  { samType: int32, samFlags, samTrackId: bytes, samEncNonceOrSad: encryptedData, samNonce: int32 },
  ['samTrackId'],
);
const encSamResponseEnc2 = rec<A.EncSamResponseEnc2>({ samNonce: int32, samSad: bytes }, ['samSad']);
const iakerbHeader = rec<A.IakerbHeader>({ targetRealm: str, cookie: bytes }, ['cookie']);
const iakerbFinished = rec<A.IakerbFinished>({ checksum });
const otpTokenInfo = rec<A.OtpTokenInfo>(
  {
    flags: flags<A.OtpTokenFlags>(OTP_TOKEN_FLAGS),
    otpVendor: str,
    otpChallenge: bytes,
    otpLength: int32,
    otpFormat: int32,
    otpTokenId: bytes,
    otpAlgId: str,
    supportedHashAlg: nonEmpty(rawSequence),
    iterationCount: int32,
  },
  [
    'otpVendor',
    'otpChallenge',
    'otpLength',
    'otpFormat',
    'otpTokenId',
    'otpAlgId',
    'supportedHashAlg',
    'iterationCount',
  ],
);
const paOtpChallenge = rec<A.PaOtpChallenge>(
  { nonce: bytes, otpService: str, otpTokenInfo: nonEmpty(otpTokenInfo), salt: str, s2kparams: bytes },
  ['otpService', 'salt', 's2kparams'],
);
const otpRequestOptional: (keyof A.PaOtpRequest)[] = [
  'nonce',
  'hashAlg',
  'iterationCount',
  'otpValue',
  'otpPin',
  'otpChallenge',
  'otpTime',
  'otpCounter',
  'otpFormat',
  'otpTokenId',
  'otpAlgId',
  'otpVendor',
];
const paOtpRequest = rec<A.PaOtpRequest>(
  {
    flags: flags<A.OtpRequestFlags>(OTP_REQUEST_FLAGS),
    nonce: bytes,
    encData: encryptedData,
    hashAlg: rawSequence,
    iterationCount: int32,
    otpValue: bytes,
    otpPin: str,
    otpChallenge: bytes,
    otpTime: time,
    otpCounter: bytes,
    otpFormat: int32,
    otpTokenId: bytes,
    otpAlgId: str,
    otpVendor: str,
  },
  otpRequestOptional,
);
const paOtpEncRequest = rec<A.PaOtpEncRequest>({ nonce: bytes });
const verifierMac = rec<A.VerifierMac>(
  { identifier: principal, kvno: uint32, enctype: int32, mac: checksum },
  ['identifier', 'kvno', 'enctype'],
);
const adCammac = rec<A.AdCammac>(
  {
    elements: small(rec({ adType: int32, adData: bytes })),
    kdcVerifier: verifierMac,
    svcVerifier: verifierMac,
    otherVerifiers: nonEmpty(verifierMac.map((mac) => ({ mac }))),
  },
  ['kdcVerifier', 'svcVerifier', 'otherVerifiers'],
);
const secureCookie = rec<A.SecureCookie>({
  time: int32,
  data: small(rec({ padataType: int32, padataValue: bytes })),
});
const spakeFactor = rec<A.SpakeSecondFactor>({ type: int32, data: bytes }, ['data']);
const paSpake: fc.Arbitrary<A.PaSpake> = fc.oneof(
  rec<{ groups: number[] }>({ groups: nonEmpty(int32) }).map((support) => ({ support })),
  rec<A.SpakeChallenge>({ group: int32, pubkey: bytes, factors: nonEmpty(spakeFactor) }).map((challenge) => ({
    challenge,
  })),
  rec<A.SpakeResponse>({ pubkey: bytes, factor: encryptedData }).map((response) => ({ response })),
  encryptedData.map((encdata) => ({ encdata })),
);
const otherInfo = rec<A.Sp80056aOtherInfo>(
  { algorithmId: rawSequence, partyUInfo: bytes, partyVInfo: bytes, suppPubInfo: bytes, suppPrivInfo: bytes },
  ['suppPubInfo', 'suppPrivInfo'],
);
const suppPubInfo = rec<A.PkinitSuppPubInfo>({ enctype: int32, asReq: bytes, pkAsRep: bytes });

type Case = [
  name: string,
  arb: fc.Arbitrary<unknown>,
  encode: (v: never) => Uint8Array,
  decode: (b: Uint8Array) => unknown,
];

const cases: Case[] = [
  ['SAM-CHALLENGE-2', samChallenge2, A.encodeSamChallenge2, A.decodeSamChallenge2],
  ['SAM-CHALLENGE-2-BODY', samChallenge2Body, A.encodeSamChallenge2Body, A.decodeSamChallenge2Body],
  ['SAM-RESPONSE-2', samResponse2, A.encodeSamResponse2, A.decodeSamResponse2],
  ['SAM-ENC-RESPONSE-ENC-2', encSamResponseEnc2, A.encodeEncSamResponseEnc2, A.decodeEncSamResponseEnc2],
  ['IAKERB-HEADER', iakerbHeader, A.encodeIakerbHeader, A.decodeIakerbHeader],
  ['IAKERB-FINISHED', iakerbFinished, A.encodeIakerbFinished, A.decodeIakerbFinished],
  ['OTP-TOKENINFO', otpTokenInfo, A.encodeOtpTokenInfo, A.decodeOtpTokenInfo],
  ['PA-OTP-CHALLENGE', paOtpChallenge, A.encodePaOtpChallenge, A.decodePaOtpChallenge],
  ['PA-OTP-REQUEST', paOtpRequest, A.encodePaOtpRequest, A.decodePaOtpRequest],
  ['PA-OTP-ENC-REQUEST', paOtpEncRequest, A.encodePaOtpEncRequest, A.decodePaOtpEncRequest],
  ['AD-CAMMAC', adCammac, A.encodeAdCammac, A.decodeAdCammac],
  ['secure cookie', secureCookie, A.encodeSecureCookie, A.decodeSecureCookie],
  ['SPAKESecondFactor', spakeFactor, A.encodeSpakeSecondFactor, A.decodeSpakeSecondFactor],
  ['PA-SPAKE', paSpake, A.encodePaSpake, A.decodePaSpake],
  ['OtherInfo', otherInfo, A.encodeSp80056aOtherInfo, A.decodeSp80056aOtherInfo],
  ['PkinitSuppPubInfo', suppPubInfo, A.encodePkinitSuppPubInfo, A.decodePkinitSuppPubInfo],
];

describe('round trips', () => {
  it.each(cases)('%s: decode(encode(v)) == v and encode(decode(b)) == b', (_, arb, encode, decode) => {
    fc.assert(
      fc.property(arb, (v) => {
        const b = encode(v as never);
        const back = decode(b);
        expect(back).toEqual(v);
        expect(toHex(encode(back as never))).toBe(toHex(b));
      }),
      { numRuns: 150 },
    );
  });
});

describe('SIZE (1..MAX) lists', () => {
  it('PA-SPAKE support with no groups is refused', () => {
    expect(() => A.encodePaSpake({ support: { groups: [] } })).toThrow(/at least one/);
    expect(() => A.decodePaSpake(Uint8Array.of(0xa0, 0x06, 0x30, 0x04, 0xa0, 0x02, 0x30, 0x00))).toThrow(
      /at least one/,
    );
  });
  it('PA-OTP-CHALLENGE with no token info is refused', () => {
    expect(() => A.encodePaOtpChallenge({ nonce: new Uint8Array(1), otpTokenInfo: [] })).toThrow(
      /at least one/,
    );
  });
});
