// The in-memory replay cache: once per authenticator until expiry, bounded.
import { describe, expect, it } from 'vitest';
import { MemoryReplayCache } from '../../src/gss/replay-cache.js';
import { TEST_NOW, testClock } from '../helpers/clock.js';

const entry = (n: number) => ({
  client: 'alice@R',
  server: 'HTTP/x@R',
  ctime: TEST_NOW,
  cusec: n,
  digest: 'ab',
});

describe('MemoryReplayCache', () => {
  it('refuses a second sighting until the entry expires', () => {
    const clock = testClock();
    const c = new MemoryReplayCache({ clock });
    expect(c.check(entry(1), TEST_NOW + 1000)).toBe(true);
    expect(c.check(entry(1), TEST_NOW + 1000)).toBe(false);
    expect(c.check(entry(2), TEST_NOW + 1000)).toBe(true);
    clock.advance(1001);
    expect(c.check(entry(1), TEST_NOW + 5000)).toBe(true);
  });

  it('drops expired entries and stays within maxEntries', () => {
    const clock = testClock();
    const c = new MemoryReplayCache({ clock, maxEntries: 10 });
    for (let i = 0; i < 25; i++) c.check(entry(i), TEST_NOW + 60_000);
    expect(c.size).toBeLessThanOrEqual(10);
    clock.advance(120_000);
    c.check(entry(99), TEST_NOW + 200_000);
    expect(c.size).toBe(1);
  });
});
