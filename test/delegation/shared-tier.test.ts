/**
 * DelegationClient replicas sharing a TicketStore (an in-memory one here, Redis in test/interop): one KDC flight per
 * user and target across replicas, a dead lock holder, a failing or slow store (the KDC answers, stats count it,
 * the store is used again once it answers), altered or moved entries (refused, fetched again, audited), and clears
 * that reach every replica (a new generation in the store: the store tier at once, local caches within
 * revalidateMs). Scripted flows (fakes.ts) stand for the KDC and their logs count its requests; a test clock.
 * The protocol is proven in test/interop/delegation-redis-mit.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { DelegationClient } from '../../src/delegation/delegation-client.js';
import { SealKeys } from '../../src/delegation/sealed-entry.js';
import type { SharedStoreOptions } from '../../src/delegation/shared-tier.js';
import { MemoryTicketStore, type TicketStore } from '../../src/delegation/ticket-store.js';
import type { DelegationAuditEvent } from '../../src/delegation/types.js';
import { parsePrincipal } from '../../src/messages/principal.js';
import { testClock } from '../helpers/clock.js';
import { until } from '../helpers/manual-timers.js';
import { FakeFlows, holdProxy, stubTransport } from './fakes.js';

const REALM = 'EXAMPLE.TEST';
const SERVICE = 'HTTP/web.example.test';
const SERVICE_NAME = `${SERVICE}@${REALM}`;
const KEY = new Uint8Array(32).fill(7);
const USERS = ['alice', 'bob'];
const TARGETS = ['cifs/file.example.test', 'HTTP/api.example.test'];

/** A store that fails (rejects) or hangs while told to, and otherwise forwards to a MemoryTicketStore. */
class FaultyStore implements TicketStore {
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  constructor(readonly inner: MemoryTicketStore) {}
  private gate<T>(run: () => Promise<T>): Promise<T> {
    if (this.mode === 'fail') return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379'));
    if (this.mode === 'hang') return new Promise<T>(() => undefined);
    return run();
  }
  get(n: string) {
    return this.gate(() => this.inner.get(n));
  }
  set(n: string, v: Uint8Array, ttl: number) {
    return this.gate(() => this.inner.set(n, v, ttl));
  }
  delete(n: string) {
    return this.gate(() => this.inner.delete(n));
  }
  lock(n: string, o: string, ttl: number) {
    return this.gate(() => this.inner.lock(n, o, ttl));
  }
  unlock(n: string, o: string) {
    return this.gate(() => this.inner.unlock(n, o));
  }
}

function fleet(
  n: number,
  o: Partial<SharedStoreOptions> = {},
  wrap: (m: MemoryTicketStore) => TicketStore = (m) => m,
) {
  const clock = testClock();
  const memory = new MemoryTicketStore(1000, clock);
  const shared = wrap(memory);
  const events: DelegationAuditEvent[] = [];
  const replicas = Array.from({ length: n }, () => {
    const flows = new FakeFlows(parsePrincipal(SERVICE, { defaultRealm: REALM }), clock);
    const client = new DelegationClient({
      service: SERVICE,
      realm: REALM,
      transport: stubTransport(),
      flows,
      clock,
      audit: (e) => events.push(e),
      store: { store: shared, key: KEY, pollMs: 2, ...o },
    });
    return { client, flows };
  });
  const kdcLog = () => replicas.flatMap((r) => r.flows.log);
  const count = (prefix: string) => kdcLog().filter((l) => l.startsWith(prefix)).length;
  return { clock, memory, replicas, events, count };
}

