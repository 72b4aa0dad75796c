/**
 * The pieces of the DelegationClient that know nothing about Kerberos: an in-memory LRU whose entries go stale
 * at a set time, the rule that decides that time, and single flight (concurrent callers of one key share one
 * promise). Memory only: nothing here is ever written anywhere.
 */

/** When a cached ticket must be fetched again, in local milliseconds. */
export interface RefreshPolicy {
  /** Longest a delegated ticket is served from the cache, whatever its lifetime (ms). */
  readonly ttlMs: number;
  /** Fetch a new ticket this long before the old one expires (ms); capped at half the ticket's life. */
  readonly refreshBeforeMs: number;
}

/**
 * The local time at which a ticket obtained at `obtainedAt` and ending at `endtime` (both local ms; the caller
 * converts KDC time) stops being served: the TTL, or `refreshBeforeMs` before its end, whichever comes first.
 * A ticket shorter than twice the refresh window is refreshed at half its life rather than at once.
 */
export function staleAt(obtainedAt: number, endtime: number, p: RefreshPolicy): number {
  const life = Math.max(0, endtime - obtainedAt);
  const early = Math.min(p.refreshBeforeMs, life / 2);
  return Math.min(obtainedAt + p.ttlMs, endtime - early);
}

interface Slot<V> {
  readonly value: V;
  readonly staleAt: number;
}

/** What a lookup found. */
export type Lookup<V> =
  | { readonly kind: 'hit'; readonly value: V }
  | { readonly kind: 'miss' }
  | { readonly kind: 'stale'; readonly value: V };

/** An LRU map of values that go stale at a given time. Stale entries stay until replaced or evicted. */
export class ExpiringLru<V> {
  private readonly slots = new Map<string, Slot<V>>();
  /** Entries dropped because the map was full. */
  evictions = 0;

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError(`maxEntries must be a positive integer, not ${maxEntries}`);
  }

  /** Number of entries, stale ones included. */
  get size(): number {
    return this.slots.size;
  }

  /** Looks `key` up at local time `now`; a fresh hit becomes the most recently used entry. */
  get(key: string, now: number): Lookup<V> {
    const s = this.slots.get(key);
    if (!s) return { kind: 'miss' };
    if (now >= s.staleAt) return { kind: 'stale', value: s.value };
    // Map iteration order is insertion order: re-inserting makes the entry the most recent.
    this.slots.delete(key);
    this.slots.set(key, s);
    return { kind: 'hit', value: s.value };
  }

  /** Stores `value` until `staleAt`, evicting the least recently used entries beyond `maxEntries`. */
  set(key: string, value: V, staleAt: number): void {
    this.slots.delete(key);
    this.slots.set(key, { value, staleAt });
    while (this.slots.size > this.maxEntries) {
      const oldest = this.slots.keys().next().value as string;
      this.slots.delete(oldest);
      this.evictions++;
    }
  }

  /** Removes one entry; true when it was there. */
  delete(key: string): boolean {
    return this.slots.delete(key);
  }

  /** Removes every entry whose key satisfies `pred`; returns how many. */
  deleteWhere(pred: (key: string) => boolean): number {
    let n = 0;
    for (const k of [...this.slots.keys()]) if (pred(k) && this.slots.delete(k)) n++;
    return n;
  }

  /** Removes every entry. */
  clear(): void {
    this.slots.clear();
  }

  /** Keys from least to most recently used. */
  keys(): string[] {
    return [...this.slots.keys()];
  }
}

/** One flight in progress, as its function sees it. */
export interface Flight {
  /** Set by {@link SingleFlight.detach}: later callers of the key no longer join this flight. */
  readonly detached: boolean;
}

/** Concurrent calls for one key share one promise until it settles. */
export class SingleFlight<V> {
  private readonly inflight = new Map<
    string,
    { readonly promise: Promise<V>; readonly flight: { detached: boolean } }
  >();

  /** Number of flights in progress (detached ones not counted). */
  get size(): number {
    return this.inflight.size;
  }

  /** Runs `fn` for `key` unless a flight for it is in progress, in which case `joined` is true and its promise is shared. */
  run(
    key: string,
    fn: (flight: Flight) => Promise<V>,
  ): { readonly promise: Promise<V>; readonly joined: boolean } {
    const current = this.inflight.get(key);
    if (current) return { promise: current.promise, joined: true };
    const flight = { detached: false };
    // fn starts in a microtask, after the flight is registered, so even a synchronous throw is cleaned up.
    const promise: Promise<V> = Promise.resolve()
      .then(() => fn(flight))
      .finally(() => {
        if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key);
      });
    this.inflight.set(key, { promise, flight });
    return { promise, joined: false };
  }

  /**
   * Detaches the flights whose key satisfies `pred`: each goes on for the callers already waiting (and sees
   * `detached`), and the next caller of its key starts a new flight.
   */
  detach(pred: (key: string) => boolean): void {
    for (const [key, f] of this.inflight)
      if (pred(key)) {
        f.flight.detached = true;
        this.inflight.delete(key);
      }
  }
}
