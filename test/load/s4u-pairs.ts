/**
 * Uncached S4U2Self + S4U2Proxy pairs from one service session against a lab KDC, many in flight: the load of
 * issue 17, shared by the CI load suite (test/load/) and the full-size bench (bench/load.bench.ts). Also runs MIT's
 * `kvno -U user -P target` as separate processes at the same concurrency, for comparison.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KdcClient, s4u2proxy, s4u2self } from '../../src/client/index.js';
import {
  KdcTransport,
  type KdcTransportOptions,
  type SendOptions,
  type SendResult,
  type Transport,
} from '../../src/transport/index.js';
import { type LabInfo, labKeys, mitLab, sambaLab } from '../helpers/lab.js';

/** What a lab offers for the S4U load: the front service (an id in `principals`), users and the back end. */
export interface S4uLoadTarget {
  kdc: 'MIT' | 'Samba';
  lab: LabInfo;
  front: string;
  users: string[];
  target: string;
}

/** The lab KDCs that are running, with their delegation set-up. */
export function loadTargets(): S4uLoadTarget[] {
  const out: S4uLoadTarget[] = [];
  if (mitLab)
    out.push({
      kdc: 'MIT',
      lab: mitLab,
      front: 'web',
      users: ['alice', 'bob', 'rc4user'],
      target: 'cifs/file.mit.test',
    });
  if (sambaLab)
    out.push({
      kdc: 'Samba',
      lab: sambaLab,
      front: 'websvc',
      users: ['alice', 'bob'],
      target: 'cifs/file.samba.test',
    });
  return out;
}

/** `auto`: UDP first, TCP deferred (the default configuration); `tcp`: TCP only. */
export type LoadProtocol = 'auto' | 'tcp';

/** The outcome of one load run. */
export interface LoadReport {
  kdc: string;
  protocol: string;
  pairs: number;
  inFlight: number;
  failures: number;
  /** Failure messages (first 80 characters) and their counts. */
  errors: Record<string, number>;
  wallMs: number;
  pairsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Transport attempts per KDC request (1 when nothing was resent). */
  attemptsPerSend?: number;
  /** Largest and total time spent queued for a KDC slot (ms). */
  queuedMaxMs?: number;
}

/** Counts attempts and queue time of every send, forcing a protocol. */
class MeasuringTransport implements Transport {
  sends = 0;
  attempts = 0;
  queuedMax = 0;
  constructor(
    private readonly inner: Transport,
    private readonly protocol: 'tcp' | undefined,
  ) {}
  /** Relays, counting. */
  async sendDetailed(realm: string, request: Uint8Array, opts: SendOptions = {}): Promise<SendResult> {
    const r = await this.inner.sendDetailed(
      realm,
      request,
      this.protocol ? { ...opts, protocol: this.protocol } : opts,
    );
    this.sends++;
    this.attempts += r.attempts.length;
    this.queuedMax = Math.max(this.queuedMax, r.queuedMs ?? 0);
    return r;
  }
  /** The reply bytes only. */
  async send(realm: string, request: Uint8Array, opts?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, request, opts)).reply;
  }
}

/** Runs `n` tasks with at most `inFlight` at once; failures are counted (by message), not thrown. */
export async function loadPool(n: number, inFlight: number, task: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let failures = 0;
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const s = performance.now();
      try {
        await task(i);
        latencies.push(performance.now() - s);
      } catch (e) {
        failures++;
        const key = (e instanceof Error ? e.message : String(e)).slice(0, 80);
        errors[key] = (errors[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, worker));
  const wallMs = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies.length === 0
      ? Number.NaN
      : Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!);
  return {
    failures,
    errors,
    wallMs: Math.round(wallMs),
    pairsPerSecond: Math.round((latencies.length / wallMs) * 1000),
    p50: pct(0.5),
    p99: pct(0.99),
    max: pct(1),
  };
}

/** `pairs` uncached S4U2Self + S4U2Proxy pairs, `inFlight` at once, from one session of the front service. */
export async function runS4uPairs(
  t: S4uLoadTarget,
  protocol: LoadProtocol,
  pairs: number,
  inFlight: number,
  transportOptions: KdcTransportOptions = {},
): Promise<LoadReport> {
  const front = t.lab.principals[t.front]!;
  const measuring = new MeasuringTransport(
    new KdcTransport({ kdcs: { [t.lab.realm]: t.lab.kdcs }, ...transportOptions }),
    protocol === 'tcp' ? 'tcp' : undefined,
  );
  const client = new KdcClient({ realm: t.lab.realm, transport: measuring });
  const s = await client.login({ principal: front.principal, keys: labKeys(front), forwardable: true });
  const r = await loadPool(pairs, inFlight, async (i) => {
    const user = t.users[i % t.users.length]!;
    const self = await s4u2self(client, s.tgt, user);
    const proxy = await s4u2proxy(client, s.tgt, self, t.target);
    if (proxy.credential.client.name.nameString[0] !== user) throw new Error(`wrong client for ${user}`);
  });
  return {
    kdc: t.kdc,
    protocol,
    pairs,
    inFlight,
    ...r,
    attemptsPerSend: Number((measuring.attempts / Math.max(1, measuring.sends)).toFixed(3)),
    queuedMaxMs: Math.round(measuring.queuedMax),
  };
}

/**
 * MIT's client for comparison: `pairs` runs of `kvno -U user -P target`, each its own process with a copy of the
 * front service's TGT ccache, `inFlight` at once (MIT's kvno sends its requests over UDP first).
 */
export async function runKvnoPairs(t: S4uLoadTarget, pairs: number, inFlight: number): Promise<LoadReport> {
  const front = t.lab.principals[t.front]!;
  const dir = mkdtempSync(join(tmpdir(), 'tskrb-load-kvno-'));
  const env = { ...process.env, ...t.lab.env };
  const tgt = join(dir, 'tgt');
  execFileSync('kinit', ['-f', '-k', '-t', front.keytab!, '-c', tgt, front.principal], { env });
  const run = promisify(execFile);
  try {
    const r = await loadPool(pairs, inFlight, async (i) => {
      const cc = join(dir, `cc${i}`);
      copyFileSync(tgt, cc);
      try {
        await run('kvno', ['-c', cc, '-U', t.users[i % t.users.length]!, '-P', t.target], { env });
      } finally {
        rmSync(cc, { force: true });
      }
    });
    return { kdc: t.kdc, protocol: 'MIT kvno -U -P', pairs, inFlight, ...r };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line of a report table. */
export function formatReport(r: LoadReport): string {
  const errors = Object.entries(r.errors)
    .map(([m, n]) => `${n}× ${m}`)
    .join('; ');
  return [
    `${r.kdc.padEnd(5)} ${r.protocol.padEnd(15)} ${String(r.pairs).padStart(5)} pairs ${String(r.inFlight).padStart(4)} in flight:`,
    `${String(r.failures).padStart(4)} failed`,
    `${String(r.pairsPerSecond).padStart(5)} pairs/s`,
    `p50 ${String(r.p50).padStart(5)} ms`,
    `p99 ${String(r.p99).padStart(5)} ms`,
    `max ${String(r.max).padStart(5)} ms`,
    r.attemptsPerSend === undefined
      ? ''
      : `attempts/send ${r.attemptsPerSend}, max queued ${r.queuedMaxMs} ms`,
    errors,
  ]
    .filter(Boolean)
    .join('  ');
}
