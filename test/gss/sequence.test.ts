// The receive window (RFC 2743 1.2.3): duplicates, old tokens, gaps and reordering by flag.
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors.js';
import { randomSeqNumber, SequenceWindow } from '../../src/gss/sequence.js';
import { seededRandom } from './fixtures.js';

function verdict(w: SequenceWindow, seq: number): string {
  try {
    w.accept(seq);
    return 'ok';
  } catch (e) {
    if (e instanceof ProtocolError) return e.check!;
    throw e;
  }
}

describe('SequenceWindow', () => {
  it('REPLAY and SEQUENCE: in order ok; duplicate replay; gap and reorder sequence', () => {
    const w = new SequenceWindow(100, { replay: true, sequence: true, wide: true });
    expect([100, 101, 101, 103, 102, 102, 104].map((s) => verdict(w, s))).toEqual([
      'ok',
      'ok',
      'replay',
      'sequence',
      'sequence',
      'replay',
      'ok',
    ]);
  });

  it('REPLAY only: reordering within 64 is fine, older than 64 is refused', () => {
    const w = new SequenceWindow(0, { replay: true, sequence: false, wide: true });
    expect(verdict(w, 70)).toBe('ok');
    expect(verdict(w, 10)).toBe('ok');
    expect(verdict(w, 10)).toBe('replay');
    expect(verdict(w, 5)).toBe('replay');
  });

  it('32-bit numbers wrap around (RFC 4757)', () => {
    const w = new SequenceWindow(0xffffffff, { replay: true, sequence: true, wide: false });
    expect([0xffffffff, 0, 1].map((s) => verdict(w, s))).toEqual(['ok', 'ok', 'ok']);
  });

  it('64-bit numbers below the base are refused', () => {
    const w = new SequenceWindow(5, { replay: true, sequence: false, wide: true });
    expect(verdict(w, 4)).toBe('replay');
  });

  it('no flags: nothing is checked', () => {
    const w = new SequenceWindow(0, { replay: false, sequence: false, wide: true });
    expect([1, 1, 0].map((s) => verdict(w, s))).toEqual(['ok', 'ok', 'ok']);
  });

  it('random initial numbers stay below 2^30, as MIT', () => {
    const r = seededRandom(9);
    for (let i = 0; i < 100; i++) expect(randomSeqNumber(r)).toBeLessThan(2 ** 30);
  });
});
