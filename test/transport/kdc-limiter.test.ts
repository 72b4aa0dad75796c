import { describe, expect, it } from 'vitest';
import { KdcLimiter, type ReleaseSlot } from '../../src/transport/kdc-limiter.js';

describe('KdcLimiter: requests in flight per KDC, the rest queued in order', () => {
  it('grants up to the limit, then queues FIFO; a release hands the slot to the first in line', () => {
    const l = new KdcLimiter(2);
    const a = l.tryAcquire('k:88');
    const b = l.tryAcquire('k:88');
    if (!a || !b) throw new Error('two slots expected');
    expect(l.tryAcquire('k:88')).toBeUndefined();
    const granted: string[] = [];
    const slots: ReleaseSlot[] = [];
    l.wait('k:88', (r) => {
      granted.push('c');
      slots.push(r);
    });
    l.wait('k:88', (r) => {
      granted.push('d');
      slots.push(r);
    });
    expect(l.load('k:88')).toEqual({ active: 2, waiting: 2 });
    a();
    a(); // a second release of the same slot does nothing
    expect(granted).toEqual(['c']);
    expect(l.load('k:88')).toEqual({ active: 2, waiting: 1 });
    b();
    expect(granted).toEqual(['c', 'd']);
    // Nobody jumps the queue while others wait, and a free slot goes to the queue first.
    for (const r of slots) r();
    expect(l.load('k:88')).toEqual({ active: 0, waiting: 0 });
  });

  it('KDCs are counted apart', () => {
    const l = new KdcLimiter(1);
    expect(l.tryAcquire('a:88')).toBeDefined();
    expect(l.tryAcquire('b:88')).toBeDefined();
    expect(l.tryAcquire('a:88')).toBeUndefined();
  });

  it('leaving the queue before the grant: never granted, the slot goes to the next', () => {
    const l = new KdcLimiter(1);
    const a = l.tryAcquire('k:88')!;
    const granted: string[] = [];
    const leave = l.wait('k:88', () => granted.push('b'));
    l.wait('k:88', (r) => {
      granted.push('c');
      r();
    });
    leave();
    a();
    expect(granted).toEqual(['c']);
    expect(l.load('k:88')).toEqual({ active: 0, waiting: 0 });
  });

  it('a waiter is not overtaken by tryAcquire', () => {
    const l = new KdcLimiter(1);
    const a = l.tryAcquire('k:88')!;
    let granted: ReleaseSlot | undefined;
    l.wait('k:88', (r) => {
      granted = r;
    });
    a();
    expect(granted).toBeDefined();
    expect(l.tryAcquire('k:88')).toBeUndefined();
  });
});
