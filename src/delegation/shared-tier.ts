/**
 * The DelegationClient's shared tier: before a replica asks the KDC for a ticket it looks in the shared
 * {@link TicketStore}; on a miss it takes the entry's lock (one replica per user and target asks the KDC) while the
 * others poll for the entry the holder writes. A holder that dies leaves a lock that expires after `lockTtlMs`.
 * The store is an optimisation, never a dependency: a failing or slow store is counted, skipped for
 * `retryAfterMs`, and tried again; an entry that does not open is dropped and reported.
 *
 * Clearing across the fleet: a clear writes a new random generation for the user (or for the whole service) in the
 * store, and an entry's name includes the generation it was written under (src/delegation/generations.ts). Every
 * store lookup reads the entry and its two generations in one round trip (`getMany`, Redis `MGET`), so once a clear
 * is recorded no replica finds an older entry in the store, and a flight that was fetching during the clear writes
 * its entry under the old name, where nobody looks. A replica's local cache serves a record only while a read of
 * the user's generation sent less than `revalidateMs` ago found the record's generation, and reads it again
 * otherwise: at most one round trip per user per `revalidateMs` on cache hits. Such a read was sent before any clear
 * it did not see, so a clear reaches every local cache within `revalidateMs` of being recorded (on each replica's
 * own clock: skew between replicas does not matter), as long as the replica can reach the store.
 */
import { IntegrityError } from '../errors.js';
import { abortError, throwIfAborted } from '../util/abort.js';
import { toHex } from '../util/bytes.js';
import type { Clock, RandomSource } from '../util/env.js';
import { GenerationView } from './generations.js';
import { type EntryId, SealKeys, type TicketRecord } from './sealed-entry.js';
import type { TicketStore } from './ticket-store.js';

/**
 * How long a generation stays in the store (7 days). Entries live at most half of it, so no entry written before a
 * clear outlives the generation that hides it (when it expires the user's entries are found under '' again).
 */
const GENERATION_TTL_MS = 7 * 24 * 3600_000;
/** Random bytes of a generation token: a clear never writes a token used before. */
const GENERATION_BYTES = 12;
/** Generation changes one flight follows (clears during its lookups) before it asks the KDC without the store. */
const MAX_GENERATION_MOVES = 3;

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
  /**
   * How long a replica trusts the generation it last read for a user before it reads it again to serve that user's
   * locally cached tickets (ms, default 1000; 0: on every cache hit). This bounds how late a `clear` on another
   * replica takes effect here: this replica's cache may serve a cleared user's tickets for up to this long after the
   * clear was recorded in the store. While the store is down or skipped, cached tickets are served unconfirmed
   * (counted in `unconfirmed`) until the store answers or they expire.
   */
  readonly revalidateMs?: number | undefined;
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
  /** Reads of a user's generation made only to serve a cached ticket (its last read was older than `revalidateMs`). */
  readonly revalidations: number;
  /** Cached tickets dropped unserved because a clear (on any replica) had outdated their generation. */
  readonly outdated: number;
  /** Cached tickets served without confirming their generation, the store being down or skipped. */
  readonly unconfirmed: number;
  /** False while the store is skipped after a failure. */
  readonly available: boolean;
  /** Message of the last failure, if any. */
  readonly lastError?: string | undefined;
}

const DOWN = Symbol('store down');
type Down = typeof DOWN;

/** A lookup that found the user's generation other than the one it looked under (a clear happened). */
class Moved {
  constructor(readonly generation: string) {}
}

/** Whose generation: one user's of the service (realm and service as in {@link EntryId}). */
type Owner = Pick<EntryId, 'realm' | 'service' | 'user'>;

/** Where one entry and the generations its name depends on are stored. */
interface Slot {
  readonly id: EntryId & { readonly generation: string };
  readonly name: string;
  readonly generations: readonly [service: string, user: string];
}

