import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { frameTcpMessage, TcpFrameReader } from '../../src/transport/framing.js';
import { toHex } from '../../src/util/bytes.js';

describe('frameTcpMessage (RFC 4120 7.2.2)', () => {
  it.each([
    ['empty', '', '00000000'],
    ['five bytes', '6a03020105', '000000056a03020105'],
  ])('%s', (_n, msg, want) => {
    const m = new Uint8Array(msg.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);
    expect(toHex(frameTcpMessage(m))).toBe(want);
  });
});

describe('TcpFrameReader', () => {
  const msg = new Uint8Array(300).map((_, i) => i & 0xff);
  const framed = new Uint8Array([0, 0, 1, 0x2c, ...msg]);

  it('returns the message once, whatever the chunking (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: framed.length }), { minLength: 1, maxLength: 20 }),
        (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          const r = new TcpFrameReader(1 << 20);
          let got: Uint8Array | undefined;
          let prev = 0;
          for (const p of [...points, framed.length]) {
            if (p <= prev) continue;
            expect(got).toBeUndefined();
            got = r.push(framed.subarray(prev, p));
            prev = p;
          }
          expect(got).toEqual(msg);
        },
      ),
    );
  });

  it('reports progress and ignores bytes after the message', () => {
    const r = new TcpFrameReader(1000);
    expect(r.push(new Uint8Array([0, 0]))).toBeUndefined();
    expect(r.received).toBe(2);
    expect(r.announced).toBeUndefined();
    expect(r.push(new Uint8Array([0, 2, 7]))).toBeUndefined();
    expect(r.announced).toBe(2);
    expect(r.push(new Uint8Array([8, 9, 9, 9]))).toEqual(new Uint8Array([7, 8]));
  });

  it('returns an empty message for a zero length', () => {
    expect(new TcpFrameReader(10).push(new Uint8Array(4))).toEqual(new Uint8Array(0));
  });

  it.each([
    ['the reserved high bit', [0x80, 0, 0, 1], /reserved high bit/],
    ['4 GiB - 1', [0xff, 0xff, 0xff, 0xff], /reserved high bit/],
    ['above the bound', [0, 0x10, 0, 1], /announces 1048577 bytes, above the limit of 1048576/],
  ])('refuses %s before buffering anything', (_n, prefix, message) => {
    const r = new TcpFrameReader(1 << 20);
    let err: unknown;
    try {
      r.push(new Uint8Array(prefix));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).message).toMatch(message);
    expect((err as TransportError).hint).toBeTruthy();
  });

  it('accepts exactly the bound', () => {
    const r = new TcpFrameReader(3);
    expect(r.push(new Uint8Array([0, 0, 0, 3, 1, 2, 3]))).toEqual(new Uint8Array([1, 2, 3]));
  });
});
