import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTree } from '../../src/cli/render.js';
import { PacDecodeError } from '../../src/errors.js';
import { explainPac } from '../../src/explain/pac.js';
import { decodeClaimsInfo } from '../../src/pac/claims.js';
import { ClaimsCompressionFormat, ClaimType, PacBufferType } from '../../src/pac/constants.js';
import { decodePac } from '../../src/pac/pac.js';
import { decompressXpressHuffman, MAX_XPRESS_OUTPUT, XpressHuffman } from '../../src/pac/xpress-huffman.js';
import { fromHex, utf8 } from '../../src/util/bytes.js';
import { gokrb5 } from './helpers.js';
import { buildPac, serializeType } from './ndr-writer.js';
import { compressXpressHuffman } from './xpress-compressor.js';

/** A deterministic byte source (xorshift32) for test data. */
function pseudoRandom(n: number, seed = 0x2545f491): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const roundTrips: Array<[string, Uint8Array]> = [
  ['one byte', Uint8Array.of(0x41)],
  // The two inputs of MS-XCA 3.2's examples.
  ['"abc" x 100 (MS-XCA 3.2 example 1)', utf8('abc'.repeat(100))],
  ['the alphabet (MS-XCA 3.2 example 2)', utf8('abcdefghijklmnopqrstuvwxyz')],
  ['4 KiB of noise (literals only)', pseudoRandom(4096)],
  ['a run needing a 1-byte length escape', new Uint8Array(200).fill(7)],
  ['a run needing a 16-bit length escape', new Uint8Array(5000).fill(9)],
  [
    'three blocks of text and noise',
    Uint8Array.from({ length: 150_000 }, (_, i) =>
      i % 7000 < 3500 ? 97 + (i % 13) : (i * 2654435761) >>> 24,
    ),
  ],
];

/** CLAIMS_SET_METADATA around `set` (MS-PAC 2.11), compressed with `format`. */
function claimsMetadata(set: Uint8Array, format: number, uncompressedSize: number): Uint8Array {
  return serializeType((w) => {
    w.u32(set.length);
    w.pointer(() => {
      w.u32(set.length);
      w.raw(set);
    });
    w.u16(format);
    w.u32(uncompressedSize);
    w.u16(0);
    w.u32(0);
    w.pointer(null);
  });
}

