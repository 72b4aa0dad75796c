/**
 * From packets to Kerberos exchanges: frames decoded down to UDP datagrams and reassembled TCP records on the
 * Kerberos ports, each record decoded as a Kerberos message, and requests paired with the replies that answer
 * them on the same flow, first in first out. UDP retries of the same request count as retransmissions.
 * With `scan`, every other flow is searched by content too: bare KDC messages on any port, KKDCP bodies and
 * Negotiate tokens in HTTP, SASL GSSAPI credentials in LDAP binds.
 */
import { decodeKdcProxyMessage, decodeKerberosMessage, type KerberosMessage } from '../asn1/index.js';
import { KerberosError } from '../errors.js';
import type { Capture, CapturedPacket } from '../pcap/capture.js';
import { Limits } from '../pcap/constants.js';
import { type Carrier, type Found, StreamScanner, scanDatagram } from '../pcap/content.js';
import { Defragmenter, ipPayload } from '../pcap/ip.js';
import { isKnownLinkType, linkPayload } from '../pcap/link.js';
import { type Endpoint, endpointText, type Segment, segmentOf } from '../pcap/segment.js';
import { TcpReassembler } from '../pcap/tcp.js';
import { bytesEqual } from '../util/bytes.js';
import { sniffGss } from './detect-gss.js';

/** One Kerberos message as it crossed the wire. */
export interface KerberosRecord {
  /** The frame that carried it (for TCP: the frame that completed it). */
  readonly frame: number;
  readonly timestampNs: bigint;
  readonly transport: 'udp' | 'tcp';
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly bytes: Uint8Array;
  /** How it travelled when found by content (absent: on a Kerberos port). */
  readonly carrier?: Carrier;
  /** Client → server or back, when the carrier says (HTTP request or response, LDAP bind request or response). */
  readonly role?: 'request' | 'reply';
  /** The decoded message; absent when the bytes are not one. */
  readonly message?: KerberosMessage;
  /** A GSS-API token (SPNEGO, krb5) carried by HTTP Negotiate or an LDAP SASL bind. */
  readonly gss?: { readonly name: string; readonly value: unknown };
  /** Why the bytes did not decode. */
  readonly error?: string;
}

/** A request and the reply that answered it; either may be missing from the capture. */
export interface Exchange {
  readonly transport: 'udp' | 'tcp';
  /** How it travelled when found by content (absent: on a Kerberos port). */
  readonly carrier?: Carrier;
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
  /** Messages on the Kerberos ports. */
  readonly records: number;
  /** Messages found by content on other ports, and the server ports they were found on, in order. */
  readonly found: { readonly records: number; readonly exchanges: number; readonly ports: readonly number[] };
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

/** Whether a record goes client → server: by its carrier, by message type, else by which side uses a Kerberos port. */
function isRequest(r: KerberosRecord, ports: ReadonlySet<number>): boolean {
  if (r.role !== undefined) return r.role === 'request';
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

  /** Whether a request of the flow of `seg` waits for its reply (`seg` going the `role` way). */
  waits(seg: Segment, role: 'request' | 'reply'): boolean {
    const [client, server] = role === 'request' ? [seg.src, seg.dst] : [seg.dst, seg.src];
    const open = this.#open.get(`${seg.transport}|${endpointText(client)}|${endpointText(server)}`);
    return open !== undefined && open.length > 0;
  }

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
      const x: Exchange = {
        transport: r.transport,
        ...(r.carrier === undefined ? {} : { carrier: r.carrier }),
        client,
        server,
        request: r,
        retransmissions: 0,
      };
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
    this.#track(key, {
      transport: r.transport,
      ...(r.carrier === undefined ? {} : { carrier: r.carrier }),
      client,
      server,
      reply: r,
      retransmissions: 0,
    });
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

/** The segment of a packet on a Kerberos port (any port with `scan`), or undefined. */
function kerberosSegment(
  p: CapturedPacket,
  defrag: Defragmenter,
  ports: ReadonlySet<number>,
  warn: Warnings,
  scan: boolean,
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
  if (seg === undefined || !(scan || onPorts(seg, ports))) return undefined;
  return seg;
}

function onPorts(seg: Segment, ports: ReadonlySet<number>): boolean {
  return ports.has(seg.src.port) || ports.has(seg.dst.port);
}

