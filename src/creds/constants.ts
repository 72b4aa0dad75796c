/** Numbers of the MIT keytab and ccache file formats and of KRB-CRED, named. */

/** Keytab file format versions (first two bytes: 0x05, version). */
export const KeytabVersion = {
  /** Version 1: host byte order, component count includes the realm, no name type. */
  V1: 0x0501,
  /** Version 2: big-endian, the format every current tool writes. */
  V2: 0x0502,
} as const;

/** Credential cache (FILE) format versions. */
export const CcacheVersion = {
  /** Version 3: big-endian, keyblock enctype written twice, no header. */
  V3: 0x0503,
  /** Version 4: big-endian, with a header of tagged fields. */
  V4: 0x0504,
} as const;

/** Tags of ccache v4 header fields. */
export const CcacheHeaderTag = {
  /** KDC time offset: seconds and microseconds (two signed 32-bit integers). */
  KdcTimeOffset: 1,
} as const;

/** Length of the KDC time offset header field value. */
export const KDC_TIME_OFFSET_LENGTH = 8;

/** Realm of the server principal of a ccache configuration entry. */
export const CCACHE_CONF_REALM = 'X-CACHECONF:';
/** First component of the server principal of a ccache configuration entry. */
export const CCACHE_CONF_PREFIX = 'krb5_ccache_conf_data';

/** Default ticket flags bits as the ccache stores them (bit 0 of the ASN.1 BIT STRING is 0x80000000). RFC 4120 5.3. */
export const TicketFlag = {
  reserved: 0x80000000,
  forwardable: 0x40000000,
  forwarded: 0x20000000,
  proxiable: 0x10000000,
  proxy: 0x08000000,
  mayPostdate: 0x04000000,
  postdated: 0x02000000,
  invalid: 0x01000000,
  renewable: 0x00800000,
  initial: 0x00400000,
  preAuthent: 0x00200000,
  hwAuthent: 0x00100000,
  transitedPolicyChecked: 0x00080000,
  okAsDelegate: 0x00040000,
  encPaRep: 0x00010000,
  anonymous: 0x00008000,
} as const;

/** Largest value of an unsigned 32-bit field (times, flags, kvno). */
export const U32_MAX = 0xffffffff;
