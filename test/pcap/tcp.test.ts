import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/pcap/segment.js';
import { TcpReassembler } from '../../src/pcap/tcp.js';
import { record } from './fixtures.js';

const client = { addr: '127.0.0.1', port: 40000 };
const kdc = { addr: '127.0.0.1', port: 88 };
const SYN = 0x02;
const ACK = 0x10;

const msg = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

function seg(seq: number, payload: Uint8Array, flags = ACK, from = client, to = kdc): Segment {
  return { transport: 'tcp', src: from, dst: to, payload, seq: seq >>> 0, flags };
}

/** Feeds segments and returns every record, as arrays for comparison. */
function feed(segments: Segment[]): { records: number[][]; problems: string[]; retransmissions: number } {
  const t = new TcpReassembler();
  const records = segments.flatMap((s) => t.push(s)).map((r) => [...r]);
  const retransmissions = t.retransmissions;
  return { records, problems: t.finish(), retransmissions };
}

const ISN = 1000;

describe('TCP reassembly of Kerberos records (RFC 4120 7.2.2)', () => {
  it('a record in one segment after the SYN', () => {
    const r = feed([seg(ISN, new Uint8Array(0), SYN), seg(ISN + 1, record(msg(5, 7)))]);
    expect(r.records).toEqual([[7, 7, 7, 7, 7]]);
    expect(r.problems).toEqual([]);
  });

  it('a record split over segments, even inside the length marker', () => {
    const bytes = record(msg(10, 1));
    const r = feed([
      seg(ISN, new Uint8Array(0), SYN),
      seg(ISN + 1, bytes.subarray(0, 2)),
      seg(ISN + 3, bytes.subarray(2, 9)),
      seg(ISN + 10, bytes.subarray(9)),
    ]);
    expect(r.records).toEqual([[...msg(10, 1)]]);
  });

  it('two records in one segment', () => {
    const r = feed([
      seg(ISN, new Uint8Array(0), SYN),
      seg(ISN + 1, new Uint8Array([...record(msg(2, 1)), ...record(msg(3, 2))])),
    ]);
    expect(r.records).toEqual([
      [1, 1],
      [2, 2, 2],
    ]);
  });

  it('a retransmitted segment is ignored and counted', () => {
    const bytes = record(msg(6, 3));
    const r = feed([
      seg(ISN, new Uint8Array(0), SYN),
      seg(ISN + 1, bytes.subarray(0, 5)),
      seg(ISN + 1, bytes.subarray(0, 5)),
      seg(ISN + 6, bytes.subarray(5)),
    ]);
    expect(r.records).toEqual([[...msg(6, 3)]]);
    expect(r.retransmissions).toBe(1);
  });

  it('a retransmission overlapping new data contributes only the new bytes', () => {
    const bytes = record(msg(6, 3));
    const r = feed([
      seg(ISN, new Uint8Array(0), SYN),
      seg(ISN + 1, bytes.subarray(0, 5)),
      seg(ISN + 3, bytes.subarray(2)),
    ]);
    expect(r.records).toEqual([[...msg(6, 3)]]);
  });

  it('out-of-order segments wait for the gap to fill', () => {
    const bytes = record(Uint8Array.from({ length: 12 }, (_, i) => i));
    const r = feed([
      seg(ISN, new Uint8Array(0), SYN),
      seg(ISN + 9, bytes.subarray(8)),
      seg(ISN + 5, bytes.subarray(4, 8)),
      seg(ISN + 1, bytes.subarray(0, 4)),
    ]);
    expect(r.records).toEqual([[...Array.from({ length: 12 }, (_, i) => i)]]);
  });

  it('sequence numbers wrap around 2^32', () => {
    const bytes = record(msg(8, 9));
    const isn = 0xfffffffa;
    const r = feed([
      seg(isn, new Uint8Array(0), SYN),
      seg(isn + 1, bytes.subarray(0, 6)),
      seg(isn + 7, bytes.subarray(6)),
    ]);
    expect(r.records).toEqual([[...msg(8, 9)]]);
  });

  it('the two directions are separate streams', () => {
    const r = feed([
      seg(ISN, new Uint8Array(0), SYN),
      seg(5000, new Uint8Array(0), SYN | ACK, kdc, client),
      seg(ISN + 1, record(msg(1, 1))),
      seg(5001, record(msg(2, 2)), ACK, kdc, client),
    ]);
    expect(r.records).toEqual([[1], [2, 2]]);
  });

  it('the whole connection seen twice (tshark -i lo -i any writes one interface after the other) gives each record once', () => {
    const conn = [seg(ISN, new Uint8Array(0), SYN), seg(ISN + 1, record(msg(2, 5)))];
    const r = feed([...conn, ...conn]);
    expect(r.records).toEqual([[5, 5]]);
    expect(r.retransmissions).toBe(1);
  });

  it('a new SYN on the same ports starts a new connection', () => {
    const r = feed([
      seg(ISN, new Uint8Array(0), SYN),
      seg(ISN + 1, record(msg(1, 1))),
      seg(77, new Uint8Array(0), SYN),
      seg(78, record(msg(1, 2))),
    ]);
    expect(r.records).toEqual([[1], [2]]);
  });

  it('a capture that began mid-connection starts at the first segment seen', () => {
    expect(feed([seg(123456, record(msg(3, 4)))]).records).toEqual([[4, 4, 4]]);
  });

  it.each([
    [
      'a record marker with the RFC 5021 extension bit',
      Uint8Array.of(0x80, 0, 0, 4, 1, 2, 3, 4),
      /reserved high bit/,
    ],
    ['a record longer than 1 MiB', Uint8Array.of(0x00, 0x20, 0, 0), /exceeds/],
  ])('%s stops the direction with a reason', (_, bytes, reason) => {
    const r = feed([
      seg(ISN, new Uint8Array(0), SYN),
      seg(ISN + 1, bytes),
      seg(ISN + 1 + bytes.length, record(msg(1, 1))),
    ]);
    expect(r.records).toEqual([]);
    expect(r.problems.join('\n')).toMatch(reason);
  });

  it('an incomplete record and a missing segment are reported at the end', () => {
    const bytes = record(msg(10, 1));
    const r = feed([
      seg(ISN, new Uint8Array(0), SYN),
      seg(ISN + 1, bytes.subarray(0, 3)),
      seg(ISN + 8, bytes.subarray(7)),
    ]);
    expect(r.records).toEqual([]);
    expect(r.problems.join('\n')).toMatch(/incomplete record.*a segment is missing/);
  });

  it('a 256 KiB record sent one byte per segment is reassembled in linear time', () => {
    const body = Uint8Array.from({ length: 256 * 1024 }, (_, i) => i & 0xff);
    const bytes = new Uint8Array(4 + body.length);
    new DataView(bytes.buffer).setUint32(0, body.length);
    bytes.set(body, 4);
    const t = new TcpReassembler();
    t.push(seg(ISN, new Uint8Array(0), SYN));
    const out: Uint8Array[] = [];
    const started = performance.now();
    for (let i = 0; i < bytes.length; i++) out.push(...t.push(seg(ISN + 1 + i, bytes.subarray(i, i + 1))));
    expect(performance.now() - started).toBeLessThan(20000);
    expect(out).toHaveLength(1);
    expect(out[0]!.length).toBe(body.length);
    expect(out[0]![1000]).toBe(1000 & 0xff);
  });

  it('out-of-order data is bounded: past 1024 held segments the direction gives up', () => {
    const segments = [seg(ISN, new Uint8Array(0), SYN)];
    for (let i = 0; i < 1100; i++) segments.push(seg(ISN + 100 + i * 2, Uint8Array.of(1)));
    const r = feed(segments);
    expect(r.problems.join('\n')).toMatch(/too much out-of-order data/);
  });

  it('property: any segmentation, order and duplication of a stream yields its records exactly', () => {
    const records = fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(
        records,
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.nat(),
        (msgs, cuts, isn, shuffleSeed) => {
          const stream = new Uint8Array(msgs.flatMap((m) => [...record(m)]));
          const points = [...new Set(cuts.map((c) => c % stream.length))].sort((a, b) => a - b);
          const bounds = [0, ...points.filter((p) => p > 0), stream.length];
          const pieces: Segment[] = [];
          for (let i = 0; i + 1 < bounds.length; i++)
            pieces.push(seg(isn + 1 + bounds[i]!, stream.subarray(bounds[i]!, bounds[i + 1]!)));
          // A deterministic shuffle that keeps the first piece first (so the stream is anchored) and duplicates one.
          const rest = pieces.slice(1);
          for (let i = rest.length - 1; i > 0; i--) {
            const j = (shuffleSeed + i * 7) % (i + 1);
            [rest[i], rest[j]] = [rest[j]!, rest[i]!];
          }
          const order = [
            seg(isn, new Uint8Array(0), SYN),
            pieces[0]!,
            ...rest,
            ...(rest.length > 0 ? [rest[0]!] : []),
          ];
          const r = feed(order);
          expect(r.records).toEqual(msgs.map((m) => [...m]));
          expect(r.problems).toEqual([]);
        },
      ),
    );
  });
});