/** Decodes what content scanning found: a Kerberos message (bare, or in a KKDCP body) or a GSS token. */
function decodeFound(base: Omit<KerberosRecord, 'message' | 'error' | 'bytes'>, f: Found): KerberosRecord {
  const at = { ...base, carrier: f.carrier, ...(f.role === undefined ? {} : { role: f.role }) };
  try {
    if (f.carrier === 'kerberos') return decodeRecord({ ...at, bytes: f.bytes });
    if (f.carrier === 'kkdcp') {
      // MS-KKDCP 2.2.2: the message keeps its 4-octet TCP length prefix.
      const bytes = decodeKdcProxyMessage(f.bytes).kerbMessage.subarray(KKDCP_LENGTH_PREFIX);
      return decodeRecord({ ...at, bytes });
    }
    if (f.bytes.length === 0) return { ...at, bytes: f.bytes };
    const gss = sniffGss(f.bytes);
    if (gss === undefined) return { ...at, bytes: f.bytes, error: 'not a GSS-API token' };
    return { ...at, bytes: f.bytes, gss };
  } catch (e) {
    if (!(e instanceof KerberosError)) throw e;
    return { ...at, bytes: f.bytes, error: e.message };
  }
}

/**
 * The packets by capture time, file order among equal times (a stable sort). A capture on several interfaces is
 * written one interface's buffer after another (tshark -i lo -i any), so a datagram seen on both would otherwise
 * meet its copy only after the flow's later exchanges: with a client that reuses its UDP port, pairing needs time order.
 */
function inTimeOrder(packets: readonly CapturedPacket[]): readonly CapturedPacket[] {
  for (let i = 1; i < packets.length; i++) {
    if (packets[i]!.timestampNs < packets[i - 1]!.timestampNs)
      return [...packets].sort((x, y) =>
        x.timestampNs < y.timestampNs ? -1 : x.timestampNs > y.timestampNs ? 1 : 0,
      );
  }
  return packets;
}

/** Bytes of the length prefix a KKDCP message keeps. */
const KKDCP_LENGTH_PREFIX = 4;

/** Options of kerberosExchanges. */
export interface CaptureScanOptions {
  /** Search every other flow by content too (default false: only `ports`). */
  scan?: boolean;
}

/**
 * Finds every Kerberos exchange of a capture on `ports`, and with `scan` every one found by content on the other
 * ports (reported apart, with the server ports they were on).
 */
export function kerberosExchanges(
  capture: Capture,
  ports: ReadonlySet<number>,
  opts: CaptureScanOptions = {},
): CaptureReport {
  const scan = opts.scan === true;
  const warn = new Warnings();
  for (const w of capture.warnings) warn.add(w);
  const defrag = new Defragmenter();
  const tcp = new TcpReassembler((seg) => (onPorts(seg, ports) ? 'records' : 'stream'));
  const scanners = new Map<string, StreamScanner>();
  const pairing = new Pairing(ports);
  let records = 0;
  let foundRecords = 0;
  for (const p of inTimeOrder(capture.packets)) {
    const seg = kerberosSegment(p, defrag, ports, warn, scan);
    if (seg === undefined) continue;
    const base = {
      frame: p.frame,
      timestampNs: p.timestampNs,
      transport: seg.transport,
      src: seg.src,
      dst: seg.dst,
    };
    if (onPorts(seg, ports)) {
      const payloads = seg.transport === 'udp' ? [seg.payload] : tcp.push(seg);
      for (const bytes of payloads) {
        if (bytes.length === 0) continue;
        records++;
        pairing.add(decodeRecord({ ...base, bytes }));
      }
      continue;
    }
    const found =
      seg.transport === 'udp'
        ? scanDatagram(seg.payload)
        : tcp.push(seg).flatMap((b) => scannerOf(scanners, seg).push(b));
    for (const f of found) {
      // A bind response without a token answers a SASL step only when one waits (not a simple bind).
      if (
        f.carrier === 'ldap-sasl' &&
        f.bytes.length === 0 &&
        f.role === 'reply' &&
        !pairing.waits(seg, 'reply')
      )
        continue;
      foundRecords++;
      pairing.add(decodeFound(base, f));
    }
  }
  const tcpRetransmissions = tcp.retransmissions;
  for (const problem of tcp.finish()) warn.add(problem);
  if (defrag.dropped > 0) warn.add(`${defrag.dropped} fragmented datagrams never completed`);
  const byContent = pairing.exchanges.filter((x) => x.carrier !== undefined);
  const found = {
    records: foundRecords,
    exchanges: byContent.length,
    ports: [...new Set(byContent.map((x) => x.server.port))],
  };
  return { capture, exchanges: pairing.exchanges, records, found, tcpRetransmissions, warnings: warn.list() };
}

/** The content scanner of a TCP direction, made on its first bytes; bounded like the reassembler's streams. */
function scannerOf(scanners: Map<string, StreamScanner>, seg: Segment): StreamScanner {
  const key = `${endpointText(seg.src)}>${endpointText(seg.dst)}`;
  let s = scanners.get(key);
  if (s === undefined) {
    s = new StreamScanner();
    if (scanners.size < Limits.MAX_STREAMS) scanners.set(key, s);
  }
  return s;
}
