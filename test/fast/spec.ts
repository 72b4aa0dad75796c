/**
 * Expected values built from the RFC primitives, not from src/fast: KRB-FX-CF2 by hand from PRF (RFC 6113 5.1,
 * PRF+ = PRF(k, 1||p) || PRF(k, 2||p) …; random-to-key is the identity for AES), and fixed test keys.
 */
import { Key, prf } from '../../src/crypto/index.js';
import { concat, utf8 } from '../../src/util/bytes.js';

function prfPlusByHand(k: Key, pepper: string, n: number): Uint8Array {
  let out: Uint8Array = new Uint8Array(0);
  for (let i = 1; out.length < n; i++) out = concat(out, prf(k, concat(Uint8Array.of(i), utf8(pepper))));
  return out.slice(0, n);
}

/** KRB-FX-CF2 for AES keys, from PRF alone. */
export function cf2ByHand(k1: Key, k2: Key, p1: string, p2: string): Key {
  const n = k1.bytes.length;
  const a = prfPlusByHand(k1, p1, n);
  const b = prfPlusByHand(k2, p2, n);
  return new Key(
    k1.etype,
    a.map((x, i) => x ^ b[i]!),
  );
}

/** A key of `etype` filled with `fill` (AES 17/19: 16 bytes, 18/20: 32 bytes). */
export function testKey(etype: number, fill: number): Key {
  return new Key(etype, new Uint8Array(etype === 17 || etype === 19 ? 16 : 32).fill(fill));
}

/** Counter-based random source for deterministic tests. */
export function counterRandom(seed = 1): (n: number) => Uint8Array {
  let c = seed;
  return (n) => Uint8Array.from({ length: n }, () => c++ & 0xff);
}

/** AES enctypes the FAST tests run over. */
export const AES_ETYPES = [17, 18, 19, 20] as const;
