/**
 * Load against the MIT lab KDC (issue 9): many concurrent delegations through DelegationClient and many concurrent
 * uncached S4U2Self + S4U2Proxy exchanges. Zero failures, KDC round trips equal to the distinct (user, target)
 * pairs when the cache is on, no socket or timer left behind, heap back near its baseline. LOAD_CALLS and
 * LOAD_EXCHANGES raise the budgets (issue 9's figure: LOAD_CALLS=1000, 100 in flight); LOAD_REPORT=<file> writes
 * throughput and p50/p99 latency as JSON.
 *
 * Issue 17: uncached S4U2Self + S4U2Proxy pairs against MIT and Samba, over UDP (UDP first, TCP deferred) and over
 * TCP, with the transport's defaults (MIT's retry schedule, back-pressure per KDC): zero failures, no socket left.
 * LOAD_PAIRS (default 300) and LOAD_PAIRS_IN_FLIGHT (default 50) size it; `npm run bench` runs it at full size
 * (bench/load.bench.ts).
 */
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KdcClient, s4u2proxy, s4u2self } from '../../src/client/index.js';
import { DelegationClient } from '../../src/delegation/index.js';
import type { SendOptions, SendResult, Transport } from '../../src/transport/index.js';
import { activeResources } from '../helpers/fake-kdc.js';
import { labKeys, labTransport, mitLab } from '../helpers/lab.js';
import { formatReport, type LoadProtocol, loadPool, loadTargets, runS4uPairs } from './s4u-pairs.js';

const lab = mitLab;
const CALLS = Number(process.env['LOAD_CALLS'] ?? 1000);
const EXCHANGES = Number(process.env['LOAD_EXCHANGES'] ?? 120);
const IN_FLIGHT = Number(process.env['LOAD_IN_FLIGHT'] ?? 100);
const PAIRS = Number(process.env['LOAD_PAIRS'] ?? 300);
const PAIRS_IN_FLIGHT = Number(process.env['LOAD_PAIRS_IN_FLIGHT'] ?? 50);
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
    const r = await loadPool(CALLS, IN_FLIGHT, async (i) => {
      const [user, target] = pairs[i % pairs.length]!;
      const got = await dc.s4u2proxy(user, target);
      expect(got.credential.client.name.nameString).toEqual([user]);
    });
    const s = dc.stats();
    report['delegationCached'] = { ...r, stats: s };
    expect(r.errors).toEqual({});
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
    const r = await loadPool(EXCHANGES, 50, async (i) => {
      const user = USERS[i % USERS.length]!;
      const self = await s4u2self(client, s.tgt, user);
      const proxy = await s4u2proxy(client, s.tgt, self, TARGETS[0]!);
      expect(proxy.credential.client.name.nameString).toEqual([user]);
    });
    report['s4uUncached'] = { ...r, kdcRoundTrips: 2 * EXCHANGES };
    expect(r.errors).toEqual({});
    expect(r.failures).toBe(0);
  }, 120_000);

  it('no socket or timer left, heap back near its baseline', async () => {
    expect(await activeResources()).toEqual(resources);
    const grown = heapAfterGc() - heap;
    report['heapGrowthBytes'] = grown;
    expect(grown).toBeLessThan(32 * 1024 * 1024);
  });
});

describe.skipIf(loadTargets().length === 0)(
  'load: uncached S4U pairs against MIT and Samba (lab not running)',
  () => {
    let resources: Record<string, number>;
    beforeAll(async () => {
      resources = await activeResources();
    });
    afterAll(async () => {
      // Every socket and timer of the runs is closed: no handle leak.
      expect(await activeResources()).toEqual(resources);
    });

    const cases = loadTargets().flatMap((t) =>
      (['auto', 'tcp'] as LoadProtocol[]).map((p) => [t.kdc, p, t] as const),
    );
    it.each(cases)(
      `%s, %s: ${PAIRS} uncached S4U2Self + S4U2Proxy pairs, ${PAIRS_IN_FLIGHT} in flight: zero failures`,
      async (_kdc, protocol, target) => {
        const r = await runS4uPairs(target, protocol, PAIRS, PAIRS_IN_FLIGHT);
        report[`pairs-${target.kdc}-${protocol}`] = r;
        console.log(formatReport(r));
        expect(r.errors).toEqual({});
        expect(r.failures).toBe(0);
      },
      300_000,
    );
  },
);
