import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoalescedTimers } from '../../src/transport/coalesced-timers.js';

// The runtime's setTimeout and performance.now are faked: time moves only when a test moves it.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CoalescedTimers', () => {
  it('fires each timer once, at its time, in the order of due times', () => {
    const t = new CoalescedTimers();
    const fired: string[] = [];
    t.setTimeout(() => fired.push('c@300'), 300);
    t.setTimeout(() => fired.push('a@100'), 100);
    t.setTimeout(() => fired.push('b@200'), 200);
    vi.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['a@100']);
    vi.advanceTimersByTime(250);
    expect(fired).toEqual(['a@100', 'b@200', 'c@300']);
    vi.advanceTimersByTime(10_000);
    expect(fired).toHaveLength(3);
    expect(t.pending).toBe(0);
  });

  it('never fires a cleared timer, and clearing twice or clearing a fired one does nothing', () => {
    const t = new CoalescedTimers();
    const fired: number[] = [];
    const a = t.setTimeout(() => fired.push(1), 50);
    const b = t.setTimeout(() => fired.push(2), 60);
    t.clearTimeout(a);
    t.clearTimeout(a);
    expect(t.pending).toBe(1);
    vi.advanceTimersByTime(100);
    expect(fired).toEqual([2]);
    t.clearTimeout(b);
    t.clearTimeout(undefined);
    expect(t.pending).toBe(0);
  });

  it('uses one runtime timer however many are pending, re-armed only for an earlier one', () => {
    const t = new CoalescedTimers();
    t.setTimeout(() => undefined, 30_000);
    expect(vi.getTimerCount()).toBe(1);
    for (let i = 0; i < 50; i++) t.setTimeout(() => undefined, 1000 + i);
    expect(vi.getTimerCount()).toBe(1);
    const fired: string[] = [];
    t.setTimeout(() => fired.push('early'), 10);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(10);
    expect(fired).toEqual(['early']);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('lets a callback set an earlier timer and clear a later one', () => {
    const t = new CoalescedTimers();
    const fired: string[] = [];
    let later: unknown;
    t.setTimeout(() => {
      fired.push('first');
      t.clearTimeout(later);
      t.setTimeout(() => fired.push('chained'), 5);
    }, 10);
    later = t.setTimeout(() => fired.push('later'), 12);
    vi.advanceTimersByTime(20);
    expect(fired).toEqual(['first', 'chained']);
    expect(t.pending).toBe(0);
  });

  it('does not keep the process alive while nothing is pending', () => {
    const handles: { hasRef(): boolean }[] = [];
    const real = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      const h = real(fn, ms) as unknown as { hasRef(): boolean };
      handles.push(h);
      return h;
    }) as typeof setTimeout);
    try {
      const t = new CoalescedTimers();
      const a = t.setTimeout(() => undefined, 1000);
      const b = t.setTimeout(() => undefined, 30_000);
      const h = handles.at(-1)!;
      expect(h.hasRef()).toBe(true);
      t.clearTimeout(a);
      expect(h.hasRef()).toBe(true);
      t.clearTimeout(b);
      expect(h.hasRef()).toBe(false);
      // A new timer later than the armed one reuses the runtime timer and makes it keep the process alive again.
      t.setTimeout(() => undefined, 5000);
      expect(handles.at(-1)).toBe(h);
      expect(h.hasRef()).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('keeps memory bounded by the pending timers when most are cleared before they are due', () => {
    const t = new CoalescedTimers();
    const fired: number[] = [];
    // A long-lived one, then the pattern of sequential sends: two timers each, both cleared at once.
    t.setTimeout(() => fired.push(-1), 60_000);
    for (let i = 0; i < 10_000; i++) {
      const wait = t.setTimeout(() => fired.push(i), 1000);
      const deadline = t.setTimeout(() => fired.push(i), 30_000);
      t.clearTimeout(wait);
      t.clearTimeout(deadline);
    }
    expect(t.pending).toBe(1);
    expect(t.held).toBeLessThan(2 * 64);
    vi.advanceTimersByTime(60_000);
    expect(fired).toEqual([-1]);
  });

  it('matches a model on random sequences of set, clear and time steps', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), ms: fc.integer({ min: 0, max: 2000 }) }),
      fc.record({ kind: fc.constant('clear' as const), which: fc.nat() }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 1500 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        vi.setSystemTime(0);
        const t = new CoalescedTimers();
        const start = performance.now();
        let now = 0;
        const model: { id: number; due: number; live: boolean; handle: unknown }[] = [];
        const fired: { id: number; at: number }[] = [];
        for (const o of ops) {
          if (o.kind === 'set') {
            const id = model.length;
            const due = now + o.ms;
            const handle = t.setTimeout(() => fired.push({ id, at: performance.now() - start }), o.ms);
            model.push({ id, due, live: true, handle });
          } else if (o.kind === 'clear') {
            if (model.length === 0) continue;
            const m = model[o.which % model.length]!;
            t.clearTimeout(m.handle);
            if (!fired.some((f) => f.id === m.id)) m.live = false;
          } else {
            vi.advanceTimersByTime(o.ms);
            now += o.ms;
          }
          // Fired: exactly the live timers due by now (within the runtime's whole-millisecond rounding)...
          const due = model.filter((m) => m.live && m.due <= now - 1).map((m) => m.id);
          const got = new Set(fired.map((f) => f.id));
          for (const id of due) expect(got.has(id)).toBe(true);
          for (const f of fired) {
            const m = model[f.id]!;
            expect(m.live).toBe(true);
            // ...never before its time, each once, in due order.
            expect(f.at).toBeGreaterThanOrEqual(m.due - 1);
          }
          expect(got.size).toBe(fired.length);
          for (let i = 1; i < fired.length; i++)
            expect(model[fired[i]!.id]!.due).toBeGreaterThanOrEqual(model[fired[i - 1]!.id]!.due - 1);
          expect(t.pending).toBe(model.filter((m) => m.live && !got.has(m.id)).length);
        }
        vi.clearAllTimers();
      }),
      { numRuns: 200 },
    );
  });
});
