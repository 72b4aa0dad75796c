import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Ccache, type Credential, parseCcache, serializeCcache } from '../../src/creds/ccache.js';
import { TicketFlag } from '../../src/creds/constants.js';
import { FormatError } from '../../src/errors.js';
import { toHex } from '../../src/util/bytes.js';
import { bytes, d32, u16, u32 } from './build.js';

// Principal per the MIT ccache format: name type, count, realm, components (32-bit lengths).
const princ = (nameType: number, realm: string, ...comps: string[]): number[] => [
  ...u32(nameType),
  ...u32(comps.length),
  ...d32(realm),
  ...comps.flatMap((c) => d32(c)),
];

const SESSION_KEY = Array.from({ length: 32 }, (_, i) => 0x10 + i);
const TICKET = [0x61, 0x03, 0x02, 0x01, 0x05];

// A TGT credential: keyblock, four times, is_skey, flags, one address, one authdata, ticket, empty second ticket.
const tgtCred = (v3 = false): number[] => [
  ...princ(1, 'EXAMPLE.TEST', 'alice'),
  ...princ(2, 'EXAMPLE.TEST', 'krbtgt', 'EXAMPLE.TEST'),
  ...u16(18),
  ...(v3 ? u16(18) : []),
  ...d32(SESSION_KEY),
  ...u32(1700000000),
  ...u32(1700000001),
  ...u32(1700036000),
  ...u32(1700600000),
  0,
  ...u32(0x40e10000),
  ...u32(1),
  ...u16(2),
  ...d32([127, 0, 0, 1]),
  ...u32(1),
  ...u16(1),
  ...d32([0x30, 0x00]),
  ...d32(TICKET),
  ...d32([]),
];

// A configuration entry: server krb5_ccache_conf_data/pa_type/krbtgt\/EXAMPLE.TEST\@EXAMPLE.TEST@X-CACHECONF:, all else zero.
const confCred = (): number[] => [
  ...princ(1, 'EXAMPLE.TEST', 'alice'),
  ...princ(0, 'X-CACHECONF:', 'krb5_ccache_conf_data', 'pa_type', 'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST'),
  ...u16(0),
  ...d32([]),
  ...u32(0),
  ...u32(0),
  ...u32(0),
  ...u32(0),
  0,
  ...u32(0),
  ...u32(0),
  ...u32(0),
  ...d32('2'),
  ...d32([]),
];

const V4_FILE = bytes(
  [5, 4],
  u16(12),
  u16(1),
  u16(8),
  u32(-5),
  u32(250000),
  princ(1, 'EXAMPLE.TEST', 'alice'),
  confCred(),
  tgtCred(),
);

const expectedTgt: Credential = {
  client: { realm: 'EXAMPLE.TEST', nameType: 1, components: ['alice'] },
  server: { realm: 'EXAMPLE.TEST', nameType: 2, components: ['krbtgt', 'EXAMPLE.TEST'] },
  key: { etype: 18, bytes: new Uint8Array(SESSION_KEY) },
  authtime: new Date(1700000000000),
  starttime: new Date(1700000001000),
  endtime: new Date(1700036000000),
  renewTill: new Date(1700600000000),
  isSkey: false,
  flags: 0x40e10000,
  addresses: [{ addrType: 2, address: new Uint8Array([127, 0, 0, 1]) }],
  authdata: [{ adType: 1, adData: new Uint8Array([0x30, 0x00]) }],
  ticket: new Uint8Array(TICKET),
  secondTicket: new Uint8Array(0),
};

