/** Kerberos protocol numbers (RFC 4120 7.5, IANA Kerberos parameters, MS-KILE, MS-SFU, RFC 6113/6806/8070). */

/** msg-type values (RFC 4120 7.5.7; spec names without the KRB_ prefix on the REQ/REP pairs). */
export const MessageType = {
  AS_REQ: 10,
  AS_REP: 11,
  TGS_REQ: 12,
  TGS_REP: 13,
  AP_REQ: 14,
  AP_REP: 15,
  KRB_SAFE: 20,
  KRB_PRIV: 21,
  KRB_CRED: 22,
  KRB_ERROR: 30,
} as const;

/** APPLICATION tag numbers of the RFC 4120 types (RFC 4120 5.10). */
export const ApplicationTag = {
  Ticket: 1,
  Authenticator: 2,
  EncTicketPart: 3,
  AsReq: 10,
  AsRep: 11,
  TgsReq: 12,
  TgsRep: 13,
  ApReq: 14,
  ApRep: 15,
  KrbSafe: 20,
  KrbPriv: 21,
  KrbCred: 22,
  EncAsRepPart: 25,
  EncTgsRepPart: 26,
  EncApRepPart: 27,
  EncKrbPrivPart: 28,
  EncKrbCredPart: 29,
  KrbError: 30,
} as const;

/** Protocol version number (pvno, tkt-vno, authenticator-vno). */
export const KRB5_PVNO = 5;

/** name-type values (RFC 4120 6.2, RFC 6111, MS-KILE 2.2.1 negative types). */
export const NameType = {
  NT_UNKNOWN: 0,
  NT_PRINCIPAL: 1,
  NT_SRV_INST: 2,
  NT_SRV_HST: 3,
  NT_SRV_XHST: 4,
  NT_UID: 5,
  NT_X500_PRINCIPAL: 6,
  NT_SMTP_NAME: 7,
  NT_ENTERPRISE: 10,
  NT_WELLKNOWN: 11,
  NT_MS_PRINCIPAL: -128,
  NT_MS_PRINCIPAL_AND_ID: -129,
  NT_ENT_PRINCIPAL_AND_ID: -130,
} as const;

/** addr-type values (RFC 4120 7.5.3). */
export const AddressType = {
  IPv4: 2,
  Directional: 3,
  ChaosNet: 5,
  Xns: 6,
  Iso: 7,
  DecnetPhaseIv: 12,
  AppleTalkDdp: 16,
  NetBios: 20,
  IPv6: 24,
} as const;

/** padata-type values, spec names without the PA- prefix (RFC 4120 7.5.2, IANA, RFC 6113, RFC 6806, RFC 8070, MS-KILE, MS-SFU). */
export const PaDataType = {
  TGS_REQ: 1,
  ENC_TIMESTAMP: 2,
  PW_SALT: 3,
  ENC_UNIX_TIME: 5,
  SANDIA_SECUREID: 6,
  SESAME: 7,
  OSF_DCE: 8,
  CYBERSAFE_SECUREID: 9,
  AFS3_SALT: 10,
  ETYPE_INFO: 11,
  SAM_CHALLENGE: 12,
  SAM_RESPONSE: 13,
  PK_AS_REQ_OLD: 14,
  PK_AS_REP_OLD: 15,
  PK_AS_REQ: 16,
  PK_AS_REP: 17,
  ETYPE_INFO2: 19,
  SVR_REFERRAL_INFO: 20,
  SAM_REDIRECT: 21,
  GET_FROM_TYPED_DATA: 22,
  SAM_ETYPE_INFO: 23,
  ALT_PRINC: 24,
  SAM_CHALLENGE2: 30,
  SAM_RESPONSE2: 31,
  EXTRA_TGT: 41,
  PAC_REQUEST: 128,
  FOR_USER: 129,
  S4U_X509_USER: 130,
  AS_CHECKSUM: 132,
  FX_COOKIE: 133,
  AUTHENTICATION_SET: 134,
  AUTH_SET_SELECTED: 135,
  FX_FAST: 136,
  FX_ERROR: 137,
  ENCRYPTED_CHALLENGE: 138,
  OTP_CHALLENGE: 141,
  OTP_REQUEST: 142,
  OTP_PIN_CHANGE: 144,
  EPAK_AS_REQ: 145,
  EPAK_AS_REP: 146,
  PKINIT_KX: 147,
  PKU2U_NAME: 148,
  REQ_ENC_PA_REP: 149,
  AS_FRESHNESS: 150,
  SPAKE: 151,
  KERB_KEY_LIST_REQ: 161,
  KERB_KEY_LIST_REP: 162,
  SUPPORTED_ETYPES: 165,
  EXTENDED_ERROR: 166,
  PAC_OPTIONS: 167,
} as const;

