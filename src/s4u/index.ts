/** tskrb/s4u: S4U2Self (PA-FOR-USER, PA-S4U-X509-USER) and S4U2Proxy (constrained and resource-based delegation). */

export { openTicket } from '../messages/ticket.js';
export { readTicketPac, type TicketKeys } from '../pac/ticket-pac.js';
export { readUserCertificate, type UserCertificate } from './certificate.js';
export { AUTH_PACKAGE, type S4uStep } from './constants.js';
export {
  DEFAULT_DELEGATION_TTL_MS,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_REFRESH_BEFORE_MS,
  type DelegatedTicket,
  type DelegationAuditEvent,
  type DelegationAuditSink,
  DelegationClient,
  type DelegationClientOptions,
  type DelegationExchange,
  type DelegationSource,
  type DelegationStats,
  type DelegationStep,
  KdcDelegationExchange,
  type KdcDelegationExchangeOptions,
} from './delegation-client.js';
export type { DelegationStrictness } from './delegation-exchange.js';
export { buildPaForUser, forUserChecksumData, makePaForUser } from './pa-for-user.js';
export {
  buildPaS4uX509User,
  buildS4uUserId,
  checkS4uX509UserReply,
  paS4uX509UserData,
  type S4uReplyCheck,
  type S4uReplyCheckOptions,
  type S4uUserIdParams,
  s4uChecksumType,
} from './pa-s4u-x509-user.js';
export { enforcePacPolicy, type PacPolicy, type S4uPacView, type S4uResult, s4uResult } from './result.js';
export { makePaPacOptionsRbcd, type S4u2ProxyOptions, type S4uEvidence, s4u2proxy } from './s4u2proxy.js';
export { type S4u2SelfOptions, s4u2self, userPrincipal } from './s4u2self.js';
