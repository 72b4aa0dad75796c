/** Structured trace events for every exchange, and redaction of secrets before they leave the client. */
import { Key } from '../crypto/index.js';
import type { Credential } from '../messages/credential.js';
import type { ExchangeStep } from '../messages/exchange-step.js';
import { formatPrincipal } from '../messages/principal.js';

/** The phase of an exchange an event reports. */
export type TracePhase =
  | 'request'
  | 'send'
  | 'receive'
  | 'error'
  | 'decrypt'
  | 'validate'
  | 'result'
  | 'note'
  | 'warning';

/** One step of an exchange, with the decoded values behind it. */
export interface TraceEvent {
  /** Milliseconds since the client's first event (from the injected clock). */
  readonly t: number;
  /** Sequence number of the exchange (one request/reply pair). */
  readonly exchange: number;
  readonly step: ExchangeStep;
  readonly phase: TracePhase;
  /** One line a person can read. */
  readonly summary: string;
  /** Decoded values (messages, checks, KDC address); secrets redacted unless the client was made with `redact: false`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Receives trace events. */
export type TraceSink = (event: TraceEvent) => void;

const SECRET_FIELDS = new Set(['keyvalue', 'sessionKey', 'password', 'subkey', 'replyKey', 'key']);

/**
 * A copy of `value` with key material replaced by `[redacted N bytes]`: byte fields named like keys, and Key objects.
 */
export function redact(value: unknown, field = '', depth = 0): unknown {
  if (depth > 40) return '[too deep]';
  if (value instanceof Uint8Array) {
    return SECRET_FIELDS.has(field) ? `[redacted ${value.length} bytes]` : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, field, depth + 1));
  if (value instanceof Key) return { etype: value.etype, bytes: `[redacted ${value.bytes.length} bytes]` };
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) out[k] = redact(o[k], k, depth + 1);
  return out;
}

/** The trace line of a ticket got: which service, for which client. */
export function ticketSummary(credential: Credential): string {
  return `ticket for ${formatPrincipal(credential.server.name, credential.server.realm)} as ${formatPrincipal(credential.client.name, credential.client.realm)}`;
}
