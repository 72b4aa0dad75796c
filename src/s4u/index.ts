/**
 * tskrb/s4u: the pure parts of S4U (MS-SFU): PA-FOR-USER, PA-S4U-X509-USER and PA-PAC-OPTIONS builders, the reply
 * checks, S4U2Proxy evidence, ticket opening and PAC policy, user certificates. The S4U2Self and S4U2Proxy flows
 * that send them are in tskrb/client; the DelegationClient is in tskrb/delegation.
 */

export { openTicket } from '../messages/ticket.js';
export { readTicketPac, type TicketKeys } from '../pac/ticket-pac.js';
export { readUserCertificate, type UserCertificate } from './certificate.js';
export { AUTH_PACKAGE, type S4uStep } from './constants.js';
export {
  type CredentialEvidence,
  evidenceClient,
  evidenceFlags,
  evidenceTicket,
  evidenceWarnings,
  NON_FORWARDABLE_EVIDENCE,
  type S4uEvidence,
  type S4uEvidenceInput,
  type TicketEvidence,
  toS4uEvidence,
} from './evidence.js';
export { referrableName, userPrincipal } from './names.js';
export { buildPaForUser, forUserChecksumData, makePaForUser } from './pa-for-user.js';
export { makePaPacOptionsRbcd } from './pa-pac-options.js';
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
export { enforcePacPolicy, type PacPolicy } from './pac-policy.js';
export { type S4uPacView, type S4uReply, type S4uResult, s4uResult } from './s4u-result.js';
export { checkS4u2SelfClient, NO_USER_CHECK, NOT_FORWARDABLE } from './s4u2self-checks.js';
