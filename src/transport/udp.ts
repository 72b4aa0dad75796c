/**
 * A UDP channel to one KDC: one datagram each way, RFC 4120 7.2.1. The socket is connected, so the kernel drops
 * datagrams from any other address or port, and it stays open across resends of the same request: a reply to any
 * of them is the reply (MIT sendto_kdc.c resends on the same socket too). `close` closes the socket on every path.
 */
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type Channel, type ChannelEvents, socketFailure } from './attempt.js';
import { formatAttemptAddress } from './kdc-address.js';

/** Opens a socket to the KDC and sends the request; `resend` sends the same datagram again. */
export function openUdpChannel(
  kdc: { host: string; port: number },
  request: Uint8Array,
  events: ChannelEvents,
): Channel {
  const where = formatAttemptAddress({ ...kdc, proto: 'udp' });
  let closed = false;
  let socket: Socket | undefined;
  let connected = false;
  // Resends asked for before the socket is connected (a slow name lookup) are not queued: one send is enough.
  const send = () => {
    if (closed || !socket || !connected) return;
    socket.send(request, (e) => {
      if (e) fail(e);
    });
  };
  const fail = (e: unknown) => {
    if (closed) return;
    close();
    events.failure(socketFailure(where, e));
  };
  const close = () => {
    if (closed) return;
    closed = true;
    socket?.close();
  };

  function start(address: string, family: number): void {
    if (closed) return;
    const s = createSocket(family === 6 ? 'udp6' : 'udp4');
    socket = s;
    s.on('error', fail);
    s.on('message', (msg: Uint8Array) => {
      if (!closed) events.reply(new Uint8Array(msg));
    });
    try {
      s.connect(kdc.port, address, () => {
        connected = true;
        send();
      });
    } catch (e) {
      fail(e); // a port Node refuses (0, from a DNS SRV record, say)
    }
  }

  const family = isIP(kdc.host);
  if (family !== 0) start(kdc.host, family);
  else lookup(kdc.host).then((a) => start(a.address, a.family), fail);
  return { resend: send, close };
}