/**
 * Apache Kerby's token pre-authentication padata types (kerb-core type/pa/PaDataType.java TOKEN_REQUEST,
 * TOKEN_CHALLENGE). Kept apart from PaDataType because they reuse IANA numbers: 148 is PA-PKU2U-NAME, 149 is
 * PA-REQ-ENC-PA-REP (RFC 6806); which one a padata is follows from where it appears and what it holds.
 */
export const KerbyPaDataType = { TOKEN_REQUEST: 148, TOKEN_CHALLENGE: 149 } as const;

/** ad-type values, spec names without the AD- prefix (RFC 4120 7.5.4, IANA, MS-PAC, MS-KILE). */
export const AdType = {
  IF_RELEVANT: 1,
  INTENDED_FOR_SERVER: 2,
  INTENDED_FOR_APPLICATION_CLASS: 3,
  KDC_ISSUED: 4,
  AND_OR: 5,
  MANDATORY_TICKET_EXTENSIONS: 6,
  IN_TICKET_EXTENSIONS: 7,
  MANDATORY_FOR_KDC: 8,
  INITIAL_VERIFIED_CAS: 9,
  OSF_DCE: 64,
  SESAME: 65,
  OSF_DCE_PKI_CERTID: 66,
  AUTHENTICATION_STRENGTH: 70,
  FX_FAST_ARMOR: 71,
  FX_FAST_USED: 72,
  CAMMAC: 96,
  AUTHENTICATION_INDICATOR: 97,
  WIN2K_PAC: 128,
  ETYPE_NEGOTIATION: 129,
  RESTRICTIONS: 141,
  KERB_LOCAL: 142,
  AP_OPTIONS: 143,
  TARGET_PRINCIPAL: 144,
  /** Apache Kerby's AD-TOKEN (type/ad/AuthorizationType.java AD_TOKEN; not IANA-registered). */
  TOKEN: 256,
} as const;

/** FAST armor-type values (RFC 6113 5.4.1). */
export const ArmorType = { FX_FAST_ARMOR_AP_REQUEST: 1 } as const;

/** tr-type values (RFC 4120 5.3). */
export const TransitedType = { DOMAIN_X500_COMPRESS: 1 } as const;

