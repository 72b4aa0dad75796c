/**
 * KdcClient: AS exchange with pre-authentication negotiation, TGS exchange with referral chasing, clock-skew
 * correction, typed errors and trace events. RFC 4120 3.1 and 3.3. All I/O goes through the Transport.
 */
import {
  ErrorCode,
  encodeAsReq,
  type KdcOptions,
  type KrbError,
  type PaData,
  type PrincipalName,
  type Ticket,
} from '../asn1/index.js';
import {
  EncType,
  generateKey,
  isSupportedEnctype,
  type Key,
  KeyUsage,
  stringToKey,
} from '../crypto/index.js';
import { KerberosError } from '../errors.js';
import { buildAsReq, makePaEncTimestamp, makePaPacRequest } from '../messages/as-req.js';
import type { Credential } from '../messages/credential.js';
import { chooseKeyDerivation, defaultSaltOf } from '../messages/etype-info.js';
import type { ExchangeStep } from '../messages/hints.js';
import { KdcError } from '../messages/kdc-error.js';
import {
  formatPrincipal,
  krbtgt,
  type Principal,
  parsePrincipal,
  tgsRealmOf,
} from '../messages/principal.js';
import { type KdcReply, parseKdcReply, type ValidatedReply, validateKdcRep } from '../messages/reply.js';
import { buildTgsReq } from '../messages/tgs-req.js';
import type { Transport } from '../transport/index.js';
import { type Clock, defaultClock, defaultRandom, type RandomSource } from '../util/env.js';
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
}

/** How to log in. Exactly one of `password` and `keys`. */
export interface LoginOptions {
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
}

/** A reply plus what the client learned while getting it. */
export interface ExchangeResult extends ValidatedReply {
  /** The realm whose KDC answered. */
  readonly realm: string;
  /** The request's nonce and subkey (S4U checks need them). */
  readonly nonce: number;
  readonly subkey: Key | undefined;
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
  private readonly lifetimeSec: number;
  private readonly maxReferrals: number;
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

  private kdcError(error: KrbError, step: ExchangeStep, id: number, kdc: string | undefined): KdcError {
    const err = new KdcError(error, step, { kdc });
    this.trace(id, step, 'error', `${err.codeName}${err.eText ? `: ${err.eText}` : ''}`, {
      error,
      eData: err.eData,
      hint: err.hint,
    });
    return err;
  }

  private learnSkew(error: KrbError, id: number, step: ExchangeStep): void {
    const kdcMs = error.stime.getTime() + Math.floor(error.susec / 1000);
    this.offsetMs = kdcMs - this.clock();
    this.trace(
      id,
      step,
      'note',
      `clock skew: KDC time is ${Math.round(this.offsetMs / 1000)} s from ours; retrying with the KDC's time`,
    );
  }

  /** AS exchange: a TGT (or a service ticket) for a principal, with pre-authentication negotiated. */
  async login(o: LoginOptions): Promise<Session> {
    const client =
      typeof o.principal === 'string'
        ? parsePrincipal(o.principal, { defaultRealm: this.realm, enterprise: o.enterprise })
        : o.principal;
    const cred = await this.asExchange(client, o);
    return new Session(this, cred);
  }

  private async asExchange(client0: Principal, o: LoginOptions): Promise<Credential> {
    if ((o.password === undefined) === (o.keys === undefined))
      throw new KerberosError('login needs exactly one of password or keys');
    let client = client0;
    const etypes = (
      o.etypes ?? (o.keys ? this.etypes.filter((e) => o.keys!.some((k) => k.etype === e)) : this.etypes)
    ).filter(isSupportedEnctype);
    if (etypes.length === 0)
      throw new KerberosError('no usable enctype: the keys given match none of the enctypes offered');
    const options: Partial<KdcOptions> = {
      forwardable: o.forwardable ?? false,
      proxiable: o.proxiable ?? false,
      canonicalize: o.canonicalize ?? true,
      ...(o.renewableSec ? { renewable: true } : {}),
    };
    let padataHints: readonly PaData[] | undefined;
    let skewRetried = false;
    for (let round = 0; round < 4 + this.maxReferrals; round++) {
      const server = o.service
        ? parsePrincipal(o.service, { defaultRealm: client.realm })
        : krbtgt(client.realm);
      const now = this.now();
      const nonce = this.nonce();
      const padata: PaData[] = [];
      let replyKey: Key | undefined;
      if (padataHints) {
        const hint = chooseKeyDerivation(
          padataHints,
          etypes,
          defaultSaltOf(client.realm, client.name.nameString),
        );
        if (!hint)
          throw new KerberosError(
            `the KDC offered no pre-authentication enctype among ${etypes.join(', ')}`,
            { hint: 'enable a common enctype (AES) for the principal' },
          );
        replyKey = this.clientKey(hint.etype, o, hint.salt, hint.s2kparams);
        padata.push(makePaEncTimestamp(replyKey, now, (now.getTime() % 1000) * 1000));
      }
      if (o.pac !== false) padata.push(makePaPacRequest(true));
      const req = buildAsReq({
        client,
        server,
        options,
        nonce,
        till: new Date(now.getTime() + this.lifetimeSec * 1000),
        rtime: o.renewableSec ? new Date(now.getTime() + o.renewableSec * 1000) : undefined,
        etypes,
        padata,
      });
      const { reply, id, kdc } = await this.exchange(server.realm, 'AS', encodeAsReq(req), 'AS-REP', req);
      if (reply.kind === 'error') {
        const e = reply.error;
        if (e.errorCode === ErrorCode.KDC_ERR_PREAUTH_REQUIRED && !padataHints) {
          const err = new KdcError(e, 'AS', { kdc });
          padataHints = err.padata;
          this.trace(id, 'AS', 'note', 'KDC requires pre-authentication; using its ETYPE-INFO2 for the key', {
            padata: err.padata,
          });
          continue;
        }
        if (e.errorCode === ErrorCode.KRB_AP_ERR_SKEW && !skewRetried) {
          skewRetried = true;
          this.learnSkew(e, id, 'AS');
          continue;
        }
        if (e.errorCode === ErrorCode.KDC_ERR_WRONG_REALM && e.crealm && e.crealm !== client.realm) {
          this.trace(id, 'AS', 'note', `client referral: the principal lives in realm ${e.crealm}`);
          client = { realm: e.crealm, name: e.cname ?? client.name };
          padataHints = undefined;
          continue;
        }
        throw this.kdcError(e, 'AS', id, kdc);
      }
      if (!replyKey) {
        // No pre-auth was needed: derive the key from the reply's own hints.
        const hint = chooseKeyDerivation(
          reply.rep.padata ?? [],
          [reply.rep.encPart.etype],
          defaultSaltOf(client.realm, client.name.nameString),
        );
        replyKey = this.clientKey(
          reply.rep.encPart.etype,
          o,
          hint?.salt ?? defaultSaltOf(client.realm, client.name.nameString),
          hint?.s2kparams,
        );
      }
      const v = validateKdcRep(reply, {
        step: 'AS',
        replyKey,
        usage: KeyUsage.AsRepEncPart,
        nonce,
        etypes,
        client,
        clientMayChange: options.canonicalize === true,
        server,
        serverMayChange: options.canonicalize === true,
        options,
        now: this.now(),
      });
      this.trace(id, 'AS', 'validate', `AS-REP valid: ${v.checks.map((c) => c.check).join(', ')}`, {
        encPart: v.encPart,
        checks: v.checks,
      });
      this.trace(
        id,
        'AS',
        'result',
        `ticket for ${formatPrincipal(v.credential.server.name, v.credential.server.realm)} as ${formatPrincipal(v.credential.client.name, v.credential.client.realm)}`,
      );
      return v.credential;
    }
    throw new KerberosError('AS exchange: too many rounds (pre-authentication, skew and referrals)');
  }

