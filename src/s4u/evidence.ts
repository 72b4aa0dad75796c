/** The evidence ticket of S4U2Proxy (MS-SFU 3.1.5.2): what it is, whom it names, and what the KDC will think of it. */
import type { Ticket, TicketFlags } from '../asn1/index.js';
import type { Credential } from '../messages/credential.js';
import type { Principal } from '../messages/principal.js';
import type { S4uResult } from './s4u-result.js';

/** A credential the service holds for the user: a service ticket the user presented, with its session key. */
export interface CredentialEvidence {
  readonly kind: 'credential';
  readonly credential: Credential;
}

/** A bare ticket the user presented (its client is known only if the caller says so). */
export interface TicketEvidence {
  readonly kind: 'ticket';
  readonly ticket: Ticket;
  readonly client?: Principal | undefined;
}

/** The evidence of S4U2Proxy, by kind: an S4U2Self result (`s4u`), a credential, or a bare ticket. */
export type S4uEvidence = S4uResult | CredentialEvidence | TicketEvidence;

/**
 * What callers may pass as evidence: an {@link S4uEvidence}, or (as before the tagged union) a Credential or an
 * untagged `{ ticket, client? }`.
 */
export type S4uEvidenceInput =
  | S4uEvidence
  | Credential
  | { readonly ticket: Ticket; readonly client?: Principal };

/** The tagged evidence of `e`; a Credential (it has a session key) or a bare ticket is tagged here, once. */
export function toS4uEvidence(e: S4uEvidenceInput): S4uEvidence {
  if ('kind' in e) return e;
  if ('sessionKey' in e) return { kind: 'credential', credential: e };
  return { kind: 'ticket', ticket: e.ticket, ...(e.client ? { client: e.client } : {}) };
}

/** The evidence ticket's DER as the KDC sent it, when known (a bare ticket has only its decoded value). */
export function evidenceTicketDer(e: S4uEvidence): Uint8Array | undefined {
  return e.kind === 'ticket' ? undefined : e.credential.ticketBytes;
}

/** The ticket sent in additional-tickets. */
export function evidenceTicket(e: S4uEvidence): Ticket {
  switch (e.kind) {
    case 's4u':
      return e.ticket;
    case 'credential':
      return e.credential.ticket;
    case 'ticket':
      return e.ticket;
  }
}

/** The user the evidence names, when known: the reply must name the same client. */
export function evidenceClient(e: S4uEvidence): Principal | undefined {
  switch (e.kind) {
    case 's4u':
      return e.user;
    case 'credential':
      return e.credential.client;
    case 'ticket':
      return e.client;
  }
}

/** The evidence ticket's flags, when known (a bare ticket's are encrypted). */
export function evidenceFlags(e: S4uEvidence): Partial<TicketFlags> | undefined {
  switch (e.kind) {
    case 's4u':
      return e.credential.flags;
    case 'credential':
      return e.credential.flags;
    case 'ticket':
      return undefined;
  }
}

/** The warning for evidence that is known not to be forwardable. */
export const NON_FORWARDABLE_EVIDENCE =
  'the evidence ticket is not forwardable: classic constrained delegation will refuse it (KDC_ERR_BADOPTION); only RBCD on Windows accepts it';

/** The warnings the evidence earns before it is sent. */
export function evidenceWarnings(e: S4uEvidence): string[] {
  const flags = evidenceFlags(e);
  return flags && flags.forwardable !== true ? [NON_FORWARDABLE_EVIDENCE] : [];
}
