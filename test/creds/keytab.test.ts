import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findKeytabEntries,
  findKeytabEntry,
  type Keytab,
  parseKeytab,
  serializeKeytab,
} from '../../src/creds/keytab.js';
import { FormatError } from '../../src/errors.js';
import { toHex } from '../../src/util/bytes.js';
import { ascii, bytes, d16, u16, u16le, u32, u32le } from './build.js';

// One v2 entry per the MIT format: count, realm, components, name type, timestamp, vno8, enctype, key [, vno32].
function entryV2(o: {
  realm: string;
  comps: string[];
  nameType?: number;
  ts?: number;
  vno8: number;
  etype: number;
  key: number[];
  vno32?: number;
  extra?: number[];
}): number[] {
  const body = [
    ...u16(o.comps.length),
    ...d16(o.realm),
    ...o.comps.flatMap((c) => d16(c)),
    ...u32(o.nameType ?? 1),
    ...u32(o.ts ?? 0x5f000000),
    o.vno8,
    ...u16(o.etype),
    ...d16(o.key),
    ...(o.vno32 === undefined ? [] : u32(o.vno32)),
    ...(o.extra ?? []),
  ];
  return [...u32(body.length), ...body];
}

const KEY16 = Array.from({ length: 16 }, (_, i) => i);
const KEY32 = Array.from({ length: 32 }, (_, i) => 0xa0 + i);