describe('DelegationClient replicas sharing a ticket store', () => {
  it('3 replicas in turn: one S4U2Self per user and one S4U2Proxy per user and target; the others read the store', async () => {
    const { replicas, count } = fleet(3);
    for (const { client } of replicas)
      for (const u of USERS)
        for (const t of TARGETS) {
          const got = await client.s4u2proxy(u, t);
          expect(got.credential.client.name.nameString).toEqual([u]);
        }
    expect(count('self ')).toBe(USERS.length);
    expect(count('proxy ')).toBe(USERS.length * TARGETS.length);
    expect(count('login')).toBe(1);
    const [first, second] = replicas.map((r) => r.client.stats());
    expect(first!.store).toMatchObject({ writes: 6, hits: 0, refused: 0, failures: 0, available: true });
    expect(second!.store).toMatchObject({ hits: 4, writes: 0 });
    expect((await replicas[2]!.client.s4u2proxy('alice', TARGETS[0]!)).source).toBe('cache');
  });

  it('a cold-start burst (3 replicas x 40 concurrent calls) asks the KDC once per user and target', async () => {
    const { replicas, count, events } = fleet(3);
    const calls = replicas.flatMap(({ client }) =>
      Array.from({ length: 40 }, (_, i) =>
        client.s4u2proxy(USERS[i % USERS.length]!, TARGETS[Math.floor(i / 2) % TARGETS.length]!),
      ),
    );
    const out = await Promise.all(calls);
    expect(out).toHaveLength(120);
    expect(count('self ')).toBe(USERS.length);
    expect(count('proxy ')).toBe(USERS.length * TARGETS.length);
    const sources = new Set(out.map((t) => t.source));
    expect(sources.has('store')).toBe(true);
    const waits = replicas.reduce((n, r) => n + (r.client.stats().store?.waits ?? 0), 0);
    expect(waits).toBeGreaterThan(0);
    expect(events.filter((e) => e.result === 'ok')).toHaveLength(120);
  });

  it('a lock whose holder died blocks no longer than its TTL: the waiter takes it once it expires', async () => {
    const { replicas, memory, clock, count } = fleet(1, { lockTtlMs: 1000 });
    const name = new SealKeys(KEY).nameOf({
      realm: REALM,
      service: SERVICE_NAME,
      user: `alice@${REALM}`,
      target: `cifs/file.example.test@${REALM}`,
    });
    expect(await memory.lock(`${name}:lock`, 'dead replica', 1000)).toBe(true);
    setTimeout(() => clock.advance(1001), 20);
    const t = await replicas[0]!.client.s4u2proxy('alice', 'cifs/file.example.test');
    expect(t.source).toBe('kdc');
    expect(count('proxy ')).toBe(1);
    expect(replicas[0]!.client.stats().store).toMatchObject({ waits: 1, lockTimeouts: 0, writes: 2 });
  });

  it('a lock that never frees (store clock stuck) ends the wait after lockTtlMs/pollMs polls: the KDC answers', async () => {
    const { replicas, memory } = fleet(1, { lockTtlMs: 40, pollMs: 2 });
    const name = new SealKeys(KEY).nameOf({
      realm: REALM,
      service: SERVICE_NAME,
      user: `alice@${REALM}`,
      target: SERVICE_NAME,
    });
    await memory.lock(`${name}:lock`, 'dead replica', 40);
    expect((await replicas[0]!.client.s4u2self('alice')).source).toBe('kdc');
    expect(replicas[0]!.client.stats().store).toMatchObject({ waits: 1, lockTimeouts: 1 });
  });

  it('a caller that aborts while another replica holds the lock ends the wait: no more polls, no KDC call', async () => {
    let locks = 0;
    const { replicas, memory, count } = fleet(1, { lockTtlMs: 60_000, pollMs: 5 }, (m) => {
      const counted = new FaultyStore(m);
      const lock = counted.lock.bind(counted);
      counted.lock = (n, o, ttl) => {
        locks++;
        return lock(n, o, ttl);
      };
      return counted;
    });
    const name = new SealKeys(KEY).nameOf({
      realm: REALM,
      service: SERVICE_NAME,
      user: `alice@${REALM}`,
      target: SERVICE_NAME,
    });
    await memory.lock(`${name}:lock`, 'other replica', 60_000);
    const ctl = new AbortController();
    const call = replicas[0]!.client.s4u2self('alice', { signal: ctl.signal });
    while (locks < 3) await new Promise((r) => setTimeout(r, 1));
    ctl.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    const seen = locks;
    await new Promise((r) => setTimeout(r, 40));
    // The flight stopped with its last caller: it neither polls on for the lock's 60 s nor asks the KDC.
    expect(locks).toBe(seen);
    expect(count('self ')).toBe(0);
  });

  it('store down: calls succeed through the KDC, failures and bypasses are counted; back up: used again', async () => {
    let faulty: FaultyStore | undefined;
    const { replicas, count, clock } = fleet(2, { retryAfterMs: 1000 }, (m) => {
      faulty = new FaultyStore(m);
      return faulty;
    });
    if (!faulty) throw new Error('no store');
    faulty.mode = 'fail';
    const [a, b] = replicas.map((r) => r.client);
    expect((await a!.s4u2proxy('alice', TARGETS[0]!)).source).toBe('kdc');
    expect((await a!.s4u2proxy('bob', TARGETS[0]!)).source).toBe('kdc');
    expect(a!.stats().store).toMatchObject({
      failures: 1,
      available: false,
      lastError: 'ECONNREFUSED 127.0.0.1:6379',
    });
    expect(a!.stats().store!.bypassed).toBeGreaterThan(0);
    expect((await b!.s4u2proxy('alice', TARGETS[0]!)).source).toBe('kdc');
    expect(count('proxy ')).toBe(3);
    faulty.mode = 'ok';
    // Still inside retryAfterMs: the store is not tried yet.
    expect((await b!.s4u2proxy('bob', TARGETS[0]!)).source).toBe('kdc');
    expect(b!.stats().store).toMatchObject({ recoveries: 0, writes: 0 });
    clock.advance(1001);
    await a!.s4u2proxy('alice', TARGETS[1]!);
    expect(a!.stats().store).toMatchObject({ recoveries: 1, available: true, writes: 1 });
    expect((await b!.s4u2proxy('alice', TARGETS[1]!)).source).toBe('store');
  });

  it('a store that does not answer counts as down after timeoutMs', async () => {
    const { replicas } = fleet(1, { timeoutMs: 20 }, (m) => {
      const faulty = new FaultyStore(m);
      faulty.mode = 'hang';
      return faulty;
    });
    expect((await replicas[0]!.client.s4u2self('alice')).source).toBe('kdc');
    expect(replicas[0]!.client.stats().store).toMatchObject({ failures: 1, available: false });
    expect(replicas[0]!.client.stats().store!.lastError).toMatch(/did not answer in 20 ms/);
  });

  it('an altered entry is refused: dropped, fetched again from the KDC, rewritten, and audited as store-refused', async () => {
    const { replicas, memory, events, count } = fleet(3);
    const [a, b, c] = replicas.map((r) => r.client);
    await a!.s4u2proxy('alice', TARGETS[0]!);
    const proxyName = new SealKeys(KEY).nameOf({
      realm: REALM,
      service: SERVICE_NAME,
      user: `alice@${REALM}`,
      target: `cifs/file.example.test@${REALM}`,
    });
    const sealed = (await memory.get(proxyName))!;
    const bad = sealed.slice();
    bad[30] = bad[30]! ^ 0x80;
    await memory.set(proxyName, bad, 60_000);
    const t = await b!.s4u2proxy('alice', TARGETS[0]!);
    expect(t.source).toBe('kdc');
    expect(count('proxy ')).toBe(2);
    expect(b!.stats().store).toMatchObject({ refused: 1, writes: 1 });
    const refused = events.filter((e) => e.operation === 'store-refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      result: 'error',
      source: 'store',
      service: SERVICE_NAME,
      user: `alice@${REALM}`,
      target: `cifs/file.example.test@${REALM}`,
      roundTrips: 0,
      error: { name: 'IntegrityError' },
    });
    // The rewritten entry opens for the third replica.
    expect((await c!.s4u2proxy('alice', TARGETS[0]!)).source).toBe('store');
  });

  it('alice’s entry copied into bob’s slot is refused for bob (the AD names the user)', async () => {
    const { replicas, memory, events } = fleet(2);
    const [a, b] = replicas.map((r) => r.client);
    await a!.s4u2self('alice');
    const keys = new SealKeys(KEY);
    const id = { realm: REALM, service: SERVICE_NAME, target: SERVICE_NAME };
    const alices = (await memory.get(keys.nameOf({ ...id, user: `alice@${REALM}` })))!;
    await memory.set(keys.nameOf({ ...id, user: `bob@${REALM}` }), alices, 60_000);
    const t = await b!.s4u2self('bob');
    expect(t.credential.client.name.nameString).toEqual(['bob']);
    expect(t.source).toBe('kdc');
    expect(events.filter((e) => e.operation === 'store-refused').map((e) => e.user)).toEqual([
      `bob@${REALM}`,
    ]);
  });

  it('a store without a 32-byte key is refused when the client is built', () => {
    expect(
      () =>
        new DelegationClient({
          service: SERVICE,
          realm: REALM,
          transport: stubTransport(),
          flows: new FakeFlows(parsePrincipal(SERVICE, { defaultRealm: REALM }), testClock()),
          store: { store: new MemoryTicketStore(), key: new Uint8Array(16) },
        }),
    ).toThrow(RangeError);
  });
});