/** The lookup, lock and fault policy between a DelegationClient's flights and a TicketStore. */
export class SharedTier {
  private readonly keys: SealKeys;
  private readonly store: TicketStore;
  private readonly lockTtlMs: number;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly retryAfterMs: number;
  private readonly view: GenerationView;
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
    revalidations: 0,
    outdated: 0,
    unconfirmed: 0,
  };

  constructor(
    o: SharedStoreOptions,
    private readonly env: {
      readonly clock: Clock;
      readonly random: RandomSource;
      /** Called for each entry refused (before it is fetched again); may throw to fail the call. */
      readonly refused: (id: EntryId, error: IntegrityError) => void;
      /** Called when a read finds that another replica cleared every user: drop what the local cache holds. */
      readonly clearedAll: () => void;
      /** Users whose generation is remembered (the local cache's size). */
      readonly maxUsers: number;
    },
  ) {
    this.keys = new SealKeys(o.key);
    this.store = o.store;
    this.lockTtlMs = o.lockTtlMs ?? 10_000;
    this.pollMs = o.pollMs ?? 50;
    this.timeoutMs = o.timeoutMs ?? 250;
    this.retryAfterMs = o.retryAfterMs ?? 1000;
    this.view = new GenerationView(o.revalidateMs ?? 1000, env.maxUsers);
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
   * Whether a cached record of `user` (realm and service as this tier's entries) may be served at `now` without
   * asking the store: until when (the generation read is current and recent), false (a clear outdated it:
   * counted), or undefined when the generation must be read ({@link revalidate}). Synchronous, no I/O.
   */
  check(user: string, generation: string | undefined, now: number): number | false | undefined {
    const until = this.view.check(user, generation, now);
    if (until === false) this.counts.outdated++;
    return until;
  }

  /**
   * Reads the generation of `owner.user` (one round trip): until when a record cached under `generation` may be
   * served, or false when it is outdated. While the store is down, `-Infinity` (served, unconfirmed, asked again
   * next time): a replica that cannot reach the store cannot learn of clears, and goes on serving its cache (until
   * each entry's own expiry) rather than sending every call to the KDC.
   */
  async revalidate(owner: Owner, generation: string | undefined): Promise<number | false> {
    if (this.env.clock() < this.downUntil) {
      this.counts.unconfirmed++;
      return Number.NEGATIVE_INFINITY;
    }
    this.counts.revalidations++;
    const readAt = this.env.clock();
    const got = await this.op(() => this.getMany(this.generationNames(owner)));
    if (got === DOWN) {
      this.counts.unconfirmed++;
      return Number.NEGATIVE_INFINITY;
    }
    const current = this.learn(owner.user, got[0], got[1], readAt);
    if (current.generation === generation) return current.until;
    this.counts.outdated++;
    return false;
  }

  /**
   * Records in the store that the entries of `owner.user` (without `user`: of every user of the service) are
   * cleared: a new generation, which every replica reads on its next lookup and within `revalidateMs` on cache hits.
   * Tried even while the store is skipped after a failure. False when the store did not take it.
   */
  async clear(owner: Omit<Owner, 'user'> & { readonly user?: string | undefined }): Promise<boolean> {
    const name = this.keys.generationName(owner.realm, owner.service, owner.user);
    const token = this.env.random(GENERATION_BYTES);
    const done = await this.op(() => this.store.set(name, token, GENERATION_TTL_MS));
    this.view.forget(owner.user);
    return done !== DOWN;
  }

  /**
   * The record for `id`: from the store, or from `fetch` (run by the one replica holding the lock, or by this one
   * when the store fails or the lock outlives its TTL) and then written with the time-to-live `staleAt` gives.
   * `signal` (the flight's: every caller waiting on it has aborted) ends a wait for another replica's lock at once.
   * The record carries the generation it was read or fetched under.
   */
  async through(
    id: EntryId,
    fetch: () => Promise<TicketRecord>,
    staleAt: (r: TicketRecord) => number,
    signal?: AbortSignal,
  ): Promise<TicketRecord> {
    let generation = this.view.guess(id.user);
    if (this.env.clock() < this.downUntil) {
      this.counts.bypassed++;
      return { ...(await fetch()), generation };
    }
    const generations = this.generationNames(id);
    for (let moves = 0; moves < MAX_GENERATION_MOVES; moves++) {
      const slotId = { ...id, generation };
      const out = await this.attempt(
        { id: slotId, name: this.keys.nameOf(slotId), generations },
        fetch,
        staleAt,
        signal,
      );
      if (!(out instanceof Moved)) return out;
      generation = out.generation;
    }
    return { ...(await fetch()), generation };
  }

  /** One lookup of `slot`, lock, and fetch; Moved as soon as a read finds that the user's generation changed. */
  private async attempt(
    slot: Slot,
    fetch: () => Promise<TicketRecord>,
    staleAt: (r: TicketRecord) => number,
    signal: AbortSignal | undefined,
  ): Promise<TicketRecord | Moved> {
    const generation = slot.id.generation;
    const fetched = async () => ({ ...(await fetch()), generation });
    const first = await this.read(slot);
    if (first === DOWN) return fetched();
    if (first) return first;
    const owner = toHex(this.env.random(16));
    const lockName = `${slot.name}:lock`;
    // Poll until the holder's entry appears or its lock is free; the lock expires, so this ends.
    const maxPolls = Math.ceil(this.lockTtlMs / this.pollMs) + 1;
    for (let i = 0; ; i++) {
      throwIfAborted(signal);
      const taken = await this.op(() => this.store.lock(lockName, owner, this.lockTtlMs));
      if (taken === DOWN) return fetched();
      if (taken) break;
      if (i === 0) this.counts.waits++;
      if (i >= maxPolls) {
        this.counts.lockTimeouts++;
        return fetched();
      }
      await sleep(this.pollMs, signal);
      const found = await this.read(slot, false);
      if (found === DOWN) return fetched();
      if (found) return found;
    }
    try {
      // Another replica may have written between the first read and the lock.
      const again = await this.read(slot, false);
      if (again && again !== DOWN) return again;
      const r = await fetched();
      const ttl = Math.min(staleAt(r) - this.env.clock(), GENERATION_TTL_MS / 2);
      if (ttl > 0) {
        // Written under the generation looked up: if a clear came meanwhile, under a name nobody looks up any more.
        const sealed = this.keys.seal(slot.id, r, staleAt(r), this.env.random);
        if ((await this.op(() => this.store.set(slot.name, sealed, Math.ceil(ttl)))) !== DOWN)
          this.counts.writes++;
      }
      return r;
    } finally {
      await this.op(() => this.store.unlock(lockName, owner));
    }
  }

  /**
   * The entry of `slot` and the user's generation, in one round trip: a fresh record, undefined on a miss (or a
   * refused entry, deleted), Moved when the generation is no longer the slot's, DOWN when the store fails.
   */
  private async read(slot: Slot, count = true): Promise<TicketRecord | Moved | undefined | Down> {
    const readAt = this.env.clock();
    const got = await this.op(() => this.getMany([slot.name, ...slot.generations]));
    if (got === DOWN) return DOWN;
    const { generation } = this.learn(slot.id.user, got[1], got[2], readAt);
    if (generation !== slot.id.generation) return new Moved(generation);
    const sealed = got[0];
    if (sealed === undefined) {
      if (count) this.counts.misses++;
      return undefined;
    }
    let opened: ReturnType<SealKeys['open']>;
    try {
      opened = this.keys.open(slot.id, sealed);
    } catch (e) {
      if (!(e instanceof IntegrityError)) throw e;
      this.counts.refused++;
      await this.op(() => this.store.delete(slot.name));
      this.env.refused(slot.id, e);
      return undefined;
    }
    if (this.env.clock() >= opened.staleAt) {
      if (count) this.counts.misses++;
      return undefined;
    }
    this.counts.hits++;
    return { ...opened.record, generation };
  }

  /** The names of the service's generation and the user's. */
  private generationNames(owner: Owner): readonly [service: string, user: string] {
    return [
      this.keys.generationName(owner.realm, owner.service),
      this.keys.generationName(owner.realm, owner.service, owner.user),
    ];
  }

  /** Notes the generation tokens a read sent at `readAt` found for `user`: the user's generation, trusted until. */
  private learn(
    user: string,
    service: Uint8Array | undefined,
    own: Uint8Array | undefined,
    readAt: number,
  ): { generation: string; until: number } {
    const hex = (t: Uint8Array | undefined) => (t === undefined ? '' : toHex(t));
    const { generation, until, serviceCleared } = this.view.learn(user, hex(service), hex(own), readAt);
    if (serviceCleared) this.env.clearedAll();
    return { generation, until };
  }

  /** The store's values of `names`: one `getMany`, or one `get` each (at once) from a store without it. */
  private getMany(names: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    return this.store.getMany ? this.store.getMany(names) : Promise.all(names.map((n) => this.store.get(n)));
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
