/**
 * One request/reply exchange over UDP: one datagram each way. RFC 4120 7.2.1. The socket is connected,
 * so the kernel drops datagrams from any other address or port. Every path closes the socket and timer.
 */
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import {
  type AttemptOptions,
  type AttemptResult,
  abortFailure,
  socketFailure,
  timeoutFailure,
} from './attempt.js';
import { formatAttemptAddress } from './kdc-address.js';

/** Sends one datagram and waits for one reply. Never rejects: failures are results. */
export function udpExchange(
  kdc: { host: string; port: number },
  request: Uint8Array,
  o: AttemptOptions,
): Promise<AttemptResult> {
  const where = formatAttemptAddress({ ...kdc, proto: 'udp' });
  if (o.signal?.aborted) return Promise.resolve(abortFailure(where, o.signal.reason));
  return new Promise((resolve) => {
    let settled = false;
    let socket: Socket | undefined;
    const onAbort = () => finish(abortFailure(where, o.signal?.reason));
    const timer = setTimeout(() => finish(timeoutFailure(where, o.timeoutMs)), o.timeoutMs);
    o.signal?.addEventListener('abort', onAbort, { once: true });

    function finish(r: AttemptResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket?.close();
      resolve(r);
    }

    function start(address: string, family: number): void {
      if (settled) return;
      const s = createSocket(family === 6 ? 'udp6' : 'udp4');
      socket = s;
      s.on('error', (e) => finish(socketFailure(where, e)));
      s.on('message', (msg: Uint8Array) => finish({ ok: true, reply: new Uint8Array(msg) }));
      s.connect(kdc.port, address, () => {
        s.send(request, (e) => {
          if (e) finish(socketFailure(where, e));
        });
      });
    }

    const family = isIP(kdc.host);
    if (family !== 0) start(kdc.host, family);
    else {
      lookup(kdc.host).then(
        (a) => start(a.address, a.family),
        (e: unknown) => finish(socketFailure(where, e)),
      );
    }
  });
}
