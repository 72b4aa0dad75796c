/** Where kvno and s4u put the tickets they got: into the ccache they read, or a new ccache or .kirbi file. */

import { encodeTicket } from '../asn1/index.js';
import { ccacheOf, credentialToCcache } from '../client/index.js';
import { type Ccache, exportKirbi } from '../creds/index.js';
import type { Credential } from '../messages/credential.js';
import { formatPrincipal, type Principal, parsePrincipal } from '../messages/principal.js';
import type { CliIo } from './command.js';
import { ccachePath, withCredential, writeCcache } from './creds-io.js';
import { flagNames } from './klist-format.js';

/** A credential's one-line JSON-ready summary. */
export function credentialJson(c: Credential, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const rec = credentialToCcache(c);
  return {
    client: formatPrincipal(c.client.name, c.client.realm),
    server: formatPrincipal(c.server.name, c.server.realm),
    kvno: c.ticket.encPart.kvno,
    ticketEtype: c.ticket.encPart.etype,
    sessionKeyEtype: c.sessionKey.etype,
    authtime: c.authtime,
    endtime: c.endtime,
    ...(c.renewTill ? { renewTill: c.renewTill } : {}),
    flags: flagNames(rec.flags),
    ...extra,
  };
}

/** Whether a path names a .kirbi file (KRB-CRED) rather than a ccache. */
export function isKirbiPath(path: string): boolean {
  return path.toLowerCase().endsWith('.kirbi');
}

/** A ticket to store; a user-to-user ticket keeps the TGT it is encrypted for, as MIT's ccache does. */
export interface StoredTicket {
  readonly cred: Credential;
  /** The DER of the second ticket (user-to-user). */
  readonly secondTicket?: Uint8Array | undefined;
}

const recordOf = (t: StoredTicket) => credentialToCcache(t.cred, t.secondTicket);

/** Writes tickets to a new ccache (default principal: the first's client) or a .kirbi file. */
export async function writeTickets(
  io: CliIo,
  out: string,
  tickets: readonly StoredTicket[],
): Promise<string> {
  const first = tickets[0];
  if (first === undefined) return out;
  if (isKirbiPath(out)) {
    await io.writeFile(out, exportKirbi(tickets.map(recordOf)));
    return `${out} (KRB-CRED)`;
  }
  const path = ccachePath(io, out);
  let cc: Ccache = { ...ccacheOf(first.cred), credentials: [recordOf(first)] };
  for (const t of tickets.slice(1)) cc = withCredential(cc, recordOf(t));
  return writeCcache(io, path, cc);
}

/** Adds tickets to an existing ccache (replacing tickets for the same client and server), as MIT kvno does. */
export async function addTickets(
  io: CliIo,
  path: string,
  cc: Ccache,
  tickets: readonly StoredTicket[],
): Promise<void> {
  let out = cc;
  for (const t of tickets) out = withCredential(out, recordOf(t));
  await writeCcache(io, path, out);
}

/**
 * The credential with its ticket's clear sname (and the credential's server) changed to `alt`, as Impacket's
 * -altservice does: the KDC encrypted the ticket for the account, so any SPN of the same account accepts it.
 */
export function withAltService(c: Credential, alt: string): Credential {
  const p: Principal = parsePrincipal(alt, { defaultRealm: c.server.realm });
  const ticket = { ...c.ticket, realm: p.realm, sname: p.name };
  return { ...c, server: p, ticket, ticketBytes: encodeTicket(ticket) };
}
