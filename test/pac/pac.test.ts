import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacDecodeError } from '../../src/errors.js';
import { decodePac, decodePacHeader } from '../../src/pac/pac.js';
import { summarizePac } from '../../src/pac/summary.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import {
  extraLogonInfoBytes,
  openTicket,
  savedPac,
  savedPac2Bytes,
  savedPacBytes,
  ticketCases,
} from './helpers.js';

describe('PACTYPE and PAC_INFO_BUFFER (MS-PAC 2.3, 2.4)', () => {
  it.each([
    ['saved_pac', savedPacBytes, [1, 10, 6, 7]],
    ['saved_pac2', savedPac2Bytes, [1, 10, 12, 6, 7]],
    ['extra_logon_info', extraLogonInfoBytes, [1, 10, 12, 13, 17, 18, 6, 7]],
  ])('%s: buffer table', (_name, bytes, types) => {
    const { version, infoBuffers } = decodePacHeader(bytes);
    expect(version).toBe(0);
    expect(infoBuffers.map((b) => b.ulType)).toEqual(types);
    for (const b of infoBuffers) expect(b.offset % 8).toBe(0);
  });

  it('saved_pac: the logon info buffer has the length Heimdal expects', () => {
    const logon = decodePacHeader(savedPacBytes).infoBuffers.find((b) => b.ulType === 1);
    expect(logon?.cbBufferSize).toBe(savedPac.logonInfoLength);
  });

  // The malicious PACs of Heimdal's test_pac.c, plus a few more.
  const mutate = (f: (b: Uint8Array) => void): Uint8Array => {
    const b = savedPacBytes.slice();
    f(b);
    return b;
  };
  it.each([
    ['truncated to half', savedPacBytes.subarray(0, savedPacBytes.length >> 1)],
    ['a buffer claiming too large a length', mutate((b) => (b[13]! += 1))],
    ['a buffer offset too far in', mutate((b) => (b[16]! += 1))],
    ['a buffer offset too far back', mutate((b) => (b[16]! -= 1))],
    ['an incorrect buffer count', mutate((b) => (b[0]! += 1))],
    ['zero buffers', mutate((b) => b.fill(0, 0, 4))],
    ['version 1', mutate((b) => (b[4] = 1))],
    ['an offset above 4 GiB', mutate((b) => (b[20] = 1))],
    ['an offset inside the header', mutate((b) => (b[16] = 0x40))],
    ['overlapping buffers', mutate((b) => (b[32] = 0x18))],
    ['a second logon info buffer', mutate((b) => (b[24] = 1))],
    ['8 bytes after the last buffer', Uint8Array.of(...savedPacBytes, 0, 0, 0, 0, 0, 0, 0, 0)],
    ['fewer than 8 bytes', fromHex('04000000')],
  ])('rejects a PAC with %s', (_name, bytes) => {
    expect(() => decodePac(bytes)).toThrow(PacDecodeError);
  });

  it('keeps a buffer of unknown type as raw bytes', () => {
    const bytes = mutate((b) => (b[24] = 99));
    const pac = decodePac(bytes);
    expect(pac.clientInfo).toBeUndefined();
    expect(pac.unknownBuffers).toEqual([{ ulType: 99, data: bytes.subarray(544, 576) }]);
  });

  it('keeps the original bytes for signature checks', () => {
    expect(decodePac(savedPacBytes).bytes).toBe(savedPacBytes);
  });
});

/** Offset of the GroupCount field in saved_pac: after UserId 1005 and PrimaryGroupId 516. */
const indexOfHex = (bytes: Uint8Array, hex: string): number =>
  toHex(bytes).indexOf(hex.replace(/ /g, '')) / 2;
const groupCountAt = indexOfHex(savedPacBytes, 'ed030000 04020000') + 8;

describe('hostile counts', () => {
  it('a PAC claiming 2^31 groups fails fast with PacDecodeError', () => {
    const bytes = savedPacBytes.slice();
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(groupCountAt, true)).toBe(1);
    view.setUint32(groupCountAt, 0x80000000, true);
    const conformanceAt = indexOfHex(bytes, '01000000 04020000 07000000');
    view.setUint32(conformanceAt, 0x80000000, true);
    const start = performance.now();
    expect(() => decodePac(bytes)).toThrow(/2147483648 cannot fit/);
    expect(performance.now() - start).toBeLessThan(50);
  });

  it('a GroupCount that disagrees with the array conformance is rejected', () => {
    const bytes = savedPacBytes.slice();
    new DataView(bytes.buffer).setUint32(groupCountAt, 2, true);
    expect(() => decodePac(bytes)).toThrow(/size field says 2/);
  });
});

describe('fuzzing with mutated real PACs', () => {
  const seeds = [
    savedPacBytes,
    savedPac2Bytes,
    extraLogonInfoBytes,
    ...ticketCases.map((c) => openTicket(c).pacBytes),
  ];
  interface Mutation {
    kind: 'set' | 'flip' | 'u32' | 'cut';
    at: number;
    value: number;
  }
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    kind: fc.constantFrom('set' as const, 'flip' as const, 'u32' as const, 'cut' as const),
    at: fc.nat(),
    value: fc.nat({ max: 0xffffffff }),
  });
  const apply = (seed: Uint8Array, ms: readonly Mutation[]): Uint8Array => {
    let b = seed.slice();
    for (const m of ms) {
      const at = m.at % b.length;
      if (m.kind === 'set') b[at] = m.value & 0xff;
      else if (m.kind === 'flip') b[at]! ^= 1 << (m.value % 8);
      else if (m.kind === 'u32' && at - (at % 4) + 4 <= b.length) {
        new DataView(b.buffer).setUint32(at - (at % 4), m.value, true);
      } else if (m.kind === 'cut') b = b.slice(0, at);
    }
    return b;
  };

  // Time and memory bounds on hostile PACs are the hang and allocation detectors of test/fuzz/bounds.test.ts, not a
  // timed assertion here.
  it('decodePac (and summarizePac) give a value or PacDecodeError', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (i, ms) => {
          const bytes = apply(seeds[i]!, ms);
          try {
            summarizePac(decodePac(bytes));
          } catch (e) {
            expect(e).toBeInstanceOf(PacDecodeError);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });
});
