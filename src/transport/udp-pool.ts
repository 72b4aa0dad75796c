/**
 * Idle UDP sockets of one transport, each connected to a KDC address and kept for a later request to it: a request
 * then pays neither a new socket nor its bind and connect. Kerberos matches a UDP reply to its request by the socket
 * it arrives on (MIT sendto_kdc.c): the KDC-REP's nonce is inside the encrypted part and a KRB-ERROR carries none, so
 * one socket shared by the requests in flight could not tell their replies apart. A socket therefore serves one
 * request at a time and returns to the pool only when nothing more can be on its way to it: its request was sent once
 * and answered once. A socket that was resent on, or given up before its reply (silence, TCP answered first, an
 * abort), is closed, so a late reply dies with it instead of reaching the next request. On an idle socket, a datagram
 * repeating its last reply byte for byte (a network duplicate) is dropped and any other closes the socket. What is
 * left is a duplicate that arrives after the socket was lent again: a KDC-REP then fails the next request's nonce
 * check (MIT's socket per request meets it too, once the OS hands the port out again). Idle sockets do not keep the
 * process alive and are closed after `IDLE_MS` unused.
 */
import { createSocket, type Socket } from 'node:dgram';
import { bytesEqual } from '../util/bytes.js';

/** How long a socket may stay idle in the pool, in ms. */
const IDLE_MS = 30_000;

/** What the request holding a socket hears from it. */
export interface UdpSocketUser {
  /** A datagram from the KDC (a view of it, not a copy). */
  message(bytes: Uint8Array): void;
  /** The socket failed (an ICMP error, a connect error); it is not used again. */
  error(e: unknown): void;
  /** A new socket is connected: the request may send now. */
  ready(): void;
}

/** A socket lent to one request. */
export interface UdpLease {
  /** False until a new socket's connect completes (then `ready` is called). */
  readonly connected: boolean;
  send(bytes: Uint8Array, done: (e: Error | null) => void): void;
  /**
   * Gives the socket back: kept for the next request when `reply` is given (the request was sent once and this was
   * its one answer), else closed. The user hears nothing after this.
   */
  release(reply: Uint8Array | undefined): void;
}

class PooledSocket implements UdpLease {
  connected = false;
  user: UdpSocketUser | undefined;
  idleSince = 0;
  /** The reply of the request that released it: the same bytes again on the idle socket are a duplicate datagram. */
  lastReply: Uint8Array | undefined;
  private closed = false;
  private readonly socket: Socket;

  constructor(
    private readonly pool: UdpSocketPool,
    readonly key: string,
    family: number,
    port: number,
    address: string,
    user: UdpSocketUser,
  ) {
    this.user = user;
    const s = createSocket(family === 6 ? 'udp6' : 'udp4');
    this.socket = s;
    s.on('message', (msg: Uint8Array) => this.onMessage(msg));
    s.on('error', (e) => this.onError(e));
    try {
      s.connect(port, address, () => {
        this.connected = true;
        this.user?.ready();
      });
    } catch (e) {
      // A port Node refuses (0, from a DNS SRV record, say): reported after the caller holds the lease.
      queueMicrotask(() => this.onError(e));
    }
  }

  send(bytes: Uint8Array, done: (e: Error | null) => void): void {
    this.socket.send(bytes, done);
  }

  release(reply: Uint8Array | undefined): void {
    this.user = undefined;
    if (reply && this.connected && !this.closed && this.pool.keep(this)) {
      this.lastReply = reply;
      this.socket.unref();
      return;
    }
    this.close();
  }

  /** Lends the idle socket to a request. */
  lend(user: UdpSocketUser): void {
    this.user = user;
    this.socket.ref();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.user = undefined;
    this.socket.close();
  }

  private onMessage(msg: Uint8Array): void {
    // Node gives each datagram its own ArrayBuffer: a plain view of it is the reply, without a copy.
    const bytes = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
    if (this.user) this.user.message(bytes);
    else if (!this.lastReply || !bytesEqual(bytes, this.lastReply)) this.pool.discard(this);
  }

  private onError(e: unknown): void {
    const user = this.user;
    if (user) user.error(e);
    else this.pool.discard(this);
  }
}

/** The idle sockets of one transport, by KDC address. */
export class UdpSocketPool {
  private readonly idle = new Map<string, PooledSocket[]>();
  private idleCount = 0;
  private sweep: ReturnType<typeof setTimeout> | undefined;

  /** `maxIdlePerKdc`: sockets kept per KDC address (0: none, every socket is closed after its request). */
  constructor(private readonly maxIdlePerKdc: number) {}

  /** A connected socket to `address:port` for `user`: an idle one when there is one, else a new one. */
  take(address: string, port: number, family: number, user: UdpSocketUser): UdpLease {
    const key = `${address}|${port}`;
    const free = this.idle.get(key);
    const s = free?.pop();
    if (s) {
      this.idleCount--;
      s.lend(user);
      return s;
    }
    return new PooledSocket(this, key, family, port, address, user);
  }

  /** Keeps a released socket, unless its address has enough idle ones. */
  keep(s: PooledSocket): boolean {
    let free = this.idle.get(s.key);
    if (!free) {
      if (this.maxIdlePerKdc <= 0) return false;
      free = [];
      this.idle.set(s.key, free);
    }
    if (free.length >= this.maxIdlePerKdc) return false;
    s.idleSince = performance.now();
    free.push(s);
    this.idleCount++;
    this.sweep ??= this.scheduleSweep();
    return true;
  }

  /** Closes an idle socket that heard something it should not have (or failed) and forgets it. */
  discard(s: PooledSocket): void {
    const free = this.idle.get(s.key);
    const at = free?.indexOf(s) ?? -1;
    if (at >= 0) {
      free!.splice(at, 1);
      this.idleCount--;
    }
    s.close();
  }

  /** Closes every idle socket; sockets lent to requests are closed when released. */
  close(): void {
    for (const free of this.idle.values()) for (const s of free) s.close();
    this.idle.clear();
    this.idleCount = 0;
    if (this.sweep) clearTimeout(this.sweep);
    this.sweep = undefined;
  }

  private scheduleSweep(): ReturnType<typeof setTimeout> {
    const t = setTimeout(() => {
      this.sweep = undefined;
      const old = performance.now() - IDLE_MS;
      for (const free of this.idle.values()) {
        while (free.length > 0 && free[0]!.idleSince <= old) {
          free.shift()!.close();
          this.idleCount--;
        }
      }
      if (this.idleCount > 0) this.sweep = this.scheduleSweep();
    }, IDLE_MS);
    t.unref?.();
    return t;
  }
}
