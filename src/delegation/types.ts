/** Types of the DelegationClient: the KDC seam it drives, its results, stats and audit events. */
import type { Credential } from '../messages/credential.js';
import type { Principal } from '../messages/principal.js';
import type { S4uResult } from '../s4u/s4u-result.js';
import type { Transport } from '../transport/index.js';
import type { SharedStoreStats } from './shared-tier.js';

/** A ticket one KDC step produced, with what the step noticed (e.g. a non-forwardable S4U2Self ticket). */
export interface DelegationStep {
  readonly credential: Credential;
  readonly warnings?: readonly string[] | undefined;
  /** The whole S4U outcome (PAC view, delegation path, reply checks) when the step has one. */
  readonly result?: S4uResult | undefined;
}

/**
 * The three KDC flows a DelegationClient runs (login, S4U2Self, S4U2Proxy). Each gets the transport of its flight
 * (a counting scope over the client's transport) and must send through it. The default speaks to KDCs with the
 * flows of src/client; tests of the cache may inject their own.
 */
export interface DelegationFlows {
  /** The service's TGT, forwardable (S4U2Self tickets are only forwardable when the TGT request asked). */
  login(transport: Transport): Promise<Credential>;
  /** S4U2Self: a ticket to the service itself for `user`. */
  s4u2self(transport: Transport, tgt: Credential, user: Principal): Promise<DelegationStep>;
  /** S4U2Proxy: a ticket to `target` for the client of `evidence`. */
  s4u2proxy(
    transport: Transport,
    tgt: Credential,
    evidence: Credential,
    target: Principal,
  ): Promise<DelegationStep>;
  /** KDC time minus local time (ms) as last learned, to compare ticket end times with the local clock. */
  readonly timeOffsetMs?: number | undefined;
}

/**
 * Where a delegated ticket came from: the cache, a KDC flight this call started, one it joined, or the shared
 * ticket store (another replica's flight).
 */
export type DelegationSource = 'cache' | 'kdc' | 'joined' | 'store';

/** A delegated ticket as the DelegationClient returns it. */
export interface DelegatedTicket {
  /** The ticket: its client is the impersonated user, its server the service (S4U2Self) or the target. */
  readonly credential: Credential;
  /** The user, as `name@REALM`. */
  readonly user: string;
  /** The ticket's server as asked, as `name@REALM`. */
  readonly target: string;
  readonly source: DelegationSource;
  /** When the ticket was obtained (local time). */
  readonly obtainedAt: Date;
  /** Warnings from the KDC steps that produced this ticket (evidence steps included). */
  readonly warnings: readonly string[];
  /** The S4U outcome of the step that produced the ticket (delegation path, reply checks), when known. */
  readonly result?: S4uResult | undefined;
}

/** What `DelegationClient.clear` did. */
export interface DelegationClearResult {
  /** Delegated tickets dropped from this replica's cache. */
  readonly dropped: number;
  /**
   * The other replicas: `recorded` (the shared store took the clear; they stop serving the tickets within
   * `store.revalidateMs`), `failed` (the store did not take it: this replica only, to be called again), or `local`
   * (the client has no store).
   */
  readonly fleet: 'recorded' | 'failed' | 'local';
}

/** Counters of a DelegationClient since it was made. */
export interface DelegationStats {
  /** Calls answered from the cache. */
  readonly hits: number;
  /** Calls that started a KDC flight (absent or stale entry). */
  readonly misses: number;
  /** Calls that joined a flight already in progress for the same user and target. */
  readonly joined: number;
  /** Fetches of a stale entry (past its TTL or near its end): by a waiting call, or in the background (`refreshAhead`). */
  readonly refreshes: number;
  /** Delegated tickets in the cache (S4U2Self and S4U2Proxy; the service TGT is not counted). */
  readonly entries: number;
  /** Entries dropped because the cache was full (least recently used first). */
  readonly evictions: number;
  /** Requests sent to KDCs: AS rounds (pre-authentication), S4U and referral TGS requests. */
  readonly kdcRoundTrips: number;
  /** Time those requests waited for a busy KDC in the transport's queue, summed (ms; 0 when none queued). */
  readonly kdcQueuedMs: number;
  /** KDC operations performed. */
  readonly exchanges: { readonly login: number; readonly s4u2self: number; readonly s4u2proxy: number };
  /** Failed KDC operations by error name (`KDC_ERR_BADOPTION`, or the error class for non-KDC failures). */
  readonly errors: Readonly<Record<string, number>>;
  /** The shared ticket store's counters (hits, waits, failures, refused entries), when the client has one. */
  readonly store?: SharedStoreStats | undefined;
}

/**
 * What an audit event records: a delegation call, or `store-refused`, an entry of the shared store that did not
 * open (altered, sealed under another key, or moved from another user or target): dropped and fetched again.
 */
export type DelegationAuditOperation = 's4u2self' | 's4u2proxy' | 'store-refused';

/** One delegation, for the audit log. Never holds keys or tickets: names, outcome, KDC and timing only. */
export interface DelegationAuditEvent {
  /** When the call ended (local time, ISO 8601). */
  readonly time: string;
  readonly operation: DelegationAuditOperation;
  /** The delegating service, `name@REALM`. */
  readonly service: string;
  /** The user impersonated, `name@REALM`. */
  readonly user: string;
  /** The ticket's server: the service itself for S4U2Self, the back end for S4U2Proxy. */
  readonly target: string;
  readonly result: 'ok' | 'error';
  /** Cache, own flight or joined flight; absent when the call failed before one was chosen. */
  readonly source?: DelegationSource | undefined;
  /** KDCs (`host:port`) that answered this call's flight; empty for cache hits. */
  readonly kdcs: readonly string[];
  /** KDC round trips of this call's flight (0 for cache hits). */
  readonly roundTrips: number;
  /** Time the call took (ms). */
  readonly latencyMs: number;
  /** End of the ticket's validity (ISO 8601), on success. */
  readonly ticketEnd?: string | undefined;
  /** The failure: error name (`KDC_ERR_BADOPTION` or class), KRB-ERROR code, message and hint. */
  readonly error?:
    | {
        readonly name: string;
        readonly code?: number | undefined;
        readonly message: string;
        readonly hint?: string | undefined;
      }
    | undefined;
}

/**
 * Receives one audit event per `s4u2self`/`s4u2proxy` call, and one per shared-store entry refused (`store-refused`).
 * Exceptions it throws are ignored.
 */
export type DelegationAuditSink = (event: DelegationAuditEvent) => void;