/** error-code values (RFC 4120 7.5.9, RFC 4556 3.1.3, RFC 6113 5.4.4, RFC 8636 8). */
export const ErrorCode = {
  KDC_ERR_NONE: 0,
  KDC_ERR_NAME_EXP: 1,
  KDC_ERR_SERVICE_EXP: 2,
  KDC_ERR_BAD_PVNO: 3,
  KDC_ERR_C_OLD_MAST_KVNO: 4,
  KDC_ERR_S_OLD_MAST_KVNO: 5,
  KDC_ERR_C_PRINCIPAL_UNKNOWN: 6,
  KDC_ERR_S_PRINCIPAL_UNKNOWN: 7,
  KDC_ERR_PRINCIPAL_NOT_UNIQUE: 8,
  KDC_ERR_NULL_KEY: 9,
  KDC_ERR_CANNOT_POSTDATE: 10,
  KDC_ERR_NEVER_VALID: 11,
  KDC_ERR_POLICY: 12,
  KDC_ERR_BADOPTION: 13,
  KDC_ERR_ETYPE_NOSUPP: 14,
  KDC_ERR_SUMTYPE_NOSUPP: 15,
  KDC_ERR_PADATA_TYPE_NOSUPP: 16,
  KDC_ERR_TRTYPE_NOSUPP: 17,
  KDC_ERR_CLIENT_REVOKED: 18,
  KDC_ERR_SERVICE_REVOKED: 19,
  KDC_ERR_TGT_REVOKED: 20,
  KDC_ERR_CLIENT_NOTYET: 21,
  KDC_ERR_SERVICE_NOTYET: 22,
  KDC_ERR_KEY_EXPIRED: 23,
  KDC_ERR_PREAUTH_FAILED: 24,
  KDC_ERR_PREAUTH_REQUIRED: 25,
  KDC_ERR_SERVER_NOMATCH: 26,
  KDC_ERR_MUST_USE_USER2USER: 27,
  KDC_ERR_PATH_NOT_ACCEPTED: 28,
  KDC_ERR_SVC_UNAVAILABLE: 29,
  KRB_AP_ERR_BAD_INTEGRITY: 31,
  KRB_AP_ERR_TKT_EXPIRED: 32,
  KRB_AP_ERR_TKT_NYV: 33,
  KRB_AP_ERR_REPEAT: 34,
  KRB_AP_ERR_NOT_US: 35,
  KRB_AP_ERR_BADMATCH: 36,
  KRB_AP_ERR_SKEW: 37,
  KRB_AP_ERR_BADADDR: 38,
  KRB_AP_ERR_BADVERSION: 39,
  KRB_AP_ERR_MSG_TYPE: 40,
  KRB_AP_ERR_MODIFIED: 41,
  KRB_AP_ERR_BADORDER: 42,
  KRB_AP_ERR_BADKEYVER: 44,
  KRB_AP_ERR_NOKEY: 45,
  KRB_AP_ERR_MUT_FAIL: 46,
  KRB_AP_ERR_BADDIRECTION: 47,
  KRB_AP_ERR_METHOD: 48,
  KRB_AP_ERR_BADSEQ: 49,
  KRB_AP_ERR_INAPP_CKSUM: 50,
  KRB_AP_PATH_NOT_ACCEPTED: 51,
  KRB_ERR_RESPONSE_TOO_BIG: 52,
  KRB_ERR_GENERIC: 60,
  KRB_ERR_FIELD_TOOLONG: 61,
  KDC_ERROR_CLIENT_NOT_TRUSTED: 62,
  KDC_ERROR_KDC_NOT_TRUSTED: 63,
  KDC_ERROR_INVALID_SIG: 64,
  KDC_ERR_KEY_TOO_WEAK: 65,
  KDC_ERR_CERTIFICATE_MISMATCH: 66,
  KRB_AP_ERR_NO_TGT: 67,
  KDC_ERR_WRONG_REALM: 68,
  KRB_AP_ERR_USER_TO_USER_REQUIRED: 69,
  KDC_ERR_CANT_VERIFY_CERTIFICATE: 70,
  KDC_ERR_INVALID_CERTIFICATE: 71,
  KDC_ERR_REVOKED_CERTIFICATE: 72,
  KDC_ERR_REVOCATION_STATUS_UNKNOWN: 73,
  KDC_ERR_REVOCATION_STATUS_UNAVAILABLE: 74,
  KDC_ERR_CLIENT_NAME_MISMATCH: 75,
  KDC_ERR_KDC_NAME_MISMATCH: 76,
  KDC_ERR_INCONSISTENT_KEY_PURPOSE: 77,
  KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED: 78,
  KDC_ERR_PA_CHECKSUM_MUST_BE_INCLUDED: 79,
  KDC_ERR_DIGEST_IN_SIGNED_DATA_NOT_ACCEPTED: 80,
  KDC_ERR_PUBLIC_KEY_ENCRYPTION_NOT_SUPPORTED: 81,
  KDC_ERR_PREAUTH_EXPIRED: 90,
  KDC_ERR_MORE_PREAUTH_DATA_REQUIRED: 91,
  KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET: 92,
  KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS: 93,
  KDC_ERR_NO_ACCEPTABLE_KDF: 100,
} as const;

const errorNames = new Map<number, string>(Object.entries(ErrorCode).map(([k, v]) => [v, k]));

/** Spec name of a KRB-ERROR error-code (`KDC_ERR_BADOPTION`), or `UNKNOWN_ERROR_<n>`. */
export function errorCodeName(code: number): string {
  return errorNames.get(code) ?? `UNKNOWN_ERROR_${code}`;
}

const paNames = new Map<number, string>(
  Object.entries(PaDataType).map(([k, v]) => [
    v,
    k.startsWith('KERB_') ? k.replace(/_/g, '-') : `PA-${k.replace(/_/g, '-')}`,
  ]),
);

/** Spec name of a padata-type (`PA-ETYPE-INFO2`), or `PA-DATA-<n>`. */
export function paDataTypeName(padataType: number): string {
  return paNames.get(padataType) ?? `PA-DATA-${padataType}`;
}
