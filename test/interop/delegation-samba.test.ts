/**
 * DelegationClient smoke against the Samba 4.22 AD DC (SAMBA.TEST): classic constrained delegation (websvc to
 * cifs/file) and resource-based constrained delegation (rbcdfront to cifs/rbcdback), cache hits without KDC
 * traffic (counted by a Transport wrapper of this test), concurrent mixed requests, an expired entry refreshed.
 */
import { describe, expect, it } from 'vitest';
import { DelegationClient } from '../../src/delegation/delegation-client.js';
import type { DelegationAuditEvent } from '../../src/delegation/types.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { openTicket } from '../../src/messages/ticket.js';
import type { SendOptions, SendResult, Transport } from '../../src/transport/index.js';
import { toHex } from '../../src/util/bytes.js';
import { labKeys, labOrStandIn, labTransport, sambaLab } from '../helpers/lab.js';

const lab = sambaLab;

/** Counts every request that reaches the lab: the test's own witness of KDC traffic. */
class Witness implements Transport {
  sends = 0;
  constructor(private readonly inner: Transport) {}
  send(realm: string, req: Uint8Array, o?: SendOptions): Promise<Uint8Array> {
    this.sends++;
    return this.inner.send(realm, req, o);
  }
  sendDetailed(realm: string, req: Uint8Array, o?: SendOptions): Promise<SendResult> {
    this.sends++;
    return this.inner.sendDetailed(realm, req, o);
  }
}

describe.skipIf(!lab)(
  `Samba AD DC: DelegationClient${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(lab);
    const users = ['alice', 'bob'].map((u) => L.principals[u]!.principal);
    const pairs = [
      { kind: 'constrained', front: 'websvc', back: 'filesvc', spn: 'cifs/file.samba.test' },
      { kind: 'resource-based', front: 'rbcdfront', back: 'rbcdback', spn: 'cifs/rbcdback.samba.test' },
    ];

    function make(front: string, o: { clock?: () => number; ttlMs?: number } = {}) {
      const p = L.principals[front]!;
      const witness = new Witness(labTransport(L));
      const events: DelegationAuditEvent[] = [];
      const client = new DelegationClient({
        service: p.principal,
        realm: L.realm,
        transport: witness,
        keys: labKeys(p),
        audit: (e) => events.push(e),
        ...o,
      });
      return { client, witness, events };
    }

    it.each(pairs)(
      'Samba: $kind delegation $front -> $spn; the back end opens the ticket; repeats are cache hits with no KDC traffic',
      async ({ front, back, spn }) => {
        const { client, witness } = make(front);
        const t = await client.s4u2proxy('alice', spn);
        expect(t.source).toBe('kdc');
        const part = openTicket(t.credential.ticket, labKeys(L.principals[back]!));
        expect(formatPrincipal(part.cname, part.crealm)).toBe(L.principals['alice']!.principal);
        const sent = witness.sends;
        const again = await Promise.all([client.s4u2proxy('alice', spn), client.s4u2self('alice')]);
        expect(again.map((x) => x.source)).toEqual(['cache', 'cache']);
        expect(witness.sends).toBe(sent);
        expect(client.stats()).toMatchObject({ hits: 2, misses: 1, kdcRoundTrips: sent });
      },
    );

    it('Samba: 100 concurrent mixed requests (2 users x S4U2Self and S4U2Proxy) make one S4U2Self per user and one S4U2Proxy per user', async () => {
      const { client, witness, events } = make('websvc');
      const out = await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const u = users[i % 2]!;
          return i % 3 === 0 ? client.s4u2self(u) : client.s4u2proxy(u, 'cifs/file.samba.test');
        }),
      );
      for (const t of out)
        expect(formatPrincipal(t.credential.client.name, t.credential.client.realm)).toBe(t.user);
      const s = client.stats();
      expect(s.exchanges).toEqual({ login: 1, s4u2self: 2, s4u2proxy: 2 });
      expect(s.misses + s.joined).toBe(100);
      expect(s.misses).toBe(4);
      expect(witness.sends).toBe(s.kdcRoundTrips);
      // The AS exchange takes 1 or 2 round trips (pre-auth); the four TGS requests one each.
      expect(witness.sends - 4).toBeGreaterThanOrEqual(1);
      expect(witness.sends - 4).toBeLessThanOrEqual(2);
      expect(events.every((e) => e.result === 'ok' && e.kdcs.join() === L.kdcs.join())).toBe(true);
    });

    it('Samba: an entry past its TTL (injected clock) is fetched again', async () => {
      let shift = 0;
      const { client, witness } = make('rbcdfront', { clock: () => Date.now() + shift, ttlMs: 60_000 });
      const first = await client.s4u2proxy('bob', 'cifs/rbcdback.samba.test');
      const before = witness.sends;
      shift = 61_000;
      const second = await client.s4u2proxy('bob', 'cifs/rbcdback.samba.test');
      expect(second.source).toBe('kdc');
      expect(witness.sends - before).toBe(2);
      expect(toHex(second.credential.ticketBytes)).not.toBe(toHex(first.credential.ticketBytes));
      expect(client.stats()).toMatchObject({
        refreshes: 1,
        exchanges: { login: 1, s4u2self: 2, s4u2proxy: 2 },
      });
    });
  },
);
