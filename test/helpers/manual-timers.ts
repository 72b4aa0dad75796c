/**
 * Timers and a clock that move only when a test says so, for the transport's retry schedule: the test sees every
 * wait the schedule asks for and ends it by hand, so a test proves the schedule without depending on real time.
 */
import type { TransportTimers } from '../../src/transport/index.js';

interface Pending {
  id: number;
  ms: number;
  due: number;
  fn: () => void;
}

/** Manual {@link TransportTimers}: `asked` lists every delay requested, in order; `fire` runs one pending timer. */
export interface ManualTimers extends TransportTimers {
  /** Every delay the code asked for, in order (cleared ones included). */
  readonly asked: number[];
  /** The delays that ran to their end (by `fire`), in order. */
  readonly fired: number[];
  /** Delays of the timers pending now, in the order they were set. */
  pending(): number[];
  /** Runs the pending timer of `ms` (the earliest set, if several), moving the clock to its due time. */
  fire(ms: number): void;
  /** Moves the clock without running timers. */
  advance(ms: number): void;
}

/** A fresh set of manual timers, the clock at 0. */
export function manualTimers(): ManualTimers {
  let now = 0;
  let nextId = 1;
  const timers: Pending[] = [];
  const asked: number[] = [];
  const fired: number[] = [];
  return {
    asked,
    fired,
    now: () => now,
    setTimeout(fn, ms) {
      const t = { id: nextId++, ms, due: now + ms, fn };
      timers.push(t);
      asked.push(ms);
      return t.id;
    },
    clearTimeout(handle) {
      const i = timers.findIndex((t) => t.id === handle);
      if (i >= 0) timers.splice(i, 1);
    },
    pending: () => timers.map((t) => t.ms),
    fire(ms) {
      const i = timers.findIndex((t) => t.ms === ms);
      if (i < 0)
        throw new Error(`no pending timer of ${ms} ms (pending: ${timers.map((t) => t.ms).join(', ')})`);
      const [t] = timers.splice(i, 1);
      now = Math.max(now, t!.due);
      fired.push(ms);
      t!.fn();
    },
    advance(ms) {
      now += ms;
    },
  };
}

/** Lets the event loop run until `cond` holds (sockets deliver between turns); fails after many turns, not after a time. */
export async function until(cond: () => boolean, what = 'condition'): Promise<void> {
  for (let turn = 0; !cond(); turn++) {
    if (turn > 20_000) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}
