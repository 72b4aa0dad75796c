/** Injectable sources of time and randomness, so that pure layers can be tested to the byte. */

/** Returns `n` random bytes. */
export type RandomSource = (n: number) => Uint8Array;
/** Returns the current time in milliseconds since the Unix epoch. */
export type Clock = () => number;

const POOL_SIZE = 4096;
/** Bytes above this are drawn directly, not from the pool. */
const POOL_MAX_DRAW = 256;
let pool: Uint8Array<ArrayBuffer> = new Uint8Array(0);
let poolAt = 0;

function fill<T extends Uint8Array>(out: T): T {
  // getRandomValues fills at most 65536 bytes per call.
  for (let o = 0; o < out.length; o += 65536)
    globalThis.crypto.getRandomValues(out.subarray(o, Math.min(out.length, o + 65536)));
  return out;
}

/**
 * Random bytes from the runtime's WebCrypto (Node, Bun, Deno, browsers). Small draws (nonces, subkeys, sequence
 * numbers: two or three per KDC exchange) come from a pool refilled 4 KiB at a time, each byte handed out once and
 * zeroed in the pool: one getRandomValues call costs about as much as a small AES operation.
 */
export const defaultRandom: RandomSource = (n) => {
  if (n > POOL_MAX_DRAW) return fill(new Uint8Array(n));
  if (poolAt + n > pool.length) {
    pool = fill(new Uint8Array(POOL_SIZE));
    poolAt = 0;
  }
  const out = pool.slice(poolAt, poolAt + n);
  pool.fill(0, poolAt, poolAt + n);
  poolAt += n;
  return out;
};

/** The system clock. */
export const defaultClock: Clock = () => Date.now();
