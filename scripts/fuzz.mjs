// npm run fuzz: runs test/fuzz/decoders.test.ts with a long budget and prints target × inputs × failures.
// FUZZ_RUNS (inputs per target, default 20000), FUZZ_SEED (default: time-based, printed so a run can be repeated),
// FUZZ_TIME_FACTOR (hang-detector slack over 10 ms/KiB, default 5). Extra arguments go to vitest (e.g. -t pac).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = process.env.FUZZ_RUNS ?? '20000';
const seed = process.env.FUZZ_SEED ?? String(Date.now() % 2 ** 31);
const dir = mkdtempSync(join(tmpdir(), 'tskrb-fuzz-'));
const report = join(dir, 'report.json');
console.log(`fuzz: FUZZ_RUNS=${runs} FUZZ_SEED=${seed}`);
const res = spawnSync(
  'npx',
  ['vitest', 'run', 'test/fuzz/decoders.test.ts', '--reporter=dot', ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed, FUZZ_REPORT: report } },
);
let data;
try {
  data = JSON.parse(readFileSync(report, 'utf8'));
} catch {
  console.error('no fuzz report written');
  process.exit(res.status || 1);
}
rmSync(dir, { recursive: true, force: true });
const rows = data.results.sort((a, b) => a.target.localeCompare(b.target));
const w = Math.max(...rows.map((r) => r.target.length), 6);
const line = (...c) => console.log(c.join(' | '));
line(
  'target'.padEnd(w),
  'seeds',
  '  inputs',
  '  values',
  '   typed',
  'failures',
  'max B',
  'max ms/KiB',
  'inputs/s',
);
line(
  '-'.repeat(w),
  '-----',
  '--------',
  '--------',
  '--------',
  '--------',
  '-----',
  '----------',
  '--------',
);
for (const r of rows) {
  line(
    r.target.padEnd(w),
    String(r.seeds).padStart(5),
    String(r.inputs).padStart(8),
    String(r.values).padStart(8),
    String(r.typedErrors).padStart(8),
    String(r.failures.length).padStart(8),
    String(r.maxBytes).padStart(5),
    r.maxMsPerKiB.toFixed(2).padStart(10),
    String(Math.round((r.inputs / r.runMs) * 1000)).padStart(8),
  );
  for (const f of r.failures)
    console.log(`    ${f.kind}: ${f.error} at ${f.at}\n      input (${f.inputKind}): ${f.input}`);
}
const total = rows.reduce((n, r) => n + r.inputs, 0);
const failed = rows.reduce((n, r) => n + r.failures.length, 0);
console.log(`${rows.length} targets, ${total} inputs, ${failed} distinct failures (seed ${seed})`);
process.exit(failed > 0 || res.status ? 1 : 0);
