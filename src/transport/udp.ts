/**
 * A UDP channel to one KDC: one datagram each way, RFC 4120 7.2.1. The socket is connected, so the kernel drops
 * datagrams from any other address or port, and it stays the channel's across resends of the same request: a reply
 * to any of them is the reply (MIT sendto_kdc.c resends on the same socket too). Sockets come from the transport's
 * pool (./udp-pool.ts), which decides on `close` whether the socket may serve another request or is closed.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type Channel, type ChannelEvents, socketFailure } from './attempt.js';
import { formatAttemptAddress } from './kdc-address.js';
import { type UdpLease, UdpSocketPool } from './udp-pool.js';

/** A pool that keeps nothing: every channel's socket is closed with it. */
const NO_POOL = new UdpSocketPool(0);

/** Opens a socket to the KDC and sends the request; `resend` sends the same datagram again. */
export function openUdpChannel(
  kdc: { host: string; port: number },
  request: Uint8Array,
  events: ChannelEvents,
  pool: UdpSocketPool = NO_POOL,
): Channel {
  let closed = false;
  let lease: UdpLease | undefined;
  let sends = 0;
  let replies = 0;
  let lastReply: Uint8Array | undefined;
  const sent = (e: Error | null) => {
    if (e) fail(e);
  };
  // Resends asked for before the socket is connected (a slow name lookup) are not queued: one send is enough.
  const send = () => {
    if (closed || !lease?.connected) return;
    sends++;
    lease.send(request, sent);
  };
  const fail = (e: unknown) => {
    if (closed) return;
    lease?.release(undefined);
    lease = undefined;
    close();
    events.failure(socketFailure(formatAttemptAddress({ ...kdc, proto: 'udp' }), e));
  };
  const close = () => {
    if (closed) return;
    closed = true;
    // Only a socket whose one datagram got its one answer may serve another request (see ./udp-pool.ts).
    lease?.release(sends === 1 && replies === 1 ? lastReply : undefined);
    lease = undefined;
  };

  function start(address: string, family: number): void {
    if (closed) return;
    lease = pool.take(address, kdc.port, family, {
      message: (bytes) => {
        if (closed) return;
        replies++;
        lastReply = bytes;
        events.reply(bytes);
      },
      error: fail,
      ready: send,
    });
    if (lease.connected) send();
  }

  const family = isIP(kdc.host);
  if (family !== 0) start(kdc.host, family);
  else lookup(kdc.host).then((a) => start(a.address, a.family), fail);
  return { resend: send, close };
}
