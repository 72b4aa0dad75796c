/**
 * A fault-injecting fake KDC on 127.0.0.1 (TCP and UDP on one port) for transport tests. It never
 * speaks Kerberos beyond canned KRB-ERROR replies: use it to prove fault handling, never as evidence
 * that the protocol works (that is what the lab KDCs are for).
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** What the fake does with one request. */
export type Fault =
  | { kind: 'reply'; reply?: Uint8Array }
  | { kind: 'silence' }
  /** Withhold the reply until the test calls `release()`: a slow KDC whose timing the test owns. */
  | { kind: 'hold'; reply?: Uint8Array }
  | { kind: 'delay'; ms: number; reply?: Uint8Array }
  | { kind: 'half-frame' }
  | { kind: 'prefix-only' }
  | { kind: 'length'; value: number }
  | { kind: 'garbage'; bytes?: Uint8Array }
  | { kind: 'reset' }
  | { kind: 'close' }
  | { kind: 'too-big' }
  | { kind: 'unavailable' }
  | { kind: 'wrong-port' }
  | { kind: 'chunked'; chunk: number; gapMs: number; reply?: Uint8Array }
  /** Recording proxy: forward the request over the same protocol to a real KDC and relay its reply. */
  | { kind: 'proxy'; host: string; port: number };

/** A request the fake received. */
export interface Received {
  proto: 'udp' | 'tcp';
  bytes: Uint8Array;
}

/** A running fake KDC. */
export interface FakeKdc {
  host: string;
  port: number;
  /** `127.0.0.1:port` */
  address: string;
  requests: Received[];
  /** Replies relayed in proxy mode, in order. */
  replies: Received[];
  /** Sends every reply withheld by a `hold` fault (to connections and ports still open), in arrival order. */
  release(): void;
  close(): Promise<void>;
}

/** Faults for each protocol, used in order per request; the last one repeats. */
export interface FakeKdcOptions {
  udp?: Fault | Fault[];
  tcp?: Fault | Fault[];
  /** e-text of the default KRB-ERROR reply, to tell fakes apart (default "fake kdc"). */
  name?: string;
}

function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const len = content.reduce((n, c) => n + c.length, 0);
  const head = len < 0x80 ? [tag, len] : len < 0x100 ? [tag, 0x81, len] : [tag, 0x82, len >> 8, len & 0xff];
  const out = new Uint8Array(head.length + len);
  out.set(head);
  let o = head.length;
  for (const c of content) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
const int = (v: number) => tlv(0x02, new Uint8Array(v < 0x80 ? [v] : [v >> 8, v & 0xff]));
const gstr = (s: string) => tlv(0x1b, new TextEncoder().encode(s));
const ctx = (n: number, v: Uint8Array) => tlv(0xa0 | n, v);

/** DER of a KRB-ERROR (RFC 4120 5.9.1) with the given code, built by hand for the fake's replies. */
export function krbErrorDer(code: number, eText = 'fake kdc', realm = 'FAKE.TEST'): Uint8Array {
  return tlv(
    0x7e,
    tlv(
      0x30,
      ctx(0, int(5)),
      ctx(1, int(30)),
      ctx(4, tlv(0x18, new TextEncoder().encode('20240101000000Z'))),
      ctx(5, int(0)),
      ctx(6, int(code)),
      ctx(9, gstr(realm)),
      ctx(10, tlv(0x30, ctx(0, int(2)), ctx(1, tlv(0x30, gstr('krbtgt'), gstr(realm))))),
      ctx(11, gstr(eText)),
    ),
  );
}

/** KDC_ERR_C_PRINCIPAL_UNKNOWN: the fake's well-behaved answer. */
export const CODE_PRINCIPAL_UNKNOWN = 6;

const frame = (m: Uint8Array): Uint8Array => {
  const out = new Uint8Array(4 + m.length);
  new DataView(out.buffer).setUint32(0, m.length);
  out.set(m, 4);
  return out;
};

const GARBAGE = new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n\r\n');

