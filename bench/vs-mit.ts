/**
 * Helpers of the side-by-side benches against MIT (bench/*-vs-mit.ts): building a C harness from bench/mit/ into
 * .bench/, batches of calls, best of several, per-token timing where making the input must stay out of the
 * measurement, and the ratio table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** The repository root, whether this runs from bench/ or compiled into .bench/<name>-js/bench/. */
export const REPO = ((here: string) =>
  here.includes(`${sep}.bench${sep}`) ? join(here, '../../..') : join(here, '..'))(
  dirname(new URL(import.meta.url).pathname),
);

/** Without krb5-config, the library's header (libkrb5-dev installed all the same) and the flags that link it. */
const BARE_LIBRARY = {
  krb5: { header: '/usr/include/krb5.h', flags: ['-lkrb5', '-lk5crypto'] },
  gssapi: { header: '/usr/include/gssapi/gssapi.h', flags: ['-lgssapi_krb5', '-lkrb5'] },
} as const;

/** The value after `--<name>` on the command line. */
export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * Compiles bench/mit/<name>.c into .bench/<name> against the MIT libraries `krb5-config --libs <library>` names
 * (libkrb5-dev); the reason it cannot otherwise.
 */
export function buildMitHarness(
  name: string,
  library: 'krb5' | 'gssapi',
): { path: string } | { missing: string } {
  const src = join(REPO, 'bench/mit', `${name}.c`);
  const out = join(REPO, '.bench', name);
  let flags: string[];
  try {
    const cflags = execFileSync('krb5-config', ['--cflags', library], { encoding: 'utf8' });
    const libs = execFileSync('krb5-config', ['--libs', library], { encoding: 'utf8' });
    flags = [...cflags.split(/\s+/), ...libs.split(/\s+/)].filter((f) => f !== '');
  } catch {
    const bare = BARE_LIBRARY[library];
    if (!existsSync(bare.header))
      return { missing: 'libkrb5-dev is not installed (apt-get install -y libkrb5-dev)' };
    flags = [...bare.flags];
  }
  mkdirSync(dirname(out), { recursive: true });
  try {
    execFileSync('cc', ['-O2', '-o', out, src, ...flags], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    return { missing: `cc failed: ${String((e as { stderr?: unknown }).stderr ?? e)}` };
  }
  return { path: out };
}

/** ns per call of `fn` over `n` calls. */
export function batch(fn: () => void, n: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - t0) / n;
}

/** Calls per batch so that one batch of `fn` lasts about `sliceNs`. */
export function calibrate(fn: () => void, sliceNs: number): number {
  let n = 1;
  for (;;) {
    const per = batch(fn, n);
    if (per * n > sliceNs / 4 || n > 1 << 24) return Math.max(1, Math.round(sliceNs / per));
    n *= 2;
  }
}

/** Best ns per call of `fn` over `batches` batches lasting `budgetMs` in all, after a warm-up. */
export function bestOf(fn: () => void, budgetMs: number, batches: number): number {
  const slice = (budgetMs * 1e6) / batches;
  batch(fn, Math.max(1, calibrate(fn, slice) >> 2));
  const n = calibrate(fn, slice);
  let best = Number.POSITIVE_INFINITY;
  for (let b = 0; b < batches; b++) best = Math.min(best, batch(fn, n));
  return best;
}

/**
 * As {@link bestOf} for a call whose input is made per call and not timed: `prepare` makes the input, `run`
 * is timed on it alone.
 */
export function bestOfPrepared<T>(
  prepare: () => T,
  run: (input: T) => void,
  budgetMs: number,
  batches: number,
): number {
  const once = (): number => {
    const input = prepare();
    const t0 = process.hrtime.bigint();
    run(input);
    return Number(process.hrtime.bigint() - t0);
  };
  const slice = (budgetMs * 1e6) / batches;
  let per = 0;
  // Warm-up: a few slices, so that the JIT has settled before the first batch counts.
  for (const t0 = process.hrtime.bigint(); Number(process.hrtime.bigint() - t0) < 3 * slice; ) per = once();
  const n = Math.max(1, Math.floor(slice / Math.max(1, per) / 3));
  let best = Number.POSITIVE_INFINITY;
  for (let b = 0; b < batches; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += once();
    best = Math.min(best, sum / n);
  }
  return best;
}

/** A duration in ns as µs or ms. */
export function formatNs(ns: number | undefined): string {
  if (ns === undefined) return '-';
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  return `${(ns / 1e3).toFixed(2)} µs`;
}

/** a/b as "1.23×", or "-" when either is missing. */
export function formatRatio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}×`;
}

/** Prints rows as a table: the first column left-aligned, the others right-aligned. */
export function printTable(head: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((t) => (t[i] ?? '').length)));
  for (const line of [head, ...rows])
    console.log(
      line
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  '),
    );
}
