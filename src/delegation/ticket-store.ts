/**
 * Where DelegationClients share delegated tickets: a key-value store with expiry and a short lock per entry
 * (single flight across processes). Values are opaque sealed bytes (src/delegation/sealed-entry.ts): a store never
 * holds a ticket or session key in the clear. `MemoryTicketStore` is the in-process implementation; the Redis one is
 * `tskrb/delegation/redis`.
 */
import { type Clock, defaultClock } from '../util/env.js';
import { ExpiringLru } from './cache.js';

/**
 * A store of sealed delegation entries, shared by the replicas of a service. Every method may reject (store down).
 * Besides entries and locks it holds generations (a few random bytes per user that a replica cleared, and one for
 * the service), written with `set` and read with `get`/`getMany`: nothing more is asked of an implementation.
 */
export interface TicketStore {
  /** The value stored under `name`, or undefined when absent or expired. */
  get(name: string): Promise<Uint8Array | undefined>;
  /** Stores `value` under `name` for `ttlMs`, replacing any previous value. */
  set(name: string, value: Uint8Array, ttlMs: number): Promise<void>;
  /**
   * Optional: the values of `names` in one round trip (Redis `MGET`), in their order, undefined where absent or
   * expired. Without it the client calls `get` once per name, all at once: the same wait, more requests.
   */
  getMany?(names: readonly string[]): Promise<(Uint8Array | undefined)[]>;
  /** Removes `name` (no error when absent). */
  delete(name: string): Promise<void>;
  /** Takes the lock `name` for `ttlMs` as `owner` if nobody holds it (Redis `SET NX PX`); true when taken. */
  lock(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases the lock `name` if `owner` still holds it (a lock past its TTL may be someone else's by now). */
  unlock(name: string, owner: string): Promise<void>;
}

/**
 * A TicketStore in this process's memory: an LRU of values that expire, and locks that expire. Shares tickets
 * between the DelegationClients of one process; tests use it as a store that never fails.
 */
export class MemoryTicketStore implements TicketStore {
  private readonly values: ExpiringLru<Uint8Array>;
  private readonly locks = new Map<string, { owner: string; until: number }>();

  /** `clock`: local ms (default the system clock), for expiry. */
  constructor(
    maxEntries = 10_000,
    private readonly clock: Clock = defaultClock,
  ) {
    this.values = new ExpiringLru(maxEntries);
  }

  /** Number of values held, expired ones included until replaced or evicted. */
  get size(): number {
    return this.values.size;
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    const look = this.values.get(name, this.clock());
    return look.kind === 'hit' ? look.value : undefined;
  }

  async getMany(names: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    const now = this.clock();
    return names.map((name) => {
      const look = this.values.get(name, now);
      return look.kind === 'hit' ? look.value : undefined;
    });
  }

  async set(name: string, value: Uint8Array, ttlMs: number): Promise<void> {
    this.values.set(name, value, this.clock() + ttlMs);
  }

  async delete(name: string): Promise<void> {
    this.values.delete(name);
  }

  async lock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    const held = this.locks.get(name);
    if (held && now < held.until) return false;
    this.locks.set(name, { owner, until: now + ttlMs });
    return true;
  }

  async unlock(name: string, owner: string): Promise<void> {
    if (this.locks.get(name)?.owner === owner) this.locks.delete(name);
  }

  /** Names of the values held (tests alter or move entries through `get`/`set`). */
  names(): string[] {
    return this.values.keys();
  }
}
