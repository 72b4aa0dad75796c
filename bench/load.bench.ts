/**
 * Issue 17 at full size: uncached S4U2Self + S4U2Proxy pairs from one session against the lab's MIT and Samba KDCs,
 * over UDP (UDP first, TCP deferred) and over TCP, at 100 and 500 in flight, beside MIT's `kvno -U user -P target`
 * run as that many concurrent processes. Each case runs once and prints failures, pairs/s, p50/p99 and max latency,
 * and how often the transport resent or queued. Sizes: LOAD_BENCH_PAIRS (default 2000 for MIT, 600 for Samba, as
 * in the issue), LOAD_BENCH_KVNO_PAIRS (default 500), LOAD_BENCH_IN_FLIGHT (default "100,500"); LOAD_REPORT=<file>
 * also writes the results as JSON. Needs the lab
 * (npm run lab:up); without it the bench says so and measures nothing. The CI-sized run is test/load/.
 */
import { writeFileSync, writeSync } from 'node:fs';
import { bench, describe } from 'vitest';
import {
  formatReport,
  type LoadProtocol,
  type LoadReport,
  loadTargets,
  runKvnoPairs,
  runS4uPairs,
} from '../test/load/s4u-pairs.js';

const ONCE = { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 };
const IN_FLIGHT = (process.env['LOAD_BENCH_IN_FLIGHT'] ?? '100,500').split(',').map(Number);
const KVNO_PAIRS = Number(process.env['LOAD_BENCH_KVNO_PAIRS'] ?? 500);
const pairsFor = (kdc: string) => Number(process.env['LOAD_BENCH_PAIRS'] ?? (kdc === 'MIT' ? 2000 : 600));
const targets = loadTargets();
const reports: LoadReport[] = [];

/** Prints a case's line as soon as it ends (to fd 2: vitest's bench reporter shows only its own summary). */
function print(r: LoadReport): void {
  if (reports.length === 0) writeSync(2, '\nS4U load (issue 17), tskrb and MIT kvno:\n');
  reports.push(r);
  writeSync(2, `${formatReport(r)}\n`);
  if (process.env['LOAD_REPORT']) writeFileSync(process.env['LOAD_REPORT'], JSON.stringify(reports, null, 1));
}

describe.skipIf(targets.length === 0)(
  `S4U load: uncached pairs, tskrb vs MIT kvno${targets.length ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    for (const t of targets) {
      for (const inFlight of IN_FLIGHT) {
        for (const protocol of ['auto', 'tcp'] as LoadProtocol[]) {
          bench(
            `tskrb ${t.kdc} ${protocol}: ${pairsFor(t.kdc)} pairs, ${inFlight} in flight`,
            async () => {
              print(await runS4uPairs(t, protocol, pairsFor(t.kdc), inFlight));
            },
            ONCE,
          );
        }
        bench(
          `MIT kvno -U -P against ${t.kdc}: ${KVNO_PAIRS} processes, ${inFlight} at once`,
          async () => {
            print(await runKvnoPairs(t, KVNO_PAIRS, inFlight));
          },
          ONCE,
        );
      }
    }
  },
);