describe('parseKeytab (hand-built bytes, MIT keytab format)', () => {
  it('reads a v2 entry with realm, two components, name type, timestamp and the 32-bit kvno', () => {
    const kt = parseKeytab(
      bytes(
        [5, 2],
        entryV2({
          realm: 'EXAMPLE.TEST',
          comps: ['HTTP', 'web.example.test'],
          nameType: 3,
          ts: 1700000000,
          vno8: 0x2c,
          etype: 17,
          key: KEY16,
          vno32: 300,
        }),
      ),
    );
    expect(kt.version).toBe(0x502);
    expect(kt.entries).toEqual([
      {
        principal: { realm: 'EXAMPLE.TEST', nameType: 3, components: ['HTTP', 'web.example.test'] },
        timestamp: new Date(1700000000 * 1000),
        kvno: 300,
        key: { etype: 17, bytes: new Uint8Array(KEY16) },
      },
    ]);
  });

  it.each([
    ['no 32-bit field', undefined, 7],
    ['32-bit field zero (ignored)', 0, 7],
    ['32-bit field present', 0x01000007, 0x01000007],
  ])('kvno: %s', (_name, vno32, want) => {
    const kt = parseKeytab(
      bytes(
        [5, 2],
        entryV2({
          realm: 'R',
          comps: ['a'],
          vno8: 7,
          etype: 18,
          key: KEY32,
          ...(vno32 === undefined ? {} : { vno32 }),
        }),
      ),
    );
    expect(kt.entries[0]!.kvno).toBe(want);
  });

  it('ignores trailing bytes after the 32-bit kvno (Heimdal flags) and skips holes', () => {
    const kt = parseKeytab(
      bytes(
        [5, 2],
        u32(-6),
        [0, 0, 0, 0, 0, 0],
        entryV2({ realm: 'R', comps: ['a'], vno8: 1, etype: 18, key: KEY32, vno32: 1, extra: u32(0x55) }),
      ),
    );
    expect(kt.entries).toHaveLength(1);
    expect(kt.entries[0]!.kvno).toBe(1);
  });

  it('stops at a zero record length', () => {
    const kt = parseKeytab(
      bytes([5, 2], entryV2({ realm: 'R', comps: ['a'], vno8: 1, etype: 18, key: KEY32 }), u32(0), [9, 9, 9]),
    );
    expect(kt.entries).toHaveLength(1);
  });

  it('reads version 0x501 in little-endian host order: the count includes the realm, no name type', () => {
    const body = [
      ...u16le(2),
      ...u16le(1),
      ...ascii('R'),
      ...u16le(5),
      ...ascii('alice'),
      ...u32le(1700000000),
      3,
      ...u16le(23),
      ...u16le(16),
      ...KEY16,
    ];
    const kt = parseKeytab(bytes([5, 1], u32le(body.length), body));
    expect(kt.version).toBe(0x501);
    expect(kt.entries).toEqual([
      {
        principal: { realm: 'R', nameType: 0, components: ['alice'] },
        timestamp: new Date(1700000000 * 1000),
        kvno: 3,
        key: { etype: 23, bytes: new Uint8Array(KEY16) },
      },
    ]);
  });

  it.each([
    ['wrong magic', bytes([4, 2]), 0],
    ['unknown version', bytes([5, 3]), 0],
    ['record longer than the file', bytes([5, 2], u32(100), [1, 2, 3]), 2],
    ['hole longer than the file', bytes([5, 2], u32(-100)), 2],
    ['component count beyond the record', bytes([5, 2], u32(4), u16(0xffff), u16(0)), 6],
    [
      'key length beyond the record',
      bytes([5, 2], u32(18), u16(0), d16('R'), u32(1), u32(0), [1], u16(18), u16(32)),
      22,
    ],
    ['v1 with a zero count', bytes([5, 1], u32le(2), u16le(0)), 6],
    ['partial record length', bytes([5, 2], [0, 0]), 2],
  ])('refuses %s with a FormatError at the right offset', (_name, input, offset) => {
    const err = (() => {
      try {
        parseKeytab(input);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).offset).toBe(offset);
  });

  it('refuses a component that is not UTF-8', () => {
    expect(() =>
      parseKeytab(
        bytes(
          [5, 2],
          entryV2({ realm: 'R', comps: ['\u0000'], vno8: 1, etype: 18, key: KEY32 }).map((x, i) =>
            i === 11 ? 0xff : x,
          ),
        ),
      ),
    ).toThrow(FormatError);
  });
});

describe('keytab written by MIT ktutil (fixture)', () => {
  const file = new Uint8Array(readFileSync(new URL('./fixtures/ktutil-aes.keytab', import.meta.url)));

  it('reads both entries as klist -kte lists them', () => {
    const kt = parseKeytab(file);
    expect(
      kt.entries.map((e) => [
        e.principal.components.join('/'),
        e.principal.realm,
        e.kvno,
        e.key.etype,
        e.key.bytes.length,
      ]),
    ).toEqual([
      ['alice', 'EXAMPLE.TEST', 1, 18, 32],
      ['HTTP/web.example.test', 'EXAMPLE.TEST', 300, 17, 16],
    ]);
    expect(toHex(kt.entries[1]!.key.bytes)).toBe('68d7ef0a9e174ba1e2e7b3a7de564988');
  });

  it('serializes back to the identical bytes', () => {
    expect(toHex(serializeKeytab(parseKeytab(file)))).toBe(toHex(file));
  });

  it('every truncation is a FormatError or a shorter keytab, never another error', () => {
    for (let n = 0; n < file.length; n++) {
      try {
        const kt = parseKeytab(file.subarray(0, n));
        expect(kt.entries.length).toBeLessThan(2);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
      }
    }
  });
});

describe('findKeytabEntries', () => {
  const p = (comps: string[], realm = 'R', nameType = 1) => ({ realm, nameType, components: comps });
  const e = (comps: string[], kvno: number, etype: number) => ({
    principal: p(comps),
    timestamp: new Date(0),
    kvno,
    key: { etype, bytes: new Uint8Array([kvno, etype]) },
  });
  const kt: Keytab = {
    version: 0x502,
    entries: [
      e(['svc', 'h'], 1, 18),
      e(['svc', 'h'], 2, 17),
      e(['svc', 'h'], 2, 18),
      e(['bob'], 9, 18),
      e(['svc', 'h'], 1, 23),
    ],
  };

  it.each([
    [
      'highest kvno, all enctypes',
      {},
      [
        [2, 17],
        [2, 18],
      ],
    ],
    ['highest kvno with enctype 18', { etype: 18 }, [[2, 18]]],
    ['highest kvno that has enctype 23', { etype: 23 }, [[1, 23]]],
    [
      'exact kvno',
      { kvno: 1 },
      [
        [1, 18],
        [1, 23],
      ],
    ],
    ['exact kvno and enctype', { kvno: 1, etype: 18 }, [[1, 18]]],
    ['missing kvno', { kvno: 5 }, []],
    ['missing enctype', { etype: 20 }, []],
  ])('%s', (_name, q, want) => {
    const got = findKeytabEntries(kt, { principal: p(['svc', 'h'], 'R', 3), ...q });
    expect(got.map((x) => [x.kvno, x.key.etype])).toEqual(want);
  });

  it('matches realm and components, not the name type', () => {
    expect(findKeytabEntry(kt, { principal: p(['bob'], 'R', 0) })?.kvno).toBe(9);
    expect(findKeytabEntry(kt, { principal: p(['bob'], 'OTHER') })).toBeUndefined();
    expect(findKeytabEntry(kt, { principal: p(['svc']) })).toBeUndefined();
  });
});

describe('serializeKeytab', () => {
  const text = fc.string({ minLength: 0, maxLength: 12 });
  const entry = fc.record({
    principal: fc.record({
      realm: text,
      nameType: fc.integer({ min: 0, max: 10 }),
      components: fc.array(text, { maxLength: 4 }),
    }),
    timestamp: fc.integer({ min: 0, max: 0xffffffff }).map((s) => new Date(s * 1000)),
    kvno: fc.integer({ min: 1, max: 0xffffffff }),
    key: fc.record({ etype: fc.integer({ min: 0, max: 0xffff }), bytes: fc.uint8Array({ maxLength: 40 }) }),
  });

  it('parse(serialize(k)) gives k back (property)', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), (entries) => {
        const kt: Keytab = { version: 0x502, entries };
        expect(parseKeytab(serializeKeytab(kt))).toEqual(kt);
      }),
    );
  });

  it('writes the 8-bit kvno as the low byte and the full kvno after the key', () => {
    const out = serializeKeytab({
      version: 0x502,
      entries: [
        {
          principal: { realm: 'R', nameType: 1, components: ['a'] },
          timestamp: new Date(0),
          kvno: 0x1234,
          key: { etype: 18, bytes: new Uint8Array([7]) },
        },
      ],
    });
    expect(toHex(out)).toBe(
      toHex(
        bytes(
          [5, 2],
          entryV2({ realm: 'R', comps: ['a'], ts: 0, vno8: 0x34, etype: 18, key: [7], vno32: 0x1234 }),
        ),
      ),
    );
  });

  it('refuses values that do not fit their fields', () => {
    const base = {
      principal: { realm: 'R', nameType: 1, components: ['a'] },
      timestamp: new Date(0),
      kvno: 1,
      key: { etype: 18, bytes: new Uint8Array(1) },
    };
    expect(() => serializeKeytab({ version: 0x502, entries: [{ ...base, kvno: -1 }] })).toThrow(FormatError);
    expect(() =>
      serializeKeytab({
        version: 0x502,
        entries: [{ ...base, key: { etype: 0x10000, bytes: new Uint8Array(1) } }],
      }),
    ).toThrow(FormatError);
    expect(() =>
      serializeKeytab({ version: 0x502, entries: [{ ...base, timestamp: new Date(Number.NaN) }] }),
    ).toThrow(FormatError);
  });
});

describe('parseKeytab on random input (property)', () => {
  it('returns a keytab or throws FormatError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, v1) => {
        try {
          parseKeytab(bytes([5, v1 ? 1 : 2], [...tail]));
        } catch (e) {
          expect(e).toBeInstanceOf(FormatError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
