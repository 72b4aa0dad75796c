/**
 * DelegationClient: per-request S4U delegation for a service (a gateway that authenticated users by OAuth, SAML
 * or a form and calls Kerberos back ends as them). It keeps the service TGT, S4U2Self evidence and S4U2Proxy
 * tickets in memory (TTL, LRU, fetched again before expiry), runs one KDC flight per user and target however many
 * callers ask at once, counts what it does, and emits an audit event per call. MS-SFU 3.1.5.
 */
import { ErrorCode } from '../asn1/index.js';
import { KdcClient } from '../client/kdc-client.js';
import type { IntegrityError } from '../errors.js';
import type { NegotiateResponse } from '../http/negotiate-fetch.js';
import type { CredentialTokenOptions, NegotiateHeader } from '../http/token-source.js';
import type { Credential } from '../messages/credential.js';
import { KdcError } from '../messages/kdc-error.js';
import { formatPrincipal, type Principal, parsePrincipal } from '../messages/principal.js';
import type { Transport } from '../transport/index.js';
import { type CallOptions, callSignal, throwIfAborted } from '../util/abort.js';
import { DiagnosticsChannelName, subscribedChannel } from '../util/diagnostics.js';
import { type Clock, defaultClock, defaultRandom } from '../util/env.js';
import { FlightHolds } from '../util/flight-holds.js';
import { auditEvent, errorName } from './audit.js';
import { ExpiringLru, type RefreshPolicy, SingleFlight, staleAt } from './cache.js';
import { CountingTransport } from './counting-transport.js';
import { type FetchAsInit, fetchAs, negotiateHeader } from './fetch-as.js';
import {
  KdcDelegationFlows,
  type KdcDelegationFlowsOptions,
  kdcClientSettings,
} from './kdc-delegation-flows.js';
import type { EntryId, TicketRecord } from './sealed-entry.js';
import { type SharedStoreOptions, SharedTier } from './shared-tier.js';
import type {
  DelegatedTicket,
  DelegationAuditSink,
  DelegationClearResult,
  DelegationFlows,
  DelegationSource,
  DelegationStats,
  DelegationStep,
} from './types.js';

/** Default longest time a delegated ticket is served from the cache: 15 minutes. */
export const DEFAULT_DELEGATION_TTL_MS = 15 * 60_000;
/** Default margin before a ticket's end at which it is fetched again: 5 minutes. */
export const DEFAULT_REFRESH_BEFORE_MS = 5 * 60_000;
/** Default maximum number of delegated tickets kept. */
export const DEFAULT_MAX_ENTRIES = 1000;
/** With `refreshAhead`, a ticket is served while its successor is fetched only if it stays valid this long (ms). */
export const MIN_REMAINING_MS = 30_000;

/**
 * How to build a DelegationClient: the default KDC operations' options (service, credentials, KdcClient settings,
 * strictness), the transport, and the cache's.
 */
export interface DelegationClientOptions extends KdcDelegationFlowsOptions {
  /** How requests reach the KDCs. */
  readonly transport: Transport;
  /** Other KDC flows than the default {@link KdcDelegationFlows} (tests of the cache, custom flows). */
  readonly flows?: DelegationFlows | undefined;
  /** @deprecated renamed `flows`. */
  readonly exchange?: DelegationFlows | undefined;
  /** Longest a delegated ticket is served from the cache (ms, default 15 min); the service TGT has no TTL. */
  readonly ttlMs?: number | undefined;
  /** Fetch tickets again this long before they expire (ms, default 5 min; at most half a ticket's life). */
  readonly refreshBeforeMs?: number | undefined;
  /** Most delegated tickets kept (default 1000); the least recently used goes first. */
  readonly maxEntries?: number | undefined;
  /** Called once per `s4u2self`/`s4u2proxy` call; an exception it throws fails the call (audit is fail-closed). */
  readonly audit?: DelegationAuditSink | undefined;
  /**
   * Serve a ticket that is near its end (inside `refreshBeforeMs`, still within its TTL and valid for at least
   * {@link MIN_REMAINING_MS}) at once and fetch its successor in the background (default false: the call waits).
   */
  readonly refreshAhead?: boolean | undefined;
  /**
   * A ticket store shared with the other replicas of the service (e.g. `RedisTicketStore` of
   * `tskrb/delegation/redis`) and the key entries are sealed with; the local cache stays in front of it, and
   * {@link DelegationClient.clear} reaches every replica through it. Without it, tickets never leave the process.
   */
  readonly store?: SharedStoreOptions | undefined;
}

