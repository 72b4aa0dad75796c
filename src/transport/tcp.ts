/** One request/reply exchange over TCP with the RFC 4120 7.2.2 length prefix. Every path closes the socket and timer. */
import { connect } from 'node:net';
import { TransportError } from '../errors.js';
import {
  type AttemptOptions,
  type AttemptResult,
  abortFailure,
  socketFailure,
  timeoutFailure,
} from './attempt.js';
import { frameTcpMessage, TcpFrameReader } from './framing.js';
import { formatAttemptAddress } from './kdc-address.js';

/** Connects, sends the framed request, and reads one framed reply. Never rejects: failures are results. */
export function tcpExchange(
  kdc: { host: string; port: number },
  request: Uint8Array,
  o: AttemptOptions,
): Promise<AttemptResult> {
  const where = formatAttemptAddress({ ...kdc, proto: 'tcp' });
  if (o.signal?.aborted) return Promise.resolve(abortFailure(where, o.signal.reason));
  return new Promise((resolve) => {
    const reader = new TcpFrameReader(o.maxMessageLength);
    let settled = false;
    const socket = connect({ host: kdc.host, port: kdc.port });
    const onAbort = () => finish(abortFailure(where, o.signal?.reason));
    const timer = setTimeout(() => finish(timeoutFailure(where, o.timeoutMs)), o.timeoutMs);
    o.signal?.addEventListener('abort', onAbort, { once: true });

    function finish(r: AttemptResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(r);
    }

    socket.on('connect', () => {
      socket.write(frameTcpMessage(request));
    });
    socket.on('data', (chunk: Uint8Array) => {
      let message: Uint8Array | undefined;
      try {
        message = reader.push(chunk);
      } catch (e) {
        const err = e as TransportError;
        finish({
          ok: false,
          kind: 'error',
          error: new TransportError(`${where}: ${err.message}`, {
            kdc: where,
            cause: e,
            ...(err.hint ? { hint: err.hint } : {}),
          }),
        });
        return;
      }
      if (message) finish({ ok: true, reply: message });
    });
    socket.on('error', (e) => finish(socketFailure(where, e)));
    socket.on('close', () => {
      const announced = reader.announced;
      const why =
        announced === undefined
          ? reader.received === 0
            ? 'connection closed without a reply'
            : `connection closed inside the length prefix (${reader.received} of 4 bytes)`
          : `connection closed after ${reader.received - 4} of ${announced} reply bytes (truncated frame)`;
      finish({
        ok: false,
        kind: 'error',
        error: new TransportError(`${where}: ${why}`, {
          kdc: where,
          hint: 'the KDC closed the connection early: it may have crashed, or this port is not a Kerberos KDC',
        }),
      });
    });
  });
}
