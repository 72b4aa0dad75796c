/**
 * MIT's GSS-API sample protocol, as `gss-server` and `gss-client` (Debian `krb5-gss-samples`) speak it over TCP, in a
 * Node client and a Node server, so that tskrb's initiator can talk to the real `gss-server` and tskrb's acceptor can
 * serve the real `gss-client`. Read from krb5 `src/appl/gss-sample/`: gss-misc.c (send_token, recv_token),
 * gss-client.c (client_establish_context, call_server), gss-server.c (server_establish_context, sign_server).
 *
 * Framing: one flags byte, a 4-byte big-endian length, the token. A zero flags byte is never sent (the v1 format);
 * a reader that sees 0 takes it as the first byte of the length.
 *
 * The flow, from the client: NOOP|CONTEXT_NEXT with an empty token; the initiator's CONTEXT tokens, each answered by
 * the acceptor's CONTEXT token while the acceptor has one; then per message DATA|WRAPPED|ENCRYPTED|SEND_MIC carrying a
 * Wrap token (WRAPPED and ENCRYPTED drop with gss-client's -nw and -nx, SEND_MIC with -nm), answered by MIC (a MIC
 * token over the unwrapped message) or by an empty NOOP; a final empty NOOP ends the session. gss-peer.py (MIT's
 * GSS-API through python3-gssapi) adds one step per message that the sample programs lack: the client's MIC, answered
 * by the server's Wrap of `reply: <message>`.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { concat, utf8 } from '../../src/util/bytes.js';

/** Token types and flags of the sample protocol (gss-misc.h). */
export const SampleFlag = {
  NOOP: 1 << 0,
  CONTEXT: 1 << 1,
  DATA: 1 << 2,
  MIC: 1 << 3,
  CONTEXT_NEXT: 1 << 4,
  WRAPPED: 1 << 5,
  ENCRYPTED: 1 << 6,
  SEND_MIC: 1 << 7,
} as const;

/** One framed token. */
export interface SampleToken {
  readonly flags: number;
  readonly token: Uint8Array;
}

/** One token of a session, with the side that sent it. */
export interface TranscriptEntry extends SampleToken {
  readonly from: 'client' | 'server';
}

const MAX_TOKEN = 1 << 20;
/** What gss-peer.py's extension prefixes to the message it seals back. */
export const REPLY_PREFIX = utf8('reply: ');

const DEFAULT_TIMEOUT_MS = 15000;

/** Frames one token as send_token does (no flags byte when the flags are 0). */
export function encodeSampleToken(flags: number, token: Uint8Array): Uint8Array {
  if (flags < 0 || flags > 0xff) throw new RangeError(`sample protocol: flags ${flags} do not fit a byte`);
  const head = flags === 0 ? 0 : 1;
  const out = new Uint8Array(head + 4 + token.length);
  if (head) out[0] = flags;
  new DataView(out.buffer).setUint32(head, token.length);
  out.set(token, head + 4);
  return out;
}

/** Splits a byte stream into tokens as recv_token does. */
export class SampleTokenReader {
  private buf = new Uint8Array(0);

  /** Adds received bytes. */
  push(chunk: Uint8Array): void {
    const next = new Uint8Array(this.buf.length + chunk.length);
    next.set(this.buf);
    next.set(chunk, this.buf.length);
    this.buf = next;
  }

  /** The next complete token, or undefined if more bytes are needed. */
  next(): SampleToken | undefined {
    if (this.buf.length < 4) return undefined;
    const flags = this.buf[0]!;
    // v1 format: no flags byte, the 0 is the length's top byte.
    const lenAt = flags === 0 ? 0 : 1;
    if (this.buf.length < lenAt + 4) return undefined;
    const len = new DataView(this.buf.buffer, this.buf.byteOffset).getUint32(lenAt);
    if (len > MAX_TOKEN) throw new Error(`sample protocol: token of ${len} bytes exceeds ${MAX_TOKEN}`);
    if (this.buf.length < lenAt + 4 + len) return undefined;
    const token = this.buf.slice(lenAt + 4, lenAt + 4 + len);
    this.buf = this.buf.slice(lenAt + 4 + len);
    return { flags, token };
  }
}

