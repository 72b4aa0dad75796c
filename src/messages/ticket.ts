/** Opening a ticket with its server's long-term keys. RFC 4120 5.3 (EncTicketPart), key usage 2. */
import { decodeEncTicketPart, type EncTicketPart, type Ticket } from '../asn1/index.js';
import { decrypt, type Key, KeyUsage } from '../crypto/index.js';
import { KerberosError } from '../errors.js';

/** Decrypts a ticket with whichever of `keys` has its enctype (usage 2); byte fields are views of its own plaintext. */
export function openTicket(ticket: Ticket, keys: readonly Key[]): EncTicketPart {
  const key = keys.find((k) => k.etype === ticket.encPart.etype);
  if (!key) {
    throw new KerberosError(`no key of etype ${ticket.encPart.etype} to open the ticket`, {
      hint: 'pass the keytab keys of the ticket server, including the enctype the KDC encrypted the ticket in',
    });
  }
  // The plaintext is ours alone: its byte fields (session key, authorization data) may be views of it.
  return decodeEncTicketPart(decrypt(key, KeyUsage.KdcRepTicket, ticket.encPart.cipher), { views: true });
}
