/**
 * From packets to Kerberos exchanges: frames decoded down to UDP datagrams and reassembled TCP records on the
 * Kerberos ports, each record decoded as a Kerberos message, and requests paired with the replies that answer
 * them on the same flow, first in first out. UDP retries of the same request count as retransmissions.
 */
import { decodeKerberosMessage, type KerberosMessage } from '../../asn1/index.js';
import { KerberosError } from '../../errors.js';
import { bytesEqual } from '../../util/bytes.js';
import type { Capture, CapturedPacket } from './capture.js';
import { Limits } from './constants.js';
import { Defragmenter, ipPayload } from './ip.js';
import { isKnownLinkType, linkPayload } from './link.js';
import { type Endpoint, endpointText, type Segment, segmentOf } from './segment.js';
import { TcpReassembler } from './tcp.js';

/** One Kerberos message as it crossed the wire. */
export interface KerberosRecord {
  /** The frame that carried it (for TCP: the frame that completed it). */
  readonly frame: number;
  readonly timestampNs: bigint;
  readonly transport: 'udp' | 'tcp';
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly bytes: Uint8Array;
  /** The decoded message; absent when the bytes are not one. */
  readonly message?: KerberosMessage;
  /** Why the bytes did not decode. */
  readonly error?: string;
}

/** A request and the reply that answered it; either may be missing from the capture. */
export interface Exchange {
  readonly transport: 'udp' | 'tcp';
  readonly client: Endpoint;
  readonly server: Endpoint;
  request?: KerberosRecord;
  reply?: KerberosRecord;
  /** Copies of the request or reply seen again (UDP retries). */
  retransmissions: number;
}

/** Everything found in a capture. */
export interface CaptureReport {
  readonly capture: Capture;
  readonly exchanges: readonly Exchange[];
  readonly records: number;
  /** TCP segments whose bytes had all been seen already. */
  readonly tcpRetransmissions: number;
  readonly warnings: readonly string[];
}

const REQUESTS = new Set<string>(['AS-REQ', 'TGS-REQ']);
const REPLIES = new Set<string>(['AS-REP', 'TGS-REP', 'KRB-ERROR']);

function decodeRecord(base: Omit<KerberosRecord, 'message' | 'error'>): KerberosRecord {
  try {
    return { ...base, message: decodeKerberosMessage(base.bytes) };
  } catch (e) {
    if (!(e instanceof KerberosError)) throw e;
    return { ...base, error: e.message };
  }
}

/** Whether a record goes client → KDC: by message type, else by which side uses a Kerberos port. */
function isRequest(r: KerberosRecord, ports: ReadonlySet<number>): boolean {
  const t = r.message?.type;
  if (t !== undefined && REQUESTS.has(t)) return true;
  if (t !== undefined && REPLIES.has(t)) return false;
  return ports.has(r.dst.port) && !ports.has(r.src.port);
}

/** Pairs requests with replies per flow. */
class Pairing {
  readonly exchanges: Exchange[] = [];
  readonly #open = new Map<string, Exchange[]>();
  readonly #last = new Map<string, Exchange>();

  constructor(readonly ports: ReadonlySet<number>) {}

  add(r: KerberosRecord): void {
    const request = isRequest(r, this.ports);
    const client = request ? r.src : r.dst;
    const server = request ? r.dst : r.src;
    const key = `${r.transport}|${endpointText(client)}|${endpointText(server)}`;
    const open = this.#open.get(key) ?? [];
    if (request) {
      // A UDP retry, or the same datagram captured on a second interface: before or after the reply.
      const last = this.#last.get(key);
      const again =
        r.transport === 'udp' &&
        (open.find((x) => x.request && bytesEqual(x.request.bytes, r.bytes)) ??
          (last?.request && bytesEqual(last.request.bytes, r.bytes) ? last : undefined));
      if (again) {
        again.retransmissions++;
        return;
      }
      const x: Exchange = { transport: r.transport, client, server, request: r, retransmissions: 0 };
      open.push(x);
      // A flow's unanswered requests are bounded: the oldest stays unanswered once too many wait behind it.
      if (open.length > Limits.MAX_OPEN_REQUESTS) open.shift();
      this.#open.set(key, open);
      this.#track(key, x);
      return;
    }
    const answered = open.shift();
    if (answered !== undefined) {
      answered.reply = r;
      return;
    }
    const last = this.#last.get(key);
    if (r.transport === 'udp' && last?.reply && bytesEqual(last.reply.bytes, r.bytes)) {
      last.retransmissions++;
      return;
    }
    this.#track(key, { transport: r.transport, client, server, reply: r, retransmissions: 0 });
  }

  #track(key: string, x: Exchange): void {
    this.exchanges.push(x);
    this.#last.set(key, x);
  }
}

/** Warnings with their counts, bounded. */
class Warnings {
  readonly #counts = new Map<string, number>();
  add(text: string): void {
    if (this.#counts.size < Limits.MAX_WARNINGS || this.#counts.has(text))
      this.#counts.set(text, (this.#counts.get(text) ?? 0) + 1);
  }
  list(): string[] {
    return [...this.#counts].map(([t, n]) => (n === 1 ? t : `${t} (${n} times)`));
  }
}

/** The segment of a packet on a Kerberos port, or undefined. */
function kerberosSegment(
  p: CapturedPacket,
  defrag: Defragmenter,
  ports: ReadonlySet<number>,
  warn: Warnings,
): Segment | undefined {
  if (!isKnownLinkType(p.linkType)) {
    warn.add(`link type ${p.linkType} is not read`);
    return undefined;
  }
  const link = linkPayload(p.linkType, p.data);
  if (link === undefined) return undefined;
  const ip = ipPayload(link, defrag);
  if (ip.kind === 'skip') {
    const [src, dst] = ip.ports ?? [];
    if (src === undefined || dst === undefined || ports.has(src) || ports.has(dst))
      warn.add(`frame ${p.frame}: ${ip.reason}`);
    return undefined;
  }
  if (ip.kind === 'held') return undefined;
  const seg = segmentOf(ip);
  if (typeof seg === 'string') {
    warn.add(`frame ${p.frame}: ${seg}`);
    return undefined;
  }
  if (seg === undefined || !(ports.has(seg.src.port) || ports.has(seg.dst.port))) return undefined;
  return seg;
}

/** Finds every Kerberos exchange of a capture on `ports`. */
export function kerberosExchanges(capture: Capture, ports: ReadonlySet<number>): CaptureReport {
  const warn = new Warnings();
  for (const w of capture.warnings) warn.add(w);
  const defrag = new Defragmenter();
  const tcp = new TcpReassembler();
  const pairing = new Pairing(ports);
  let records = 0;
  for (const p of capture.packets) {
    const seg = kerberosSegment(p, defrag, ports, warn);
    if (seg === undefined) continue;
    const payloads = seg.transport === 'udp' ? [seg.payload] : tcp.push(seg);
    for (const bytes of payloads) {
      if (bytes.length === 0) continue;
      records++;
      const base = {
        frame: p.frame,
        timestampNs: p.timestampNs,
        transport: seg.transport,
        src: seg.src,
        dst: seg.dst,
      };
      pairing.add(decodeRecord({ ...base, bytes }));
    }
  }
  const tcpRetransmissions = tcp.retransmissions;
  for (const problem of tcp.finish()) warn.add(problem);
  if (defrag.dropped > 0) warn.add(`${defrag.dropped} fragmented datagrams never completed`);
  return { capture, exchanges: pairing.exchanges, records, tcpRetransmissions, warnings: warn.list() };
}
