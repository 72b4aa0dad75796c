/**
 * KdcClient: AS exchange with pre-authentication negotiation, TGS exchange with referral chasing, clock-skew
 * correction, FAST armoring (RFC 6113), typed errors and trace events. RFC 4120 3.1 and 3.3. All I/O goes through
 * the Transport; the exchanges themselves live in as-exchange.ts, tgs-exchange.ts and anonymous.ts.
 */
import type { KdcOptions, KrbError, PaData, PrincipalName, Ticket } from '../asn1/index.js';
import { EncType, isSupportedEnctype, type Key } from '../crypto/index.js';
import { KerberosError } from '../errors.js';
import type { Credential } from '../messages/credential.js';
import type { ExchangeStep } from '../messages/hints.js';
import { KdcError } from '../messages/kdc-error.js';
import {
  formatPrincipal,
  krbtgt,
  type Principal,
  parsePrincipal,
  tgsRealmOf,
} from '../messages/principal.js';
import { type KdcReply, parseKdcReply, type ValidatedReply } from '../messages/reply.js';
import type { S4uResult } from '../s4u/result.js';
import { type S4u2ProxyOptions, type S4uEvidence, s4u2proxy } from '../s4u/s4u2proxy.js';
import { type S4u2SelfOptions, s4u2self } from '../s4u/s4u2self.js';
import type { Transport } from '../transport/index.js';
import { type Clock, defaultClock, defaultRandom, type RandomSource } from '../util/env.js';
import { type AnonymousLoginOptions, anonymousExchange } from './anonymous.js';
import { resolveArmorTicket } from './armor-source.js';
import { asExchange } from './as-exchange.js';
import type { ArmorSource, FastMode, FastSettings } from './fast-options.js';
import { tgsOnce } from './tgs-exchange.js';
import { redact, type TraceEvent, type TracePhase, type TraceSink } from './trace.js';

/** Enctypes offered by default, strongest first. */
export const DEFAULT_ETYPES: readonly number[] = [
  EncType.AES256_CTS_HMAC_SHA1_96,
  EncType.AES128_CTS_HMAC_SHA1_96,
  EncType.AES256_CTS_HMAC_SHA384_192,
  EncType.AES128_CTS_HMAC_SHA256_128,
  EncType.RC4_HMAC,
];

/** How to build a KdcClient. */
export interface KdcClientOptions {
  /** Default realm (of the client principal when it names none). */
  readonly realm: string;
  /** How requests reach KDCs. */
  readonly transport: Transport;
  readonly clock?: Clock | undefined;
  readonly random?: RandomSource | undefined;
  readonly trace?: TraceSink | undefined;
  /** Keep secrets in trace events (default: redacted). */
  readonly redact?: boolean | undefined;
  /** Enctypes to offer, in order of preference. */
  readonly etypes?: readonly number[] | undefined;
  /** Requested ticket lifetime in seconds (default 10 h). */
  readonly lifetimeSec?: number | undefined;
  /** Maximum referrals followed in one request (default 8). */
  readonly maxReferrals?: number | undefined;
  /** FAST mode for every request (default: `if-available` when `armor` is set, else `off`). */
  readonly fast?: FastMode | undefined;
  /** Where AS armor tickets come from (a login may override it). */
  readonly armor?: ArmorSource | undefined;
}

/** How to log in. Exactly one of `password` and `keys`. `fast`/`armor` override the client's FAST settings. */
export interface LoginOptions extends FastSettings {
  /** `user`, `user@REALM`, `HTTP/host@REALM`, or an enterprise name with `enterprise: true`. */
  readonly principal: string | Principal;
  readonly password?: string | undefined;
  /** Long-term keys (e.g. every key of the principal in a keytab); the KDC's preferred enctype picks one. */
  readonly keys?: readonly Key[] | undefined;
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
  readonly etypes?: readonly number[] | undefined;
}

