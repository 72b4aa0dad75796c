/**
 * A TCP channel to one KDC with the RFC 4120 7.2.2 length prefix: connect, send the framed request once, read one
 * framed reply. A connection closed or reset before its reply is a `closed` failure, which the schedule answers
 * with a new connection on its next pass. `close` destroys the socket on every path.
 */
import { connect } from 'node:net';
import { TransportError } from '../errors.js';
import { type AttemptFailure, type Channel, type ChannelEvents, socketFailure } from './attempt.js';
import { frameTcpMessage, TcpFrameReader } from './framing.js';
import { formatAttemptAddress } from './kdc-address.js';

/** Socket errors that mean "no reply on this connection", not "this KDC cannot answer": worth a new connection. */
const RECONNECTABLE = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED']);

/** Connects, sends the framed request and reports the framed reply or the failure, once. */
export function openTcpChannel(
  kdc: { host: string; port: number },
  request: Uint8Array,
  maxMessageLength: number,
  events: ChannelEvents,
): Channel {
  const where = formatAttemptAddress({ ...kdc, proto: 'tcp' });
  const reader = new TcpFrameReader(maxMessageLength);
  let closed = false;
  const socket = connect({ host: kdc.host, port: kdc.port });
  const close = () => {
    if (closed) return;
    closed = true;
    socket.destroy();
  };
  const fail = (f: AttemptFailure) => {
    if (closed) return;
    close();
    events.failure(f);
  };

  socket.setNoDelay(true);
  socket.on('connect', () => {
    socket.write(frameTcpMessage(request));
  });
  socket.on('data', (chunk: Uint8Array) => {
    let message: Uint8Array | undefined;
    try {
      message = reader.push(chunk);
    } catch (e) {
      const err = e as TransportError;
      fail({
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
    if (message && !closed) {
      close();
      events.reply(message);
    }
  });
  socket.on('error', (e) => {
    const f = socketFailure(where, e);
    const code = (e as { code?: unknown }).code;
    fail(typeof code === 'string' && RECONNECTABLE.has(code) ? { ...f, kind: 'closed' } : f);
  });
  socket.on('close', () => {
    const announced = reader.announced;
    const why =
      announced === undefined
        ? reader.received === 0
          ? 'connection closed without a reply'
          : `connection closed inside the length prefix (${reader.received} of 4 bytes)`
        : `connection closed after ${reader.received - 4} of ${announced} reply bytes (truncated frame)`;
    fail({
      ok: false,
      kind: 'closed',
      error: new TransportError(`${where}: ${why}`, {
        kdc: where,
        hint: 'the KDC closed the connection early: it may be overloaded or restarting, or this port is not a Kerberos KDC',
      }),
    });
  });
  // A stream sends its request once; a lost reply is recovered by a new connection on a later pass.
  return { resend: () => {}, close };
}
