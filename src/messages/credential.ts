/** A ticket with everything needed to use it: the result of an AS or TGS exchange. */
import type { EncKdcRepPart, HostAddress, Ticket, TicketFlags } from '../asn1/index.js';
import type { Key } from '../crypto/index.js';
import type { Principal } from './principal.js';

/** A ticket, its session key and the times and flags the KDC granted (RFC 4120 5.4.2 EncKDCRepPart). */
export interface Credential {
  /** The client named by the reply (after canonicalization or S4U, the impersonated user). */
  readonly client: Principal;
  /** The server the ticket is for. */
  readonly server: Principal;
  /** Session key shared with the server. */
  readonly sessionKey: Key;
  /** The ticket as decoded. */
  readonly ticket: Ticket;
  /** The ticket's DER exactly as the KDC sent it. */
  readonly ticketBytes: Uint8Array;
  /** Flags the KDC granted. */
  readonly flags: TicketFlags;
  readonly authtime: Date;
  readonly starttime?: Date | undefined;
  readonly endtime: Date;
  readonly renewTill?: Date | undefined;
  readonly addresses?: readonly HostAddress[] | undefined;
  /** The decrypted reply part, for inspection. */
  readonly encPart: EncKdcRepPart;
}