/** One TCP connection speaking the sample protocol; every token either way lands in `transcript`. */
export class SampleConnection {
  readonly transcript: TranscriptEntry[] = [];
  private readonly reader = new SampleTokenReader();
  private readonly waiting: { resolve: (t: SampleToken) => void; reject: (e: Error) => void }[] = [];
  private closedWith: Error | undefined;

  constructor(
    private readonly socket: Socket,
    /** The side this end plays. */
    readonly role: 'client' | 'server',
  ) {
    socket.on('data', (d: Buffer) => {
      this.reader.push(new Uint8Array(d.buffer, d.byteOffset, d.length));
      this.deliver();
    });
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('sample protocol: connection closed by the peer')));
  }

  /** Connects to a sample-protocol server. */
  static connect(port: number, host = '127.0.0.1'): Promise<SampleConnection> {
    return new Promise((resolve, reject) => {
      const s = tcpConnect({ port, host }, () => {
        s.off('error', reject);
        resolve(new SampleConnection(s, 'client'));
      });
      s.once('error', reject);
    });
  }

  /** Sends one token. */
  send(flags: number, token: Uint8Array = new Uint8Array(0)): void {
    if (this.closedWith) throw this.closedWith;
    this.transcript.push({ from: this.role, flags, token: token.slice() });
    this.socket.write(encodeSampleToken(flags, token));
  }

  /** Receives the next token (rejects when the peer closes first or after `timeoutMs`). */
  receive(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SampleToken> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiting.findIndex((w) => w.resolve === done);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new Error(`sample protocol: no token within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (t: SampleToken) => {
        clearTimeout(timer);
        resolve(t);
      };
      this.waiting.push({
        resolve: done,
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.deliver();
    });
  }

  /** Receives the next token and checks that it has `flag`. */
  async expect(flag: number, what: string): Promise<Uint8Array> {
    const t = await this.receive();
    if (!(t.flags & flag))
      throw new Error(`sample protocol: expected ${what} (flag ${flag}), got flags ${t.flags}`);
    return t.token;
  }

  /** Closes the connection. */
  close(): void {
    this.socket.end();
    this.socket.destroySoon();
  }

  private deliver(): void {
    while (this.waiting.length > 0) {
      let t: SampleToken | undefined;
      try {
        t = this.reader.next();
      } catch (e) {
        this.fail(e as Error);
        this.socket.destroy();
        return;
      }
      if (!t) break;
      const other: 'client' | 'server' = this.role === 'client' ? 'server' : 'client';
      this.transcript.push({ from: other, ...t });
      this.waiting.shift()!.resolve(t);
    }
    if (this.closedWith) for (const w of this.waiting.splice(0)) w.reject(this.closedWith);
  }

  private fail(e: Error): void {
    this.closedWith ??= e;
    this.deliver();
  }
}

// ---- client (gss-client's part) ---------------------------------------------------------------------------------

/** The initiator a sample client drives. */
export interface SampleInitiator {
  /** The first context token (gss_init_sec_context's first output). */
  readonly initialToken: Uint8Array;
  /** True once the context is established (false while a mutual-authentication reply is awaited). */
  established(): boolean;
  /** Feeds the acceptor's context token; returns the next token to send, if any. */
  step(reply: Uint8Array): Promise<Uint8Array | undefined> | Uint8Array | undefined;
  wrap(message: Uint8Array, conf: boolean): Uint8Array;
  /** Throws when `mic` is not a valid MIC of `message`. */
  verifyMic(message: Uint8Array, mic: Uint8Array): void;
  /** For `bothWays`: the initiator's MIC over a message. */
  getMic?(message: Uint8Array): Uint8Array;
  /** For `bothWays`: opens the server's Wrap token. */
  unwrap?(token: Uint8Array): { message: Uint8Array; conf: boolean };
}

/** What a sample client sends after the context is up (gss-client's -nw, -nx, -nm and -mcount). */
export interface SampleClientOptions {
  readonly port: number;
  readonly host?: string;
  readonly messages: readonly Uint8Array[];
  /** Send Wrap tokens (default true); false sends the messages in the clear, as -nw. */
  readonly wrap?: boolean;
  /** Ask for confidentiality (default true); false is -nx. */
  readonly conf?: boolean;
  /** Ask the server for a MIC of each message and verify it (default true); false is -nm. */
  readonly mic?: boolean;
  /**
   * The extension gss-peer.py speaks (not gss-server): after the server's MIC, send the initiator's own MIC of the
   * message (flags MIC) and read back the server's Wrap of `reply: <message>` (DATA|WRAPPED|ENCRYPTED).
   */
  readonly bothWays?: boolean;
}

/** What a sample client session saw. */
export interface SampleClientResult {
  readonly transcript: readonly TranscriptEntry[];
  /** The server's MIC token for each message (when asked for). */
  readonly mics: readonly Uint8Array[];
  /** The tokens sent for each message (Wrap tokens, or the messages themselves without wrapping). */
  readonly sent: readonly Uint8Array[];
  /** With `bothWays`: the server's replies, unwrapped. */
  readonly replies: readonly { message: Uint8Array; conf: boolean; token: Uint8Array }[];
}

/** Runs one gss-client session against a sample server: establish, send each message, verify each MIC, NOOP. */
export async function runSampleClient(
  initiator: SampleInitiator,
  o: SampleClientOptions,
): Promise<SampleClientResult> {
  const conn = await SampleConnection.connect(o.port, o.host);
  const wrap = o.wrap ?? true;
  const conf = wrap && (o.conf ?? true);
  const mic = o.mic ?? true;
  const mics: Uint8Array[] = [];
  const sent: Uint8Array[] = [];
  const replies: { message: Uint8Array; conf: boolean; token: Uint8Array }[] = [];
  try {
    conn.send(SampleFlag.NOOP | SampleFlag.CONTEXT_NEXT);
    conn.send(SampleFlag.CONTEXT, initiator.initialToken);
    while (!initiator.established()) {
      const reply = await conn.expect(SampleFlag.CONTEXT, 'a context token');
      const next = await initiator.step(reply);
      if (next && next.length > 0) conn.send(SampleFlag.CONTEXT, next);
    }
    for (const m of o.messages) {
      const body = wrap ? initiator.wrap(m, conf) : m;
      sent.push(body);
      const flags =
        SampleFlag.DATA |
        (wrap ? SampleFlag.WRAPPED : 0) |
        (conf ? SampleFlag.ENCRYPTED : 0) |
        (mic ? SampleFlag.SEND_MIC : 0);
      conn.send(flags, body);
      const answer = await conn.receive();
      if (mic) {
        if (!(answer.flags & SampleFlag.MIC))
          throw new Error(`sample protocol: expected a MIC token, got flags ${answer.flags}`);
        initiator.verifyMic(m, answer.token);
        mics.push(answer.token);
      }
      if (o.bothWays) {
        if (!initiator.getMic || !initiator.unwrap) throw new Error('bothWays needs getMic and unwrap');
        conn.send(SampleFlag.MIC, initiator.getMic(m));
        const token = await conn.expect(SampleFlag.WRAPPED, "the server's Wrap token");
        replies.push({ ...initiator.unwrap(token), token });
      }
    }
    conn.send(SampleFlag.NOOP);
    return { transcript: conn.transcript, mics, sent, replies };
  } finally {
    conn.close();
  }
}

// ---- server (gss-server's part) ---------------------------------------------------------------------------------

/** The acceptor a sample server drives, one per connection. */
export interface SampleAcceptor {
  /** Takes one context token; returns the token to send back (if any) and whether the context is established. */
  accept(
    token: Uint8Array,
  ):
    | Promise<{ output?: Uint8Array | undefined; established: boolean }>
    | { output?: Uint8Array | undefined; established: boolean };
  unwrap(token: Uint8Array): { message: Uint8Array; conf: boolean };
  getMic(message: Uint8Array): Uint8Array;
  /** For the gss-peer.py extension: checks the client's MIC of the last message. */
  verifyMic?(message: Uint8Array, token: Uint8Array): void;
  /** For the gss-peer.py extension: seals the reply. */
  wrap?(message: Uint8Array, conf: boolean): Uint8Array;
}

/** One message a sample server received. */
export interface SampleMessage {
  readonly flags: number;
  /** The token as received (a Wrap token when WRAPPED). */
  readonly token: Uint8Array;
  readonly message: Uint8Array;
  readonly conf: boolean;
  /** The MIC sent back, if asked for. */
  readonly mic?: Uint8Array | undefined;
  /** With the gss-peer.py extension: the client's MIC (verified) and the Wrap of `reply: <message>` sent back. */
  readonly clientMic?: Uint8Array | undefined;
  readonly reply?: Uint8Array | undefined;
}

/** What a sample server saw of one connection. */
export interface SampleServerSession {
  readonly transcript: readonly TranscriptEntry[];
  /** False for a client that sent NOOP without CONTEXT_NEXT (gss-client -na). */
  readonly authenticated: boolean;
  readonly messages: readonly SampleMessage[];
}

/** A listening sample server. */
export interface SampleServer {
  readonly port: number;
  /** The next connection's session, in the order connections arrive; rejects with the acceptor's error. */
  next(): Promise<SampleServerSession>;
  close(): Promise<void>;
}

/** Thrown for a session that failed; carries what was seen up to the failure. */
export class SampleSessionError extends Error {
  constructor(
    cause: unknown,
    readonly transcript: readonly TranscriptEntry[],
  ) {
    super(`sample server session failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

async function serveSession(
  conn: SampleConnection,
  makeAcceptor: () => SampleAcceptor,
): Promise<SampleServerSession> {
  const messages: SampleMessage[] = [];
  let acceptor: SampleAcceptor | undefined;
  const first = await conn.receive();
  if (!(first.flags & SampleFlag.NOOP))
    throw new Error(`sample protocol: expected NOOP, got flags ${first.flags}`);
  const authenticated = (first.flags & SampleFlag.CONTEXT_NEXT) !== 0;
  if (authenticated) {
    acceptor = makeAcceptor();
    for (;;) {
      const token = await conn.expect(SampleFlag.CONTEXT, 'a context token');
      const r = await acceptor.accept(token);
      if (r.output && r.output.length > 0) conn.send(SampleFlag.CONTEXT, r.output);
      if (r.established) break;
    }
  }
  for (;;) {
    const t = await conn.receive();
    if (t.flags & SampleFlag.NOOP) break;
    if (
      !acceptor &&
      t.flags & (SampleFlag.WRAPPED | SampleFlag.ENCRYPTED | SampleFlag.SEND_MIC | SampleFlag.MIC)
    )
      throw new Error('unauthenticated client asked for authenticated services');
    const last = messages.at(-1);
    if (acceptor && t.flags & SampleFlag.MIC && last) {
      // gss-peer.py's extension: the client's MIC of its last message, answered by a Wrap of the reply.
      if (!acceptor.verifyMic || !acceptor.wrap) throw new Error('the acceptor cannot answer a client MIC');
      acceptor.verifyMic(last.message, t.token);
      const reply = acceptor.wrap(concat(REPLY_PREFIX, last.message), true);
      conn.send(SampleFlag.DATA | SampleFlag.WRAPPED | SampleFlag.ENCRYPTED, reply);
      messages[messages.length - 1] = { ...last, clientMic: t.token, reply };
      continue;
    }
    const opened =
      acceptor && t.flags & SampleFlag.WRAPPED ? acceptor.unwrap(t.token) : { message: t.token, conf: false };
    let mic: Uint8Array | undefined;
    if (acceptor && t.flags & SampleFlag.SEND_MIC) {
      mic = acceptor.getMic(opened.message);
      conn.send(SampleFlag.MIC, mic);
    } else {
      conn.send(SampleFlag.NOOP);
    }
    messages.push({ flags: t.flags, token: t.token, ...opened, mic });
  }
  return { transcript: conn.transcript, authenticated, messages };
}

/** Sessions in the order connections arrive, handed to next() callers in that order. */
class SessionQueue<T> {
  private readonly ready: Promise<T>[] = [];
  private readonly waiters: ((p: Promise<T>) => void)[] = [];

  add(p: Promise<T>): void {
    // Kept for next(); a session nobody asks for must not be an unhandled rejection.
    p.catch(() => undefined);
    const w = this.waiters.shift();
    if (w) w(p);
    else this.ready.push(p);
  }

  next(): Promise<T> {
    return this.ready.shift() ?? new Promise<T>((resolve) => this.waiters.push((p) => resolve(p)));
  }
}

/** Starts `server` on 127.0.0.1:`port` (0: ephemeral) and returns the port it got. */
async function listenLoopback(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('sample protocol: no TCP address');
  return address.port;
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** Listens on 127.0.0.1 (an ephemeral port unless `port`); each authenticated connection gets a fresh acceptor. */
export async function startSampleServer(makeAcceptor: () => SampleAcceptor, port = 0): Promise<SampleServer> {
  const sessions = new SessionQueue<SampleServerSession>();
  const server: Server = createServer((socket) => {
    const conn = new SampleConnection(socket, 'server');
    sessions.add(
      serveSession(conn, makeAcceptor)
        .catch((e: unknown) => {
          throw new SampleSessionError(e, conn.transcript);
        })
        .finally(() => conn.close()),
    );
  });
  return {
    port: await listenLoopback(server, port),
    next: () => sessions.next(),
    close: () => closeServer(server),
  };
}

// ---- relay (capture of MIT to MIT sessions) ---------------------------------------------------------------------

/** A listening relay between sample clients and a sample server. */
export interface SampleRelay {
  readonly port: number;
  /** The next relayed connection's transcript (complete once both sides have closed). */
  next(): Promise<readonly TranscriptEntry[]>;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 and relays every connection to 127.0.0.1:`targetPort` token by token, keeping the transcript:
 * a gss-client talking to a gss-server through it shows what MIT sends either way.
 */
export async function startSampleRelay(targetPort: number): Promise<SampleRelay> {
  const sessions = new SessionQueue<readonly TranscriptEntry[]>();
  const server: Server = createServer((socket) => {
    const transcript: TranscriptEntry[] = [];
    sessions.add(
      new Promise<readonly TranscriptEntry[]>((resolve, reject) => {
        const upstream = tcpConnect({ port: targetPort, host: '127.0.0.1' });
        const pipe = (from: Socket, to: Socket, side: 'client' | 'server') => {
          const reader = new SampleTokenReader();
          from.on('data', (d: Buffer) => {
            reader.push(new Uint8Array(d.buffer, d.byteOffset, d.length));
            for (let t = reader.next(); t; t = reader.next()) {
              transcript.push({ from: side, ...t });
              to.write(encodeSampleToken(t.flags, t.token));
            }
          });
          from.on('end', () => to.end());
        };
        pipe(socket, upstream, 'client');
        pipe(upstream, socket, 'server');
        let open = 2;
        const closed = () => {
          if (--open === 0) resolve(transcript);
        };
        socket.on('close', closed);
        upstream.on('close', closed);
        upstream.on('error', (e) => {
          socket.destroy();
          reject(e);
        });
        socket.on('error', () => upstream.destroy());
      }),
    );
  });
  return {
    port: await listenLoopback(server, 0),
    next: () => sessions.next(),
    close: () => closeServer(server),
  };
}
