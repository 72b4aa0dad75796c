/**
 * Confounders when the caller injects no random source: drawn from a pool that one call to the runtime's CSPRNG
 * refills 4 KiB at a time, because a getRandomValues call costs about as much as a whole small encryption.
 * Bytes are zeroed in the pool as they are handed out. Keys never come from here.
 */
import { defaultRandom, type RandomSource } from '../util/env.js';

const POOL_SIZE = 4096;
let pool: Uint8Array = new Uint8Array(0);
let used = 0;

/** `n` random bytes for a confounder, from `random` when the caller gave one, else from the pool. */
export function confounder(n: number, random: RandomSource | undefined): Uint8Array {
  if (random !== undefined && random !== defaultRandom) return random(n);
  if (n > POOL_SIZE) return defaultRandom(n);
  if (used + n > pool.length) {
    pool = defaultRandom(POOL_SIZE);
    used = 0;
  }
  const out = pool.slice(used, used + n);
  pool.fill(0, used, used + n);
  used += n;
  return out;
}
