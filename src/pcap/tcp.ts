/**
 * TCP reassembly for Kerberos: each direction's bytes put back in sequence order (retransmissions and overlaps
 * trimmed, out-of-order segments held until the gap fills) and cut into records at the 4-byte length marker
 * (RFC 4120 7.2.2). Everything held is bounded; a direction that exceeds a bound stops with a reason.
 */
import { Limits, RECORD_EXTENSION_BIT, RECORD_MARKER_LENGTH, TcpFlag } from './constants.js';
import { endpointText, type Segment } from './segment.js';

/** Signed distance from sequence number `b` to `a`, modulo 2^32. */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** One direction of one connection. */
class Direction {
  nextSeq: number | undefined;
  isn: number | undefined;
  readonly pending = new Map<number, Uint8Array>();
  pendingBytes = 0;
  /** The held segment that starts first. */
  lowest: number | undefined;
  /** In-order bytes not yet cut into records, and their total. */
  chunks: Uint8Array[] = [];
  size = 0;
  /** Stream mode: in-order bytes are handed on as they come, not cut into records. */
  stream = false;
  /** Length of the record being collected, once its marker has been read. */
  recordLength: number | undefined;
  broken: string | undefined;
  midStream = false;
  retransmitted = 0;

  constructor(readonly name: string) {}

  /** Takes the first `n` bytes (n <= size) out of the chunks; linear in the chunks it consumes and keeps. */
  take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    let i = 0;
    while (filled < n) {
      const c = this.chunks[i]!;
      const want = Math.min(n - filled, c.length);
      out.set(c.subarray(0, want), filled);
      filled += want;
      if (want === c.length) i++;
      else this.chunks[i] = c.subarray(want);
    }
    this.chunks = this.chunks.slice(i);
    this.size -= n;
    return out;
  }

  /** Appends in-order bytes and returns the records they complete. */
  append(data: Uint8Array, records: Uint8Array[]): void {
    if (data.length === 0) return;
    if (this.stream) {
      records.push(data);
      return;
    }
    this.chunks.push(data);
    this.size += data.length;
    while (this.broken === undefined) {
      if (this.recordLength === undefined) {
        if (this.size < RECORD_MARKER_LENGTH) break;
        const marker = new DataView(this.take(RECORD_MARKER_LENGTH).buffer).getUint32(0);
        if ((marker & RECORD_EXTENSION_BIT) !== 0)
          this.broken = 'record marker has the reserved high bit set (RFC 5021 extensions are not read)';
        else if (marker > Limits.MAX_RECORD)
          this.broken = `record length ${marker} exceeds ${Limits.MAX_RECORD} bytes`;
        else this.recordLength = marker;
        continue;
      }
      if (this.size < this.recordLength) break;
      records.push(this.take(this.recordLength));
      this.recordLength = undefined;
    }
    if (this.broken !== undefined) {
      this.chunks = [];
      this.size = 0;
    }
  }

  /** Feeds one segment's payload at `seq`. */
  data(seq: number, payload: Uint8Array, records: Uint8Array[]): void {
    if (payload.length === 0) return;
    if (this.nextSeq === undefined) {
      this.nextSeq = seq;
      this.midStream = true;
    }
    const d = seqDiff(seq, this.nextSeq);
    if (d > 0) {
      this.hold(seq, payload);
      return;
    }
    this.inOrder(seq, payload, records);
    this.drain(records);
  }

  inOrder(seq: number, payload: Uint8Array, records: Uint8Array[]): void {
    const skip = -seqDiff(seq, this.nextSeq!);
    if (skip >= payload.length) {
      this.retransmitted++;
      return;
    }
    this.nextSeq = (this.nextSeq! + payload.length - skip) >>> 0;
    this.append(payload.subarray(skip), records);
  }

  hold(seq: number, payload: Uint8Array): void {
    const had = this.pending.get(seq);
    if (had !== undefined && had.length >= payload.length) {
      this.retransmitted++;
      return;
    }
    this.pendingBytes += payload.length - (had?.length ?? 0);
    this.pending.set(seq, payload);
    if (this.lowest === undefined || seqDiff(seq, this.lowest) < 0) this.lowest = seq;
    if (this.pendingBytes > Limits.MAX_PENDING_BYTES || this.pending.size > Limits.MAX_PENDING_SEGMENTS) {
      this.broken = 'too much out-of-order data waiting for a missing segment';
      this.pending.clear();
      this.pendingBytes = 0;
      this.lowest = undefined;
    }
  }

  /** Feeds held segments that the stream has reached, lowest first; only the lowest is looked at each time. */
  drain(records: Uint8Array[]): void {
    while (
      this.lowest !== undefined &&
      this.broken === undefined &&
      seqDiff(this.lowest, this.nextSeq!) <= 0
    ) {
      const seq = this.lowest;
      const payload = this.pending.get(seq)!;
      this.pending.delete(seq);
      this.pendingBytes -= payload.length;
      this.lowest = undefined;
      for (const s of this.pending.keys())
        if (this.lowest === undefined || seqDiff(s, this.lowest) < 0) this.lowest = s;
      this.inOrder(seq, payload, records);
    }
  }
}

