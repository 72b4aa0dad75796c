// Opening tickets with the acceptor's keys: keytab entries keep one Key each across tokens.
import { afterEach, describe, expect, it } from 'vitest';
import type { KeytabEntry } from '../../src/creds/index.js';
import { generateKey, KeyUsage } from '../../src/crypto/index.js';
import { setDeriveHook } from '../../src/crypto/key.js';
import { openTicketWith } from '../../src/gss/acceptor-keys.js';
import { issue, SERVICE, seededRandom, serviceKey } from './fixtures.js';

afterEach(() => setDeriveHook(undefined));

function entry(bytes: Uint8Array): KeytabEntry {
  return {
    principal: { realm: SERVICE.realm, nameType: 3, components: [...SERVICE.name.nameString] },
    timestamp: new Date(0),
    kvno: 3,
    key: { etype: 18, bytes },
  };
}

/** Counts the derived keys computed for the ticket's key usage while `f` runs. */
function ticketDerivations(f: () => void): number {
  let n = 0;
  setDeriveHook((_etype, slot) => {
    if (Math.floor(slot / 256) === KeyUsage.KdcRepTicket) n++;
  });
  f();
  setDeriveHook(undefined);
  return n;
}

describe('openTicketWith', () => {
  it('a keytab entry derives the ticket keys once, not once per ticket', () => {
    const keys = [entry(serviceKey(18).bytes.slice())];
    const [a, b] = [issue(18).ticket, issue(18).ticket];
    const first = ticketDerivations(() => openTicketWith(a, keys));
    const again = ticketDerivations(() => openTicketWith(b, keys));
    expect(first).toBe(2); // Ke and Ki
    expect(again).toBe(0);
    expect(openTicketWith(a, keys).key).toBe(openTicketWith(b, keys).key);
  });

  it('an entry whose key bytes were replaced opens tickets with the new key', () => {
    const e = entry(generateKey(18, seededRandom(7)).bytes);
    expect(() => openTicketWith(issue(18).ticket, [e])).toThrow(/does not decrypt/);
    e.key.bytes = serviceKey(18).bytes.slice();
    expect(openTicketWith(issue(18).ticket, [e]).part.crealm).toBe(SERVICE.realm);
  });
});
