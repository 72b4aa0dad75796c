import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { readCapture } from '../../src/pcap/capture.js';
import { concat } from '../../src/util/bytes.js';
import { pcapFile, pcapngSection } from './fixtures.js';

const A = Uint8Array.of(1, 2, 3);
const B = Uint8Array.of(4, 5, 6, 7, 8);

describe('libpcap files', () => {
  it.each([
    { little: true, nano: false, frac: 123456, ns: 1700000000_123456000n },
    { little: false, nano: false, frac: 123456, ns: 1700000000_123456000n },
    { little: true, nano: true, frac: 123456789, ns: 1700000000_123456789n },
    { little: false, nano: true, frac: 123456789, ns: 1700000000_123456789n },
  ])(
    'little-endian $little, nanoseconds $nano: packets, link type and time',
    ({ little, nano, frac, ns }) => {
      const file = pcapFile({
        little,
        nano,
        linkType: 113,
        packets: [
          { sec: 1700000000, frac, data: A },
          { sec: 1700000001, frac: 0, data: B },
        ],
      });
      const c = readCapture(file);
      expect(c.format).toBe('pcap');
      expect(c.littleEndian).toBe(little);
      expect(c.interfaces).toEqual([
        { linkType: 113, snapLength: 262144, unitsPerSecond: nano ? 10n ** 9n : 10n ** 6n },
      ]);
      expect(c.packets.map((p) => [p.frame, p.linkType, [...p.data]])).toEqual([
        [1, 113, [1, 2, 3]],
        [2, 113, [4, 5, 6, 7, 8]],
      ]);
      expect(c.packets[0]!.timestampNs).toBe(ns);
      expect(c.packets[1]!.timestampNs).toBe(1700000001_000000000n);
      expect(c.warnings).toEqual([]);
    },
  );

  it('the FCS bits above the link type are ignored', () => {
    const file = pcapFile({ little: true, nano: false, linkType: 0x14000001, packets: [] });
    expect(readCapture(file).interfaces[0]!.linkType).toBe(1);
  });

  it('a file cut inside a packet keeps the packets before the cut and warns', () => {
    const file = pcapFile({
      little: true,
      nano: false,
      linkType: 1,
      packets: [
        { sec: 1, frac: 0, data: A },
        { sec: 2, frac: 0, data: B },
      ],
    });
    const c = readCapture(file.subarray(0, file.length - 2));
    expect(c.packets).toHaveLength(1);
    expect(c.warnings[0]).toMatch(/cut short inside packet 2/);
    const c2 = readCapture(file.subarray(0, 24 + 16 + 3 + 7));
    expect(c2.packets).toHaveLength(1);
    expect(c2.warnings[0]).toMatch(/cut short in a packet header/);
  });

  it.each([
    ['a version other than 2', (f: Uint8Array) => f.set([3, 0], 4), /version 3/],
    ['a captured length over 256 KiB', (f: Uint8Array) => f.set([0, 0, 5, 0], 24 + 8), /captured length/],
    ['microseconds of 10^6 or more', (f: Uint8Array) => f.set([0x40, 0x42, 0x0f, 0], 24 + 4), /sub-second/],
  ])('FormatError for %s', (_, mutate, message) => {
    const file = pcapFile({
      little: true,
      nano: false,
      linkType: 1,
      packets: [{ sec: 1, frac: 0, data: A }],
    });
    mutate(file);
    expect(() => readCapture(file)).toThrow(FormatError);
    expect(() => readCapture(file)).toThrow(message);
  });
});