/**
 * What the cache holds for one ticket. With a store, `confirmedUntil` is the time until which its generation is
 * known current (set by the hit that checked it): until then a hit costs one comparison, no lookup.
 */
type Fetched = TicketRecord & { confirmedUntil?: number };

type Operation = 's4u2self' | 's4u2proxy';
type ExchangeKind = 'login' | Operation;

// A TGS request refused with these may succeed with a fresh TGT (TGT expired early, KDC's krbtgt key changed).
const TGT_RETRY_CODES: ReadonlySet<number> = new Set([
  ErrorCode.KRB_AP_ERR_TKT_EXPIRED,
  ErrorCode.KRB_AP_ERR_MODIFIED,
]);

const TGT_KEY = 'tgt';

/**
 * Delegates per request with a memory-only ticket cache, single flight, stats and audit events.
 *
 * ```ts
 * const kt = await readKeytabFile('/etc/web.keytab'); // Node side, src/creds
 * const keys = findKeytabEntries(kt, { principal: { realm: 'EXAMPLE.COM', nameType: 1, components: ['HTTP', 'web.example.com'] } })
 *   .map((e) => new Key(e.key.etype, e.key.bytes));
 * const dc = new DelegationClient({ service: 'HTTP/web.example.com', realm: 'EXAMPLE.COM', transport, keys, audit: log });
 * const t = await dc.s4u2proxy('alice', 'cifs/file.example.com'); // t.credential: a ticket to cifs as alice
 * ```
 */
export class DelegationClient {
  /** The delegating service. */
  readonly service: Principal;
  readonly realm: string;
  /** The KdcClient the default operations run on (through each flight's counting transport), and its learned state. */
  readonly kdc: KdcClient;
  private readonly serviceName: string;
  private readonly flows: DelegationFlows;
  private readonly transport: CountingTransport;
  private readonly clock: Clock;
  private readonly policy: RefreshPolicy;
  private readonly auditSink: DelegationAuditSink | undefined;
  private readonly refreshAhead: boolean;
  private readonly shared: SharedTier | undefined;
  private readonly cache: ExpiringLru<Fetched>;
  private readonly flights = new SingleFlight<Fetched>();
  private readonly flightScopes = new Map<string, CountingTransport>();
  private readonly holds = new FlightHolds();
  private tgt: { readonly fetched: Fetched; readonly staleAt: number } | undefined;
  private counts = { hits: 0, misses: 0, joined: 0, refreshes: 0 };
  private readonly exchanges = { login: 0, s4u2self: 0, s4u2proxy: 0 };
  private readonly errors: Record<string, number> = {};

