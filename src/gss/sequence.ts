/**
 * Per-message sequence checking (RFC 2743 1.2.3, RFC 4121 4.2.6): a 64-token window over the peer's sequence
 * numbers, as MIT's g_seqnum. With REPLAY a duplicate or too old token is refused; with SEQUENCE a gap or an
 * out-of-order token is refused too. Checked only after the token's integrity, so forgeries cannot move the window.
 */
import { ProtocolError } from '../errors.js';
import type { RandomSource } from '../util/env.js';

const WINDOW = 64;
/** Largest initial sequence number, as MIT (2^30 - 1): some peers treat sequence numbers as signed. */
const SEQ_MASK = 0x3fffffff;
const TWO_32 = 0x1_0000_0000;

/** Which checks apply to received tokens. */
export interface SequenceOptions {
  readonly replay: boolean;
  readonly sequence: boolean;
  /** 64-bit sequence numbers (RFC 4121) rather than 32-bit ones (RFC 4757). */
  readonly wide: boolean;
}

/** The receive window of one context direction. */
export class SequenceWindow {
  readonly #base: number;
  readonly #o: SequenceOptions;
  #next = 0;
  readonly #seen = new Uint8Array(WINDOW);

  /** `base` is the peer's initial sequence number. */
  constructor(base: number, o: SequenceOptions) {
    this.#base = base;
    this.#o = o;
  }

  /** Records the sequence number of a verified token; ProtocolError `replay` or `sequence` when refused. */
  accept(seq: number): void {
    if (!this.#o.replay && !this.#o.sequence) return;
    const rel = this.#o.wide ? seq - this.#base : (seq - this.#base + TWO_32) % TWO_32;
    if (!Number.isSafeInteger(rel) || rel < 0 || this.#next - rel > WINDOW) {
      throw new ProtocolError(`sequence number ${seq} is too old (expected ${this.#base + this.#next})`, {
        check: this.#o.sequence ? 'sequence' : 'replay',
      });
    }
    if (rel >= this.#next) {
      for (let r = this.#next; r < rel && r < this.#next + WINDOW; r++) this.#seen[r % WINDOW] = 0;
      const gap = rel > this.#next;
      const expected = this.#base + this.#next;
      this.#seen[rel % WINDOW] = 1;
      this.#next = rel + 1;
      if (gap && this.#o.sequence)
        throw new ProtocolError(`sequence gap: got ${seq}, expected ${expected}`, { check: 'sequence' });
      return;
    }
    if (this.#seen[rel % WINDOW]) {
      throw new ProtocolError(`sequence number ${seq} was already received (replayed token)`, {
        check: 'replay',
      });
    }
    this.#seen[rel % WINDOW] = 1;
    if (this.#o.sequence)
      throw new ProtocolError(`token ${seq} out of order (expected ${this.#base + this.#next})`, {
        check: 'sequence',
      });
  }
}

/** A random initial sequence number (for the authenticator or the AP-REP). */
export function randomSeqNumber(random: RandomSource): number {
  const b = random(4);
  return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) & SEQ_MASK) >>> 0;
}
