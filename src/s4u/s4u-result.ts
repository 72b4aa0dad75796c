/** What an S4U flow returns: the ticket, opened with the service's key to read its PAC when keys are given. MS-SFU 3.1.5, MS-PAC 2.9. */
import type { EncKdcRepPart, EncTicketPart, Ticket } from '../asn1/index.js';
import type { Key } from '../crypto/index.js';
import type { Credential } from '../messages/credential.js';
import type { Principal } from '../messages/principal.js';
import type { ValidatedReply } from '../messages/reply.js';
import { openTicket } from '../messages/ticket.js';
import { readTicketPac, type TicketKeys, type TicketPac } from '../pac/ticket-pac.js';
import type { S4uStep } from './constants.js';
import type { S4uReplyCheck } from './pa-s4u-x509-user.js';
import { enforcePacPolicy, type PacPolicy } from './pac-policy.js';

/** The PAC of an S4U ticket, read with the ticket server's key. */
export type S4uPacView = TicketPac;

/** The outcome of S4U2Self or S4U2Proxy; as S4U2Proxy evidence it is the `s4u` kind of {@link S4uEvidence}. */
export interface S4uResult {
  readonly kind: 's4u';
  readonly step: S4uStep;
  /** Ticket, session key, flags and times: usable as evidence, or to write to a ccache. */
  readonly credential: Credential;
  /** The ticket as the KDC sent it. */
  readonly ticket: Ticket;
  /** The decrypted reply part (session key, flags, times, names). */
  readonly encPart: EncKdcRepPart;
  /** The client the ticket names: the impersonated user. */
  readonly user: Principal;
  /** The service the ticket is for. */
  readonly service: Principal;
  /** Whether the ticket is forwardable (S4U2Proxy on classic constrained delegation needs a forwardable S4U2Self ticket). */
  readonly forwardable: boolean;
  /** Things the caller should know (a non-forwardable S4U2Self ticket, a KDC that skipped a check). */
  readonly warnings: readonly string[];
  /** The realm whose KDC issued the ticket. */
  readonly realm: string;
  /** The request nonce and subkey (the reply was encrypted in the subkey). */
  readonly nonce: number;
  readonly subkey: Key | undefined;
  /** S4U2Self: what the reply's PA-S4U-X509-USER proved. */
  readonly userCheck?: S4uReplyCheck | undefined;
  /** The decrypted ticket, when the caller gave the service key. */
  readonly ticketPart?: EncTicketPart | undefined;
  /** The ticket's PAC, when the caller gave the service key and the ticket has one. */
  readonly pac?: S4uPacView | undefined;
  /** The services the delegation went through, from S4U_DELEGATION_INFO (empty when the PAC has none). */
  readonly delegationPath: readonly string[];
  /** The S4U2Proxy target the PAC names, when it does. */
  readonly delegationTarget?: string | undefined;
}

/** What {@link s4uResult} needs of the validated TGS reply of the last S4U exchange. */
export interface S4uReply extends Pick<ValidatedReply, 'credential' | 'encPart'> {
  /** The realm whose KDC answered. */
  readonly realm: string;
  readonly nonce: number;
  readonly subkey: Key | undefined;
}

/** Builds the result of an S4U flow, opening the ticket when keys are given and enforcing the PAC policy. */
export function s4uResult(
  step: S4uStep,
  reply: S4uReply,
  warnings: readonly string[],
  keys: TicketKeys & PacPolicy,
  userCheck?: S4uReplyCheck,
): S4uResult {
  const c = reply.credential;
  const ticketPart = keys.serviceKeys?.length ? openTicket(c.ticket, keys.serviceKeys) : undefined;
  const pac = ticketPart ? readTicketPac(ticketPart, keys) : undefined;
  enforcePacPolicy(step, pac, keys);
  return {
    kind: 's4u',
    step,
    credential: c,
    ticket: c.ticket,
    encPart: reply.encPart,
    user: c.client,
    service: c.server,
    forwardable: c.flags.forwardable === true,
    warnings,
    realm: reply.realm,
    nonce: reply.nonce,
    subkey: reply.subkey,
    ...(userCheck ? { userCheck } : {}),
    ...(ticketPart ? { ticketPart } : {}),
    ...(pac ? { pac } : {}),
    delegationPath: pac?.summary.delegationPath ?? [],
    ...(pac?.summary.delegationTarget ? { delegationTarget: pac.summary.delegationTarget } : {}),
  };
}
