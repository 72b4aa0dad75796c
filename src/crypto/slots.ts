/** Indexes into a Key's derived-key cache. */

/** Cache slots that are not per usage. */
export const KeySlot = { Prf: -1, Sign: -2 } as const;

/** Cache slot for the derived key `tag` (0..255) of `usage`. */
export function usageSlot(usage: number, tag: number): number {
  return usage * 256 + tag;
}
