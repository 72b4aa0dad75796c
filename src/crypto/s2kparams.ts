/** The s2kparams of PBKDF2-based enctypes: a 4-byte big-endian iteration count (RFC 3962 4, RFC 8009 4). */
import { CryptoError } from '../errors.js';
import { S2kIterations } from './constants.js';
import type { StringToKeyOptions } from './profile.js';

/** Iteration count from `params` (or `defaultCount`), refusing 0, counts >= 2^24, and weak counts unless allowed. */
export function pbkdf2Iterations(
  name: string,
  params: Uint8Array | undefined,
  defaultCount: number,
  opts: StringToKeyOptions,
): number {
  if (params === undefined || params.length === 0) return defaultCount;
  if (params.length !== 4)
    throw new CryptoError(`${name}: s2kparams must be a 4-byte iteration count, got ${params.length} bytes`);
  const count = new DataView(params.buffer, params.byteOffset, 4).getUint32(0, false);
  if (count === 0) throw new CryptoError(`${name}: s2kparams iteration count 0 is not allowed`);
  if (count >= S2kIterations.Max)
    throw new CryptoError(
      `${name}: s2kparams iteration count ${count} is too large (limit ${S2kIterations.Max - 1})`,
    );
  if (count < defaultCount && opts.allowWeak !== true)
    throw new CryptoError(
      `${name}: s2kparams iteration count ${count} is below the default ${defaultCount}`,
      {
        hint: 'the KDC asked for a weak key derivation; pass { allowWeak: true } to accept it',
      },
    );
  return count;
}
