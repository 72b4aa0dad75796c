import { describe, expect, it } from 'vitest';
import { Defragmenter, ipPayload, ipv6Text } from '../../src/pcap/ip.js';
import { ipv4, ipv6, udp } from './fixtures.js';

const payload = udp(
  5000,
  88,
  Uint8Array.from({ length: 40 }, (_, i) => i),
);

describe('IPv4 (RFC 791)', () => {
  it('a whole packet: addresses, protocol, payload trimmed to the total length (Ethernet padding dropped)', () => {
    const padded = new Uint8Array([...ipv4('10.0.0.1', '192.168.1.20', 17, payload), 0, 0, 0, 0]);
    const r = ipPayload({ version: 4, bytes: padded }, new Defragmenter());
    expect(r).toMatchObject({ kind: 'packet', src: '10.0.0.1', dst: '192.168.1.20', proto: 17 });
    expect(r.kind === 'packet' && [...r.payload]).toEqual([...payload]);
  });

  it('fragments in any order are reassembled (offsets in 8-byte units, MF flag)', () => {
    const first = payload.subarray(0, 24);
    const second = payload.subarray(24);
    const d = new Defragmenter();
    const f2 = ipv4('10.0.0.1', '10.0.0.2', 17, second, { id: 7, frag: 3 });
    const f1 = ipv4('10.0.0.1', '10.0.0.2', 17, first, { id: 7, frag: 0x2000 });
    expect(ipPayload({ version: 4, bytes: f2 }, d)).toEqual({ kind: 'held' });
    const r = ipPayload({ version: 4, bytes: f1 }, d);
    expect(r.kind === 'packet' && [...r.payload]).toEqual([...payload]);
  });

  it.each([
    ['a header cut short', ipv4('1.1.1.1', '2.2.2.2', 17, payload).subarray(0, 12), /cut short/],
    [
      'a packet longer than captured',
      ipv4('1.1.1.1', '2.2.2.2', 17, payload).subarray(0, 30),
      /cut short by the capture/,
    ],
    [
      'an IHL under 5',
      Uint8Array.from([0x44, ...ipv4('1.1.1.1', '2.2.2.2', 17, payload).subarray(1)]),
      /lengths/,
    ],
  ])('%s is skipped with a reason', (_, bytes, reason) => {
    const r = ipPayload({ version: 4, bytes }, new Defragmenter());
    expect(r.kind).toBe('skip');
    expect(r.kind === 'skip' && r.reason).toMatch(reason);
  });

  it('a packet the snap length cut is skipped, with its ports when the UDP or TCP header was captured', () => {
    const cut = ipv4('1.1.1.1', '2.2.2.2', 17, payload).subarray(0, 30);
    expect(ipPayload({ version: 4, bytes: cut }, new Defragmenter())).toEqual({
      kind: 'skip',
      reason: 'IPv4 packet cut short by the capture (snap length)',
      ports: [5000, 88],
    });
    const v6 = ipv6('::1', '::2', 6, payload).subarray(0, 46);
    expect(ipPayload({ version: 6, bytes: v6 }, new Defragmenter())).toMatchObject({ ports: [5000, 88] });
  });

  it('fragments adding up past 65535 bytes are refused', () => {
    const f = ipv4('1.1.1.1', '2.2.2.2', 17, new Uint8Array(64), { frag: 0x1fff });
    expect(ipPayload({ version: 4, bytes: f }, new Defragmenter())).toMatchObject({ kind: 'skip' });
  });

  it('a thousand 8-byte fragments in reverse order make the datagram (work linear in the bytes)', () => {
    const big = Uint8Array.from({ length: 8000 }, (_, i) => i & 0xff);
    const d = new Defragmenter();
    let last: Uint8Array | string = 'held';
    for (let i = 999; i >= 0; i--) last = d.add('k', i * 8, i !== 999, big.subarray(i * 8, i * 8 + 8));
    expect(last instanceof Uint8Array && [...last]).toEqual([...big]);
  });

  it.each([
    [
      'a fragment past the end the last fragment set',
      [
        [16, false, 8],
        [24, true, 8],
      ],
    ],
    [
      'two last fragments that disagree',
      [
        [16, false, 8],
        [24, false, 8],
      ],
    ],
  ] as const)('%s is refused', (_, frags) => {
    const d = new Defragmenter();
    const results = frags.map(([offset, more, n]) => d.add('k', offset, more, new Uint8Array(n)));
    expect(results.at(-1)).toBe('bad');
  });

  it('incomplete datagrams are bounded: the oldest is dropped', () => {
    const d = new Defragmenter();
    for (let id = 0; id < 300; id++)
      ipPayload({ version: 4, bytes: ipv4('1.1.1.1', '2.2.2.2', 17, payload, { id, frag: 0x2000 }) }, d);
    expect(d.dropped).toBe(300 - 256);
  });
});

describe('IPv6 (RFC 8200)', () => {
  it('a plain packet', () => {
    const r = ipPayload({ version: 6, bytes: ipv6('2001:db8::1', '::1', 17, payload) }, new Defragmenter());
    expect(r).toMatchObject({ kind: 'packet', src: '2001:db8::1', dst: '::1', proto: 17 });
  });

  it('hop-by-hop and destination options headers are skipped', () => {
    const hop = Uint8Array.of(60, 0, 1, 4, 0, 0, 0, 0);
    const dest = Uint8Array.of(17, 1, ...new Array(14).fill(0));
    const r = ipPayload(
      { version: 6, bytes: ipv6('::1', '::2', 0, new Uint8Array([...hop, ...dest, ...payload])) },
      new Defragmenter(),
    );
    expect(r).toMatchObject({ kind: 'packet', proto: 17 });
    expect(r.kind === 'packet' && [...r.payload]).toEqual([...payload]);
  });

  it('fragment headers are reassembled', () => {
    const frag = (offset: number, more: boolean, data: Uint8Array): Uint8Array =>
      ipv6(
        '::1',
        '::2',
        44,
        Uint8Array.of(
          17,
          0,
          (offset >> 5) & 0xff,
          ((offset << 3) & 0xf8) | (more ? 1 : 0),
          0,
          0,
          0,
          9,
          ...data,
        ),
      );
    const d = new Defragmenter();
    expect(ipPayload({ version: 6, bytes: frag(0, true, payload.subarray(0, 16)) }, d)).toEqual({
      kind: 'held',
    });
    const r = ipPayload({ version: 6, bytes: frag(2, false, payload.subarray(16)) }, d);
    expect(r.kind === 'packet' && [...r.payload]).toEqual([...payload]);
  });

  it('extension headers running past the packet are skipped with a reason', () => {
    const r = ipPayload(
      { version: 6, bytes: ipv6('::1', '::2', 0, Uint8Array.of(17, 9, 0, 0, 0, 0, 0, 0)) },
      new Defragmenter(),
    );
    expect(r.kind).toBe('skip');
  });

  it.each([
    ['00000000000000000000000000000001', '::1'],
    ['20010db8000000000000000000000001', '2001:db8::1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['20010db8000100010001000100010001', '2001:db8:1:1:1:1:1:1'],
    ['20010db8000000010001000100010001', '2001:db8:0:1:1:1:1:1'],
    ['00000000000000000000000000000000', '::'],
  ])('RFC 5952 text of %s is %s', (hex, text) => {
    expect(ipv6Text(Uint8Array.from(hex.match(/../g)!.map((h) => Number.parseInt(h, 16))))).toBe(text);
  });
});
