/**
 * The transports' timers on one system timer. Every send arms two, its overall deadline and the wait after its
 * attempt, and nearly always clears both when the reply comes, long before either is due. With the runtime's own
 * timers that is, per send, two timer lists made and dropped and as many calls into Node's C++ side (re-arm the loop's
 * timer, count it as keeping the process alive), and bench/s4u-cpu.ts measured it at about a twentieth of the
 * client's CPU per S4U pair. Here a timer is an entry in a binary heap by due time; the one system timer is re-armed
 * only when an entry earlier than the one it waits for arrives, and keeps the process alive only while some entry is
 * pending. A cleared entry only loses its callback: it leaves the heap when it comes to the top, or when cleared
 * entries are more than half of the heap (then rebuilt), so memory stays bounded by the timers pending.
 */
import type { TransportTimers } from './types.js';

interface Entry {
  readonly due: number;
  /** Undefined once cleared or fired. */
  fn: (() => void) | undefined;
}

/** The runtime's timer handle: Node's and Bun's can stop keeping the process alive; a browser's is a number. */
type Handle = ReturnType<typeof setTimeout> & { ref?: () => unknown; unref?: () => unknown };

/** Heaps this small are not worth rebuilding when their cleared entries pile up (they leave from the top). */
const REBUILD_MIN = 64;

/** A {@link TransportTimers} whose timers share one system timer (see the module comment). */
export class CoalescedTimers implements TransportTimers {
  readonly #heap: Entry[] = [];
  /** Entries not yet cleared or fired. */
  #pending = 0;
  #handle: Handle | undefined;
  /** The due time the system timer is armed for (Infinity: not armed). */
  #armedFor = Number.POSITIVE_INFINITY;
  /** Whether the system timer keeps the process alive. */
  #refed = false;

  now(): number {
    return performance.now();
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const e: Entry = { due: this.now() + Math.max(0, ms), fn };
    this.#push(e);
    this.#pending++;
    if (e.due < this.#armedFor) this.#arm(e.due);
    else this.#keepAlive(true);
    return e;
  }

  clearTimeout(handle: unknown): void {
    const e = handle as Entry | undefined;
    if (e?.fn === undefined) return;
    e.fn = undefined;
    if (--this.#pending === 0) this.#keepAlive(false);
    const heap = this.#heap;
    if (heap.length >= REBUILD_MIN && this.#pending < heap.length / 2) this.#rebuild();
  }

  /** Timers pending (for tests). */
  get pending(): number {
    return this.#pending;
  }

  /** Entries held: the pending ones and cleared ones not dropped yet (for tests: memory stays bounded). */
  get held(): number {
    return this.#heap.length;
  }

  #arm(due: number): void {
    if (this.#handle !== undefined) clearTimeout(this.#handle);
    this.#armedFor = due;
    this.#handle = setTimeout(() => this.#fire(), Math.max(0, due - this.now())) as Handle;
    // A new runtime timer keeps the process alive.
    this.#refed = true;
  }

  #keepAlive(on: boolean): void {
    const h = this.#handle;
    if (on === this.#refed || h === undefined) return;
    this.#refed = on;
    if (on) h.ref?.();
    else h.unref?.();
  }

  #fire(): void {
    this.#handle = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    this.#refed = false;
    const heap = this.#heap;
    // The runtime rounds to whole milliseconds: an entry due within the next one is due now.
    const now = this.now() + 1;
    while (heap.length > 0 && (heap[0]!.fn === undefined || heap[0]!.due <= now)) {
      const e = this.#pop();
      const fn = e.fn;
      if (fn === undefined) continue;
      e.fn = undefined;
      this.#pending--;
      // May set timers (arming the system timer again, when earlier than what it waits for) or clear them.
      fn();
    }
    while (heap.length > 0 && heap[0]!.fn === undefined) this.#pop();
    const next = heap[0];
    if (next !== undefined && next.due < this.#armedFor) this.#arm(next.due);
    if (this.#pending === 0) this.#keepAlive(false);
  }

  #push(e: Entry): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(e);
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (heap[up]!.due <= e.due) break;
      heap[i] = heap[up]!;
      i = up;
    }
    heap[i] = e;
  }

  #pop(): Entry {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) this.#sift(last, 0);
    return top;
  }

  /** Places `e` at or below `i`, moving smaller children up. */
  #sift(e: Entry, i: number): void {
    const heap = this.#heap;
    const n = heap.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && heap[c + 1]!.due < heap[c]!.due) c++;
      if (heap[c]!.due >= e.due) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = e;
  }

  /** Drops the cleared entries and restores heap order (Floyd's bottom-up build). */
  #rebuild(): void {
    const heap = this.#heap;
    let n = 0;
    for (const e of heap) if (e.fn !== undefined) heap[n++] = e;
    heap.length = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.#sift(heap[i]!, i);
  }
}

/** The timers of every transport that is not given its own: one system timer for the process. */
export const sharedTimers: TransportTimers = new CoalescedTimers();