/** Options of a TGS request. */
export interface TgsOptions {
  readonly step?: ExchangeStep | undefined;
  readonly options?: Partial<KdcOptions> | undefined;
  readonly padata?: readonly PaData[] | ((nonce: number, subkey: Key) => readonly PaData[]) | undefined;
  readonly additionalTickets?: readonly Ticket[] | undefined;
  readonly etypes?: readonly number[] | undefined;
  /** Accept a reply whose client differs from the TGT's (S4U2Self, S4U2Proxy). */
  readonly expectClient?: Principal | 'any' | undefined;
  /** Follow referrals (default true). */
  readonly followReferrals?: boolean | undefined;
  /** FAST for this request; default the client's mode. */
  readonly fast?: FastMode | undefined;
  /** Explicit armor for an armored TGS request (compound identity); default implicit armor with the TGT. */
  readonly armor?: ArmorSource | undefined;
}

/** A reply plus what the client learned while getting it. */
export interface ExchangeResult extends ValidatedReply {
  /** The realm whose KDC answered. */
  readonly realm: string;
  /** The request's nonce and subkey (S4U checks need them). */
  readonly nonce: number;
  readonly subkey: Key | undefined;
  /** The key that opened the reply's enc-part: the subkey, or under FAST the strengthened subkey. */
  readonly replyKey: Key;
  /** The reply padata that counts: the KrbFastResponse padata under FAST, else the KDC-REP padata. */
  readonly padata: readonly PaData[];
  /** True when the exchange was armored with FAST. */
  readonly armored: boolean;
}

/** A client of one or more realms' KDCs. */
export class KdcClient {
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
  /** Realms whose KDC is known to speak FAST. */
  readonly fastRealms = new Set<string>();
  private readonly armorCache = new Map<string, Credential>();
  /** KDC time minus local time, learned from KRB_AP_ERR_SKEW (ms). */
  private offsetMs = 0;
  private exchangeSeq = 0;
  private t0: number | undefined;

  constructor(o: KdcClientOptions) {
    this.realm = o.realm;
    this.transport = o.transport;
    this.clock = o.clock ?? defaultClock;
    this.random = o.random ?? defaultRandom;
    this.sink = o.trace;
    this.keepSecrets = o.redact === false;
    this.etypes = (o.etypes ?? DEFAULT_ETYPES).filter(isSupportedEnctype);
    this.lifetimeSec = o.lifetimeSec ?? 36_000;
    this.maxReferrals = o.maxReferrals ?? 8;
    this.armorSource = o.armor;
    this.fastDefault = o.fast;
  }

  /** The corrected current time (local clock plus the KDC offset learned from a skew error). */
  now(): Date {
    return new Date(this.clock() + this.offsetMs);
  }

