/**
 * A replica's view of the store's generations: a generation read is trusted for revalidateMs from the moment the
 * read was sent, then read again; a record is served only under the generation last read; a change of the
 * service's token (a clear of every user on another replica) is reported once, and never by a late older answer.
 */
import { describe, expect, it } from 'vitest';
import { GenerationView, generationOf } from '../../src/delegation/generations.js';
import { TEST_NOW } from '../helpers/clock.js';

const ALICE = 'alice@EXAMPLE.TEST';
const BOB = 'bob@EXAMPLE.TEST';

describe('GenerationView', () => {
  it('a generation is empty until a token exists, then the pair of tokens', () => {
    expect(generationOf('', '')).toBe('');
    expect(generationOf('', 'aa')).toBe('.aa');
    expect(generationOf('bb', '')).toBe('bb.');
    expect(generationOf('bb', 'aa')).toBe('bb.aa');
  });

  it('check: unknown until read; then the generation read decides, for revalidateMs from the read', () => {
    const v = new GenerationView(1000, 10);
    expect(v.check(ALICE, '', TEST_NOW)).toBeUndefined();
    expect(v.learn(ALICE, '', '', TEST_NOW).until).toBe(TEST_NOW + 1000);
    expect(v.check(ALICE, '', TEST_NOW + 999)).toBe(TEST_NOW + 1000);
    expect(v.check(ALICE, '.aa', TEST_NOW + 999)).toBe(false);
    expect(v.check(ALICE, undefined, TEST_NOW)).toBe(false);
    expect(v.check(ALICE, '', TEST_NOW + 1000)).toBeUndefined();
    expect(v.check(BOB, '', TEST_NOW)).toBeUndefined();
  });

  it('revalidateMs 0 reads on every check; a negative or infinite one is refused', () => {
    const v = new GenerationView(0, 10);
    v.learn(ALICE, '', '', TEST_NOW);
    expect(v.check(ALICE, '', TEST_NOW)).toBeUndefined();
    for (const bad of [-1, Number.POSITIVE_INFINITY, Number.NaN])
      expect(() => new GenerationView(bad, 10)).toThrow(RangeError);
  });

  it('guess: the last generation read however old, else the service token with no user part', () => {
    const v = new GenerationView(1000, 10);
    expect(v.guess(ALICE)).toBe('');
    v.learn(ALICE, 'ss', 'aa', TEST_NOW);
    expect(v.guess(ALICE)).toBe('ss.aa');
    expect(v.check(ALICE, 'ss.aa', TEST_NOW + 5000)).toBeUndefined();
    expect(v.guess(ALICE)).toBe('ss.aa');
    expect(v.guess(BOB)).toBe('ss.');
  });

  it('a change of the service token is reported once; an older read answering late neither reports nor undoes it', () => {
    const v = new GenerationView(1000, 10);
    expect(v.learn(ALICE, '', '', TEST_NOW).serviceCleared).toBe(false);
    expect(v.learn(BOB, 's1', '', TEST_NOW + 10).serviceCleared).toBe(true);
    expect(v.learn(ALICE, 's1', '', TEST_NOW + 20).serviceCleared).toBe(false);
    expect(v.learn(ALICE, '', '', TEST_NOW + 5).serviceCleared).toBe(false);
    expect(v.guess(BOB)).toBe('s1.');
    expect(v.learn(ALICE, 's1', '', TEST_NOW + 30).serviceCleared).toBe(false);
  });

  it('forget: one user, or everyone and the service token (a replica forgets what its own clear outdated)', () => {
    const v = new GenerationView(1000, 10);
    v.learn(ALICE, 's1', 'aa', TEST_NOW);
    v.learn(BOB, 's1', '', TEST_NOW);
    v.forget(ALICE);
    expect(v.check(ALICE, 's1.aa', TEST_NOW)).toBeUndefined();
    expect(v.check(BOB, 's1.', TEST_NOW)).toBe(TEST_NOW + 1000);
    v.forget();
    expect(v.check(BOB, 's1.', TEST_NOW)).toBeUndefined();
    expect(v.learn(BOB, 's2', '', TEST_NOW + 1).serviceCleared).toBe(false);
  });

  it('keeps at most maxUsers users, the least recently read dropped (read again)', () => {
    const v = new GenerationView(1000, 2);
    v.learn(ALICE, '', '', TEST_NOW);
    v.learn(BOB, '', '', TEST_NOW);
    v.learn('carol@EXAMPLE.TEST', '', '', TEST_NOW);
    expect(v.check(ALICE, '', TEST_NOW)).toBeUndefined();
    expect(v.check(BOB, '', TEST_NOW)).toBe(TEST_NOW + 1000);
  });
});
