/** PRF+ and KRB-FX-CF2 (RFC 6113 5.1): combine two keys, used by FAST for the armor key. */
import { CryptoError } from '../errors.js';
import { concat, utf8 } from '../util/bytes.js';
import { enctypeProfile } from './enctypes.js';
import { Key } from './key.js';

/** PRF+(key, input) truncated to `length` bytes: PRF(key, 1 || input) || PRF(key, 2 || input) || … */
export function prfPlus(key: Key, input: Uint8Array, length: number): Uint8Array {
  const p = enctypeProfile(key.etype);
  const rounds = Math.ceil(length / p.prfSize);
  if (rounds > 255) throw new CryptoError(`PRF+ output of ${length} bytes is too long for ${p.name}`);
  const out = new Uint8Array(rounds * p.prfSize);
  for (let i = 1; i <= rounds; i++) out.set(p.prf(key, concat(Uint8Array.of(i), input)), (i - 1) * p.prfSize);
  return out.slice(0, length);
}

/** KRB-FX-CF2(key1, key2, pepper1, pepper2): a key of key1's enctype (RFC 6113 5.1). */
export function cf2(key1: Key, key2: Key, pepper1: string | Uint8Array, pepper2: string | Uint8Array): Key {
  const p = enctypeProfile(key1.etype);
  const a = prfPlus(key1, typeof pepper1 === 'string' ? utf8(pepper1) : pepper1, p.seedSize);
  const b = prfPlus(key2, typeof pepper2 === 'string' ? utf8(pepper2) : pepper2, p.seedSize);
  for (let i = 0; i < a.length; i++) a[i]! ^= b[i]!;
  return new Key(key1.etype, p.randomToKey(a));
}