const ALICE = `alice@${REALM}`;
const BOB = `bob@${REALM}`;
const T0 = `${TARGETS[0]}@${REALM}`;

describe('DelegationClient.clear across replicas sharing a store', () => {
  it('A.clear(alice): B serves alice from its cache for at most revalidateMs, then asks the KDC again; bob stays cached', async () => {
    const { replicas, clock } = fleet(2, { revalidateMs: 1000 });
    const [a, b] = replicas;
    for (const r of [a!, b!]) for (const u of USERS) await r.client.s4u2proxy(u, TARGETS[0]!);
    // B read everything from A's entries, alice's S4U2Self evidence included.
    expect((await b!.client.s4u2self('alice')).source).toBe('store');
    expect(b!.flows.log).toEqual([]);
    const cleared = await a!.client.clear('alice');
    // Inside the bound: B's last read of alice's generation is less than revalidateMs old.
    clock.advance(999);
    expect((await b!.client.s4u2proxy('alice', TARGETS[0]!)).source).toBe('cache');
    clock.advance(2);
    const again = await b!.client.s4u2proxy('alice', TARGETS[0]!);
    expect(again.source).toBe('kdc');
    // The S4U2Self evidence B held for alice is outdated too: asked again, not reused for S4U2Proxy.
    expect(b!.flows.log).toEqual(['login', `self ${ALICE}`, `proxy ${ALICE} ${T0}`]);
    expect((await b!.client.s4u2proxy('bob', TARGETS[0]!)).source).toBe('cache');
    expect(b!.flows.log.filter((l) => l.includes(BOB))).toEqual([]);
    expect(cleared).toEqual({ dropped: 2, fleet: 'recorded' });
    expect(b!.client.stats().store).toMatchObject({ outdated: 2, revalidations: 2, unconfirmed: 0 });
    // A's own cache was dropped at once; B's new entry serves it.
    expect((await a!.client.s4u2proxy('alice', TARGETS[0]!)).source).toBe('store');
  });

  it('evidence B cached before A.clear(alice) does not vouch for alice again: a new target gets a new S4U2Self', async () => {
    const { replicas, clock } = fleet(2);
    const [a, b] = replicas;
    await a!.client.s4u2self('alice');
    expect((await b!.client.s4u2self('alice')).source).toBe('store');
    await a!.client.clear('alice');
    clock.advance(1001);
    // Nothing cached for this target: only the evidence could be reused, and it must not be.
    expect((await b!.client.s4u2proxy('alice', TARGETS[1]!)).source).toBe('kdc');
    expect(b!.flows.log).toEqual(['login', `self ${ALICE}`, `proxy ${ALICE} HTTP/api.example.test@${REALM}`]);
  });

  it('revalidateMs 0: the first hit on B after A.clear(alice) already goes to the KDC', async () => {
    const { replicas } = fleet(2, { revalidateMs: 0 });
    const [a, b] = replicas;
    await a!.client.s4u2self('alice');
    expect((await b!.client.s4u2self('alice')).source).toBe('store');
    expect((await b!.client.s4u2self('alice')).source).toBe('cache');
    await a!.client.clear('alice');
    expect((await b!.client.s4u2self('alice')).source).toBe('kdc');
    expect(b!.flows.log).toEqual(['login', `self ${ALICE}`]);
  });

  it('the store tier at once: a replica with a cold cache does not find the entries from before the clear', async () => {
    const { replicas, count } = fleet(3);
    const [a, b, c] = replicas;
    await a!.client.s4u2proxy('alice', TARGETS[0]!);
    await b!.client.s4u2proxy('alice', TARGETS[0]!);
    expect(count('proxy ')).toBe(1);
    await b!.client.clear(ALICE);
    const t = await c!.client.s4u2proxy('alice', TARGETS[0]!);
    expect(t.source).toBe('kdc');
    expect(c!.flows.log).toEqual(['login', `self ${ALICE}`, `proxy ${ALICE} ${T0}`]);
    // The others now find C's entry (A's cache was not cleared by B: it still holds its own within revalidateMs).
    expect((await b!.client.s4u2proxy('alice', TARGETS[0]!)).source).toBe('store');
  });

  it('A.clear(): every user is fetched again by B, and B logs in again (its TGT is dropped as by its own clear())', async () => {
    const { replicas, clock } = fleet(2);
    const [a, b] = replicas;
    for (const r of [a!, b!]) for (const u of USERS) await r.client.s4u2self(u);
    await b!.client.s4u2self('carol');
    expect(b!.flows.log).toEqual(['login', `self carol@${REALM}`]);
    const cleared = await a!.client.clear();
    clock.advance(1001);
    for (const u of USERS) expect((await b!.client.s4u2self(u)).source).toBe('kdc');
    expect((await b!.client.s4u2self('carol')).source).toBe('kdc');
    expect(b!.flows.log.filter((l) => l === 'login')).toHaveLength(2);
    expect(b!.flows.log.filter((l) => l.startsWith('self '))).toHaveLength(4);
    expect(cleared).toEqual({ dropped: 2, fleet: 'recorded' });
  });

  it('a flight on B caught by A.clear(alice) answers its callers but writes its ticket where no replica looks', async () => {
    const { replicas, clock } = fleet(3);
    const [a, b, c] = replicas;
    const release = holdProxy(b!.flows);
    const pending = b!.client.s4u2proxy('alice', TARGETS[0]!);
    await until(() => b!.flows.log.includes(`proxy ${ALICE} ${T0}`), 'B asking for S4U2Proxy');
    const cleared = await a!.client.clear('alice');
    release();
    // The callers who asked before the clear get their ticket.
    expect((await pending).source).toBe('kdc');
    expect(b!.client.stats().store?.writes).toBe(2);
    // Neither B's S4U2Proxy ticket nor its S4U2Self evidence, both written before or during the clear, is found.
    const t = await c!.client.s4u2proxy('alice', TARGETS[0]!);
    expect(t.source).toBe('kdc');
    expect(c!.flows.log).toEqual(['login', `self ${ALICE}`, `proxy ${ALICE} ${T0}`]);
    // B's own cache keeps it no longer than revalidateMs from its last read (before the clear).
    clock.advance(1001);
    expect((await b!.client.s4u2proxy('alice', TARGETS[0]!)).source).toBe('store');
    expect(b!.flows.log.filter((l) => l.startsWith('proxy '))).toHaveLength(1);
    expect(cleared.fleet).toBe('recorded');
  });

  it('a flight on A caught by A’s own clear is not cached, and later callers do not join it', async () => {
    const { replicas } = fleet(2);
    const [a, b] = replicas;
    const release = holdProxy(a!.flows);
    const before = a!.client.s4u2proxy('alice', TARGETS[0]!);
    await until(() => a!.flows.log.includes(`proxy ${ALICE} ${T0}`), 'A asking for S4U2Proxy');
    await a!.client.clear('alice');
    const after = a!.client.s4u2proxy('alice', TARGETS[0]!);
    release();
    const [t1, t2] = await Promise.all([before, after]);
    expect([t1.source, t2.source]).toEqual(['kdc', 'kdc']);
    expect(t2.credential).not.toBe(t1.credential);
    expect(a!.flows.log.filter((l) => l.startsWith('self '))).toHaveLength(2);
    expect((await a!.client.s4u2proxy('alice', TARGETS[0]!)).credential).toBe(t2.credential);
    expect((await b!.client.s4u2proxy('alice', TARGETS[0]!)).credential.endtime).toEqual(
      t2.credential.endtime,
    );
  });

  it('a store without getMany (get, set, delete, lock, unlock only) clears across replicas with one get per name', async () => {
    let gets = 0;
    const { replicas, clock } = fleet(2, {}, (m) => {
      const plain = new FaultyStore(m);
      const get = plain.get.bind(plain);
      plain.get = (n) => {
        gets++;
        return get(n);
      };
      return plain;
    });
    const [a, b] = replicas;
    await a!.client.s4u2self('alice');
    expect((await b!.client.s4u2self('alice')).source).toBe('store');
    await a!.client.clear('alice');
    clock.advance(1001);
    const seen = gets;
    expect((await b!.client.s4u2self('alice')).source).toBe('kdc');
    // Revalidation (2 names), then the lookup (entry + 2 names), and the read after the lock (3).
    expect(gets - seen).toBe(2 + 3 + 3);
  });

  it('store down: clear says `failed` and drops this replica’s cache only; B serves unconfirmed (counted) meanwhile', async () => {
    let faulty: FaultyStore | undefined;
    const { replicas, clock } = fleet(2, { retryAfterMs: 500 }, (m) => {
      faulty = new FaultyStore(m);
      return faulty;
    });
    const [a, b] = replicas;
    await a!.client.s4u2self('alice');
    await b!.client.s4u2self('alice');
    faulty!.mode = 'fail';
    expect(await a!.client.clear('alice')).toEqual({ dropped: 1, fleet: 'failed' });
    clock.advance(1001);
    expect((await b!.client.s4u2self('alice')).source).toBe('cache');
    expect(b!.client.stats().store).toMatchObject({ unconfirmed: 1, failures: 1 });
    faulty!.mode = 'ok';
    expect((await a!.client.clear('alice')).fleet).toBe('recorded');
    clock.advance(1001);
    expect((await b!.client.s4u2self('alice')).source).toBe('kdc');
  });
});
