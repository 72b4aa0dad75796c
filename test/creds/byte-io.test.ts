import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, secondsOf } from '../../src/creds/byte-io.js';
import { FormatError } from '../../src/errors.js';
import { toHex } from '../../src/util/bytes.js';

describe('ByteReader', () => {
  const r = () =>
    new ByteReader(
      new Uint8Array([0x12, 0x34, 0x56, 0x78, 0xff, 0xff, 0xff, 0xfe, 0, 2, 0x61, 0x62]),
      'test',
    );

  it('reads big-endian integers, signed and unsigned, and counted strings', () => {
    const x = r();
    expect(x.u16('a')).toBe(0x1234);
    expect(x.u16('b')).toBe(0x5678);
    expect(x.i32('c')).toBe(-2);
    expect(x.text(16, 'd')).toBe('ab');
    expect(x.remaining).toBe(0);
  });

  it('reads little-endian when asked', () => {
    expect(new ByteReader(new Uint8Array([0x34, 0x12]), 't', true).u16('x')).toBe(0x1234);
  });

  it.each([
    ['u32 past the end', (x: ByteReader) => x.take(10, 'skip') && x.u32('n'), 10],
    ['data longer than the rest', (x: ByteReader) => x.data(16, 'n'), 0],
    ['count that cannot fit', (x: ByteReader) => x.count(32, 4, 'n'), 0],
  ])('%s is a FormatError with the offset', (_n, f, offset) => {
    const x = r();
    let err: unknown;
    try {
      f(x);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).offset).toBe(offset);
  });
});

describe('ByteWriter', () => {
  it('writes big-endian fields, grows past its first buffer and patches lengths', () => {
    const w = new ByteWriter();
    w.i32(0, 'len').u16(0xabcd, 'a').u8(1, 'b').text(32, 'hi', 'c').raw(new Uint8Array(300));
    w.patchI32(0, w.length - 4);
    const out = w.finish();
    expect(out).toHaveLength(4 + 2 + 1 + 6 + 300);
    expect(toHex(out.subarray(0, 13))).toBe(`${(309).toString(16).padStart(8, '0')}abcd01000000026869`);
  });

  it.each([
    ['u8', (w: ByteWriter) => w.u8(256, 'x')],
    ['u16', (w: ByteWriter) => w.u16(-1, 'x')],
    ['u32', (w: ByteWriter) => w.u32(2 ** 32, 'x')],
    ['i32', (w: ByteWriter) => w.i32(2 ** 31, 'x')],
    ['non-integer', (w: ByteWriter) => w.u32(1.5, 'x')],
  ])('refuses an out-of-range %s', (_n, f) => {
    expect(() => f(new ByteWriter())).toThrow(FormatError);
  });
});

describe('secondsOf', () => {
  it.each([
    [new Date(0), 0],
    [new Date(1999), 1],
    [new Date((2 ** 32 - 1) * 1000), 2 ** 32 - 1],
  ])('%o -> %d', (d, s) => {
    expect(secondsOf(d, 't')).toBe(s);
  });
  it.each([[new Date(-1)], [new Date(2 ** 32 * 1000)], [new Date(Number.NaN)]])('refuses %o', (d) => {
    expect(() => secondsOf(d, 't')).toThrow(FormatError);
  });
});
