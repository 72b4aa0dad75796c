/** Numbers of MS-PAC, MS-RPCE (NDR) and MS-ADTS (claims), named once. */
import { ChecksumType } from '../crypto/index.js';

/** PAC_INFO_BUFFER ulType values (MS-PAC 2.4). */
export const PacBufferType = {
  LogonInfo: 1,
  CredentialsInfo: 2,
  ServerChecksum: 6,
  KdcChecksum: 7,
  ClientInfo: 10,
  DelegationInfo: 11,
  UpnDnsInfo: 12,
  ClientClaimsInfo: 13,
  DeviceInfo: 14,
  DeviceClaimsInfo: 15,
  TicketChecksum: 16,
  AttributesInfo: 17,
  Requestor: 18,
  FullChecksum: 19,
} as const;

/** Layout of the PAC itself (MS-PAC 2.3, 2.4). */
export const PacLayout = {
  /** PACTYPE: cBuffers + Version. */
  headerSize: 8,
  /** One PAC_INFO_BUFFER: ulType, cbBufferSize, Offset (64-bit). */
  infoBufferSize: 16,
  /** Buffers start on 8-byte boundaries. */
  alignment: 8,
  /** The only defined PACTYPE Version. */
  version: 0,
} as const;

/** MS-RPCE 2.2.6 type serialization version 1 headers. */
export const NdrTypeSerialization = {
  version: 1,
  littleEndian: 0x10,
  commonHeaderLength: 8,
  /** Common header (8) + private header (8). */
  headersLength: 16,
  /** The serialized object is padded to a multiple of 8. */
  objectAlignment: 8,
} as const;

/** Byte sizes of NDR primitives (NDR 2.0, 32-bit transfer syntax). */
export const NdrSize = { u8: 1, u16: 2, u32: 4, u64: 8, pointer: 4, fileTime: 8, wchar: 2 } as const;

/** FILETIME values with a special meaning (MS-PAC 2.5). */
export const FileTimeSpecial = {
  /** Zero: not set. */
  notSet: 0n,
  /** 0x7FFFFFFFFFFFFFFF: never (no expiry). */
  never: 0x7fffffffffffffffn,
  /** 100-ns intervals between 1601-01-01 and 1970-01-01. */
  unixEpoch: 116444736000000000n,
  /** 100-ns intervals per millisecond. */
  perMillisecond: 10000n,
} as const;

/** SE_GROUP_* attribute bits of GROUP_MEMBERSHIP and KERB_SID_AND_ATTRIBUTES (MS-PAC 2.2.1, 2.2.2). */
export const GroupAttribute = {
  Mandatory: 0x1,
  EnabledByDefault: 0x2,
  Enabled: 0x4,
  Owner: 0x8,
  UseForDenyOnly: 0x10,
  Integrity: 0x20,
  IntegrityEnabled: 0x40,
  Resource: 0x20000000,
  LogonId: 0xc0000000,
} as const;

/** KERB_VALIDATION_INFO UserFlags bits (MS-PAC 2.5). */
export const UserFlag = { ExtraSids: 0x20, ResourceGroups: 0x200 } as const;

/** UPN_DNS_INFO Flags bits (MS-PAC 2.10). */
export const UpnDnsFlag = {
  /** U: the account has no userPrincipalName; the UPN was constructed. */
  UpnConstructed: 0x1,
  /** S: the structure carries the SAM name and SID extension. */
  SamNameAndSid: 0x2,
} as const;

/** PAC_ATTRIBUTES_INFO flag bits (MS-PAC 2.14). */
export const PacAttributeFlag = { PacWasRequested: 0x1, PacWasGivenImplicitly: 0x2 } as const;

/**
 * The keyed checksum types a PAC signature may use (MS-PAC 2.8): HMAC-MD5 (-138) and the AES ones.
 * An unkeyed type (CRC, MD5, SHA-1) would let anyone "sign" a PAC, so none is accepted.
 */
export const PAC_SIGNATURE_TYPES: ReadonlySet<number> = new Set([
  ChecksumType.HMAC_MD5,
  ChecksumType.HMAC_SHA1_96_AES128,
  ChecksumType.HMAC_SHA1_96_AES256,
  ChecksumType.HMAC_SHA256_128_AES128,
  ChecksumType.HMAC_SHA384_192_AES256,
]);

/** Bytes of PAC_SIGNATURE_DATA before the signature: the 32-bit SignatureType. */
export const SIGNATURE_TYPE_LENGTH = 4;

/** The optional RODCIdentifier trailer after a signature (MS-PAC 2.8). */
export const RODC_IDENTIFIER_LENGTH = 2;

/** CLAIM_TYPE (MS-ADTS 2.2.18.2). */
export const ClaimType = { Int64: 1, Uint64: 2, String: 3, Boolean: 6 } as const;

/** CLAIMS_SOURCE_TYPE (MS-ADTS 2.2.18.3). */
export const ClaimsSourceType = { Ad: 1, Certificate: 2 } as const;

/** CLAIMS_COMPRESSION_FORMAT (MS-ADTS 2.2.18.4). */
export const ClaimsCompressionFormat = { None: 0, Lznt1: 2, Xpress: 3, XpressHuff: 4 } as const;

/** NTLM_SUPPLEMENTAL_CREDENTIAL Flags (MS-PAC 2.6.4). */
export const NtlmCredentialFlag = { LmOwfPresent: 0x1, NtOwfPresent: 0x2 } as const;

/** Size of NTLM_SUPPLEMENTAL_CREDENTIAL: Version, Flags, LmPassword[16], NtPassword[16]. */
export const NTLM_SUPPLEMENTAL_CREDENTIAL_LENGTH = 40;

/** The SECPKG_SUPPLEMENTAL_CRED package name of NTLM credentials (MS-PAC 2.6.3). */
export const NTLM_PACKAGE_NAME = 'NTLM';

/** Deepest AD-IF-RELEVANT nesting searched for a PAC. */
export const MAX_AD_NESTING = 8;
