/**
 * tskrb: a pure-TypeScript Kerberos client. The root entry exports the everyday API; each layer is also
 * available as a namespace here and as its own entry point (`tskrb/crypto`, `tskrb/asn1`, …).
 */
export * as asn1 from './asn1/index.js';
export * from './client/index.js';
export * as creds from './creds/index.js';
export * as crypto from './crypto/index.js';
export { Key } from './crypto/index.js';
export * as delegation from './delegation/index.js';
export {
  type DelegatedTicket,
  type DelegationAuditEvent,
  DelegationClient,
  type DelegationClientOptions,
  type DelegationStats,
} from './delegation/index.js';
export * from './errors.js';
export * as explain from './explain/index.js';
export * as fast from './fast/index.js';
export * as http from './http/index.js';
export { negotiate, negotiateFetch } from './http/index.js';
export * as messages from './messages/index.js';
export {
  type Credential,
  type ExchangeStep,
  formatPrincipal,
  KdcError,
  type Principal,
  parsePrincipal,
} from './messages/index.js';
export * as pac from './pac/index.js';
export { decodePac, findPac, type PacSummary, summarizePac, verifyPac } from './pac/index.js';
export * as pcap from './pcap/index.js';
export type { S4uEvidence, S4uEvidenceInput, S4uResult } from './s4u/index.js';
export * as s4u from './s4u/index.js';
export * as transport from './transport/index.js';
export { KdcTransport, KkdcpTransport, type Transport } from './transport/index.js';
export { VERSION } from './version.js';