/** Starts a fake KDC; by default both protocols answer every request with a KRB-ERROR. */
export async function startFakeKdc(o: FakeKdcOptions = {}): Promise<FakeKdc> {
  const name = o.name ?? 'fake kdc';
  const plan = (f: Fault | Fault[] | undefined) => (Array.isArray(f) ? f : [f ?? { kind: 'reply' }]);
  const udpPlan = plan(o.udp);
  const tcpPlan = plan(o.tcp);
  let udpN = 0;
  let tcpN = 0;
  const requests: Received[] = [];
  const replies: Received[] = [];
  const upstream = new Set<UdpSocket>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const okReply = krbErrorDer(CODE_PRINCIPAL_UNKNOWN, name);
  const held: (() => void)[] = [];

  const later = (ms: number, f: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      f();
    }, ms);
    timers.add(t);
  };

  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    let buf = new Uint8Array(0);
    sock.on('data', (chunk: Uint8Array) => {
      const next = new Uint8Array(buf.length + chunk.length);
      next.set(buf);
      next.set(chunk, buf.length);
      buf = next;
      if (buf.length < 4) return;
      const len = new DataView(buf.buffer).getUint32(0);
      if (buf.length < 4 + len) return;
      const req = buf.slice(4, 4 + len);
      buf = new Uint8Array(0);
      requests.push({ proto: 'tcp', bytes: req });
      const fault = tcpPlan[Math.min(tcpN++, tcpPlan.length - 1)]!;
      answerTcp(sock, fault, req);
    });
  });

  function answerTcp(sock: Socket, f: Fault, req: Uint8Array): void {
    switch (f.kind) {
      case 'reply':
        sock.write(frame(f.reply ?? okReply));
        return;
      case 'silence':
        return;
      case 'hold':
        held.push(() => {
          if (!sock.destroyed) sock.write(frame(f.reply ?? okReply));
        });
        return;
      case 'delay':
        later(f.ms, () => sock.write(frame(f.reply ?? okReply)));
        return;
      case 'half-frame': {
        const full = frame(okReply);
        sock.end(full.subarray(0, 4 + (okReply.length >> 1)));
        return;
      }
      case 'prefix-only':
        sock.end(frame(okReply).subarray(0, 2));
        return;
      case 'length': {
        const p = new Uint8Array(4);
        new DataView(p.buffer).setUint32(0, f.value >>> 0);
        sock.write(p);
        return;
      }
      case 'garbage':
        sock.write(f.bytes ?? GARBAGE);
        return;
      case 'reset':
        sock.resetAndDestroy();
        return;
      case 'close':
        sock.end();
        return;
      case 'too-big':
        sock.write(frame(krbErrorDer(52, name)));
        return;
      case 'unavailable':
        sock.write(frame(krbErrorDer(29, name)));
        return;
      case 'chunked': {
        const full = frame(f.reply ?? okReply);
        let at = 0;
        const step = () => {
          if (sock.destroyed) return;
          sock.write(full.subarray(at, at + f.chunk));
          at += f.chunk;
          if (at < full.length) later(f.gapMs, step);
        };
        step();
        return;
      }
      case 'wrong-port':
        return;
      case 'proxy': {
        const up = connect({ host: f.host, port: f.port });
        sockets.add(up);
        let got = new Uint8Array(0);
        up.on('connect', () => up.write(frame(req)));
        up.on('data', (chunk: Uint8Array) => {
          const next = new Uint8Array(got.length + chunk.length);
          next.set(got);
          next.set(chunk, got.length);
          got = next;
          if (got.length >= 4 && got.length >= 4 + new DataView(got.buffer).getUint32(0)) {
            replies.push({ proto: 'tcp', bytes: got.slice(4) });
            sock.write(got);
            up.destroy();
          }
        });
        up.on('error', () => sock.destroy());
        up.on('close', () => sockets.delete(up));
        return;
      }
    }
  }

  // TCP and UDP share one port: take an ephemeral TCP port, then bind UDP to it (retry if taken).
  let port = 0;
  let udp: UdpSocket | undefined;
  for (let tries = 0; !udp; tries++) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    port = (server.address() as { port: number }).port;
    const candidate = createSocket('udp4');
    const bound = await new Promise<boolean>((resolve) => {
      candidate.once('error', () => resolve(false));
      candidate.bind(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) udp = candidate;
    else {
      candidate.close();
      await new Promise<void>((r) => server.close(() => r()));
      if (tries > 10) throw new Error('fake KDC: no port free for both TCP and UDP');
    }
  }
  const other: UdpSocket = createSocket('udp4');
  await new Promise<void>((resolve) => other.bind(0, '127.0.0.1', () => resolve()));
  const u = udp;
  u.on('message', (msg, rinfo) => {
    requests.push({ proto: 'udp', bytes: new Uint8Array(msg) });
    const f = udpPlan[Math.min(udpN++, udpPlan.length - 1)]!;
    const send = (b: Uint8Array, from: UdpSocket = u) => from.send(b, rinfo.port, rinfo.address);
    switch (f.kind) {
      case 'reply':
        send(f.reply ?? okReply);
        return;
      case 'hold':
        held.push(() => send(f.reply ?? okReply));
        return;
      case 'delay':
        later(f.ms, () => send(f.reply ?? okReply));
        return;
      case 'garbage':
        send(f.bytes ?? GARBAGE);
        return;
      case 'too-big':
        send(krbErrorDer(52, name));
        return;
      case 'unavailable':
        send(krbErrorDer(29, name));
        return;
      case 'wrong-port':
        send(okReply, other);
        return;
      case 'half-frame':
        send(okReply.subarray(0, okReply.length >> 1));
        return;
      case 'proxy': {
        const up = createSocket('udp4');
        upstream.add(up);
        up.on('message', (reply) => {
          replies.push({ proto: 'udp', bytes: new Uint8Array(reply) });
          send(reply);
          upstream.delete(up);
          up.close();
        });
        up.send(msg, f.port, f.host);
        return;
      }
      default:
        return;
    }
  });

  return {
    host: '127.0.0.1',
    port,
    address: `127.0.0.1:${port}`,
    requests,
    replies,
    release() {
      for (const send of held.splice(0)) send();
    },
    async close() {
      held.length = 0;
      for (const u of upstream) u.close();
      upstream.clear();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => u.close(() => r()));
      await new Promise<void>((r) => other.close(() => r()));
    },
  };
}

/** Counts of the active libuv resources by type, after letting pending closes finish. */
export async function activeResources(): Promise<Record<string, number>> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

/**
 * The resource types of which more are active now than in `before`, with the excess. A resource that was active
 * before and has since closed (a test runner's own timer, say) is not a leak.
 */
export async function leakedSince(before: Record<string, number>): Promise<Record<string, number>> {
  const now = await activeResources();
  const leaked: Record<string, number> = {};
  for (const [type, n] of Object.entries(now))
    if (n > (before[type] ?? 0)) leaked[type] = n - (before[type] ?? 0);
  return leaked;
}
