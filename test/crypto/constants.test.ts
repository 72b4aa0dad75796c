import { describe, expect, it } from 'vitest';
import { ChecksumType, EncType, KeyUsage } from '../../src/crypto/constants.js';

describe('crypto constants match the specs', () => {
  it.each([
    ['AsReqPaEncTimestamp', 1],
    ['KdcRepTicket', 2],
    ['AsRepEncPart', 3],
    ['TgsReqAuthCksum', 6],
    ['TgsReqAuthenticator', 7],
    ['TgsRepEncPartSessionKey', 8],
    ['TgsRepEncPartSubkey', 9],
    ['ApReqAuthenticator', 11],
    ['KrbCredEncPart', 14],
    ['PacSignature', 17],
    ['AdKdcIssuedCksum', 19],
    ['PaS4uX509UserRequest', 26],
    ['PaS4uX509UserReply', 27],
    ['FastReqChksum', 50],
    ['FastEnc', 51],
    ['FastRep', 52],
    ['FastFinished', 53],
    ['EncChallengeClient', 54],
    ['EncChallengeKdc', 55],
    ['AsReq', 56],
  ] as const)('KeyUsage.%s = %i (RFC 4120 7.5.1, RFC 6113 5.4, MS-SFU)', (name, n) => {
    expect(KeyUsage[name]).toBe(n);
  });

  it('enctype and checksum numbers (IANA)', () => {
    expect(EncType).toEqual({
      AES128_CTS_HMAC_SHA1_96: 17,
      AES256_CTS_HMAC_SHA1_96: 18,
      AES128_CTS_HMAC_SHA256_128: 19,
      AES256_CTS_HMAC_SHA384_192: 20,
      RC4_HMAC: 23,
    });
    expect(ChecksumType.HMAC_MD5).toBe(-138);
    expect(ChecksumType.HMAC_SHA1_96_AES256).toBe(16);
  });
});
