// Hostile input: every token decoder of the mechanism, on random bytes and on mutations of real tokens, fails only
// with a typed KerberosError (never a TypeError/RangeError), and no forged token is accepted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KerberosError } from '../../src/errors.js';
import { acceptSecContext } from '../../src/gss/acceptor.js';
import { GssFlag } from '../../src/gss/constants.js';
import { initSecContext } from '../../src/gss/initiator.js';
import { MemoryReplayCache } from '../../src/gss/replay-cache.js';
import { utf8 } from '../../src/util/bytes.js';
import { testClock } from '../helpers/clock.js';
import { ETYPES, forwardedTgt, issue, serviceKey } from './fixtures.js';

const clock = testClock();

/** Runs f; true when it returned, false when it threw a KerberosError; anything else fails the test. */
function typed(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    if (!(e instanceof KerberosError)) throw e;
    return false;
  }
}

/** A mutation of `b`: flipped bits, a truncation, an insertion or a byte run overwritten. */
const mutation = (b: Uint8Array) =>
  fc.oneof(
    fc
      .array(fc.tuple(fc.nat(b.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 })
      .map((flips) => {
        const m = b.slice();
        for (const [i, x] of flips) m[i]! ^= x;
        return m;
      }),
    fc.nat(b.length - 1).map((n) => b.slice(0, n)),
    fc.tuple(fc.nat(b.length), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([i, ins]) => {
      const m = new Uint8Array(b.length + ins.length);
      m.set(b.subarray(0, i));
      m.set(ins, i);
      m.set(b.subarray(i), i + ins.length);
      return m;
    }),
  );

describe.each(ETYPES)('etype %i', (etype) => {
  const credential = issue(etype, { pac: etype === 18 });
  const options = () => ({ keys: [serviceKey(etype)], clock, replayCache: new MemoryReplayCache({ clock }) });
  const { token } = initSecContext({ credential, clock, delegate: { tgt: forwardedTgt() } });

  it('acceptSecContext: random bytes and mutated AP-REQs fail typed, never accepted when changed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(typed(() => acceptSecContext(b, options()))).toBe(false);
      }),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(mutation(token), (m) => {
        typed(() => acceptSecContext(m, options()));
      }),
      { numRuns: 150 },
    );
  });

  it('step, unwrap and verifyMic: random and mutated tokens fail typed', () => {
    const init = initSecContext({ credential, clock, flags: GssFlag.MUTUAL | GssFlag.CONF | GssFlag.INTEG });
    const acc = acceptSecContext(init.token, options());
    fc.assert(
      fc.property(mutation(acc.outputToken!), (x) => {
        typed(() => initSecContext({ credential, clock }).context.step(x));
      }),
      { numRuns: 50 },
    );
    init.context.step(acc.outputToken!);
    const wrap = init.context.wrap(utf8('hello'));
    const mic = init.context.getMic(utf8('hello'));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), mutation(wrap), mutation(mic), (r, w, m) => {
        expect(typed(() => acc.context.unwrap(r))).toBe(false);
        expect(typed(() => acc.context.verifyMic(utf8('hello'), r))).toBe(false);
        typed(() => acc.context.unwrap(w));
        typed(() => acc.context.verifyMic(utf8('hello'), m));
      }),
      { numRuns: 150 },
    );
  });
});
