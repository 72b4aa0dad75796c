/**
 * KdcClient: AS exchange with pre-authentication negotiation, TGS exchange with referral chasing, S4U flows,
 * clock-skew correction, FAST armoring (RFC 6113), typed errors and trace events. RFC 4120 3.1 and 3.3. All I/O goes
 * through the Transport; the exchanges themselves live in as-exchange.ts, tgs-exchange.ts, anonymous.ts,
 * s4u2self.ts and s4u2proxy.ts, and take the client as their ExchangeContext.
 */
import type { KrbError, PrincipalName } from '../asn1/index.js';
import { EncType, isSupportedEnctype, type Key } from '../crypto/index.js';
import type { Credential } from '../messages/credential.js';
import type { ExchangeStep } from '../messages/exchange-step.js';
import { KdcError } from '../messages/kdc-error.js';
import { type Principal, parsePrincipal } from '../messages/principal.js';
import { parseKdcReply } from '../messages/reply.js';
import type { S4uEvidenceInput } from '../s4u/evidence.js';
import type { S4uResult } from '../s4u/s4u-result.js';
import type { SendResult, Transport } from '../transport/index.js';
import { abortError, type CallOptions, throwIfAborted } from '../util/abort.js';
import { DiagnosticsChannelName, subscribedChannel } from '../util/diagnostics.js';
import { type Clock, defaultClock, defaultRandom, type RandomSource } from '../util/env.js';
import { type AnonymousLoginOptions, anonymousExchange } from './anonymous.js';
import { resolveArmorTicket } from './armor-source.js';
import { asExchange } from './as-exchange.js';
import { withCall } from './call-context.js';
import type { ExchangeContext, SentRequest } from './exchange-context.js';
import type { ArmorSource, FastMode, FastSettings } from './fast-options.js';
import { KdcState } from './kdc-state.js';
import { tgsFlow } from './referrals.js';
import { type S4u2ProxyOptions, s4u2proxy } from './s4u2proxy.js';
import { type S4u2SelfOptions, s4u2self } from './s4u2self.js';
import type { ExchangeResult, TgsOptions } from './tgs-options.js';
import { type TokenPlacement, tokenAsExchange } from './token-login.js';
import { redact, type TraceEvent, type TracePhase, type TraceSink } from './trace.js';

let clientSeq = 0;

/** Enctypes offered by default, strongest first. */
export const DEFAULT_ETYPES: readonly number[] = [
  EncType.AES256_CTS_HMAC_SHA1_96,
  EncType.AES128_CTS_HMAC_SHA1_96,
  EncType.AES256_CTS_HMAC_SHA384_192,
  EncType.AES128_CTS_HMAC_SHA256_128,
  EncType.RC4_HMAC,
];

/** How a client talks to KDCs, beside where it sends: the settings a DelegationClient passes on as they are. */
export interface KdcClientSettings extends FastSettings {
  /** The local clock (ms since the epoch); tests pass their own. */
  readonly clock?: Clock | undefined;
  /** Random bytes (nonces, subkeys, confounders); tests pass their own. */
  readonly random?: RandomSource | undefined;
  /** Receives a trace event for every step of every exchange. */
  readonly trace?: TraceSink | undefined;
  /** Keep secrets in trace events (default: redacted). */
  readonly redact?: boolean | undefined;
  /** Enctypes to offer, in order of preference. */
  readonly etypes?: readonly number[] | undefined;
  /** Requested ticket lifetime in seconds (default 10 h). */
  readonly lifetimeSec?: number | undefined;
  /** Maximum referrals followed in one request, TGS and S4U flows alike (default 8). */
  readonly maxReferrals?: number | undefined;
}

/** How to build a KdcClient; `fast` is the mode of every request, `armor` where AS armor tickets come from. */
export interface KdcClientOptions extends KdcClientSettings {
  /** Default realm (of the client principal when it names none). */
  readonly realm: string;
  /** How requests reach KDCs. */
  readonly transport: Transport;
  /** What the client learns from KDCs (clock offset, FAST realms, armor TGTs); pass one to share it between clients. */
  readonly state?: KdcState | undefined;
}

