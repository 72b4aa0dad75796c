/** The PAC of a decrypted ticket: decoded, summarized and verified with the keys given. MS-PAC 2.8, 2.9. */
import type { EncTicketPart } from '../asn1/index.js';
import type { Key } from '../crypto/index.js';
import { findPac, ticketChecksumData } from './authorization-data.js';
import { decodePac, type Pac } from './pac.js';
import { type PacVerification, verifyPac } from './signatures.js';
import { type PacSummary, summarizePac } from './summary.js';

/** The PAC of a ticket, read with the ticket server's key. */
export interface TicketPac {
  readonly pac: Pac;
  readonly summary: PacSummary;
  readonly verification: PacVerification;
}

/** Keys for opening a ticket and checking its PAC. */
export interface TicketKeys {
  /** Long-term key(s) of the ticket's server: the front service for S4U2Self, the target for S4U2Proxy. */
  readonly serviceKeys?: readonly Key[] | undefined;
  /** Key(s) of the issuing krbtgt, to check the PAC's KDC signature. */
  readonly kdcKeys?: readonly Key[] | undefined;
}

/** Decodes, summarizes and verifies the PAC of a decrypted ticket; undefined when it has none. */
export function readTicketPac(part: EncTicketPart, keys: TicketKeys): TicketPac | undefined {
  const bytes = part.authorizationData ? findPac(part.authorizationData) : undefined;
  if (bytes === undefined) return undefined;
  const pac = decodePac(bytes);
  const verification = verifyPac(pac, {
    ...(keys.serviceKeys ? { serverKeys: keys.serviceKeys } : {}),
    ...(keys.kdcKeys ? { kdcKeys: keys.kdcKeys } : {}),
    ticketChecksumData: () => ticketChecksumData(part),
  });
  return { pac, summary: summarizePac(pac), verification };
}
