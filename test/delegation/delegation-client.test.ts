/**
 * DelegationClient logic over scripted flows (test/delegation/fakes.ts): cache hits, single flight, LRU,
 * TTL and refresh before expiry on an injected clock, stats, audit events. The protocol is proven against the real
 * KDCs in test/interop/delegation-*.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DelegationClient,
  type DelegationClientOptions,
  MIN_REMAINING_MS,
} from '../../src/delegation/delegation-client.js';
import type { DelegationAuditEvent } from '../../src/delegation/types.js';
import { TransportError } from '../../src/errors.js';
import { parsePrincipal } from '../../src/messages/principal.js';
import { toBase64, toHex } from '../../src/util/bytes.js';
import { until } from '../helpers/manual-timers.js';
import {
  Codes,
  FAKE_KEY_BYTES,
  FAKE_TICKET_CIPHER,
  FakeFlows,
  fakeKdcError,
  holdProxy,
  stubTransport,
} from './fakes.js';

const REALM = 'EXAMPLE.TEST';
const SERVICE = 'HTTP/web.example.test';
const MIN = 60_000;

function setup(o: Partial<DelegationClientOptions> = {}) {
  let now = Date.UTC(2026, 10, 23, 9, 0, 0);
  const clock = () => now;
  const transport = stubTransport();
  const flows = new FakeFlows(parsePrincipal(SERVICE, { defaultRealm: REALM }), clock);
  const events: DelegationAuditEvent[] = [];
  const client = new DelegationClient({
    service: SERVICE,
    realm: REALM,
    transport,
    flows,
    clock,
    audit: (e) => events.push(e),
    ...o,
  });
  return {
    client,
    flows,
    transport,
    events,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('DelegationClient: cache and single flight', () => {
  it('first s4u2proxy logs in, does S4U2Self then S4U2Proxy; the second is a hit with no KDC traffic', async () => {
    const { client, flows, transport } = setup();
    const first = await client.s4u2proxy('alice', 'cifs/file.example.test');
    expect(first.source).toBe('kdc');
    expect(first.user).toBe('alice@EXAMPLE.TEST');
    expect(first.target).toBe('cifs/file.example.test@EXAMPLE.TEST');
    expect(flows.log).toEqual([
      'login',
      'self alice@EXAMPLE.TEST',
      'proxy alice@EXAMPLE.TEST cifs/file.example.test@EXAMPLE.TEST',
    ]);
    expect(transport.sent).toBe(4);
    const second = await client.s4u2proxy('alice@EXAMPLE.TEST', 'cifs/file.example.test');
    expect(second.source).toBe('cache');
    expect(second.credential).toBe(first.credential);
    expect(transport.sent).toBe(4);
    expect(client.stats()).toMatchObject({ hits: 1, misses: 1, joined: 0, entries: 2, kdcRoundTrips: 4 });
  });

  it('100 concurrent requests for one user and target make one set of KDC round trips', async () => {
    const { client, flows, transport } = setup();
    const all = await Promise.all(
      Array.from({ length: 100 }, () => client.s4u2proxy('alice', 'cifs/file.example.test')),
    );
    expect(flows.log).toHaveLength(3);
    expect(transport.sent).toBe(4);
    expect(new Set(all.map((t) => t.credential)).size).toBe(1);
    expect(all.filter((t) => t.source === 'joined')).toHaveLength(99);
    expect(client.stats()).toMatchObject({
      misses: 1,
      joined: 99,
      kdcRoundTrips: 4,
      exchanges: { login: 1, s4u2self: 1, s4u2proxy: 1 },
    });
  });

  it('200 concurrent mixed requests: one login, one S4U2Self per user, one S4U2Proxy per user and target', async () => {
    const { client, flows } = setup();
    const users = ['alice', 'bob', 'carol', 'dave'];
    const targets = ['cifs/a.example.test', 'cifs/b.example.test', 'ldap/c.example.test'];
    const calls = Array.from({ length: 200 }, (_, i) => {
      const u = users[i % users.length]!;
      return i % 5 === 0 ? client.s4u2self(u) : client.s4u2proxy(u, targets[i % targets.length]!);
    });
    const out = await Promise.all(calls);
    for (const t of out) expect(t.credential.client.name.nameString[0]).toBe(t.user.split('@')[0]);
    expect(client.stats().exchanges).toEqual({ login: 1, s4u2self: 4, s4u2proxy: 12 });
    expect(client.stats().kdcRoundTrips).toBe(2 + 4 + 12);
    expect(flows.log.filter((l) => l === 'login')).toHaveLength(1);
  });

  it('reuses S4U2Self evidence: s4u2self then s4u2proxy for the same user asks S4U2Self once', async () => {
    const { client } = setup();
    await client.s4u2self('alice');
    await client.s4u2proxy('alice', 'cifs/a.example.test');
    await client.s4u2proxy('alice', 'cifs/b.example.test');
    expect(client.stats().exchanges).toEqual({ login: 1, s4u2self: 1, s4u2proxy: 2 });
  });

  it('evicts the least recently used ticket beyond maxEntries', async () => {
    const { client } = setup({ maxEntries: 2 });
    await client.s4u2self('alice');
    await client.s4u2self('bob');
    await client.s4u2self('alice');
    await client.s4u2self('carol');
    expect(client.stats()).toMatchObject({ entries: 2, evictions: 1, hits: 1 });
    expect((await client.s4u2self('alice')).source).toBe('cache');
    expect((await client.s4u2self('bob')).source).toBe('kdc');
  });

  it('a flight running when its user is cleared answers its callers but is not cached: the next call asks the KDC', async () => {
    const { client, flows } = setup();
    const release = holdProxy(flows);
    const before = client.s4u2proxy('alice', 'cifs/a.example.test');
    await until(() => flows.log.some((l) => l.startsWith('proxy ')), 'the S4U2Proxy request');
    void client.clear('alice');
    release();
    expect((await before).source).toBe('kdc');
    expect((await client.s4u2proxy('alice', 'cifs/a.example.test')).source).toBe('kdc');
    expect(flows.log.filter((l) => l.startsWith('proxy '))).toHaveLength(2);
  });

  it('a flight running when its user is cleared is not joined after the clear; other users’ flights are untouched', async () => {
    const { client, flows } = setup();
    const release = holdProxy(flows);
    const before = client.s4u2proxy('alice', 'cifs/a.example.test');
    const bob = client.s4u2proxy('bob', 'cifs/a.example.test');
    await until(
      () => flows.log.filter((l) => l.startsWith('proxy ')).length === 2,
      'both S4U2Proxy requests',
    );
    const cleared = client.clear('alice');
    const after = client.s4u2proxy('alice', 'cifs/a.example.test');
    release();
    const [t1, t2, tb] = await Promise.all([before, after, bob]);
    expect([t1.source, t2.source, tb.source]).toEqual(['kdc', 'kdc', 'kdc']);
    expect(t2.credential).not.toBe(t1.credential);
    expect((await client.s4u2proxy('alice', 'cifs/a.example.test')).credential).toBe(t2.credential);
    // bob's flight was not touched by alice's clear: cached.
    expect((await client.s4u2proxy('bob', 'cifs/a.example.test')).source).toBe('cache');
    // Dropped: alice's S4U2Self evidence, cached before her S4U2Proxy request went out.
    expect(await cleared).toEqual({ dropped: 1, fleet: 'local' });
    expect(flows.log.filter((l) => l.startsWith('self alice'))).toHaveLength(2);
  });

  it('clear(user) drops that user only; clear() drops everything and the TGT', async () => {
    const { client } = setup();
    await client.s4u2proxy('alice', 'cifs/a.example.test');
    await client.s4u2self('bob');
    client.clear('alice@EXAMPLE.TEST');
    expect(client.stats().entries).toBe(1);
    expect((await client.s4u2self('bob')).source).toBe('cache');
    client.clear();
    expect(client.stats().entries).toBe(0);
    await client.s4u2self('bob');
    expect(client.stats().exchanges.login).toBe(2);
  });
});

describe('DelegationClient: expiry on an injected clock', () => {
  it('serves a ticket until the TTL, then fetches it again (evidence too)', async () => {
    const { client, advance } = setup({ ttlMs: 15 * MIN });
    await client.s4u2proxy('alice', 'cifs/a.example.test');
    advance(15 * MIN - 1);
    expect((await client.s4u2proxy('alice', 'cifs/a.example.test')).source).toBe('cache');
    advance(1);
    const again = await Promise.all([
      client.s4u2proxy('alice', 'cifs/a.example.test'),
      client.s4u2proxy('alice', 'cifs/a.example.test'),
    ]);
    expect(again.map((t) => t.source)).toEqual(['kdc', 'joined']);
    expect(client.stats()).toMatchObject({
      refreshes: 1,
      joined: 1,
      exchanges: { login: 1, s4u2self: 2, s4u2proxy: 2 },
    });
  });

  it('an S4U2Proxy ticket made from older evidence is not served past the evidence TTL', async () => {
    const { client, advance } = setup({ ttlMs: 15 * MIN });
    await client.s4u2self('alice');
    advance(10 * MIN);
    expect((await client.s4u2proxy('alice', 'cifs/a.example.test')).source).toBe('kdc');
    advance(5 * MIN - 1);
    expect((await client.s4u2proxy('alice', 'cifs/a.example.test')).source).toBe('cache');
    advance(1);
    expect((await client.s4u2proxy('alice', 'cifs/a.example.test')).source).toBe('kdc');
    expect(client.stats().exchanges).toEqual({ login: 1, s4u2self: 2, s4u2proxy: 2 });
  });

  it('fetches a ticket again refreshBeforeMs before it ends', async () => {
    const { client, flows, advance } = setup({ ttlMs: 60 * MIN, refreshBeforeMs: 5 * MIN });
    flows.script.ticketLifeMs = 20 * MIN;
    await client.s4u2self('alice');
    advance(15 * MIN - 1);
    expect((await client.s4u2self('alice')).source).toBe('cache');
    advance(1);
    expect((await client.s4u2self('alice')).source).toBe('kdc');
  });

  it('refreshAhead: a ticket near its end is served at once while its successor is fetched in the background', async () => {
    const { client, flows, advance } = setup({
      ttlMs: 60 * MIN,
      refreshBeforeMs: 5 * MIN,
      refreshAhead: true,
    });
    flows.script.ticketLifeMs = 20 * MIN;
    const first = await client.s4u2self('alice');
    advance(15 * MIN);
    const served = await client.s4u2self('alice');
    expect(served.source).toBe('cache');
    expect(served.credential).toBe(first.credential);
    await new Promise((r) => setTimeout(r, 20));
    expect(client.stats()).toMatchObject({ refreshes: 1, hits: 1, exchanges: { s4u2self: 2 } });
    const next = await client.s4u2self('alice');
    expect(next.source).toBe('cache');
    expect(next.obtainedAt.getTime()).toBe(first.obtainedAt.getTime() + 15 * MIN);
  });

  it('refreshAhead: past the TTL, or within MIN_REMAINING_MS of its end, the call still waits for a new ticket', async () => {
    const a = setup({ ttlMs: 15 * MIN, refreshAhead: true });
    await a.client.s4u2self('alice');
    a.advance(15 * MIN);
    expect((await a.client.s4u2self('alice')).source).toBe('kdc');
    const b = setup({ ttlMs: 60 * MIN, refreshBeforeMs: 5 * MIN, refreshAhead: true });
    b.flows.script.ticketLifeMs = 20 * MIN;
    await b.client.s4u2self('alice');
    b.advance(20 * MIN - MIN_REMAINING_MS);
    expect((await b.client.s4u2self('alice')).source).toBe('kdc');
  });

  it('refreshAhead: a failed background refresh is counted, the old ticket still served, and the refresh retried', async () => {
    const { client, flows, advance } = setup({
      ttlMs: 60 * MIN,
      refreshBeforeMs: 5 * MIN,
      refreshAhead: true,
    });
    flows.script.ticketLifeMs = 20 * MIN;
    await client.s4u2self('alice');
    advance(16 * MIN);
    flows.script.failSelf.set('alice@EXAMPLE.TEST', () => new TransportError('no KDC answered'));
    expect((await client.s4u2self('alice')).source).toBe('cache');
    await new Promise((r) => setTimeout(r, 20));
    expect(client.stats().errors).toEqual({ TransportError: 1 });
    flows.script.failSelf.clear();
    expect((await client.s4u2self('alice')).source).toBe('cache');
    await new Promise((r) => setTimeout(r, 20));
    expect(client.stats()).toMatchObject({ refreshes: 2, exchanges: { s4u2self: 3 } });
  });

  it('logs in again before the service TGT ends', async () => {
    const { client, flows, advance } = setup({ refreshBeforeMs: 5 * MIN });
    flows.script.tgtLifeMs = 60 * MIN;
    await client.s4u2self('alice');
    advance(54 * MIN);
    await client.s4u2self('bob');
    expect(client.stats().exchanges.login).toBe(1);
    advance(MIN);
    await client.s4u2self('carol');
    expect(client.stats().exchanges.login).toBe(2);
  });

  it('retries once with a fresh TGT when the KDC says the TGT expired', async () => {
    const { client, flows } = setup();
    await client.s4u2self('alice');
    let once = true;
    flows.script.failSelf.set('bob@EXAMPLE.TEST', () => {
      const fail = once;
      once = false;
      if (fail) return fakeKdcError(Codes.TKT_EXPIRED, 'S4U2Self', REALM);
      throw new Error('unreachable');
    });
    await expect(client.s4u2self('bob')).rejects.toThrow('unreachable');
    flows.script.failSelf.clear();
    flows.script.failSelf.set('carol@EXAMPLE.TEST', () => fakeKdcError(Codes.TKT_EXPIRED, 'S4U2Self', REALM));
    await expect(client.s4u2self('carol')).rejects.toMatchObject({ codeName: 'KRB_AP_ERR_TKT_EXPIRED' });
    // bob: expired TGT -> login -> second attempt (scripted to fail differently); carol: login, then gives up.
    expect(client.stats().exchanges.login).toBe(3);
    expect(client.stats().errors).toEqual({ KRB_AP_ERR_TKT_EXPIRED: 3, Error: 1 });
  });
});

describe('DelegationClient: errors, stats and audit', () => {
  it('a refused S4U2Proxy is a KdcError, counted by name, audited, shared by joiners and not cached', async () => {
    const { client, flows, events } = setup();
    flows.script.failProxy.set('ldap/no.example.test@EXAMPLE.TEST', () =>
      fakeKdcError(Codes.BADOPTION, 'S4U2Proxy', REALM),
    );
    const two = [
      client.s4u2proxy('alice', 'ldap/no.example.test'),
      client.s4u2proxy('alice', 'ldap/no.example.test'),
    ];
    for (const p of two)
      await expect(p).rejects.toMatchObject({ codeName: 'KDC_ERR_BADOPTION', step: 'S4U2Proxy' });
    await expect(client.s4u2proxy('alice', 'ldap/no.example.test')).rejects.toMatchObject({
      code: 'KDC_ERR_BADOPTION',
      errorCode: 13,
    });
    expect(client.stats().errors).toEqual({ KDC_ERR_BADOPTION: 2 });
    expect(client.stats().exchanges).toEqual({ login: 1, s4u2self: 1, s4u2proxy: 2 });
    const failed = events.filter((e) => e.result === 'error');
    expect(failed).toHaveLength(3);
    expect(failed[0]).toMatchObject({
      operation: 's4u2proxy',
      user: 'alice@EXAMPLE.TEST',
      target: 'ldap/no.example.test@EXAMPLE.TEST',
      error: { name: 'KDC_ERR_BADOPTION', code: 13 },
    });
    expect(failed[0]!.error!.hint).toMatch(/delegat/i);
  });

  it('a transport failure is counted under its class name', async () => {
    const { client, flows } = setup();
    flows.script.failSelf.set('alice@EXAMPLE.TEST', () => new TransportError('no KDC answered'));
    await expect(client.s4u2self('alice')).rejects.toBeInstanceOf(TransportError);
    expect(client.stats().errors).toEqual({ TransportError: 1 });
  });

  it('emits one audit event per call with who, as whom, to what, result, KDC and latency', async () => {
    const { client, events, advance, flows } = setup();
    flows.script.selfWarnings.push('not forwardable');
    const t = await client.s4u2proxy('alice', 'cifs/a.example.test');
    advance(10);
    await client.s4u2proxy('alice', 'cifs/a.example.test');
    await client.s4u2self('alice');
    expect(t.warnings).toEqual(['not forwardable']);
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      operation: 's4u2proxy',
      service: 'HTTP/web.example.test@EXAMPLE.TEST',
      user: 'alice@EXAMPLE.TEST',
      target: 'cifs/a.example.test@EXAMPLE.TEST',
      result: 'ok',
      source: 'kdc',
      kdcs: ['127.0.0.1:88'],
      roundTrips: 4,
      latencyMs: 0,
      ticketEnd: t.credential.endtime.toISOString(),
    });
    expect(events[1]).toMatchObject({ source: 'cache', kdcs: [], roundTrips: 0 });
    expect(events[2]).toMatchObject({
      operation: 's4u2self',
      target: 'HTTP/web.example.test@EXAMPLE.TEST',
      source: 'cache',
    });
  });

  it('audit events never contain keys or tickets', async () => {
    const { client, events, flows } = setup();
    flows.script.failProxy.set('ldap/no.example.test@EXAMPLE.TEST', () =>
      fakeKdcError(Codes.BADOPTION, 'S4U2Proxy', REALM),
    );
    await client.s4u2proxy('alice', 'cifs/a.example.test');
    await client.s4u2proxy('alice', 'cifs/a.example.test');
    await expect(client.s4u2proxy('alice', 'ldap/no.example.test')).rejects.toThrow();
    const text = JSON.stringify(events);
    for (const secret of [FAKE_KEY_BYTES, FAKE_TICKET_CIPHER]) {
      expect(text).not.toContain(toHex(secret));
      expect(text).not.toContain(toBase64(secret));
      expect(text).not.toContain(JSON.stringify(Array.from(secret)).slice(1, 40));
    }
    for (const e of events)
      expect(Object.keys(e).sort()).toEqual(
        expect.arrayContaining([
          'kdcs',
          'latencyMs',
          'operation',
          'result',
          'service',
          'target',
          'time',
          'user',
        ]),
      );
    expect(text).not.toMatch(/sessionKey|ticket"|cipher|keyvalue/);
  });

  it('an audit sink that throws fails the call (fail-closed), called once for that call', async () => {
    let calls = 0;
    const { client } = setup({
      audit: () => {
        calls++;
        throw new Error('audit log unavailable');
      },
    });
    await expect(client.s4u2self('alice')).rejects.toThrow('audit log unavailable');
    expect(calls).toBe(1);
  });
});

describe('DelegationClient: properties', () => {
  const op = fc.record({
    proxy: fc.boolean(),
    user: fc.integer({ min: 0, max: 3 }),
    target: fc.integer({ min: 0, max: 2 }),
    advanceMs: fc.integer({ min: 0, max: 20 * MIN }),
    callers: fc.integer({ min: 1, max: 3 }),
  });

  it('never serves a ticket past its TTL or end (refreshAhead or not), names the user asked for, keeps counters consistent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 2 * MIN, max: 600 * MIN }),
        fc.boolean(),
        async (ops, maxEntries, ticketLifeMs, refreshAhead) => {
          const ttlMs = 15 * MIN;
          const { client, flows, advance } = setup({
            maxEntries,
            ttlMs,
            refreshBeforeMs: 5 * MIN,
            refreshAhead,
          });
          flows.script.delayMs = 0;
          flows.script.ticketLifeMs = ticketLifeMs;
          let now = Date.UTC(2026, 10, 23, 9, 0, 0);
          let calls = 0;
          const fromKdc = { self: 0, proxy: 0 };
          for (const o of ops) {
            advance(o.advanceMs);
            now += o.advanceMs;
            const user = `user${o.user}`;
            const target = `cifs/t${o.target}.example.test`;
            const got = await Promise.all(
              Array.from({ length: o.callers }, () =>
                o.proxy ? client.s4u2proxy(user, target) : client.s4u2self(user),
              ),
            );
            calls += o.callers;
            for (const t of got) {
              expect(t.credential.client.name.nameString).toEqual([user]);
              expect(now - t.obtainedAt.getTime()).toBeLessThan(ttlMs);
              expect(t.credential.endtime.getTime()).toBeGreaterThan(now);
            }
            if (got.some((t) => t.source === 'kdc')) fromKdc[o.proxy ? 'proxy' : 'self']++;
            expect(got.filter((t) => t.source === 'kdc').length).toBeLessThanOrEqual(1);
          }
          const s = client.stats();
          expect(s.hits + s.misses + s.joined).toBe(calls);
          expect(s.entries).toBeLessThanOrEqual(maxEntries);
          // Background refreshes add S4U2Proxy exchanges no call waited for.
          if (refreshAhead) expect(s.exchanges.s4u2proxy).toBeGreaterThanOrEqual(fromKdc.proxy);
          else expect(s.exchanges.s4u2proxy).toBe(fromKdc.proxy);
          expect(s.exchanges.s4u2self).toBeGreaterThanOrEqual(fromKdc.self);
          expect(s.errors).toEqual({});
        },
      ),
      { numRuns: 60 },
    );
  });
});
