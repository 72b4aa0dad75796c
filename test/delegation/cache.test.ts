import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiringLru, SingleFlight, staleAt } from '../../src/delegation/cache.js';

const MIN = 60_000;

describe('staleAt', () => {
  it.each([
    // obtainedAt, endtime, ttl, refreshBefore, expected
    { what: 'TTL first', at: 0, end: 600 * MIN, ttl: 15 * MIN, before: 5 * MIN, want: 15 * MIN },
    { what: 'near expiry first', at: 0, end: 10 * MIN, ttl: 15 * MIN, before: 5 * MIN, want: 5 * MIN },
    {
      what: 'short ticket: half its life',
      at: 0,
      end: 4 * MIN,
      ttl: 15 * MIN,
      before: 5 * MIN,
      want: 2 * MIN,
    },
    {
      what: 'no TTL (TGT)',
      at: 1000,
      end: 1000 + 600 * MIN,
      ttl: Infinity,
      before: 5 * MIN,
      want: 1000 + 595 * MIN,
    },
    { what: 'already expired', at: 10 * MIN, end: 5 * MIN, ttl: 15 * MIN, before: 5 * MIN, want: 5 * MIN },
  ])('$what', ({ at, end, ttl, before, want }) => {
    expect(staleAt(at, end, { ttlMs: ttl, refreshBeforeMs: before })).toBe(want);
  });

  it('is never later than the TTL nor the ticket end, and never before the obtain time for a live ticket', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 1e9 }),
        (at, life, ttl, before) => {
          const s = staleAt(at, at + life, { ttlMs: ttl, refreshBeforeMs: before });
          expect(s).toBeLessThanOrEqual(at + ttl);
          expect(s).toBeLessThanOrEqual(at + life);
          expect(s).toBeGreaterThanOrEqual(at + Math.min(ttl, life / 2));
        },
      ),
    );
  });
});

describe('ExpiringLru', () => {
  it('answers hit, stale and miss by time', () => {
    const c = new ExpiringLru<string>(4);
    c.set('a', 'A', 100);
    expect(c.get('a', 99)).toEqual({ kind: 'hit', value: 'A' });
    expect(c.get('a', 100)).toEqual({ kind: 'stale', value: 'A' });
    expect(c.get('b', 0)).toEqual({ kind: 'miss' });
  });

  it('evicts the least recently used entry, a hit refreshing recency', () => {
    const c = new ExpiringLru<number>(3);
    c.set('a', 1, 1e9);
    c.set('b', 2, 1e9);
    c.set('c', 3, 1e9);
    c.get('a', 0);
    c.set('d', 4, 1e9);
    expect(c.keys()).toEqual(['c', 'a', 'd']);
    expect(c.evictions).toBe(1);
    expect(c.get('b', 0).kind).toBe('miss');
  });

  it('never holds more than maxEntries, and counts every eviction', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 100 }),
        (max, ops) => {
          const c = new ExpiringLru<number>(max);
          const distinct = new Set<number>();
          for (const k of ops) {
            c.set(String(k), k, 1e9);
            distinct.add(k);
            expect(c.size).toBeLessThanOrEqual(max);
          }
          // Every set either added an entry that is still there or pushed one out.
          expect(c.size + c.evictions).toBeGreaterThanOrEqual(Math.min(distinct.size, ops.length));
          expect(c.keys().at(-1)).toBe(ops.length ? String(ops.at(-1)) : undefined);
        },
      ),
    );
  });

  it('deletes by predicate and clears', () => {
    const c = new ExpiringLru<number>(5);
    c.set('self\nalice', 1, 1e9);
    c.set('proxy\nalice\ncifs', 2, 1e9);
    c.set('self\nbob', 3, 1e9);
    expect(c.deleteWhere((k) => k.split('\n')[1] === 'alice')).toBe(2);
    expect(c.keys()).toEqual(['self\nbob']);
    c.clear();
    expect(c.size).toBe(0);
  });

  it.each([0, -1, 1.5])('refuses maxEntries %s', (n) => {
    expect(() => new ExpiringLru(n)).toThrow(RangeError);
  });
});

describe('SingleFlight', () => {
  it('runs one function for concurrent callers of a key, and a new one after it settles', async () => {
    const f = new SingleFlight<number>();
    let calls = 0;
    const work = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      return calls;
    };
    const runs = Array.from({ length: 100 }, () => f.run('k', work));
    expect(runs.filter((r) => r.joined)).toHaveLength(99);
    expect(new Set(await Promise.all(runs.map((r) => r.promise)))).toEqual(new Set([1]));
    expect(f.size).toBe(0);
    expect(await f.run('k', work).promise).toBe(2);
  });

  it('keeps keys apart', async () => {
    const f = new SingleFlight<string>();
    const a = f.run('a', async () => 'A');
    const b = f.run('b', async () => 'B');
    expect([a.joined, b.joined]).toEqual([false, false]);
    expect(await Promise.all([a.promise, b.promise])).toEqual(['A', 'B']);
  });

  it('shares a failure with every joiner and forgets it, even when the function throws synchronously', async () => {
    const f = new SingleFlight<number>();
    const boom = () => {
      throw new Error('sync boom');
    };
    const runs = [f.run('k', boom), f.run('k', boom)];
    expect(runs[1]!.joined).toBe(true);
    for (const r of runs) await expect(r.promise).rejects.toThrow('sync boom');
    expect(f.size).toBe(0);
    expect(await f.run('k', async () => 7).promise).toBe(7);
  });

  it('detach: the flight goes on for its callers and sees it; the next caller of the key starts a new one', async () => {
    const f = new SingleFlight<string>();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const seen: boolean[] = [];
    const old = f.run('self\nalice', async (flight) => {
      await gate;
      seen.push(flight.detached);
      return 'old';
    });
    const other = f.run('self\nbob', async (flight) => {
      await gate;
      seen.push(flight.detached);
      return 'bob';
    });
    f.detach((k) => k.endsWith('alice'));
    expect(f.size).toBe(1);
    const fresh = f.run('self\nalice', async () => 'new');
    expect(fresh.joined).toBe(false);
    expect(await fresh.promise).toBe('new');
    release();
    expect(await old.promise).toBe('old');
    expect(await other.promise).toBe('bob');
    expect(seen).toEqual([true, false]);
    // The detached flight settling does not forget a newer flight of its key.
    const newer = f.run('self\nalice', () => new Promise<string>((r) => setTimeout(() => r('newer'), 5)));
    expect(f.run('self\nalice', async () => 'joiner').joined).toBe(true);
    expect(await newer.promise).toBe('newer');
    expect(f.size).toBe(0);
  });
});
