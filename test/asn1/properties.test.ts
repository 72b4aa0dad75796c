/** fast-check round trips for every ASN.1 type: decode(encode(v)) == v and encode(decode(b)) == b. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/util/bytes.js';
import { codecCases } from './codec-cases.js';

describe('round trips', () => {
  it.each(codecCases)('%s: decode(encode(v)) == v and encode(decode(b)) == b', (_, arb, encode, decode) => {
    fc.assert(
      fc.property(arb, (v) => {
        const b = encode(v as never);
        const back = decode(b);
        expect(back).toEqual(v);
        expect(toHex(encode(back as never))).toBe(toHex(b));
      }),
      { numRuns: 150 },
    );
  });
});
