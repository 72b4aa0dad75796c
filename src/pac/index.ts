/** tskrb/pac: MS-PAC decoding, SIDs, summaries and signature verification. */
export type { PacAttributesInfo } from './attributes.js';
export { findPac, ticketChecksumData } from './authorization-data.js';
export type { ClaimEntry, ClaimsArray, ClaimsSet, ClaimsSetMetadata, ClaimValues } from './claims.js';
export type { PacClientInfo, TicketClient } from './client-info.js';
export { checkClientInfo } from './client-info.js';
export {
  ClaimsCompressionFormat,
  ClaimsSourceType,
  ClaimType,
  GroupAttribute,
  PacAttributeFlag,
  PacBufferType,
  UpnDnsFlag,
  UserFlag,
} from './constants.js';
export type {
  NtlmSupplementalCredential,
  PacCredentialData,
  PacCredentialInfo,
  SecPkgSupplementalCred,
} from './credential-info.js';
export { decryptCredentialInfo } from './credential-info.js';
export type { S4uDelegationInfo } from './delegation-info.js';
export type { DomainGroupMembership, PacDeviceInfo } from './device-info.js';
export type { GroupMembership, KerbValidationInfo, SidAndAttributes } from './logon-info.js';
export { fileTimeToDate } from './ndr.js';
export type { Pac, PacBuffers, PacInfoBuffer, UnknownPacBuffer } from './pac.js';
export { decodePac } from './pac.js';
export type { PacRequestor } from './requestor.js';
export {
  AssertedIdentitySid,
  decodeSid,
  encodeSid,
  sidName,
  WELL_KNOWN_DOMAIN_RIDS,
  WELL_KNOWN_SIDS,
} from './sid.js';
export type {
  PacSignatureData,
  PacVerification,
  PacVerifyOptions,
  SignatureCheck,
  SignatureStatus,
} from './signatures.js';
export { verifyPac } from './signatures.js';
export type { IdentityAssertion, PacSummary, SidEntry } from './summary.js';
export { identityAssertionOf, summarizePac } from './summary.js';
export { readTicketPac, type TicketKeys, type TicketPac } from './ticket-pac.js';
export type { UpnDnsInfo } from './upn-dns-info.js';
