/**
 * The DelegationClient's shared tier: before a replica asks the KDC for a ticket it looks in the shared
 * {@link TicketStore}; on a miss it takes the entry's lock (one replica per user and target asks the KDC) while the
 * others poll for the entry the holder writes. A holder that dies leaves a lock that expires after `lockTtlMs`.
 * The store is an optimisation, never a dependency: a failing or slow store is counted, skipped for
 * `retryAfterMs`, and tried again; an entry that does not open is dropped and reported.
 */
import { IntegrityError } from '../errors.js';
import { abortError, throwIfAborted } from '../util/abort.js';
import { toHex } from '../util/bytes.js';
import type { Clock, RandomSource } from '../util/env.js';
import { type EntryId, SealKeys, type TicketRecord } from './sealed-entry.js';
import type { TicketStore } from './ticket-store.js';

/** How a DelegationClient uses a shared ticket store. */
export interface SharedStoreOptions {
  /** The store the replicas share (`MemoryTicketStore`, `RedisTicketStore` from `tskrb/delegation/redis`, or yours). */
  readonly store: TicketStore;
  /** 32 bytes every replica is given (a secret: whoever has it can read the session keys stored). Never generated. */
  readonly key: Uint8Array;
  /** Lock time of one KDC flight; a dead holder blocks others this long at most (ms, default 10 s). */
  readonly lockTtlMs?: number | undefined;
  /** Interval at which a replica waiting for another's flight looks for its entry (ms, default 50). */
  readonly pollMs?: number | undefined;
  /** Longest a store operation may take before the store counts as down (ms, default 250). */
  readonly timeoutMs?: number | undefined;
  /** After a store failure, go straight to the KDC for this long before trying the store again (ms, default 1 s). */
  readonly retryAfterMs?: number | undefined;
}

/** Counters of the shared store, in {@link DelegationStats}. */
export interface SharedStoreStats {
  /** Tickets read from the store instead of asking the KDC. */
  readonly hits: number;
  /** Flights whose first lookup found no (fresh) entry (polls while waiting for another replica are not counted). */
  readonly misses: number;
  /** Entries this replica wrote. */
  readonly writes: number;
  /** Flights that waited for another replica's lock. */
  readonly waits: number;
  /** Waits that ended with the lock expired or still held past its TTL: this replica asked the KDC itself. */
  readonly lockTimeouts: number;
  /** Entries that did not open (altered, another key, moved): dropped, fetched again, audited. */
  readonly refused: number;
  /** Store operations that failed or timed out. */
  readonly failures: number;
  /** Flights that went to the KDC without the store because it had just failed. */
  readonly bypassed: number;
  /** Times the store answered again after failing. */
  readonly recoveries: number;
  /** False while the store is skipped after a failure. */
  readonly available: boolean;
  /** Message of the last failure, if any. */
  readonly lastError?: string | undefined;
}

const DOWN = Symbol('store down');
type Down = typeof DOWN;

/** The lookup, lock and fault policy between a DelegationClient's flights and a TicketStore. */
export class SharedTier {
  private readonly keys: SealKeys;
  private readonly store: TicketStore;
  private readonly lockTtlMs: number;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly retryAfterMs: number;
  private downUntil = Number.NEGATIVE_INFINITY;
  private down = false;
  private lastError: string | undefined;
  private readonly counts = {
    hits: 0,
    misses: 0,
    writes: 0,
    waits: 0,
    lockTimeouts: 0,
    refused: 0,
    failures: 0,
    bypassed: 0,
    recoveries: 0,
  };

  constructor(
    o: SharedStoreOptions,
    private readonly env: {
      readonly clock: Clock;
      readonly random: RandomSource;
      /** Called for each entry refused (before it is fetched again); may throw to fail the call. */
      readonly refused: (id: EntryId, error: IntegrityError) => void;
    },
  ) {
    this.keys = new SealKeys(o.key);
    this.store = o.store;
    this.lockTtlMs = o.lockTtlMs ?? 10_000;
    this.pollMs = o.pollMs ?? 50;
    this.timeoutMs = o.timeoutMs ?? 250;
    this.retryAfterMs = o.retryAfterMs ?? 1000;
  }

