/**
 * The fuzz loop: draws inputs for a target from a seeded generator, runs the target on each, and classifies the
 * outcome as a value, an allowed typed error, a crash (any other throw) or a hang (over the time budget).
 * Crashes are minimized by deleting bytes while the same failure persists.
 */
import fc from 'fast-check';
import { toHex } from '../../src/util/bytes.js';

/** An input: bytes for binary decoders, text for krb5.conf and address/principal parsers. */
export type FuzzInput = Uint8Array | string;

/** A class of error a target may throw. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** One decoder under test. */
export interface FuzzTarget {
  /** `layer.function`, e.g. `asn1.decodeTicket`. */
  readonly name: string;
  /** The errors it may throw; anything else is a bug. */
  readonly allowed: readonly ErrorClass[];
  /** The real seeds its generator mutates (none: random input only). */
  readonly seeds: readonly FuzzInput[];
  readonly gen: fc.Arbitrary<FuzzInput>;
  /** Runs the decoder (sync or async). */
  readonly run: (input: FuzzInput) => unknown;
}

/** A crash or a hang. */
export interface Failure {
  readonly kind: 'crash' | 'hang';
  /** Error class and message, or the time taken. */
  readonly error: string;
  /** Where it was thrown (first stack frame in src/). */
  readonly at: string;
  /** The (minimized) input: hex for bytes, JSON for text. */
  readonly input: string;
  readonly inputKind: 'hex' | 'text';
}

/** The outcome of fuzzing one target. */
export interface FuzzResult {
  readonly target: string;
  readonly seeds: number;
  readonly inputs: number;
  readonly values: number;
  readonly typedErrors: number;
  /** Distinct failures (by error class, message shape and location). */
  readonly failures: Failure[];
  /** Largest input tried, in bytes. */
  readonly maxBytes: number;
  /** Slowest input in ms per KiB (inputs under 1 KiB count as 1 KiB). */
  readonly maxMsPerKiB: number;
  /** Time spent running the target on generated inputs (ms; generation and minimizing excluded). */
  readonly runMs: number;
}

/** Budget of the hang detector: 10 ms per KiB (issue 9), times a generous factor for noisy CI machines. */
export const HANG_MS_PER_KIB = 10;
const FACTOR = Number(process.env['FUZZ_TIME_FACTOR'] ?? 5);

const sizeOf = (x: FuzzInput): number => (typeof x === 'string' ? x.length : x.length);
const kib = (x: FuzzInput): number => Math.max(1, sizeOf(x) / 1024);

/** What one run of a target gave. */
export type Outcome =
  | { kind: 'value' }
  | { kind: 'typed' }
  | { kind: 'crash'; key: string; error: string; at: string };

function locate(e: unknown): string {
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  const frame = stack.split('\n').find((l) => l.includes('/src/'));
  return frame ? frame.replace(/^.*\/src\//, 'src/').replace(/\)$/, '') : '(no src frame)';
}

async function once(t: FuzzTarget, input: FuzzInput): Promise<Outcome> {
  try {
    await t.run(input);
    return { kind: 'value' };
  } catch (e) {
    if (t.allowed.some((c) => e instanceof c)) return { kind: 'typed' };
    const error =
      e instanceof Error ? `${e.constructor.name}: ${e.message}` : `non-Error thrown: ${String(e)}`;
    const at = locate(e);
    return {
      kind: 'crash',
      key: `${error.replace(/\d+/g, 'N')} @ ${at.replace(/:\d+:\d+$/, '')}`,
      error,
      at,
    };
  }
}

async function timed(t: FuzzTarget, input: FuzzInput): Promise<{ outcome: Outcome; ms: number }> {
  const t0 = performance.now();
  const outcome = await once(t, input);
  return { outcome, ms: performance.now() - t0 };
}

/** Deletes chunks of the input while it keeps failing the same way (delta debugging, bounded). */
async function minimize(t: FuzzTarget, input: FuzzInput, key: string): Promise<FuzzInput> {
  let cur = input;
  let trials = 0;
  const cut = (x: FuzzInput, at: number, n: number): FuzzInput =>
    typeof x === 'string'
      ? x.slice(0, at) + x.slice(at + n)
      : Uint8Array.of(...x.subarray(0, at), ...x.subarray(at + n));
  for (let chunk = Math.max(1, sizeOf(cur) >> 1); chunk >= 1; chunk >>= 1) {
    for (let at = 0; at < sizeOf(cur) && trials < 4000; trials++) {
      const next = cut(cur, at, chunk);
      const o = await once(t, next);
      if (o.kind === 'crash' && o.key === key) cur = next;
      else at += chunk;
    }
  }
  return cur;
}

const show = (x: FuzzInput): Pick<Failure, 'input' | 'inputKind'> =>
  typeof x === 'string'
    ? { input: JSON.stringify(x), inputKind: 'text' }
    : { input: toHex(x), inputKind: 'hex' };

/** One input's outcome and time (the fastest of up to four runs when the first is slow), and whether it hung. */
export async function tryInput(
  t: FuzzTarget,
  input: FuzzInput,
): Promise<{ outcome: Outcome; ms: number; msPerKiB: number; hung: boolean; budget: number }> {
  const first = await timed(t, input);
  let ms = first.ms;
  if (ms > HANG_MS_PER_KIB * kib(input)) {
    // A GC pause or JIT tier-up is not a hang: keep the fastest of three more runs.
    for (let i = 0; i < 3; i++) ms = Math.min(ms, (await timed(t, input)).ms);
  }
  const budget = HANG_MS_PER_KIB * kib(input) * FACTOR;
  return { outcome: first.outcome, ms, msPerKiB: ms / kib(input), hung: ms > budget, budget };
}

/** Fuzzes `t` with `runs` inputs drawn from `seed`. */
export async function fuzz(t: FuzzTarget, runs: number, seed: number): Promise<FuzzResult> {
  const failures = new Map<string, Failure>();
  let values = 0;
  let typedErrors = 0;
  let maxBytes = 0;
  let maxMsPerKiB = 0;
  let runMs = 0;
  const CHUNK = 2000;
  for (let done = 0; done < runs; done += CHUNK) {
    const batch = fc.sample(t.gen, { seed: seed + done, numRuns: Math.min(CHUNK, runs - done) });
    for (const input of batch) {
      maxBytes = Math.max(maxBytes, sizeOf(input));
      const t0 = performance.now();
      const { outcome, ms, msPerKiB, hung, budget } = await tryInput(t, input);
      runMs += performance.now() - t0;
      maxMsPerKiB = Math.max(maxMsPerKiB, msPerKiB);
      if (hung) {
        const key = `hang ${sizeOf(input) >> 10} KiB`;
        if (!failures.has(key)) {
          failures.set(key, {
            kind: 'hang',
            error: `${ms.toFixed(1)} ms for ${sizeOf(input)} bytes (budget ${budget.toFixed(0)} ms)`,
            at: '',
            ...show(input),
          });
        }
      }
      if (outcome.kind === 'value') values++;
      else if (outcome.kind === 'typed') typedErrors++;
      else if (!failures.has(outcome.key)) {
        const small = await minimize(t, input, outcome.key);
        const o = (await once(t, small)) as Extract<Outcome, { kind: 'crash' }>;
        failures.set(outcome.key, { kind: 'crash', error: o.error, at: o.at, ...show(small) });
      }
    }
  }
  return {
    target: t.name,
    seeds: t.seeds.length,
    inputs: runs,
    values,
    typedErrors,
    failures: [...failures.values()],
    maxBytes,
    maxMsPerKiB,
    runMs,
  };
}
