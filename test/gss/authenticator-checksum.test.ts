// RFC 4121 4.1.1 0x8003 checksum: layout, delegation fields, bounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KerberosError, ProtocolError } from '../../src/errors.js';
import { decodeGssChecksum, encodeGssChecksum } from '../../src/gss/authenticator-checksum.js';
import { GssFlag } from '../../src/gss/constants.js';
import { toHex } from '../../src/util/bytes.js';

describe('0x8003 checksum', () => {
  it('lays out Lgth, Bnd, Flags little-endian (24 bytes without delegation)', () => {
    const c = encodeGssChecksum({
      bnd: new Uint8Array(16).fill(0xab),
      flags: GssFlag.MUTUAL | GssFlag.INTEG,
    });
    expect(toHex(c)).toBe(`10000000${'ab'.repeat(16)}22000000`);
  });

  it('adds DlgOpt 1, Dlgth and Deleg when delegating, and sets DELEG', () => {
    const c = encodeGssChecksum({ bnd: new Uint8Array(16), flags: 0, deleg: Uint8Array.of(1, 2, 3) });
    expect(toHex(c.subarray(20))).toBe('01000000' + '0100' + '0300' + '010203');
    expect(decodeGssChecksum(c)).toEqual({
      bnd: new Uint8Array(16),
      flags: GssFlag.DELEG,
      deleg: Uint8Array.of(1, 2, 3),
    });
  });

  it('keeps extension bytes after the fixed fields', () => {
    const c = encodeGssChecksum({
      bnd: new Uint8Array(16),
      flags: 2,
      exts: Uint8Array.of(0, 0, 0, 2, 0, 0, 0, 0),
    });
    expect(decodeGssChecksum(c).exts).toEqual(Uint8Array.of(0, 0, 0, 2, 0, 0, 0, 0));
  });

  it('round-trips any fields (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.nat({ max: 0xffff }),
        fc.option(fc.uint8Array({ maxLength: 300 }), { nil: undefined }),
        (bnd, flags, deleg) => {
          const back = decodeGssChecksum(encodeGssChecksum({ bnd, flags, deleg }));
          expect(back.bnd).toEqual(bnd);
          expect(back.deleg).toEqual(deleg);
          expect(back.flags).toBe(deleg ? flags | GssFlag.DELEG : flags & ~GssFlag.DELEG);
        },
      ),
    );
  });

  it('never throws anything but ProtocolError on arbitrary bytes (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        try {
          decodeGssChecksum(b);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
          expect((e as ProtocolError).check).toBe('checksum');
        }
      }),
    );
  });

  it('refuses a Bnd that is not 16 bytes when encoding', () => {
    expect(() => encodeGssChecksum({ bnd: new Uint8Array(15), flags: 0 })).toThrow(KerberosError);
  });
});
