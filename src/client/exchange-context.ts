/**
 * The context the exchange modules (AS, TGS, anonymous PKINIT, armor, S4U flows) run in: configuration, clock and
 * randomness, the shared KdcState, sending, tracing and errors. KdcClient implements it; the modules take this
 * interface, never the class.
 */
import type { KrbError } from '../asn1/index.js';
import type { Credential } from '../messages/credential.js';
import type { ExchangeStep } from '../messages/exchange-step.js';
import type { KdcError } from '../messages/kdc-error.js';
import type { Principal } from '../messages/principal.js';
import type { KdcReply } from '../messages/reply.js';
import type { CallOptions } from '../util/abort.js';
import type { ArmorSource, FastMode } from './fast-options.js';
import type { KdcState } from './kdc-state.js';
import type { ExchangeResult, TgsOptions } from './tgs-options.js';
import type { TracePhase } from './trace.js';

/** One request sent and its reply parsed (a KRB-ERROR is a value), with the trace id and the KDC that answered. */
export interface SentRequest {
  readonly reply: KdcReply;
  readonly id: number;
  readonly kdc: string | undefined;
}

/** What an exchange module may use of the client that runs it. */
export interface ExchangeContext {
  /** Enctypes offered, in order of preference. */
  readonly etypes: readonly number[];
  /** Requested ticket lifetime in seconds. */
  readonly lifetimeSec: number;
  /** Maximum referrals followed in one request (TGS and S4U flows alike). */
  readonly maxReferrals: number;
  /** The client's AS armor source, if any. */
  readonly armorSource: ArmorSource | undefined;
  /** The client's FAST mode for TGS requests. */
  readonly fastMode: FastMode;
  /** What the client learned from KDCs: clock offset, FAST realms, armor TGTs. */
  readonly state: KdcState;
  /** The signal of the call this context runs (see `withCall`); undefined for the client itself. */
  readonly signal?: AbortSignal | undefined;
  /** The FAST mode for a request with this armor source, absent an explicit one. */
  fastModeFor(armor: ArmorSource | undefined): FastMode;
  /** The corrected current time (local clock plus the KDC offset). */
  now(): Date;
  /** A fresh 31-bit nonce. */
  nonce(): number;
  /** Random bytes from the injected source. */
  randomBytes(n: number): Uint8Array;
  /**
   * False when no trace event would reach anyone (no trace sink, no `tskrb:exchange` subscriber): callers then skip
   * building an event's summary and details. Absent counts as true (a context written before it existed).
   */
  readonly tracing?: boolean | undefined;
  /** Emits a trace event. */
  trace(
    exchange: number,
    step: ExchangeStep,
    phase: TracePhase,
    summary: string,
    details?: Record<string, unknown>,
  ): void;
  /** Sends one request to `realm`'s KDCs and parses the reply; `signal` aborts the send (AbortError). */
  send(
    realm: string,
    step: ExchangeStep,
    bytes: Uint8Array,
    expect: 'AS-REP' | 'TGS-REP',
    request: unknown,
    signal?: AbortSignal,
  ): Promise<SentRequest>;
  /** A KdcError for `error`, traced. */
  kdcError(error: KrbError, step: ExchangeStep, id: number, kdc: string | undefined): KdcError;
  /** Learns the KDC's clock offset from a KRB_AP_ERR_SKEW error. */
  learnSkew(error: KrbError, id: number, step: ExchangeStep): void;
  /** Remembers that `realm`'s KDC speaks FAST. */
  noteFastRealm(realm: string): void;
  /** The armor TGT for `realm` from `source`. */
  armorTicket(realm: string, source: ArmorSource, call?: CallOptions): Promise<Credential>;
  /** A TGS exchange following referrals (the S4U flows get their cross-realm TGTs with it). */
  tgs(tgt: Credential, server: Principal, request?: TgsOptions): Promise<ExchangeResult>;
}
