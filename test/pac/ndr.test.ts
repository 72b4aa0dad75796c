import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacDecodeError } from '../../src/errors.js';
import { decodeNdrType, fileTimeToDate, type Lazy, lazyAll, NdrReader } from '../../src/pac/ndr.js';
import { fromHex } from '../../src/util/bytes.js';
import { NdrWriter, serializeType } from './ndr-writer.js';

const readU32 = (r: NdrReader): Lazy<number> => {
  const v = r.u32();
  return () => v;
};

describe('NdrReader primitives', () => {
  it('reads little-endian integers with natural alignment', () => {
    const r = new NdrReader(fromHex('01 00 3412 78563412 0000000000000000 efcdab8967452301'));
    expect(r.u8()).toBe(1);
    expect(r.u16()).toBe(0x1234);
    expect(r.u32()).toBe(0x12345678);
    expect(r.offset).toBe(8);
    r.u64();
    expect(r.u64()).toBe(0x0123456789abcdefn);
    expect(r.remaining).toBe(0);
  });

  it('reads FILETIME as low then high half', () => {
    expect(new NdrReader(fromHex('30dfa6cb 4f7dc501')).fileTime()).toBe(0x01c57d4fcba6df30n);
  });

  it.each([
    ['not set', 0n, undefined],
    ['never', 0x7fffffffffffffffn, undefined],
    ['2005-07-04T01:30:09Z (saved_pac authtime)', 127649142090000000n, new Date(1120440609 * 1000)],
  ])('fileTimeToDate: %s', (_n, ft, date) => {
    expect(fileTimeToDate(ft)).toEqual(date);
  });

  it('fails with PacDecodeError and the absolute offset when bytes run out', () => {
    const r = new NdrReader(fromHex('01020304 05'), 100);
    r.u32();
    const err = (() => {
      try {
        r.u32();
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PacDecodeError);
    expect((err as PacDecodeError).offset).toBe(104);
  });

  it('rejects a conformance that cannot fit before allocating anything (2^31 elements)', () => {
    const r = new NdrReader(fromHex('00000080 0000000000000000'));
    expect(() => r.conformance(8, 'GroupIds')).toThrow(/count 2147483648 cannot fit/);
  });

  it('rejects an array whose conformance differs from its size field', () => {
    const r = new NdrReader(fromHex('02000000 0100000007000000 0200000007000000'));
    expect(() => r.conformantArray(3, 8, 'GroupIds', readU32)).toThrow(PacDecodeError);
  });
});

describe('pointers and deferral', () => {
  it('reads deferred pointees depth first, after the structure that points to them', () => {
    // struct { A* a; B* b; } where A = { u32 x; C* c }: wire order is a-id, b-id, A, C, B.
    const w = new NdrWriter();
    w.pointer(() => {
      w.u32(0xa);
      w.pointer(() => w.u32(0xc));
    });
    w.pointer(() => w.u32(0xb));
    w.flush();
    expect(w.bytes()).toEqual(fromHex('00000200 04000200 0a000000 08000200 0c000000 0b000000'));
    const r = new NdrReader(w.bytes());
    const a = r.unique((q) => {
      const x = q.u32();
      const c = q.unique(readU32);
      return () => ({ x, c: c() });
    });
    const b = r.unique(readU32);
    r.flush();
    expect(a()).toEqual({ x: 0xa, c: 0xc });
    expect(b()).toBe(0xb);
  });

  it('a null unique pointer has no pointee', () => {
    const r = new NdrReader(fromHex('00000000'));
    const p = r.unique(readU32);
    r.flush();
    expect(p()).toBeNull();
  });

  it('rejects a repeated unique referent ID', () => {
    const r = new NdrReader(fromHex('04000200 04000200 01000000 02000000'));
    r.unique(readU32);
    expect(() => r.unique(readU32)).toThrow(/repeated/);
  });

  it('full pointers with the same referent ID share one pointee sent once', () => {
    const r = new NdrReader(fromHex('08000200 08000200 2a000000'));
    const first = r.full(readU32);
    const second = r.full(readU32);
    r.flush();
    expect(r.remaining).toBe(0);
    expect([first(), second()]).toEqual([42, 42]);
  });

  it('an array pointer may be null only for an empty array', () => {
    expect(() => new NdrReader(fromHex('00000000')).arrayPointer(2, 8, 'GroupIds', readU32)).toThrow(
      /null pointer for 2 elements/,
    );
    const r = new NdrReader(fromHex('00000000'));
    const empty = r.arrayPointer(0, 8, 'GroupIds', readU32);
    r.flush();
    expect(empty()).toEqual([]);
  });

  it('lazyAll evaluates a list of lazies', () => {
    expect(lazyAll([() => 1, () => 2])()).toEqual([1, 2]);
  });
});

describe('RPC_UNICODE_STRING and RPC_SID', () => {
  const readString = (bytes: Uint8Array): string => {
    const r = new NdrReader(bytes);
    const s = r.unicodeString('s');
    r.flush();
    return s();
  };

  it('reads the conformant-varying buffer: max = MaximumLength/2, actual = Length/2', () => {
    // "LogonServer" of saved_pac: Length 20, MaximumLength 22.
    const ok = fromHex(
      '1400 1600 28000200 0b000000 00000000 0a000000 57003200300030003300460049004e0041004c00',
    );
    expect(readString(ok)).toBe('W2003FINAL');
  });

  it.each([
    ['odd Length', '1300 1600 28000200 0b000000 00000000 09000000'],
    ['Length above MaximumLength', '1600 1400 28000200'],
    ['maximum count not MaximumLength/2', '0200 0200 28000200 02000000 00000000 01000000 4100'],
    ['actual count not Length/2', '0200 0400 28000200 02000000 00000000 02000000 41004200'],
    ['non-zero offset', '0200 0200 28000200 01000000 01000000 01000000 4100'],
    ['null buffer with a length', '0200 0200 00000000'],
  ])('rejects %s', (_name, hex) => {
    expect(() => readString(fromHex(hex))).toThrow(PacDecodeError);
  });

  it('reads an RPC_SID pointee (conformance, then the SID)', () => {
    const r = new NdrReader(
      fromHex('04000200 04000000 0104000000000005 15000000 112fafb5 90041bec 503becdc'),
    );
    const sid = r.sidPointer('LogonDomainId');
    r.flush();
    expect(sid()).toBe('S-1-5-21-3048156945-3961193616-3706469200');
  });

  it('rejects an RPC_SID whose count differs from its conformance', () => {
    const r = new NdrReader(
      fromHex('04000200 03000000 0104000000000005 15000000 112fafb5 90041bec 503becdc'),
    );
    r.sidPointer('LogonDomainId');
    expect(() => r.flush()).toThrow(/sub-authority count 4, conformance 3/);
  });
});

describe('type serialization headers (MS-RPCE 2.2.6)', () => {
  const blob = serializeType((w) => w.u32(7));
  const decode = (b: Uint8Array): number => decodeNdrType(b, 0, 'test', readU32);

  it('decodes a top-level pointer and its pointee', () => {
    expect(decode(blob)).toBe(7);
  });

  it.each([
    ['version 2', 0, 2],
    ['big-endian', 1, 0x00],
    ['common header length 9', 2, 9],
    ['object length not filling the buffer', 8, 0x10],
  ])('rejects %s', (_name, index, value) => {
    const bad = blob.slice();
    bad[index] = value;
    expect(() => decode(bad)).toThrow(PacDecodeError);
  });

  it('rejects a null top-level pointer', () => {
    const bad = blob.slice();
    bad.fill(0, 16, 20);
    expect(() => decode(bad)).toThrow(/null top-level pointer/);
  });

  it('rejects 8 or more bytes left over after the object', () => {
    const long = serializeType((w) => {
      w.u32(7);
      w.u32(0);
      w.u32(0);
    });
    expect(() => decode(long)).toThrow(/trailing bytes/);
  });
});

describe('fuzzing', () => {
  it('random bytes give a value or PacDecodeError, nothing else', () => {
    const readAny = (r: NdrReader): Lazy<unknown> => {
      const s = r.unicodeString('s');
      const sid = r.sidPointer('sid');
      const groups = r.arrayPointer(r.u32(), 8, 'g', readU32);
      return () => ({ s: s(), sid: sid(), groups: groups() });
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (random) => {
        const tail = random.subarray(0, random.length - (random.length % 8));
        const bytes = new Uint8Array(16 + tail.length);
        bytes.set([1, 0x10, 8, 0, 0xcc, 0xcc, 0xcc, 0xcc]);
        new DataView(bytes.buffer).setUint32(8, tail.length, true);
        bytes.set(tail, 16);
        try {
          decodeNdrType(bytes, 0, 'fuzz', readAny);
        } catch (e) {
          expect(e).toBeInstanceOf(PacDecodeError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
