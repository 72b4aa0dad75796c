import { describe, expect, it } from 'vitest';
import { boundedMemo } from '../../src/util/memo.js';

describe('boundedMemo', () => {
  it('builds each value once while it is kept, and keeps at most max values', () => {
    const built: number[] = [];
    const square = boundedMemo(3, (n: number) => {
      built.push(n);
      return { n: n * n };
    });
    const first = square(2);
    expect(square(2)).toBe(first);
    expect(built).toEqual([2]);
    square(3);
    square(4);
    expect(built).toEqual([2, 3, 4]);
    // Full: the next new key drops what was kept, so 2 is built again.
    square(5);
    expect(square(2)).toEqual(first);
    expect(square(2)).not.toBe(first);
    expect(built).toEqual([2, 3, 4, 5, 2]);
  });

  it('a build that throws keeps nothing', () => {
    let calls = 0;
    const f = boundedMemo(4, (s: string) => {
      calls++;
      if (s === 'bad') throw new Error('bad');
      return s.length;
    });
    expect(() => f('bad')).toThrow('bad');
    expect(() => f('bad')).toThrow('bad');
    expect(calls).toBe(2);
  });
});