describe('pcapng files', () => {
  it.each([true, false])(
    'little-endian %s: EPBs on two interfaces with their own time resolution',
    (little) => {
      const file = pcapngSection({
        little,
        interfaces: [{ linkType: 1 }, { linkType: 276, tsresol: 9 }],
        packets: [
          { iface: 0, ts: 1700000000_123456n, data: A },
          { iface: 1, ts: 1700000000_987654321n, data: B },
        ],
      });
      const c = readCapture(file);
      expect(c.format).toBe('pcapng');
      expect(c.littleEndian).toBe(little);
      expect(c.interfaces.map((i) => [i.linkType, i.unitsPerSecond])).toEqual([
        [1, 10n ** 6n],
        [276, 10n ** 9n],
      ]);
      expect(c.packets.map((p) => [p.interfaceId, p.linkType, p.timestampNs, [...p.data]])).toEqual([
        [0, 1, 1700000000_123456000n, [1, 2, 3]],
        [1, 276, 1700000000_987654321n, [4, 5, 6, 7, 8]],
      ]);
    },
  );

  it('if_tsresol as a power of two', () => {
    const file = pcapngSection({
      little: true,
      interfaces: [{ linkType: 1, tsresol: 0x80 | 10 }],
      packets: [{ ts: 1024n * 3n + 512n, data: A }],
    });
    expect(readCapture(file).packets[0]!.timestampNs).toBe(3_500_000_000n);
  });

  it('simple packet blocks (no time, snap length applied) and obsolete packet blocks', () => {
    const file = pcapngSection({
      little: true,
      interfaces: [{ linkType: 101, snapLength: 4 }],
      packets: [
        { kind: 'spb', data: B },
        { kind: 'pb', ts: 5_000_000n, data: A },
      ],
    });
    const c = readCapture(file);
    expect(c.packets.map((p) => [p.timestampNs, [...p.data], p.originalLength])).toEqual([
      [0n, [4, 5, 6, 7], 5],
      [5_000_000_000n, [1, 2, 3], 3],
    ]);
  });

  it('unknown blocks are skipped; a second section may change byte order and restarts interface numbering', () => {
    const file = concat(
      pcapngSection({
        little: true,
        unknownBlocks: 2,
        interfaces: [{ linkType: 1 }],
        packets: [{ data: A }],
      }),
      pcapngSection({ little: false, interfaces: [{ linkType: 113 }], packets: [{ iface: 0, data: B }] }),
    );
    const c = readCapture(file);
    expect(c.littleEndian).toBe(true);
    expect(c.packets.map((p) => [p.frame, p.linkType, p.data.length])).toEqual([
      [1, 1, 3],
      [2, 113, 5],
    ]);
  });

  it('a file cut inside a block keeps the packets before it and warns', () => {
    const file = pcapngSection({
      little: true,
      interfaces: [{ linkType: 1 }],
      packets: [{ data: A }, { data: B }],
    });
    const c = readCapture(file.subarray(0, file.length - 4));
    expect(c.packets).toHaveLength(1);
    expect(c.warnings[0]).toMatch(/cut short inside a block/);
  });

  const one = (): Uint8Array =>
    pcapngSection({ little: true, interfaces: [{ linkType: 1 }], packets: [{ data: A }] });
  const SHB = 28;
  const IDB = 20;
  it.each([
    ['a bad byte-order magic', (f: Uint8Array) => f.set([0, 0, 0, 0], 8), /byte-order magic/],
    ['version 2', (f: Uint8Array) => f.set([2, 0], 12), /version 2/],
    [
      'a block length that is not a multiple of 4',
      (f: Uint8Array) => f.set([21, 0, 0, 0], SHB + 4),
      /block length 21/,
    ],
    ['a block length under 12', (f: Uint8Array) => f.set([8, 0, 0, 0], SHB + 4), /block length 8/],
    ['trailing length differing', (f: Uint8Array) => f.set([0, 1, 0, 0], SHB + IDB - 4), /differ/],
    [
      'a packet on an undescribed interface',
      (f: Uint8Array) => f.set([3, 0, 0, 0], SHB + IDB + 8),
      /interface 3/,
    ],
    [
      'a captured length past the block',
      (f: Uint8Array) => f.set([200, 0, 0, 0], SHB + IDB + 20),
      /exceeds its block/,
    ],
  ])('FormatError for %s', (_, mutate, message) => {
    const file = one();
    mutate(file);
    expect(() => readCapture(file)).toThrow(FormatError);
    expect(() => readCapture(file)).toThrow(message);
  });

  it('FormatError for an interface block too short for its fields', () => {
    const shb = one().subarray(0, SHB);
    const tiny = Uint8Array.of(1, 0, 0, 0, 12, 0, 0, 0, 12, 0, 0, 0);
    expect(() => readCapture(concat(shb, tiny))).toThrow(/too short \(12 bytes\)/);
  });

  it('FormatError when a pcapng block precedes any section header', () => {
    const file = one();
    expect(() => readCapture(concat(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a), file.subarray(SHB + 4)))).toThrow(
      FormatError,
    );
  });
});

describe('not a capture', () => {
  it.each([
    ['empty', new Uint8Array(0)],
    ['three bytes', Uint8Array.of(0xd4, 0xc3, 0xb2)],
    ['a keytab', Uint8Array.of(5, 2, 0, 0, 0, 0)],
    ['a pcap header cut short', Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 2, 0)],
  ])('%s is a FormatError', (_, bytes) => {
    expect(() => readCapture(bytes)).toThrow(FormatError);
  });
});