  /** KDC time minus local time in ms (ccache header stores it). */
  get timeOffsetMs(): number {
    return this.offsetMs;
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

  /** Emits a trace event (redacted unless the client keeps secrets). */
  trace(
    exchange: number,
    step: ExchangeStep,
    phase: TracePhase,
    summary: string,
    details?: Record<string, unknown>,
  ): void {
    if (!this.sink) return;
    const now = this.clock();
    this.t0 ??= now;
    const ev: TraceEvent = {
      t: now - this.t0,
      exchange,
      step,
      phase,
      summary,
      ...(details
        ? { details: (this.keepSecrets ? details : redact(details)) as Record<string, unknown> }
        : {}),
    };
    this.sink(ev);
  }

  /** Sends a request to `realm`'s KDCs and parses the reply; KRB-ERRORs come back as values. */
  async exchange(
    realm: string,
    step: ExchangeStep,
    bytes: Uint8Array,
    expect: 'AS-REP' | 'TGS-REP',
    request: unknown,
  ): Promise<{ reply: KdcReply; id: number; kdc: string | undefined }> {
    const id = ++this.exchangeSeq;
    this.trace(
      id,
      step,
      'request',
      `${expect === 'AS-REP' ? 'AS-REQ' : 'TGS-REQ'} to realm ${realm} (${bytes.length} bytes)`,
      { request },
    );
    const started = this.clock();
    const res = await this.transport.sendDetailed(realm, bytes);
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
    this.offsetMs = kdcMs - this.clock();
    this.trace(
      id,
      step,
      'note',
      `clock skew: KDC time is ${Math.round(this.offsetMs / 1000)} s from ours; retrying with the KDC's time`,
    );
  }

  /** AS exchange: a TGT (or a service ticket) for a principal, with pre-authentication negotiated (FAST per options). */
  async login(o: LoginOptions): Promise<Session> {
    const client =
      typeof o.principal === 'string'
        ? parsePrincipal(o.principal, { defaultRealm: this.realm, enterprise: o.enterprise })
        : o.principal;
    const r = await asExchange(this, client, o);
    return new Session(this, r.credential, r.armored);
  }

  /** Anonymous PKINIT (RFC 8062, `kinit -n`): a TGT for WELLKNOWN/ANONYMOUS from `realm`'s KDC. */
  async loginAnonymous(o: AnonymousLoginOptions = {}): Promise<Session> {
    const cred = await anonymousExchange(this, o.realm ?? this.realm, o);
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
    this.fastRealms.add(realm);
  }

  /** The armor TGT for `realm` from `source` (keytab and anonymous armor TGTs are cached until they expire). */
  armorTicket(realm: string, source: ArmorSource): Promise<Credential> {
    return resolveArmorTicket(this, realm, source, this.armorCache);
  }

  /**
   * TGS exchange with `tgt` for `server`, following cross-realm referrals. The server's realm decides where
   * the chase ends; when it differs from the TGT's realm the client first asks for krbtgt/SERVER_REALM.
   */
  async tgs(tgt: Credential, server: Principal, o: TgsOptions = {}): Promise<ExchangeResult> {
    const step = o.step ?? 'TGS';
    let current = tgt;
    const follow = o.followReferrals !== false;
    for (let hop = 0; hop <= this.maxReferrals; hop++) {
      const tgsRealm = tgsRealmOf(current.server.name) ?? current.server.realm;
      const target = server.realm === tgsRealm || !follow ? server : krbtgt(server.realm, tgsRealm);
      const askingFinal = target === server;
      const r = await this.tgsOnce(
        current,
        tgsRealm,
        askingFinal ? server : target,
        askingFinal
          ? o
          : { step, fast: o.fast, options: { forwardable: current.flags.forwardable === true } },
      );
      if (r.referral && follow && r.referral !== tgsRealm) {
        this.trace(0, step, 'note', `referral to realm ${r.referral}`);
        current = r.credential;
        if (askingFinal && r.referral !== server.realm) {
          // The KDC referred a same-realm request elsewhere (server referral): chase to the service's true realm.
          server = { realm: r.referral, name: server.name };
        }
        continue;
      }
      if (askingFinal) return r;
      current = r.credential;
    }
    throw new KerberosError(
      `TGS: referral loop limit (${this.maxReferrals}) reached for ${formatPrincipal(server.name, server.realm)}`,
    );
  }
  private tgsOnce(
    tgt: Credential,
    tgsRealm: string,
    server: Principal,
    o: TgsOptions,
  ): Promise<ExchangeResult> {
    return tgsOnce(this, tgt, tgsRealm, server, o);
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
  async getServiceTicket(service: string | Principal, o: TgsOptions = {}): Promise<Credential> {
    const server =
      typeof service === 'string'
        ? parsePrincipal(service, { defaultRealm: this.tgt.client.realm })
        : service;
    // A session from an armored login keeps armoring its TGS requests (implicit TGT armor) unless told otherwise.
    const fast = o.fast ?? (this.armored ? 'if-available' : undefined);
    return (await this.client.tgs(this.tgt, server, fast ? { ...o, fast } : o)).credential;
  }

  /** S4U2Self (protocol transition): a ticket to this session's own service naming `user` (MS-SFU 3.1.5.1). */
  s4u2self(user: string | Principal, o?: S4u2SelfOptions): Promise<S4uResult> {
    return s4u2self(this.client, this.tgt, user, o);
  }

  /** S4U2Proxy: a ticket to `target` naming the evidence's client (constrained or resource-based delegation). */
  s4u2proxy(evidence: S4uEvidence, target: string | Principal, o?: S4u2ProxyOptions): Promise<S4uResult> {
    return s4u2proxy(this.client, this.tgt, evidence, target, o);
  }
}

/** Re-exported for callers building principals. */
export type { PrincipalName };
