/** n-fold (RFC 3961 5.1): stretch or shrink a string to `bits` bits, used to spread derivation constants. */
import { CryptoError } from '../errors.js';

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Rotates the bit string `input` right by `r` bits. */
function rotateRight(input: Uint8Array, r: number): Uint8Array {
  const n = input.length;
  const bits = r % (n * 8);
  const byteShift = bits >> 3;
  const bitShift = bits & 7;
  const out = new Uint8Array(n);
  for (let b = 0; b < n; b++) {
    const hi = input[(b - byteShift + n) % n]!;
    const lo = input[(b - byteShift - 1 + 2 * n) % n]!;
    out[b] = bitShift === 0 ? hi : ((hi >> bitShift) | (lo << (8 - bitShift))) & 0xff;
  }
  return out;
}

/** RFC 3961 5.1 n-fold of `input` to `bits` output bits (`bits` a positive multiple of 8). */
export function nfold(input: Uint8Array, bits: number): Uint8Array {
  if (bits <= 0 || bits % 8 !== 0)
    throw new CryptoError(`n-fold output must be a positive multiple of 8 bits, not ${bits}`);
  if (input.length === 0) throw new CryptoError('n-fold input must not be empty');
  const k = bits / 8;
  const n = input.length;
  const lcm = (n * k) / gcd(n, k);
  const big = new Uint8Array(lcm);
  for (let i = 0; i < lcm / n; i++) big.set(rotateRight(input, 13 * i), i * n);
  // Ones'-complement addition of the k-byte chunks: big-endian sums, carries wrap around.
  const acc = new Uint32Array(k);
  for (let off = 0; off < lcm; off += k) for (let j = 0; j < k; j++) acc[j]! += big[off + j]!;
  let carry = 0;
  do {
    for (let j = k - 1; j >= 0; j--) {
      const s = acc[j]! + carry;
      acc[j] = s & 0xff;
      carry = s >>> 8;
    }
  } while (carry !== 0);
  return Uint8Array.from(acc);
}