/** How a direction's in-order bytes are handed on: cut into Kerberos records, or as they come (`stream`). */
export type TcpFraming = 'records' | 'stream';

/** Follows every TCP direction of a capture. */
export class TcpReassembler {
  readonly #dirs = new Map<string, Direction>();

  /** `framingOf` picks each direction's framing when its first segment arrives (default: Kerberos records). */
  constructor(readonly framingOf: (seg: Segment) => TcpFraming = () => 'records') {}

  readonly problems: string[] = [];
  #refused = 0;
  #retransmitted = 0;

  /** Feeds a segment; returns the Kerberos records (without their markers) it completes, or in stream mode its new in-order bytes. */
  push(seg: Segment): Uint8Array[] {
    const key = `${endpointText(seg.src)}>${endpointText(seg.dst)}`;
    let dir = this.#dirs.get(key);
    const syn = (seg.flags & TcpFlag.SYN) !== 0;
    if (dir !== undefined && syn && dir.isn !== seg.seq) {
      this.#close(dir);
      dir = undefined;
    }
    if (dir === undefined) {
      if (this.#dirs.size >= Limits.MAX_STREAMS) {
        this.#refused++;
        return [];
      }
      dir = new Direction(key);
      dir.stream = this.framingOf(seg) === 'stream';
      this.#dirs.set(key, dir);
    }
    const records: Uint8Array[] = [];
    if (dir.broken !== undefined) return records;
    // A SYN seen again (retransmitted, or captured on a second interface) must not rewind the stream.
    if (syn && dir.isn === undefined) {
      dir.isn = seg.seq;
      dir.nextSeq = (seg.seq + 1) >>> 0;
    }
    dir.data(syn ? (seg.seq + 1) >>> 0 : seg.seq, seg.payload, records);
    return records;
  }

  #close(dir: Direction): void {
    this.#retransmitted += dir.retransmitted;
    const where = `TCP ${dir.name.replace('>', ' → ')}`;
    if (dir.broken !== undefined) this.problems.push(`${where}: ${dir.broken}`);
    const left = dir.size + (dir.recordLength === undefined ? 0 : RECORD_MARKER_LENGTH);
    if (dir.broken === undefined && (left > 0 || dir.pending.size > 0))
      this.problems.push(
        `${where}: ${left + dir.pendingBytes} bytes of an incomplete record left${
          dir.pending.size > 0 ? ' (a segment is missing from the capture)' : ''
        }`,
      );
    if (dir.midStream && left > 0) this.problems.push(`${where}: the capture began mid-connection`);
  }

  /** Ends the capture: the problems of every direction still open. */
  finish(): string[] {
    for (const dir of this.#dirs.values()) this.#close(dir);
    this.#dirs.clear();
    if (this.#refused > 0)
      this.problems.push(
        `${this.#refused} TCP segments of connections past the first ${Limits.MAX_STREAMS} skipped`,
      );
    return this.problems;
  }

  /** Segments seen again (retransmissions and duplicates), over every direction. */
  get retransmissions(): number {
    let n = this.#retransmitted;
    for (const d of this.#dirs.values()) n += d.retransmitted;
    return n;
  }
}
