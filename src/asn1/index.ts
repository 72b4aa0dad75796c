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
export type { AuthorizationData, AuthorizationDataEntry } from './authdata.js';
export { decodeAuthorizationData, encodeAuthorizationData } from './authdata.js';
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
export {
  AddressType,
  AdType,
  ApplicationTag,
  ArmorType,
  ErrorCode,
  errorCodeName,
  KRB5_PVNO,
  MessageType,
  NameType,
  PaDataType,
  TransitedType,
} from './constants.js';
export type { DecodeOptions } from './der.js';
export { DEFAULT_MAX_SIZE } from './der.js';
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
export type {
  AsRep,
  EncAsRepPart,
  EncKdcRepPart,
  EncTgsRepPart,
  KdcRep,
  LastReq,
  LastReqEntry,
  TgsRep,
} from './kdc-rep.js';
export {
  decodeAsRep,
  decodeEncAsRepPart,
  decodeEncKdcRepPart,
  decodeEncTgsRepPart,
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
export type { KrbError } from './krb-error.js';
export { decodeKrbError, encodeKrbError } from './krb-error.js';
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
export type { PrincipalName } from './principal.js';
export { decodePrincipalName, encodePrincipalName } from './principal.js';
export type { EncTicketPart, Ticket, TransitedEncoding } from './ticket.js';
export { decodeEncTicketPart, decodeTicket, encodeEncTicketPart, encodeTicket } from './ticket.js';