/**
 * How to log in. Exactly one of `password`, `keys` and `token`. `fast`/`armor` override the client's FAST settings, `etypes`
 * its enctypes (default: the client's that the keys have); `signal`/`timeout` cancel the whole login flow.
 */
export interface LoginOptions extends FastSettings, Pick<KdcClientSettings, 'etypes'>, CallOptions {
  /** `user`, `user@REALM`, `HTTP/host@REALM`, or an enterprise name with `enterprise: true`. */
  readonly principal: string | Principal;
  readonly password?: string | undefined;
  /** Long-term keys (e.g. every key of the principal in a keytab); the KDC's preferred enctype picks one. */
  readonly keys?: readonly Key[] | undefined;
  /**
   * A JWT (compact serialization) for token pre-authentication (Apache Kerby PA-TOKEN-REQUEST). Sent only inside FAST:
   * without an armor source, or with `fast: 'off'`, login refuses (code ERR_TSKRB_TOKEN_NEEDS_FAST) and sends nothing.
   */
  readonly token?: string | undefined;
  /** TokenInfo.tokenVendor (default: the JWT's `iss` claim). */
  readonly tokenVendor?: string | undefined;
  /** Where PA-TOKEN-REQUEST goes: inside the FAST request (default) or sealed beside it, where Kerby's KDC reads it. */
  readonly tokenPlacement?: TokenPlacement | undefined;
  readonly enterprise?: boolean | undefined;
  /** Service to get a ticket for (default krbtgt/REALM). */
  readonly service?: string | undefined;
  readonly forwardable?: boolean | undefined;
  readonly proxiable?: boolean | undefined;
  /** Renewable lifetime in seconds. */
  readonly renewableSec?: number | undefined;
  /** Ask for a PAC (PA-PAC-REQUEST); default true. */
  readonly pac?: boolean | undefined;
  /** Set `canonicalize` (default true, as MIT and Windows do). */
  readonly canonicalize?: boolean | undefined;
}

/** A client of one or more realms' KDCs. */
export class KdcClient implements ExchangeContext {
  readonly realm: string;
  readonly transport: Transport;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly sink: TraceSink | undefined;
  private readonly keepSecrets: boolean;
  readonly etypes: readonly number[];
  /** Requested ticket lifetime in seconds. */
  readonly lifetimeSec: number;
  /** Maximum referrals followed in one request. */
  readonly maxReferrals: number;
  /** The client's armor source, if any. */
  readonly armorSource: ArmorSource | undefined;
  private readonly fastDefault: FastMode | undefined;
  /** What the client learned from KDCs, possibly shared with other clients. */
  readonly state: KdcState;
  private exchangeSeq = 0;
  /** Tells this client's events apart from other clients' on the `tskrb:exchange` channel. */
  private readonly clientId = ++clientSeq;
  private t0: number | undefined;

  constructor(private readonly options: KdcClientOptions) {
    this.realm = options.realm;
    this.transport = options.transport;
    this.clock = options.clock ?? defaultClock;
    this.random = options.random ?? defaultRandom;
    this.sink = options.trace;
    this.keepSecrets = options.redact === false;
    this.etypes = (options.etypes ?? DEFAULT_ETYPES).filter(isSupportedEnctype);
    this.lifetimeSec = options.lifetimeSec ?? 36_000;
    this.maxReferrals = options.maxReferrals ?? 8;
    this.armorSource = options.armor;
    this.fastDefault = options.fast;
    this.state = options.state ?? new KdcState();
  }

  /** A client with the same settings and the same state that sends through `transport`. */
  withTransport(transport: Transport): KdcClient {
    return new KdcClient({ ...this.options, transport, state: this.state });
  }

  /** The corrected current time (local clock plus the KDC offset learned from a skew error). */
  now(): Date {
    return new Date(this.clock() + this.state.timeOffsetMs);
  }

  /** KDC time minus local time in ms (ccache header stores it). */
  get timeOffsetMs(): number {
    return this.state.timeOffsetMs;
  }

  /** Realms whose KDC is known to speak FAST. */
  get fastRealms(): Set<string> {
    return this.state.fastRealms;
  }

