/** Kerberos crypto numbers: encryption types, checksum types and key usages (RFC 3961/4120/6113, MS-KILE/MS-SFU/MS-PAC). */

/** Encryption type numbers (IANA Kerberos parameters) that tskrb implements. */
export const EncType = {
  AES128_CTS_HMAC_SHA1_96: 17,
  AES256_CTS_HMAC_SHA1_96: 18,
  AES128_CTS_HMAC_SHA256_128: 19,
  AES256_CTS_HMAC_SHA384_192: 20,
  RC4_HMAC: 23,
} as const;

/** Checksum type numbers that tskrb implements (keyed ones, plus the unkeyed legacy hashes). */
export const ChecksumType = {
  RSA_MD4: 2,
  RSA_MD5: 7,
  SHA1: 14,
  HMAC_SHA1_96_AES128: 15,
  HMAC_SHA1_96_AES256: 16,
  HMAC_SHA256_128_AES128: 19,
  HMAC_SHA384_192_AES256: 20,
  HMAC_MD5: -138,
} as const;

/** Key usage numbers (RFC 4120 7.5.1, RFC 4121, RFC 6113 5.4, MS-SFU, MS-PAC). */
export const KeyUsage = {
  AsReqPaEncTimestamp: 1,
  KdcRepTicket: 2,
  AsRepEncPart: 3,
  TgsReqAuthDataSessionKey: 4,
  TgsReqAuthDataSubkey: 5,
  TgsReqAuthCksum: 6,
  TgsReqAuthenticator: 7,
  TgsRepEncPartSessionKey: 8,
  TgsRepEncPartSubkey: 9,
  ApReqAuthCksum: 10,
  ApReqAuthenticator: 11,
  ApRepEncPart: 12,
  KrbPrivEncPart: 13,
  KrbCredEncPart: 14,
  KrbSafeCksum: 15,
  /** Also KERB_NON_KERB_SALT (MS-KILE). */
  AppDataEncrypt: 16,
  /** KERB_NON_KERB_CKSUM_SALT: PAC signatures (MS-PAC 2.8) and the PA-FOR-USER checksum (MS-SFU 2.2.1). */
  PacSignature: 17,
  KrbErrorCksum: 18,
  AdKdcIssuedCksum: 19,
  AdMte: 20,
  AdIte: 21,
  GssAcceptorSeal: 22,
  GssAcceptorSign: 23,
  GssInitiatorSeal: 24,
  GssInitiatorSign: 25,
  /** PA-S4U-X509-USER checksum in the request (MS-SFU 2.2.2). */
  PaS4uX509UserRequest: 26,
  /** PA-S4U-X509-USER checksum in the reply (MS-SFU 2.2.2). */
  PaS4uX509UserReply: 27,
  FastReqChksum: 50,
  FastEnc: 51,
  FastRep: 52,
  FastFinished: 53,
  EncChallengeClient: 54,
  EncChallengeKdc: 55,
  /** KEY_USAGE_AS_REQ: PA-REQ-ENC-PA-REP checksum (RFC 6806 11). */
  AsReq: 56,
  /** PA-TOKEN-REQUEST sealed in the FAST armor key (Apache Kerby type/base/KeyUsage.java PA_TOKEN). */
  PaToken: 57,
} as const;

/** Bounds on the PBKDF2 iteration count taken from s2kparams (MIT `s2k_pbkdf2.c` policy). */
export const S2kIterations = {
  /** RFC 3962 4: default for aes*-cts-hmac-sha1-96. */
  DefaultAesSha1: 4096,
  /** RFC 8009 4: default for aes*-cts-hmac-sha2. */
  DefaultAesSha2: 32768,
  /** Counts at or above this are refused: a hostile KDC could otherwise make us spin for hours. */
  Max: 0x1000000,
} as const;

/** Derived-key constant suffixes (RFC 3961 5.3, RFC 8009 5). */
export const DeriveTag = { Checksum: 0x99, Encryption: 0xaa, Integrity: 0x55 } as const;