  private clientKey(etype: number, o: LoginOptions, salt: Uint8Array, params: Uint8Array | undefined): Key {
    if (o.password !== undefined) return stringToKey(etype, o.password, salt, params);
    const k = o.keys!.find((x) => x.etype === etype);
    if (!k)
      throw new KerberosError(`no key for enctype ${etype} among the keys given`, {
        hint: 'the keytab lacks the enctype the KDC chose',
      });
    return k;
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
        askingFinal ? o : { step, options: { forwardable: current.flags.forwardable === true } },
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

  private async tgsOnce(
    tgt: Credential,
    tgsRealm: string,
    server: Principal,
    o: TgsOptions,
  ): Promise<ExchangeResult> {
    const step = o.step ?? 'TGS';
    const etypes = o.etypes ?? this.etypes;
    let skewRetried = false;
    for (;;) {
      const now = this.now();
      const nonce = this.nonce();
      const subkey = generateKey(tgt.sessionKey.etype, this.random);
      const padata = typeof o.padata === 'function' ? o.padata(nonce, subkey) : o.padata;
      const options: Partial<KdcOptions> = { canonicalize: true, ...o.options };
      const built = buildTgsReq({
        tgt,
        server: { realm: tgsRealm, name: server.name },
        options,
        nonce,
        till: new Date(now.getTime() + this.lifetimeSec * 1000),
        etypes,
        subkey,
        now,
        usec: (now.getTime() % 1000) * 1000,
        padata,
        additionalTickets: o.additionalTickets,
      });
      const { reply, id, kdc } = await this.exchange(tgsRealm, step, built.bytes, 'TGS-REP', built.req);
      if (reply.kind === 'error') {
        if (reply.error.errorCode === ErrorCode.KRB_AP_ERR_SKEW && !skewRetried) {
          skewRetried = true;
          this.learnSkew(reply.error, id, step);
          continue;
        }
        throw this.kdcError(reply.error, step, id, kdc);
      }
      const v = validateKdcRep(reply, {
        step,
        replyKey: subkey,
        usage: KeyUsage.TgsRepEncPartSubkey,
        nonce,
        etypes,
        client: o.expectClient === 'any' ? undefined : (o.expectClient ?? tgt.client),
        server: { realm: tgsRealm, name: server.name },
        serverMayChange: true,
        options,
        now: this.now(),
      });
      this.trace(id, step, 'validate', `TGS-REP valid: ${v.checks.map((c) => c.check).join(', ')}`, {
        encPart: v.encPart,
        checks: v.checks,
      });
      this.trace(
        id,
        step,
        'result',
        `ticket for ${formatPrincipal(v.credential.server.name, v.credential.server.realm)} as ${formatPrincipal(v.credential.client.name, v.credential.client.realm)}`,
        { flags: v.credential.flags },
      );
      return { ...v, realm: tgsRealm, nonce, subkey };
    }
  }
}

/** A logged-in principal: its TGT and the client that got it. */
export class Session {
  constructor(
    readonly client: KdcClient,
    readonly tgt: Credential,
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
    return (await this.client.tgs(this.tgt, server, o)).credential;
  }
}

/** Re-exported for callers building principals. */
export type { PrincipalName };