  /** A fresh 31-bit nonce. */
  nonce(): number {
    const b = this.random(4);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) & 0x7fffffff;
  }

  /** Random bytes from the injected source. */
  randomBytes(n: number): Uint8Array {
    return this.random(n);
  }

  /** {@inheritDoc ExchangeContext.tracing} */
  get tracing(): boolean {
    return this.sink !== undefined || subscribedChannel(DiagnosticsChannelName.exchange) !== undefined;
  }

  /** Emits a trace event (redacted unless the client keeps secrets). */
  trace(
    exchange: number,
    step: ExchangeStep,
    phase: TracePhase,
    summary: string,
    details?: Record<string, unknown>,
  ): void {
    const channel = subscribedChannel(DiagnosticsChannelName.exchange);
    if (!this.sink && !channel) return;
    const now = this.clock();
    this.t0 ??= now;
    const base = { t: now - this.t0, exchange, step, phase, summary };
    const redacted =
      details === undefined || (this.keepSecrets && !channel)
        ? undefined
        : (redact(details) as Record<string, unknown>);
    const ev: TraceEvent =
      details === undefined ? base : { ...base, details: this.keepSecrets ? details : redacted! };
    // The channel is the process's, not this client's: its events are redacted whatever `redact` says.
    channel?.publish({
      client: this.clientId,
      realm: this.realm,
      ...base,
      ...(redacted ? { details: redacted } : {}),
    });
    this.sink?.(ev);
  }

  /**
   * Sends one request to `realm`'s KDCs and parses the reply; KRB-ERRORs come back as values. `signal` stops the
   * transport's attempts, failover and retries, and the send rejects with its AbortError.
   */
  async send(
    realm: string,
    step: ExchangeStep,
    bytes: Uint8Array,
    expect: 'AS-REP' | 'TGS-REP',
    request: unknown,
    signal?: AbortSignal,
  ): Promise<SentRequest> {
    throwIfAborted(signal);
    const id = ++this.exchangeSeq;
    const tracing = this.tracing;
    if (tracing)
      this.trace(
        id,
        step,
        'request',
        `${expect === 'AS-REP' ? 'AS-REQ' : 'TGS-REQ'} to realm ${realm} (${bytes.length} bytes)`,
        { request },
      );
    const started = this.clock();
    let res: SendResult;
    try {
      res = await this.transport.sendDetailed(realm, bytes, signal ? { signal } : undefined);
    } catch (e) {
      if (!signal?.aborted) throw e;
      const err = abortError(signal);
      this.trace(id, step, 'error', `${err.name}: ${err.message} (after ${this.clock() - started} ms)`);
      throw err;
    }
    if (tracing)
      this.trace(
        id,
        step,
        'receive',
        `${res.reply.length} bytes from ${res.kdc.proto}/${res.kdc.host}:${res.kdc.port} in ${this.clock() - started} ms`,
        { kdc: res.kdc, attempts: res.attempts },
      );
    const reply = parseKdcReply(res.reply, expect);
    return { reply, id, kdc: `${res.kdc.host}:${res.kdc.port}` };
  }

  /** @deprecated renamed {@link KdcClient.send} ("exchange" names a whole request/reply with its checks). */
  exchange(
    realm: string,
    step: ExchangeStep,
    bytes: Uint8Array,
    expect: 'AS-REP' | 'TGS-REP',
    request: unknown,
  ): Promise<SentRequest> {
    return this.send(realm, step, bytes, expect, request);
  }

  /** A KdcError for `error`, traced (used by the exchange modules). */
  kdcError(error: KrbError, step: ExchangeStep, id: number, kdc: string | undefined): KdcError {
    const err = new KdcError(error, step, { kdc });
    this.trace(id, step, 'error', `${err.codeName}${err.eText ? `: ${err.eText}` : ''}`, {
      error,
      eData: err.eData,
      hint: err.hint,
    });
    return err;
  }

  /** Learns the KDC's clock offset from a KRB_AP_ERR_SKEW error (used by the exchange modules). */
  learnSkew(error: KrbError, id: number, step: ExchangeStep): void {
    const kdcMs = error.stime.getTime() + Math.floor(error.susec / 1000);
    this.state.timeOffsetMs = kdcMs - this.clock();
    this.trace(
      id,
      step,
      'note',
      `clock skew: KDC time is ${Math.round(this.state.timeOffsetMs / 1000)} s from ours; retrying with the KDC's time`,
    );
  }

  /** AS exchange: a TGT (or a service ticket) for a principal, with pre-authentication negotiated (FAST per options). */
  async login(opts: LoginOptions): Promise<Session> {
    const client =
      typeof opts.principal === 'string'
        ? parsePrincipal(opts.principal, { defaultRealm: this.realm, enterprise: opts.enterprise })
        : opts.principal;
    const ctx = withCall(this, opts);
    const r =
      opts.token !== undefined
        ? await tokenAsExchange(ctx, client, opts)
        : await asExchange(ctx, client, opts);
    return new Session(this, r.credential, r.armored);
  }

  /** Anonymous PKINIT (RFC 8062, `kinit -n`): a TGT for WELLKNOWN/ANONYMOUS from `realm`'s KDC. */
  async loginAnonymous(opts: AnonymousLoginOptions = {}): Promise<Session> {
    const cred = await anonymousExchange(withCall(this, opts), opts.realm ?? this.realm, opts);
    return new Session(this, cred, false);
  }

  /** The FAST mode for a request with this armor source, absent an explicit one. */
  fastModeFor(armor: ArmorSource | undefined): FastMode {
    return this.fastDefault ?? (armor ? 'if-available' : 'off');
  }

  /** The client's FAST mode for TGS requests (which need no armor source). */
  get fastMode(): FastMode {
    return this.fastModeFor(this.armorSource);
  }

  /** Remembers that `realm`'s KDC speaks FAST (it advertised PA-FX-FAST or answered an armored request). */
  noteFastRealm(realm: string): void {
    this.state.fastRealms.add(realm);
  }

  /** The armor TGT for `realm` from `source` (keytab and anonymous armor TGTs are cached until they expire). */
  armorTicket(realm: string, source: ArmorSource, call?: CallOptions): Promise<Credential> {
    return resolveArmorTicket(withCall(this, call), realm, source, this.state.armorTickets);
  }

  /**
   * TGS exchange with `tgt` for `server`, following cross-realm referrals. The server's realm decides where
   * the chase ends; when it differs from the TGT's realm the client first asks for krbtgt/SERVER_REALM.
   */
  tgs(tgt: Credential, server: Principal, request: TgsOptions = {}): Promise<ExchangeResult> {
    return tgsFlow(withCall(this, request), tgt, server, request);
  }
}

