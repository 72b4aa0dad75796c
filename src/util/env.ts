/** Injectable sources of time and randomness, so that pure layers can be tested to the byte. */

/** Returns `n` random bytes. */
export type RandomSource = (n: number) => Uint8Array;
/** Returns the current time in milliseconds since the Unix epoch. */
export type Clock = () => number;

/** Random bytes from the runtime's WebCrypto (Node, Bun, Deno, browsers). */
export const defaultRandom: RandomSource = (n) => {
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65536 bytes per call.
  for (let o = 0; o < n; o += 65536)
    globalThis.crypto.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  return out;
};

/** The system clock. */
export const defaultClock: Clock = () => Date.now();
