/** GSS-API Kerberos numbers: mechanism OIDs, token ids, context flags, token flags (RFC 4121, RFC 4757, RFC 2744). */

/** Mechanism OIDs in dotted text (RFC 1964 1, MS-KILE 3.1.5.14 for the Microsoft one, RFC 4178 for SPNEGO). */
export const GssMechOid = {
  KRB5: '1.2.840.113554.1.2.2',
  /** The krb5 OID with a typo that Windows 2000 sent; Windows still lists it first in SPNEGO. */
  MS_KRB5: '1.2.840.48018.1.2.2',
  SPNEGO: '1.3.6.1.5.5.2',
} as const;

/** TOK_ID values, big-endian (RFC 4121 4.1, 4.2.6; RFC 4757 7.2, 7.3; RFC 1964 1.2.1). */
export const GssTokenId = {
  AP_REQ: 0x0100,
  AP_REP: 0x0200,
  KRB_ERROR: 0x0300,
  MIC: 0x0404,
  WRAP: 0x0504,
  /** RFC 4757 7.2 (RFC 1964 1.2.1 layout) MIC token of rc4-hmac contexts. */
  RC4_MIC: 0x0101,
  /** RFC 4757 7.3 (RFC 1964 1.2.2 layout) Wrap token of rc4-hmac contexts. */
  RC4_WRAP: 0x0201,
} as const;

/** Context flags as in the 0x8003 checksum Flags field (RFC 4121 4.1.1.1, RFC 2744 and RFC 4757 7.1 bits). */
export const GssFlag = {
  DELEG: 1,
  MUTUAL: 2,
  REPLAY: 4,
  SEQUENCE: 8,
  CONF: 16,
  INTEG: 32,
  ANON: 64,
  /** RFC 2744 GSS_C_PROT_READY_FLAG: per-message protection is available before the context is complete. */
  PROT_READY: 0x80,
  /** RFC 2744 GSS_C_TRANS_FLAG: the context can be exported; MIT's initiator sets it in the checksum. */
  TRANS: 0x100,
  DCE_STYLE: 0x1000,
  IDENTIFY: 0x2000,
  EXTENDED_ERROR: 0x4000,
} as const;

/** What an initiator asks for when the caller names no flags (as MIT's gss-client does, plus confidentiality). */
export const DEFAULT_INITIATOR_FLAGS =
  GssFlag.MUTUAL | GssFlag.SEQUENCE | GssFlag.REPLAY | GssFlag.CONF | GssFlag.INTEG;

/** The Flags octet of RFC 4121 MIC and Wrap tokens (4.2.2). */
export const TokenFlag = { SENT_BY_ACCEPTOR: 1, SEALED: 2, ACCEPTOR_SUBKEY: 4 } as const;

/** The authenticator checksum type that carries GSS data instead of a checksum (RFC 4121 4.1.1). */
export const GSS_CHECKSUM_TYPE = 0x8003;

/** RFC 4757 7.1 SGN_ALG and SEAL_ALG values (little-endian on the wire: 11 00, 10 00, ff ff). */
export const Rc4Alg = { SGN_HMAC_MD5: 0x0011, SEAL_RC4: 0x0010, SEAL_NONE: 0xffff } as const;

/** Default clock skew an acceptor allows: five minutes, as MIT's `clockskew`. */
export const DEFAULT_MAX_SKEW_MS = 300_000;