  constructor(o: DelegationClientOptions) {
    this.realm = o.realm;
    this.service =
      typeof o.service === 'string' ? parsePrincipal(o.service, { defaultRealm: o.realm }) : o.service;
    this.serviceName = formatPrincipal(this.service.name, this.service.realm);
    this.transport = new CountingTransport(o.transport);
    this.kdc = new KdcClient({ realm: o.realm, transport: this.transport, ...kdcClientSettings(o) });
    this.flows = o.flows ?? o.exchange ?? new KdcDelegationFlows(o, this.kdc);
    this.clock = o.clock ?? defaultClock;
    this.policy = {
      ttlMs: o.ttlMs ?? DEFAULT_DELEGATION_TTL_MS,
      refreshBeforeMs: o.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS,
    };
    this.cache = new ExpiringLru(o.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.auditSink = o.audit;
    this.refreshAhead = o.refreshAhead === true;
    this.shared = o.store
      ? new SharedTier(o.store, {
          clock: this.clock,
          random: o.random ?? defaultRandom,
          refused: (id, error) => this.auditRefused(id, error),
          clearedAll: () => this.clearLocal(undefined),
          maxUsers: this.cache.maxEntries,
        })
      : undefined;
  }

  /**
   * A ticket to this service for `user` (S4U2Self), from the cache when fresh. `signal`/`timeout` cancel this call
   * (AbortError); a flight other callers wait on goes on for them.
   */
  async s4u2self(user: string | Principal, call?: CallOptions): Promise<DelegatedTicket> {
    const u = this.principalOf(user);
    return this.deliver('s4u2self', u, this.service, selfKey(u), (scope) => this.fetchSelf(scope, u), call);
  }

  /**
   * A ticket to `target` for `user` (S4U2Self as needed, then S4U2Proxy), from the cache when fresh.
   * `signal`/`timeout` cancel this call (AbortError); a flight other callers wait on goes on for them.
   */
  async s4u2proxy(
    user: string | Principal,
    target: string | Principal,
    call?: CallOptions,
  ): Promise<DelegatedTicket> {
    const u = this.principalOf(user);
    const t = this.principalOf(target);
    return this.deliver('s4u2proxy', u, t, proxyKey(u, t), (scope) => this.fetchProxy(scope, u, t), call);
  }

  /** An HTTP request as `user` with Negotiate: the cached ticket to the URL's SPN (`HTTP/<host>`, or `init.spn`). */
  fetchAs(user: string | Principal, url: string | URL, init?: FetchAsInit): Promise<NegotiateResponse> {
    return fetchAs(this, user, url, init);
  }

  /** An `Authorization: Negotiate …` value for `user` to `spn` (fresh authenticator) and the check of the reply. */
  negotiateHeader(
    user: string | Principal,
    spn: string | Principal,
    o?: CredentialTokenOptions & CallOptions,
  ): Promise<NegotiateHeader> {
    return negotiateHeader(this, user, spn, o);
  }

  /** Counters since the client was made. */
  stats(): DelegationStats {
    return {
      ...this.counts,
      entries: this.cache.size,
      evictions: this.cache.evictions,
      kdcRoundTrips: this.transport.tally().roundTrips,
      kdcQueuedMs: this.transport.queuedMs(),
      exchanges: { ...this.exchanges },
      errors: { ...this.errors },
      ...(this.shared ? { store: this.shared.stats() } : {}),
    };
  }

  /**
   * Drops cached tickets: those of one user (`name@REALM` or Principal), or all of them and the service TGT. This
   * replica's cache at once (a flight already running still answers the callers waiting on it, but is not cached);
   * with a shared `store`, every replica's: the clear is recorded in the store, after which no replica reads the
   * dropped tickets from the store and each stops serving them from its own cache within `store.revalidateMs`
   * (default 1 s), or, when it cannot reach the store, when they expire. Never rejects: `fleet` says whether the
   * store took the clear.
   */
  async clear(user?: string | Principal): Promise<DelegationClearResult> {
    const name = user === undefined ? undefined : nameOf(this.principalOf(user));
    const dropped = this.clearLocal(name);
    if (!this.shared) return { dropped, fleet: 'local' };
    const owner = { realm: this.realm, service: this.serviceName };
    const recorded = await this.shared.clear(name === undefined ? owner : { ...owner, user: name });
    return { dropped, fleet: recorded ? 'recorded' : 'failed' };
  }

  /** Drops `user`'s cached tickets, or every ticket and the TGT; returns how many tickets. */
  private clearLocal(user: string | undefined): number {
    // A flight running now answers its callers but is not cached, and later callers do not join it.
    const ofUser = (k: string) => k.split('\n')[1] === user;
    this.flights.detach(user === undefined ? () => true : ofUser);
    if (user !== undefined) return this.cache.deleteWhere(ofUser);
    const dropped = this.cache.size;
    this.cache.clear();
    this.tgt = undefined;
    return dropped;
  }

  /**
   * Whether a cached record of `user` may be served: always without a store; with one, while its generation is the
   * one last read for the user (read again, one round trip, when that is older than `store.revalidateMs`).
   */
  private current(user: string, f: Fetched, now: number): boolean | Promise<boolean> {
    if (!this.shared || (f.confirmedUntil !== undefined && now < f.confirmedUntil)) return true;
    const confirm = (until: number | false) => {
      if (until === false) return false;
      f.confirmedUntil = until;
      return true;
    };
    const until = this.shared.check(user, f.generation, now);
    if (until !== undefined) return confirm(until);
    return this.shared
      .revalidate({ realm: this.realm, service: this.serviceName, user }, f.generation)
      .then(confirm);
  }

  private principalOf(p: string | Principal): Principal {
    return typeof p === 'string' ? parsePrincipal(p, { defaultRealm: this.realm }) : p;
  }

  /** One public call: cache lookup, else start or join the flight, then audit. */
  private async deliver(
    op: Operation,
    user: Principal,
    target: Principal,
    key: string,
    fetch: (scope: CountingTransport) => Promise<Fetched>,
    call: CallOptions | undefined,
  ): Promise<DelegatedTicket> {
    const signal = callSignal(call);
    throwIfAborted(signal);
    const started = this.clock();
    const base = { operation: op, user: nameOf(user), target: nameOf(target) };
    const look = this.cache.get(key, started);
    // Near its end but inside its TTL: with refreshAhead, serve it now and fetch its successor in the background.
    const servable =
      look.kind === 'hit' ||
      (look.kind === 'stale' && this.refreshAhead && this.servable(look.value, started));
    let served = servable ? look.value : undefined;
    if (served) {
      // No await unless the user's generation must be read again: a plain hit stays synchronous.
      let ok = this.current(base.user, served, started);
      if (typeof ok !== 'boolean') ok = await ok;
      // Cleared on some replica: fetched again below (the flight replaces the entry).
      if (!ok) served = undefined;
    }
    if (served && look.kind === 'stale') {
      const bg = this.flight(key, this.transport, fetch, undefined);
      if (!bg.joined) {
        this.counts.refreshes++;
        // A failed background refresh is counted in stats().errors by step(); the next call retries it.
        bg.promise.then(undefined, () => undefined);
      }
    }
    if (served) {
      this.counts.hits++;
      this.audit(started, base, { result: 'ok', source: 'cache', kdcs: [], roundTrips: 0 }, served);
      return this.ticketOf(served, base, 'cache');
    }
    const { promise, joined, scope } = this.flight(key, this.transport, fetch, signal);
    if (joined) this.counts.joined++;
    else {
      this.counts.misses++;
      if (look.kind === 'stale') this.counts.refreshes++;
    }
    const source: DelegationSource = joined ? 'joined' : 'kdc';
    let fetched: Fetched;
    try {
      fetched = await promise;
    } catch (e) {
      const t = scope.tally();
      this.audit(started, base, {
        result: 'error',
        source,
        kdcs: t.kdcs,
        roundTrips: t.roundTrips,
        error: e,
      });
      throw e;
    }
    const t = scope.tally();
    const from: DelegationSource = !joined && fetched.fromStore ? 'store' : source;
    this.audit(
      started,
      base,
      { result: 'ok', source: from, kdcs: t.kdcs, roundTrips: t.roundTrips },
      fetched,
    );
    return this.ticketOf(fetched, base, from);
  }

  /**
   * Starts (or joins) the flight for `key`; a started flight stores its result in the cache. The promise is the
   * caller's wait, which `signal` ends; the flight stops when every caller waiting on it has aborted.
   */
  private flight(
    key: string,
    parent: CountingTransport,
    fetch: (scope: CountingTransport) => Promise<Fetched>,
    signal: AbortSignal | undefined,
  ): { promise: Promise<Fetched>; joined: boolean; scope: CountingTransport } {
    let scope = parent.scope();
    const { promise, joined } = this.flights.run(key, async (flight) => {
      const f =
        key === TGT_KEY || !this.shared
          ? await fetch(scope)
          : await this.shared.through(
              this.entryId(key),
              () => fetch(scope),
              (r) => this.staleAtOf(r, this.policy.ttlMs),
              scope.signal,
            );
      // Cleared while it ran: its callers get the ticket, the cache does not keep it.
      if (flight.detached) return f;
      if (key === TGT_KEY) this.tgt = { fetched: f, staleAt: this.staleAtOf(f, Number.POSITIVE_INFINITY) };
      else this.cache.set(key, f, this.staleAtOf(f, this.policy.ttlMs));
      return f;
    });
    if (joined) {
      scope = this.flightScopes.get(key) ?? scope;
    } else {
      // The flight starts in a microtask (SingleFlight.run), so it sends through this scope and its signal.
      const stop = this.holds.begin(key);
      scope = parent.scope(stop);
      this.flightScopes.set(key, scope);
      const forget = () => {
        if (this.flightScopes.get(key) === scope) this.flightScopes.delete(key);
        this.holds.end(key, stop);
      };
      promise.then(forget, forget);
    }
    return { promise: this.holds.wait(key, promise, signal), joined, scope };
  }

  /** The shared store's identity of a cache key (`self\nuser` or `proxy\nuser\ntarget`). */
  private entryId(key: string): EntryId {
    const [, user = '', target = this.serviceName] = key.split('\n');
    return { realm: this.realm, service: this.serviceName, user, target };
  }

  /** The audit event of a shared-store entry that did not open (it is dropped and fetched again). */
  private auditRefused(id: EntryId, error: IntegrityError): void {
    if (!this.auditSink) return;
    const now = this.clock();
    this.auditSink(
      auditEvent({
        operation: 'store-refused',
        service: id.service,
        user: id.user,
        target: id.target,
        result: 'error',
        source: 'store',
        kdcs: [],
        roundTrips: 0,
        started: now,
        ended: now,
        error,
      }),
    );
  }

  /** Whether a stale ticket may still be served while it is refreshed: inside its TTL and not about to end. */
  private servable(f: Fetched, now: number): boolean {
    const localEnd = f.credential.endtime.getTime() - (this.flows.timeOffsetMs ?? 0);
    return now < f.vouchedAt + this.policy.ttlMs && now < localEnd - MIN_REMAINING_MS;
  }

  private staleAtOf(f: Fetched, ttlMs: number): number {
    const localEnd = f.credential.endtime.getTime() - (this.flows.timeOffsetMs ?? 0);
    const byEnd = staleAt(f.obtainedAt, localEnd, { ttlMs, refreshBeforeMs: this.policy.refreshBeforeMs });
    // An S4U2Proxy ticket made from older evidence must not outlive the evidence's TTL.
    return Math.min(byEnd, f.vouchedAt + ttlMs);
  }

  /** The service TGT: cached until near its end, fetched once however many flights need it. */
  private async serviceTgt(scope: CountingTransport): Promise<Fetched> {
    if (this.tgt && this.clock() < this.tgt.staleAt) return this.tgt.fetched;
    return this.flight(
      TGT_KEY,
      scope,
      (s) =>
        this.step('login', async () => {
          const credential = await this.flows.login(s);
          const now = this.clock();
          return { credential, obtainedAt: now, vouchedAt: now, warnings: [] };
        }),
      scope.signal,
    ).promise;
  }

  /** S4U2Self evidence for `user`: a fresh cached one, a flight in progress, or a new flight. */
  private async evidence(scope: CountingTransport, user: Principal): Promise<Fetched> {
    const key = selfKey(user);
    const now = this.clock();
    const look = this.cache.get(key, now);
    // Evidence from before a clear must not vouch for the user again (its PAC is the old one).
    if (look.kind === 'hit' && (await this.current(nameOf(user), look.value, now))) return look.value;
    return this.flight(key, scope, (s) => this.fetchSelf(s, user), scope.signal).promise;
  }

  private async fetchSelf(scope: CountingTransport, user: Principal): Promise<Fetched> {
    return this.withTgt(scope, (tgt) =>
      this.step('s4u2self', () => this.flows.s4u2self(scope, tgt, user)).then((s) =>
        this.fetchedOf(s, undefined),
      ),
    );
  }

  private async fetchProxy(scope: CountingTransport, user: Principal, target: Principal): Promise<Fetched> {
    const evidence = await this.evidence(scope, user);
    return this.withTgt(scope, (tgt) =>
      this.step('s4u2proxy', () => this.flows.s4u2proxy(scope, tgt, evidence.credential, target)).then((s) =>
        this.fetchedOf(s, evidence),
      ),
    );
  }

  /** Runs a TGS step with the service TGT; once, when the KDC says the TGT is no good, with a fresh one. */
  private async withTgt<T>(scope: CountingTransport, run: (tgt: Credential) => Promise<T>): Promise<T> {
    const tgt = await this.serviceTgt(scope);
    try {
      return await run(tgt.credential);
    } catch (e) {
      if (!(e instanceof KdcError) || !TGT_RETRY_CODES.has(e.errorCode)) throw e;
      if (this.tgt?.fetched === tgt) this.tgt = undefined;
      return run((await this.serviceTgt(scope)).credential);
    }
  }

  /** Counts one KDC operation and, when it fails, its error by name. */
  private async step<T>(kind: ExchangeKind, run: () => Promise<T>): Promise<T> {
    this.exchanges[kind]++;
    try {
      return await run();
    } catch (e) {
      const name = errorName(e);
      this.errors[name] = (this.errors[name] ?? 0) + 1;
      throw e;
    }
  }

  /** The cache record of a step's ticket; an S4U2Proxy ticket inherits its evidence's warnings and vouch time. */
  private fetchedOf(s: DelegationStep, evidence: Fetched | undefined): Fetched {
    const now = this.clock();
    return {
      credential: s.credential,
      obtainedAt: now,
      vouchedAt: evidence?.vouchedAt ?? now,
      warnings: [...(evidence?.warnings ?? []), ...(s.warnings ?? [])],
      ...(s.result ? { result: s.result } : {}),
    };
  }

  private ticketOf(
    f: Fetched,
    base: { user: string; target: string },
    source: DelegationSource,
  ): DelegatedTicket {
    return {
      credential: f.credential,
      user: base.user,
      target: base.target,
      source,
      obtainedAt: new Date(f.obtainedAt),
      warnings: f.warnings,
      ...(f.result ? { result: f.result } : {}),
    };
  }

  private audit(
    started: number,
    base: { operation: Operation; user: string; target: string },
    outcome: {
      result: 'ok' | 'error';
      source: DelegationSource;
      kdcs: readonly string[];
      roundTrips: number;
      error?: unknown;
    },
    fetched?: Fetched,
  ): void {
    const channel = subscribedChannel(DiagnosticsChannelName.delegation);
    if (!this.auditSink && !channel) return;
    const ev = auditEvent({
      ...base,
      ...outcome,
      service: this.serviceName,
      started,
      ended: this.clock(),
      ticketEnd: fetched?.credential.endtime,
    });
    channel?.publish(ev);
    this.auditSink?.(ev);
  }
}

function nameOf(p: Principal): string {
  return formatPrincipal(p.name, p.realm);
}

// Cache keys: operation, user and target separated by newlines (escaped principal names contain none).
function selfKey(user: Principal): string {
  return `self\n${nameOf(user)}`;
}

function proxyKey(user: Principal, target: Principal): string {
  return `proxy\n${nameOf(user)}\n${nameOf(target)}`;
}
