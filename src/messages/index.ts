/** tskrb/messages: building AS/TGS requests, validating replies, KDC errors as typed values. */
export { type AsReqParams, buildAsReq, makePaEncTimestamp, makePaPacRequest } from './as-req.js';
export type { Credential } from './credential.js';
export { chooseKeyDerivation, defaultSaltOf, type KeyDerivationHint } from './etype-info.js';
export { type ExchangeStep, hintFor } from './exchange-step.js';
export { type DecodedEData, type DecodedPaData, decodeEData, KdcError } from './kdc-error.js';
export {
  formatPrincipal,
  krbtgt,
  type ParsePrincipalOptions,
  type Principal,
  parsePrincipal,
  sameName,
  tgsRealmOf,
} from './principal.js';
export {
  type KdcReply,
  parseKdcReply,
  type ReplyCheck,
  type ReplyExpectation,
  type ValidatedReply,
  validateKdcRep,
} from './reply.js';
export {
  type BuiltTgsReq,
  buildPaTgsReqApReq,
  buildTgsReq,
  buildTgsReqBody,
  type PreparedTgsReq,
  prepareTgsReq,
  type TgsReqParams,
} from './tgs-req.js';
export { openTicket } from './ticket.js';
export { type TicketToken, ticketTokens, verifyTicketToken } from './ticket-tokens.js';
