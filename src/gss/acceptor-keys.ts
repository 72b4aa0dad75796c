/** Opening a ticket with the acceptor's keys: by enctype, the ticket's kvno first (RFC 4120 5.3, 3.2.3). */
import type { EncTicketPart, Ticket } from '../asn1/index.js';
import type { KeytabEntry } from '../creds/index.js';
import { enctypeName, isSupportedEnctype, Key } from '../crypto/index.js';
import { IntegrityError, ProtocolError } from '../errors.js';
import { openTicket, sameName } from '../messages/index.js';
import { bytesEqual } from '../util/bytes.js';

/** A service key: a Key, or a keytab entry (its kvno and principal then guide the choice). */
export type AcceptorKey = Key | KeytabEntry;

/**
 * The Key of each keytab entry's key block, kept for as long as the caller keeps the entry: a Key made per token
 * would derive the ticket's Ke and Ki (and build their cipher contexts) again for every AP-REQ, as a cold key does.
 */
const entryKeys = new WeakMap<KeytabEntry['key'], Key>();

function entryKey(block: KeytabEntry['key']): Key {
  const kept = entryKeys.get(block);
  // Entries are plain mutable objects: a block whose bytes were changed since gets a new Key.
  if (kept !== undefined && kept.etype === block.etype && bytesEqual(kept.bytes, block.bytes)) return kept;
  const key = new Key(block.etype, block.bytes);
  entryKeys.set(block, key);
  return key;
}

interface Candidate {
  readonly key: Key;
  readonly rank: number;
}

function candidates(ticket: Ticket, keys: readonly AcceptorKey[]): Candidate[] {
  const etype = ticket.encPart.etype;
  const kvno = ticket.encPart.kvno === undefined ? undefined : ticket.encPart.kvno >>> 0;
  const out: Candidate[] = [];
  for (const k of keys) {
    if (k instanceof Key) {
      if (k.etype === etype) out.push({ key: k, rank: 1 });
      continue;
    }
    if (k.key.etype !== etype || !isSupportedEnctype(etype)) continue;
    // A keytab entry of another principal is kept as a last resort (MIT tries the whole keytab too).
    const samePrincipal =
      k.principal.realm === ticket.realm &&
      sameName({ nameType: k.principal.nameType, nameString: k.principal.components }, ticket.sname);
    // Old keytabs keep only the low 8 bits of the kvno.
    const kvnoMatch = kvno !== undefined && (k.kvno === kvno || (k.kvno & 0xff) === (kvno & 0xff));
    out.push({ key: entryKey(k.key), rank: (samePrincipal ? 0 : 2) + (kvnoMatch ? 0 : 1) });
  }
  return out.sort((a, b) => a.rank - b.rank);
}

/**
 * The decrypted ticket and the key that opened it. ProtocolError (check `ticket-key`) when no key has the ticket's
 * enctype; IntegrityError when none of those decrypts it.
 */
export function openTicketWith(
  ticket: Ticket,
  keys: readonly AcceptorKey[],
): { part: EncTicketPart; key: Key } {
  const list = candidates(ticket, keys);
  if (list.length === 0) {
    throw new ProtocolError(
      `no service key of the ticket's enctype ${enctypeName(ticket.encPart.etype)}` +
        (ticket.encPart.kvno === undefined ? '' : ` (kvno ${ticket.encPart.kvno >>> 0})`),
      { check: 'ticket-key', hint: 'export the keytab of the service principal again, with every enctype' },
    );
  }
  let last: unknown;
  for (const c of list) {
    try {
      return { part: openTicket(ticket, [c.key]), key: c.key };
    } catch (e) {
      if (!(e instanceof IntegrityError)) throw e;
      last = e;
    }
  }
  throw new IntegrityError('the ticket does not decrypt with any service key of its enctype', {
    hint: 'the keytab is stale (password changed) or belongs to another account than the SPN',
    cause: last,
  });
}
