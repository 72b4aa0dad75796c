/**
 * Load against the MIT lab KDC (issue 9): many concurrent delegations through DelegationClient and many concurrent
 * uncached S4U2Self + S4U2Proxy exchanges. Zero failures, KDC round trips equal to the distinct (user, target)
 * pairs when the cache is on, no socket or timer left behind, heap back near its baseline. LOAD_CALLS and
 * LOAD_EXCHANGES raise the budgets (issue 9's figure: LOAD_CALLS=1000, 100 in flight); LOAD_REPORT=<file> writes
 * throughput and p50/p99 latency as JSON.
 */
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KdcClient } from '../../src/client/index.js';
import { DelegationClient, s4u2proxy, s4u2self } from '../../src/s4u/index.js';
import type { SendOptions, SendResult, Transport } from '../../src/transport/index.js';
import { activeResources } from '../helpers/fake-kdc.js';
import { labKeys, labTransport, mitLab } from '../helpers/lab.js';

const lab = mitLab;
const CALLS = Number(process.env['LOAD_CALLS'] ?? 1000);
const EXCHANGES = Number(process.env['LOAD_EXCHANGES'] ?? 120);
const IN_FLIGHT = Number(process.env['LOAD_IN_FLIGHT'] ?? 100);
const USERS = ['alice', 'bob', 'rc4user'];
const TARGETS = ['cifs/file.mit.test'];
const report: Record<string, unknown> = {};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/** Counts the requests it passes on by message type (the outer APPLICATION tag). */
class TallyTransport implements Transport {
  readonly byTag = new Map<number, number>();
  constructor(private readonly inner: Transport) {}
  /** Counts and relays. */
  sendDetailed(realm: string, request: Uint8Array, opts?: SendOptions): Promise<SendResult> {
    this.byTag.set(request[0]!, (this.byTag.get(request[0]!) ?? 0) + 1);
    return this.inner.sendDetailed(realm, request, opts);
  }
  /** The reply bytes only. */
  async send(realm: string, request: Uint8Array, opts?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, request, opts)).reply;
  }
}
const AS_REQ = 0x6a;
const TGS_REQ = 0x6c;

/** Runs `n` tasks with at most `inFlight` at once; returns each task's latency (ms) and the wall time. */
async function pool(n: number, inFlight: number, task: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const s = performance.now();
      await task(i);
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, worker));
  const wallMs = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(2));
  return {
    n,
    inFlight,
    wallMs: Math.round(wallMs),
    perSecond: Math.round((n / wallMs) * 1000),
    p50: pct(0.5),
    p99: pct(0.99),
  };
}

describe.skipIf(!lab)('load: MIT lab KDC (lab not running)', () => {
  let resources: Record<string, number>;
  let heap: number;
  beforeAll(async () => {
    resources = await activeResources();
    heap = heapAfterGc();
  });
  afterAll(async () => {
    if (process.env['LOAD_REPORT'])
      writeFileSync(process.env['LOAD_REPORT'], JSON.stringify(report, null, 1));
  });

  it(`DelegationClient: ${CALLS} S4U2Proxy calls, ${IN_FLIGHT} in flight, cache on: zero failures, one KDC flight per (user, target)`, async () => {
    const web = lab!.principals['web']!;
    const tally = new TallyTransport(labTransport(lab!));
    const dc = new DelegationClient({
      service: web.principal,
      realm: lab!.realm,
      transport: tally,
      keys: labKeys(web),
    });
    const pairs = USERS.flatMap((u) => TARGETS.map((t) => [u, t] as const));
    const r = await pool(CALLS, IN_FLIGHT, async (i) => {
      const [user, target] = pairs[i % pairs.length]!;
      const got = await dc.s4u2proxy(user, target);
      expect(got.credential.client.name.nameString).toEqual([user]);
    });
    const s = dc.stats();
    report['delegationCached'] = { ...r, stats: s };
    expect(s.errors).toEqual({});
    expect(s.hits + s.misses + s.joined).toBe(CALLS);
    expect(s.exchanges).toEqual({ login: 1, s4u2self: pairs.length, s4u2proxy: pairs.length });
    // What reached the KDC: the AS rounds of one login, then one S4U2Self and one S4U2Proxy per pair.
    expect(tally.byTag.get(TGS_REQ)).toBe(2 * pairs.length);
    expect([...tally.byTag.keys()].sort()).toEqual([AS_REQ, TGS_REQ]);
    expect(s.kdcRoundTrips).toBe((tally.byTag.get(AS_REQ) ?? 0) + 2 * pairs.length);
  }, 60_000);

  it(`${EXCHANGES} uncached S4U2Self + S4U2Proxy pairs against the KDC, 50 in flight: zero failures`, async () => {
    const web = lab!.principals['web']!;
    const client = new KdcClient({ realm: lab!.realm, transport: labTransport(lab!) });
    const s = await client.login({ principal: web.principal, keys: labKeys(web), forwardable: true });
    const r = await pool(EXCHANGES, 50, async (i) => {
      const user = USERS[i % USERS.length]!;
      const self = await s4u2self(client, s.tgt, user);
      const proxy = await s4u2proxy(client, s.tgt, self, TARGETS[0]!);
      expect(proxy.credential.client.name.nameString).toEqual([user]);
    });
    report['s4uUncached'] = { ...r, kdcRoundTrips: 2 * EXCHANGES };
    expect(r.n).toBe(EXCHANGES);
  }, 120_000);

  it('no socket or timer left, heap back near its baseline', async () => {
    expect(await activeResources()).toEqual(resources);
    const grown = heapAfterGc() - heap;
    report['heapGrowthBytes'] = grown;
    expect(grown).toBeLessThan(32 * 1024 * 1024);
  });
});