  /** Counters since the client was made. */
  stats(): SharedStoreStats {
    return {
      ...this.counts,
      available: !this.down,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  /**
   * The record for `id`: from the store, or from `fetch` (run by the one replica holding the lock, or by this one
   * when the store fails or the lock outlives its TTL) and then written with the time-to-live `staleAt` gives.
   * `signal` (the flight's: every caller waiting on it has aborted) ends a wait for another replica's lock at once.
   */
  async through(
    id: EntryId,
    fetch: () => Promise<TicketRecord>,
    staleAt: (r: TicketRecord) => number,
    signal?: AbortSignal,
  ): Promise<TicketRecord> {
    if (this.env.clock() < this.downUntil) {
      this.counts.bypassed++;
      return fetch();
    }
    const name = this.keys.nameOf(id);
    const first = await this.read(id, name);
    if (first === DOWN) return fetch();
    if (first) return first;
    const owner = toHex(this.env.random(16));
    const lockName = `${name}:lock`;
    // Poll until the holder's entry appears or its lock is free; the lock expires, so this ends.
    const maxPolls = Math.ceil(this.lockTtlMs / this.pollMs) + 1;
    for (let i = 0; ; i++) {
      throwIfAborted(signal);
      const taken = await this.op(() => this.store.lock(lockName, owner, this.lockTtlMs));
      if (taken === DOWN) return fetch();
      if (taken) break;
      if (i === 0) this.counts.waits++;
      if (i >= maxPolls) {
        this.counts.lockTimeouts++;
        return fetch();
      }
      await sleep(this.pollMs, signal);
      const found = await this.read(id, name, false);
      if (found === DOWN) return fetch();
      if (found) return found;
    }
    try {
      // Another replica may have written between the first read and the lock.
      const again = await this.read(id, name, false);
      if (again && again !== DOWN) return again;
      const r = await fetch();
      const ttl = staleAt(r) - this.env.clock();
      if (ttl > 0) {
        const sealed = this.keys.seal(id, r, staleAt(r), this.env.random);
        if ((await this.op(() => this.store.set(name, sealed, Math.ceil(ttl)))) !== DOWN)
          this.counts.writes++;
      }
      return r;
    } finally {
      await this.op(() => this.store.unlock(lockName, owner));
    }
  }

  /** A fresh record from the store, undefined on a miss (or a refused entry, deleted), DOWN when the store fails. */
  private async read(id: EntryId, name: string, count = true): Promise<TicketRecord | undefined | Down> {
    const sealed = await this.op(() => this.store.get(name));
    if (sealed === DOWN) return DOWN;
    if (sealed === undefined) {
      if (count) this.counts.misses++;
      return undefined;
    }
    let opened: ReturnType<SealKeys['open']>;
    try {
      opened = this.keys.open(id, sealed);
    } catch (e) {
      if (!(e instanceof IntegrityError)) throw e;
      this.counts.refused++;
      await this.op(() => this.store.delete(name));
      this.env.refused(id, e);
      return undefined;
    }
    if (this.env.clock() >= opened.staleAt) {
      if (count) this.counts.misses++;
      return undefined;
    }
    this.counts.hits++;
    return opened.record;
  }

  /** One store operation under the timeout; a failure marks the store down for `retryAfterMs`. */
  private async op<T>(run: () => Promise<T>): Promise<T | Down> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const out = await Promise.race([
        run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`ticket store did not answer in ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
      if (this.down) {
        this.down = false;
        this.counts.recoveries++;
      }
      return out;
    } catch (e) {
      this.counts.failures++;
      this.down = true;
      this.lastError = e instanceof Error ? e.message : String(e);
      this.downUntil = this.env.clock() + this.retryAfterMs;
      return DOWN;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Waits `ms`, or rejects with the AbortError of `signal` as soon as it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  throwIfAborted(signal);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
