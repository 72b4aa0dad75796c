/** The result of one network attempt, and the hints that explain socket errors. */
import { TransportError } from '../errors.js';
import type { AttemptRecord, KdcAttemptAddress, TransportTraceEvent } from './types.js';

/**
 * An attempt either produced reply bytes or failed: silence (`timeout`), a stream closed or reset before its reply
 * (`closed`: worth a new connection on the next pass), a failure that may clear with time (`transient`: a KKDCP proxy
 * down, restarting or without a KDC to reach; worth another attempt after the wait between passes), the caller's
 * abort, or another error (final for that endpoint).
 */
export type AttemptResult =
  | { ok: true; reply: Uint8Array }
  | { ok: false; kind: 'timeout' | 'error' | 'closed' | 'transient' | 'aborted'; error: TransportError };

/** A failed attempt. */
export type AttemptFailure = Extract<AttemptResult, { ok: false }>;

/** What an open channel reports: reply bytes (UDP may report several, one per resend) or its one failure. */
export interface ChannelEvents {
  reply(bytes: Uint8Array): void;
  failure(f: AttemptFailure): void;
}

/**
 * An open socket to one KDC, listening until closed. `resend` sends the same request bytes again (UDP; a stream
 * sends once, on connect). Nothing is reported after `close`.
 */
export interface Channel {
  resend(): void;
  close(): void;
}

/** Options shared by the UDP and TCP attempts. */
export interface AttemptOptions {
  timeoutMs: number;
  maxMessageLength: number;
  signal?: AbortSignal | undefined;
}

const SOCKET_HINTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing listens there: is the KDC running, and are the host and port right?',
  ECONNRESET:
    'the KDC dropped the connection: it may not speak Kerberos on this port, or refused the request',
  EPIPE: 'the KDC closed the connection while the request was being sent',
  ENOTFOUND: 'the KDC host name does not resolve: check [realms] kdc in krb5.conf or the kdcs option',
  EAI_AGAIN: 'the name server did not answer: retry, or give the KDC as an IP address',
  EHOSTUNREACH: 'no route to the KDC host',
  ENETUNREACH: 'no route to the KDC network',
  EMSGSIZE: 'the request is too large for a datagram: use TCP',
};

/** A failed attempt for a socket error, with a hint for the error code. */
export function socketFailure(where: string, e: unknown): AttemptFailure {
  const code = (e as { code?: unknown }).code;
  const text = e instanceof Error ? e.message : String(e);
  const hint = typeof code === 'string' ? SOCKET_HINTS[code] : undefined;
  return {
    ok: false,
    kind: 'error',
    error: new TransportError(`${where}: ${text}`, { kdc: where, cause: e, ...(hint ? { hint } : {}) }),
  };
}

/** A failed attempt for a timeout. */
export function timeoutFailure(where: string, ms: number): AttemptFailure {
  return {
    ok: false,
    kind: 'timeout',
    error: new TransportError(`${where}: no reply within ${ms} ms`, {
      kdc: where,
      hint: 'the KDC is silent: is it running, is a firewall dropping packets, is the timeout too short?',
    }),
  };
}

/** A failed attempt for an abort by the caller. */
export function abortFailure(where: string, reason: unknown): AttemptFailure {
  return {
    ok: false,
    kind: 'aborted',
    error: new TransportError(`${where}: aborted`, { kdc: where, cause: reason }),
  };
}

/** Where one attempt went, for its trace events. */
export interface AttemptContext {
  readonly realm: string;
  readonly attempt: number;
  readonly kdc: KdcAttemptAddress;
  readonly bytesSent: number;
}

/**
 * The function that closes an attempt: it keeps the record and emits the attempt's `end` trace event (when `emit`
 * is given: nobody listening, no event is built).
 */
export function attemptEnder(
  attempts: AttemptRecord[],
  emit: ((ev: TransportTraceEvent) => void) | undefined,
  at: AttemptContext,
): (record: AttemptRecord, bytesReceived?: number) => void {
  return (record, bytesReceived) => {
    attempts.push(record);
    emit?.({ ...at, phase: 'end', record, ...(bytesReceived === undefined ? {} : { bytesReceived }) });
  };
}