describe('LZ77+Huffman decompression (MS-XCA 2.2)', () => {
  it('decodes the XPRESS_HUFF claims of a Windows AD PAC (gokrb5 fixture) into the claims set', () => {
    const meta = decodeClaimsInfo(fromHex(gokrb5.clientClaimsXpressHuff!))!;
    expect(meta.compressionFormat).toBe(ClaimsCompressionFormat.XpressHuff);
    expect(meta.claimsSet?.claimsArrays).toEqual([
      {
        claimsSourceType: 1,
        claimEntries: [
          {
            id: 'ad://ext/objectClass:88d5de791e7b27e6',
            type: ClaimType.Uint64,
            values: [655369n, 65543n, 65542n, 65536n],
          },
          { id: 'ad://ext/sAMAccountName:88d5d9085ea5c0c0', type: ClaimType.String, values: ['testuser1'] },
          { id: 'ad://ext/sAMAccountType:88d5de79a7ecf8c7', type: ClaimType.Int64, values: [805306368n] },
        ],
      },
    ]);
  });

  it.each(roundTrips)('round trip through the test compressor: %s', (_, data) => {
    const packed = compressXpressHuffman(data);
    expect(decompressXpressHuffman(packed, data.length)).toEqual(data);
  });

  it('compresses what repeats: "abc" x 100 takes a table and a few bytes', () => {
    const packed = compressXpressHuffman(utf8('abc'.repeat(100)));
    expect(packed.length).toBeLessThan(XpressHuffman.TABLE_BYTES + 16);
  });

  it('the test compressor re-packs the Windows claims set, which then decodes the same', () => {
    const windows = decodeClaimsInfo(fromHex(gokrb5.clientClaimsXpressHuff!))!;
    const set = decompressXpressHuffman(windows.claimsSetBytes, windows.uncompressedClaimsSetSize);
    const again = decodeClaimsInfo(
      claimsMetadata(compressXpressHuffman(set), ClaimsCompressionFormat.XpressHuff, set.length),
    )!;
    expect(again.claimsSet).toEqual(windows.claimsSet);
  });

  it('a PAC with compressed client and device claims decodes and explains both', () => {
    const plain = decodeClaimsInfo(fromHex(gokrb5.clientClaimsStr!))!;
    const set = plain.claimsSetBytes;
    const compressed = claimsMetadata(
      compressXpressHuffman(set),
      ClaimsCompressionFormat.XpressHuff,
      set.length,
    );
    const pac = decodePac(
      buildPac([
        { type: PacBufferType.ClientClaimsInfo, data: compressed },
        { type: PacBufferType.DeviceClaimsInfo, data: compressed },
      ]),
    );
    expect(pac.clientClaims?.claimsSet).toEqual(plain.claimsSet);
    expect(pac.deviceClaims?.claimsSet).toEqual(plain.claimsSet);
    const text = renderTree(explainPac(pac));
    expect(text).toMatch(/client claims: 1 claims {2}— XPRESS_HUFF: \d+ bytes, \d+ uncompressed/);
    expect(text).toMatch(/device claims: 1 claims/);
    expect(text).toContain('string, from AD');
  });

  it('an empty output needs no input', () => {
    expect(decompressXpressHuffman(new Uint8Array(0), 0)).toEqual(new Uint8Array(0));
  });
});

describe('LZ77+Huffman against hostile input', () => {
  const valid = compressXpressHuffman(utf8('kerberos '.repeat(40)));

  it.each([
    ['a negative size', valid, -1, /out of bounds/],
    ['a size past the bound', valid, MAX_XPRESS_OUTPUT + 1, /out of bounds/],
    ['a fractional size', valid, 1.5, /out of bounds/],
    ['no table', new Uint8Array(100), 10, /Huffman table is missing/],
    ['an all-zero table (no codes)', new Uint8Array(300), 10, /no Huffman code/],
    ['more output than the stream holds', valid, 100_000, /ends early|missing|no Huffman code|offset/],
  ])('%s is a PacDecodeError', (_, input, size, message) => {
    expect(() => decompressXpressHuffman(input, size)).toThrow(PacDecodeError);
    expect(() => decompressXpressHuffman(input, size)).toThrow(message);
  });

  it('over-subscribed code lengths are rejected', () => {
    const input = new Uint8Array(300);
    input.fill(0x11, 0, 3); // six symbols of length 1
    expect(() => decompressXpressHuffman(input, 1)).toThrow(/over-subscribe/);
  });

  it('a match before the start of the output is rejected', () => {
    // Symbol 256+16 (offset 2 + 1 bit, length 3) alone, length 1: the first symbol is a match at output 0.
    const input = new Uint8Array(300);
    input[(256 + 16) / 2] = 0x01;
    expect(() => decompressXpressHuffman(input, 3)).toThrow(/before the start of the output/);
  });

  it('random bytes and sizes: the exact size out, or a PacDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 70_000 }), (input, size) => {
        try {
          expect(decompressXpressHuffman(input, size).length).toBe(size);
        } catch (e) {
          expect(e).toBeInstanceOf(PacDecodeError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('mutated valid streams: the exact size out, or a PacDecodeError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.integer({ min: 0, max: 2000 }),
        (edits, size) => {
          const input = Uint8Array.from(valid);
          for (const [at, b] of edits) input[at] = b;
          try {
            expect(decompressXpressHuffman(input, size).length).toBe(size);
          } catch (e) {
            expect(e).toBeInstanceOf(PacDecodeError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
