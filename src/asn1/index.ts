/** tskrb ASN.1 layer: every Kerberos structure as a plain value with strict DER encode/decode pairs. */

export type { ApRep, ApReq, Authenticator, EncApRepPart } from './ap.js';
export {
  decodeApRep,
  decodeApReq,
  decodeAuthenticator,
  decodeEncApRepPart,
  encodeApRep,
  encodeApReq,
  encodeAuthenticator,
  encodeEncApRepPart,
} from './ap.js';
export type {
  AdAndOr,
  AdIfRelevant,
  AdKdcIssued,
  AdMandatoryForKdc,
  AuthorizationData,
  AuthorizationDataEntry,
} from './authdata.js';
export {
  decodeAdAndOr,
  decodeAdIfRelevant,
  decodeAdKdcIssued,
  decodeAdMandatoryForKdc,
  decodeAuthorizationData,
  decodeEtypeList,
  encodeAdAndOr,
  encodeAdIfRelevant,
  encodeAdKdcIssued,
  encodeAdMandatoryForKdc,
  encodeAuthorizationData,
  encodeEtypeList,
} from './authdata.js';
export type { Checksum, EncryptedData, EncryptionKey, HostAddress } from './basic.js';
export {
  decodeChecksum,
  decodeEncryptedData,
  decodeEncryptionKey,
  decodeHostAddress,
  decodeHostAddresses,
  encodeChecksum,
  encodeEncryptedData,
  encodeEncryptionKey,
  encodeHostAddress,
  encodeHostAddresses,
} from './basic.js';
export type { AdCammac, SecureCookie, Verifier, VerifierMac } from './cammac.js';
export { decodeAdCammac, decodeSecureCookie, encodeAdCammac, encodeSecureCookie } from './cammac.js';
export {
  AddressType,
  AdType,
  ApplicationTag,
  ArmorType,
  ErrorCode,
  errorCodeName,
  KerbyPaDataType,
  KRB5_PVNO,
  MessageType,
  NameType,
  PaDataType,
  paDataTypeName,
  TransitedType,
} from './constants.js';
export type { DecodeOptions } from './der.js';
export { DEFAULT_MAX_SIZE } from './der.js';
export { type DerSpan, DerSpans } from './der-spans.js';
export type {
  KrbFastArmor,
  KrbFastArmoredRep,
  KrbFastArmoredReq,
  KrbFastFinished,
  KrbFastReq,
  KrbFastResponse,
  PaAuthenticationSetElem,
  PaEncryptedChallenge,
  PaFxFastReply,
  PaFxFastRequest,
} from './fast.js';
export {
  decodeKrbFastArmor,
  decodeKrbFastArmoredRep,
  decodeKrbFastArmoredReq,
  decodeKrbFastFinished,
  decodeKrbFastReq,
  decodeKrbFastResponse,
  decodePaAuthenticationSet,
  decodePaEncryptedChallenge,
  decodePaFxFastReply,
  decodePaFxFastRequest,
  encodeKrbFastArmor,
  encodeKrbFastArmoredRep,
  encodeKrbFastArmoredReq,
  encodeKrbFastFinished,
  encodeKrbFastReq,
  encodeKrbFastResponse,
  encodePaAuthenticationSet,
  encodePaEncryptedChallenge,
  encodePaFxFastReply,
  encodePaFxFastRequest,
} from './fast.js';
export type {
  ApOptions,
  FastOptions,
  FlagSet,
  KdcOptions,
  PacOptionsFlags,
  S4uOptions,
  TicketFlags,
} from './flags.js';
export {
  ApOptionBit,
  bitsToFlags,
  FastOptionBit,
  flagsToBits,
  KdcOptionBit,
  PacOptionBit,
  S4uOptionBit,
  TicketFlagBit,
} from './flags.js';
export type { InitialContextToken } from './gss-token.js';
export { decodeInitialContextToken, encodeInitialContextToken } from './gss-token.js';
export type { IakerbFinished, IakerbHeader } from './iakerb.js';
export {
  decodeIakerbFinished,
  decodeIakerbHeader,
  encodeIakerbFinished,
  encodeIakerbHeader,
} from './iakerb.js';
export type {
  AsRep,
  EncAsRepPart,
  EncKdcRepPart,
  EncTgsRepPart,
  KdcRep,
  LastReq,
  LastReqEntry,
  ReceivedKdcRep,
  TgsRep,
} from './kdc-rep.js';
export {
  decodeAsRep,
  decodeEncAsRepPart,
  decodeEncKdcRepPart,
  decodeEncTgsRepPart,
  decodeKdcRepReceived,
  decodeTgsRep,
  encodeAsRep,
  encodeEncAsRepPart,
  encodeEncTgsRepPart,
  encodeTgsRep,
} from './kdc-rep.js';
export type { AsReq, KdcReq, KdcReqBody, TgsReq } from './kdc-req.js';
export {
  decodeAsReq,
  decodeKdcReqBody,
  decodeTgsReq,
  encodeAsReq,
  encodeKdcReqBody,
  encodeTgsReq,
} from './kdc-req.js';
export type { KerbAdRestrictionEntry, PaPacOptions, PaPacRequest } from './kile.js';
export {
  decodeKerbAdRestrictionEntry,
  decodeKerbAdRestrictions,
  decodeKerbKeyListRep,
  decodeKerbKeyListReq,
  decodePaPacOptions,
  decodePaPacRequest,
  decodePaSupportedEnctypes,
  encodeKerbAdRestrictionEntry,
  encodeKerbAdRestrictions,
  encodeKerbKeyListRep,
  encodeKerbKeyListReq,
  encodePaPacOptions,
  encodePaPacRequest,
  encodePaSupportedEnctypes,
} from './kile.js';
export type { KdcProxyMessage } from './kkdcp.js';
export { decodeKdcProxyMessage, encodeKdcProxyMessage } from './kkdcp.js';
export type { EncKrbCredPart, KrbCred, KrbCredInfo } from './krb-cred.js';
export {
  decodeEncKrbCredPart,
  decodeKrbCred,
  decodeKrbCredInfo,
  encodeEncKrbCredPart,
  encodeKrbCred,
  encodeKrbCredInfo,
} from './krb-cred.js';
export type { KrbError } from './krb-error.js';
export { decodeKrbError, encodeKrbError } from './krb-error.js';
export type { EncKrbPrivPart, KrbPriv, KrbSafe, KrbSafeBody } from './krb-safe-priv.js';
export {
  decodeEncKrbPrivPart,
  decodeKrbPriv,
  decodeKrbSafe,
  encodeEncKrbPrivPart,
  encodeKrbPriv,
  encodeKrbSafe,
} from './krb-safe-priv.js';
export type {
  OtpRequestFlags,
  OtpTokenFlags,
  OtpTokenInfo,
  PaOtpChallenge,
  PaOtpEncRequest,
  PaOtpRequest,
} from './otp.js';
export {
  decodeOtpTokenInfo,
  decodePaOtpChallenge,
  decodePaOtpEncRequest,
  decodePaOtpRequest,
  encodeOtpTokenInfo,
  encodePaOtpChallenge,
  encodePaOtpEncRequest,
  encodePaOtpRequest,
  OtpRequestFlagBit,
  OtpTokenFlagBit,
} from './otp.js';
export type {
  EtypeInfo2Entry,
  EtypeInfoEntry,
  MethodData,
  PaData,
  PaEncTsEnc,
  TypedData,
  TypedDataEntry,
} from './padata.js';
export {
  decodeEtypeInfo,
  decodeEtypeInfo2,
  decodeMethodData,
  decodePaData,
  decodePaEncTsEnc,
  decodeTypedData,
  encodeEtypeInfo,
  encodeEtypeInfo2,
  encodeMethodData,
  encodePaData,
  encodePaEncTsEnc,
  encodeTypedData,
} from './padata.js';
export type {
  AuthPack,
  DhRepInfo,
  ExternalPrincipalIdentifier,
  KdcDhKeyInfo,
  KdfAlgorithmId,
  PaChecksum2,
  PaPkAsRep,
  PaPkAsReq,
  PaReqEncPaRep,
  PkAuthenticator,
  ReplyKeyPack,
} from './pkinit.js';
export {
  decodeAuthPack,
  decodeKdcDhKeyInfo,
  decodePaPkAsRep,
  decodePaPkAsReq,
  decodePaReqEncPaRep,
  decodeReplyKeyPack,
  encodeAuthPack,
  encodeKdcDhKeyInfo,
  encodePaPkAsRep,
  encodePaPkAsReq,
  encodePaReqEncPaRep,
  encodePkAuthenticator,
  encodeReplyKeyPack,
} from './pkinit.js';
export type { PkinitSuppPubInfo, Sp80056aOtherInfo } from './pkinit-kdf.js';
export {
  decodePkinitSuppPubInfo,
  decodeSp80056aOtherInfo,
  encodePkinitSuppPubInfo,
  encodeSp80056aOtherInfo,
} from './pkinit-kdf.js';
export type { PrincipalName } from './principal.js';
export { decodePrincipalName, encodePrincipalName } from './principal.js';
export type {
  AdValue,
  AdValueMap,
  KerberosMessage,
  PaValue,
  PaValueMap,
  PaValueOptions,
} from './registry.js';
export { decodeAdValue, decodeKerberosMessage, decodePaValue } from './registry.js';
export type { EncSamResponseEnc2, SamChallenge2, SamChallenge2Body, SamFlags, SamResponse2 } from './sam.js';
export {
  decodeEncSamResponseEnc2,
  decodeSamChallenge2,
  decodeSamChallenge2Body,
  decodeSamResponse2,
  encodeEncSamResponseEnc2,
  encodeSamChallenge2,
  encodeSamChallenge2Body,
  encodeSamResponse2,
  SamFlagBit,
} from './sam.js';
export type { PaForUser, PaS4uX509User, S4uUserId } from './sfu.js';
export {
  decodePaForUser,
  decodePaS4uX509User,
  decodeS4uUserId,
  encodePaForUser,
  encodePaS4uX509User,
  encodeS4uUserId,
} from './sfu.js';
export type { PaSpake, SpakeChallenge, SpakeResponse, SpakeSecondFactor, SpakeSupport } from './spake.js';
export { decodePaSpake, decodeSpakeSecondFactor, encodePaSpake, encodeSpakeSecondFactor } from './spake.js';
export type { EncTicketPart, Ticket, TransitedEncoding } from './ticket.js';
export { decodeEncTicketPart, decodeTicket, encodeEncTicketPart, encodeTicket } from './ticket.js';
export type { AdToken, KrbToken, PaTokenChallenge, PaTokenRequest, TokenFlags, TokenInfo } from './token.js';
export {
  decodeAdToken,
  decodeKrbToken,
  decodePaTokenChallenge,
  decodePaTokenRequest,
  decodeTokenInfo,
  encodeAdToken,
  encodeKrbToken,
  encodePaTokenChallenge,
  encodePaTokenRequest,
  encodeTokenInfo,
  TokenFlagBit,
  TokenFormat,
} from './token.js';
