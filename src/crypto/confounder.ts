/**
 * Confounders: from the caller's random source when one is injected, else from the runtime's CSPRNG through
 * `defaultRandom`, whose pool makes a small draw cost a copy instead of a getRandomValues call.
 */
import { defaultRandom, type RandomSource } from '../util/env.js';

/** `n` random bytes for a confounder, from `random` when the caller gave one. */
export function confounder(n: number, random: RandomSource | undefined): Uint8Array {
  return (random ?? defaultRandom)(n);
}
