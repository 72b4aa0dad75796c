/** The acceptor's replay cache (RFC 4120 3.2.3): an authenticator is accepted once while its ctime is within skew. */
import { type Clock, defaultClock } from '../util/env.js';

/** What identifies one authenticator. */
export interface ReplayEntry {
  /** Client principal, `name@REALM`. */
  readonly client: string;
  /** Server principal, `name@REALM`. */
  readonly server: string;
  /** Authenticator ctime, ms since the epoch. */
  readonly ctime: number;
  readonly cusec: number;
  /** Hex digest of the authenticator ciphertext (tells apart two authenticators of the same microsecond). */
  readonly digest: string;
}

/** A store of seen authenticators; implementations may be shared between processes (e.g. in Redis). */
export interface ReplayCache {
  /** Records `entry` until `expiresAt` (ms); false when it was already recorded (a replay). */
  check(entry: ReplayEntry, expiresAt: number): boolean;
}

/** Options of {@link MemoryReplayCache}. */
export interface MemoryReplayCacheOptions {
  /** Time source for expiry (default: the system clock). */
  readonly clock?: Clock | undefined;
  /** Most entries kept (default 100000); past it, expired ones go first, then the oldest. */
  readonly maxEntries?: number | undefined;
}

/** An in-process replay cache, bounded, with expiry by the injected clock. */
export class MemoryReplayCache implements ReplayCache {
  readonly #clock: Clock;
  readonly #max: number;
  /** key -> expiresAt, in insertion order. */
  readonly #seen = new Map<string, number>();

  constructor(o: MemoryReplayCacheOptions = {}) {
    this.#clock = o.clock ?? defaultClock;
    this.#max = Math.max(1, o.maxEntries ?? 100_000);
  }

  /** Number of entries held. */
  get size(): number {
    return this.#seen.size;
  }

  check(entry: ReplayEntry, expiresAt: number): boolean {
    const now = this.#clock();
    const key = `${entry.client}\0${entry.server}\0${entry.ctime}\0${entry.cusec}\0${entry.digest}`;
    const prior = this.#seen.get(key);
    if (prior !== undefined && prior >= now) return false;
    this.#evict(now);
    this.#seen.delete(key);
    this.#seen.set(key, expiresAt);
    return true;
  }

  #evict(now: number): void {
    // Entries arrive roughly in expiry order: drop expired ones from the front, then sweep all when full.
    for (const [k, exp] of this.#seen) {
      if (exp >= now) break;
      this.#seen.delete(k);
    }
    if (this.#seen.size < this.#max) return;
    for (const [k, exp] of this.#seen) if (exp < now) this.#seen.delete(k);
    for (const k of this.#seen.keys()) {
      if (this.#seen.size < this.#max) break;
      this.#seen.delete(k);
    }
  }
}