describe('parseCcache (hand-built bytes, MIT ccache format)', () => {
  it('reads a v4 file: KDC time offset, default principal, a config entry and a TGT', () => {
    const cc = parseCcache(V4_FILE);
    expect(cc.version).toBe(0x504);
    expect(cc.kdcTimeOffset).toEqual({ seconds: -5, microseconds: 250000 });
    expect(cc.otherHeaderFields).toEqual([]);
    expect(cc.defaultPrincipal).toEqual({ realm: 'EXAMPLE.TEST', nameType: 1, components: ['alice'] });
    expect(cc.credentials).toHaveLength(2);
    expect(cc.credentials[0]!.server.components).toEqual([
      'krb5_ccache_conf_data',
      'pa_type',
      'krbtgt/EXAMPLE.TEST@EXAMPLE.TEST',
    ]);
    expect(cc.credentials[0]!.ticket).toEqual(new Uint8Array([0x32]));
    expect(cc.credentials[0]!.starttime).toBeUndefined();
    expect(cc.credentials[0]!.renewTill).toBeUndefined();
    expect(cc.credentials[1]).toEqual(expectedTgt);
  });

  it('reads the ticket flags as MIT stores them (forwardable, renewable, initial, pre-authent, enc-pa-rep)', () => {
    const f = parseCcache(V4_FILE).credentials[1]!.flags;
    const set = Object.entries(TicketFlag)
      .filter(([, bit]) => (f & bit) !== 0)
      .map(([n]) => n);
    expect(set).toEqual(['forwardable', 'renewable', 'initial', 'preAuthent', 'encPaRep']);
  });

  it('reads a v3 file (no header, enctype written twice)', () => {
    const cc = parseCcache(bytes([5, 3], princ(1, 'EXAMPLE.TEST', 'alice'), tgtCred(true)));
    expect(cc.version).toBe(0x503);
    expect(cc.kdcTimeOffset).toBeUndefined();
    expect(cc.credentials).toEqual([expectedTgt]);
  });

  it('keeps unknown header fields and an empty cache', () => {
    const input = bytes([5, 4], u16(7), u16(0x99), u16(3), [1, 2, 3], princ(1, 'R', 'a'));
    const cc = parseCcache(input);
    expect(cc.otherHeaderFields).toEqual([{ tag: 0x99, value: new Uint8Array([1, 2, 3]) }]);
    expect(cc.credentials).toEqual([]);
    expect(toHex(serializeCcache(cc))).toBe(toHex(input));
  });

  it.each([
    ['version 2 (host byte order)', bytes([5, 2]), 0],
    ['not a ccache', bytes([4, 4]), 0],
    ['header length beyond the file', bytes([5, 4], u16(50)), 4],
    ['header field overrunning the header', bytes([5, 4], u16(4), u16(9), u16(1), princ(1, 'R')), 4],
    [
      'time offset field of the wrong length',
      bytes([5, 4], u16(8), u16(1), u16(4), u32(0), princ(1, 'R')),
      4,
    ],
    ['component count that cannot fit', bytes([5, 4], u16(0), u32(1), u32(0x40000000), d32('R')), 8],
    ['realm length beyond the file', bytes([5, 4], u16(0), u32(1), u32(0), u32(0xfffffff0)), 12],
    [
      'address count that cannot fit',
      bytes([5, 4], u16(0), princ(1, 'R'), tgtCred().slice(0, 142), u32(1000)),
      4 + 13 + 142,
    ],
  ])('refuses %s with a FormatError at the right offset', (_name, input, offset) => {
    let err: unknown;
    try {
      parseCcache(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).offset).toBe(offset);
  });

  it('every truncation of a valid file is a FormatError or a cache with fewer credentials', () => {
    for (let n = 0; n < V4_FILE.length; n++) {
      try {
        expect(parseCcache(V4_FILE.subarray(0, n)).credentials.length).toBeLessThan(2);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
      }
    }
  });

  it('random bytes give a ccache or a FormatError (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(3, 4), (tail, v) => {
        try {
          parseCcache(bytes([5, v], [...tail]));
        } catch (e) {
          expect(e).toBeInstanceOf(FormatError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('serializeCcache', () => {
  it('writes the hand-built v4 file back byte for byte', () => {
    expect(toHex(serializeCcache(parseCcache(V4_FILE)))).toBe(toHex(V4_FILE));
  });

  it('writes v3 with the enctype twice and no header', () => {
    const v3 = bytes([5, 3], princ(1, 'EXAMPLE.TEST', 'alice'), tgtCred(true));
    expect(toHex(serializeCcache(parseCcache(v3)))).toBe(toHex(v3));
  });

  it('writes no header field when there is no KDC time offset', () => {
    const cc: Ccache = {
      version: 0x504,
      otherHeaderFields: [],
      defaultPrincipal: { realm: 'R', nameType: 1, components: ['a'] },
      credentials: [],
    };
    expect(toHex(serializeCcache(cc))).toBe(toHex(bytes([5, 4], u16(0), princ(1, 'R', 'a'))));
  });

  it('refuses times before 1970 or after 2106 and flags beyond 32 bits', () => {
    const cc = parseCcache(V4_FILE);
    const bad = (c: Partial<Credential>) => ({ ...cc, credentials: [{ ...expectedTgt, ...c }] });
    expect(() => serializeCcache(bad({ endtime: new Date(-1000) }))).toThrow(FormatError);
    expect(() => serializeCcache(bad({ renewTill: new Date(2 ** 32 * 1000) }))).toThrow(FormatError);
    expect(() => serializeCcache(bad({ flags: 2 ** 32 }))).toThrow(FormatError);
  });

  const text = fc.string({ maxLength: 10 });
  const principal = fc.record({
    realm: text,
    nameType: fc.integer({ min: 0, max: 0xffffffff }),
    components: fc.array(text, { maxLength: 3 }),
  });
  const secs = fc.integer({ min: 1, max: 0xffffffff }).map((s) => new Date(s * 1000));
  const u16v = fc.integer({ min: 0, max: 0xffff });
  const credential = fc.record(
    {
      client: principal,
      server: principal,
      key: fc.record({ etype: u16v, bytes: fc.uint8Array({ maxLength: 32 }) }),
      authtime: secs,
      starttime: secs,
      endtime: secs,
      renewTill: secs,
      isSkey: fc.boolean(),
      flags: fc.integer({ min: 0, max: 0xffffffff }),
      addresses: fc.array(fc.record({ addrType: u16v, address: fc.uint8Array({ maxLength: 16 }) }), {
        maxLength: 2,
      }),
      authdata: fc.array(fc.record({ adType: u16v, adData: fc.uint8Array({ maxLength: 16 }) }), {
        maxLength: 2,
      }),
      ticket: fc.uint8Array({ maxLength: 64 }),
      secondTicket: fc.uint8Array({ maxLength: 8 }),
    },
    {
      requiredKeys: [
        'client',
        'server',
        'key',
        'authtime',
        'endtime',
        'isSkey',
        'flags',
        'addresses',
        'authdata',
        'ticket',
        'secondTicket',
      ],
    },
  );

  it('parse(serialize(c)) gives c back, v3 and v4 (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x503, 0x504),
        principal,
        fc.array(credential, { maxLength: 3 }),
        fc.option(
          fc.record({
            seconds: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
            microseconds: fc.integer({ min: 0, max: 999999 }),
          }),
          { nil: undefined },
        ),
        (version, defaultPrincipal, credentials, off) => {
          const cc: Ccache = {
            version,
            otherHeaderFields: [],
            defaultPrincipal,
            credentials,
            ...(off && version === 0x504 ? { kdcTimeOffset: off } : {}),
          };
          expect(parseCcache(serializeCcache(cc))).toEqual(cc);
        },
      ),
    );
  });
});