/** A logged-in principal: its TGT and the client that got it. */
export class Session {
  constructor(
    readonly client: KdcClient,
    readonly tgt: Credential,
    /** True when the TGT came from a FAST-armored exchange. */
    readonly armored = false,
  ) {}

  /** The principal this session is for. */
  get principal(): Principal {
    return this.tgt.client;
  }

  /** A service ticket for `service` (`HTTP/host`, `HTTP/host@REALM`), following referrals. */
  async getServiceTicket(service: string | Principal, request: TgsOptions = {}): Promise<Credential> {
    const server =
      typeof service === 'string'
        ? parsePrincipal(service, { defaultRealm: this.tgt.client.realm })
        : service;
    // A session from an armored login keeps armoring its TGS requests (implicit TGT armor) unless told otherwise.
    const fast = request.fast ?? (this.armored ? 'if-available' : undefined);
    return (await this.client.tgs(this.tgt, server, fast ? { ...request, fast } : request)).credential;
  }

  /** S4U2Self (protocol transition): a ticket to this session's own service naming `user` (MS-SFU 3.1.5.1). */
  s4u2self(user: string | Principal, opts?: S4u2SelfOptions): Promise<S4uResult> {
    return s4u2self(this.client, this.tgt, user, opts);
  }

  /** S4U2Proxy: a ticket to `target` naming the evidence's client (constrained or resource-based delegation). */
  s4u2proxy(
    evidence: S4uEvidenceInput,
    target: string | Principal,
    opts?: S4u2ProxyOptions,
  ): Promise<S4uResult> {
    return s4u2proxy(this.client, this.tgt, evidence, target, opts);
  }
}

/** Re-exported for callers building principals. */
export type { PrincipalName };
