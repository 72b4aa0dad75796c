/**
 * Finite-field Diffie-Hellman for PKINIT (RFC 4556 3.2.3.1) over the 2048-bit MODP group 14 (RFC 3526 3), with
 * BigInt arithmetic: WebCrypto has no FFDH. The shared secret is left-padded to the modulus size.
 */
import { CryptoError } from '../errors.js';
import { concat, fromHex, toHex } from '../util/bytes.js';

/** A MODP group: prime p, generator g and subgroup order q = (p - 1) / 2. */
export interface ModpGroup {
  readonly name: string;
  readonly p: bigint;
  readonly g: bigint;
  readonly q: bigint;
  /** Modulus size in bytes. */
  readonly size: number;
}

const P14 =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF';

/** RFC 3526 group 14: the 2048-bit MODP group MIT's PKINIT uses by default. */
export const MODP_GROUP_14: ModpGroup = (() => {
  const p = BigInt(`0x${P14}`);
  return { name: 'modp2048', p, g: 2n, q: (p - 1n) / 2n, size: 256 };
})();

/** Big-endian unsigned bytes to a bigint. */
export function bytesToBigInt(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${toHex(b)}`);
}

/** A bigint as big-endian unsigned bytes, left-padded to `size` bytes when given. */
export function bigIntToBytes(n: bigint, size?: number): Uint8Array {
  if (n < 0n) throw new CryptoError('negative integer');
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const b = n === 0n ? new Uint8Array(0) : fromHex(hex);
  if (size === undefined || b.length === size) return b;
  if (b.length > size) throw new CryptoError(`integer of ${b.length} bytes does not fit in ${size}`);
  return concat(new Uint8Array(size - b.length), b);
}

/** base^exp mod m by square-and-multiply. */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = base % m;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

/** A DH key pair: private exponent x and public value g^x mod p. */
export interface DhKeyPair {
  readonly group: ModpGroup;
  readonly x: bigint;
  readonly y: bigint;
}

/** A key pair from `random` bytes (a 256-bit private exponent, the size OpenSSL uses for 2048-bit groups' q). */
export function dhKeyPair(group: ModpGroup, random: (n: number) => Uint8Array): DhKeyPair {
  const x = (bytesToBigInt(random(32)) % (group.q - 2n)) + 2n;
  return { group, x, y: modPow(group.g, x, group.p) };
}

/**
 * The shared secret y_peer^x mod p as `size` bytes. The peer value must lie in [2, p - 2] and in the order-q
 * subgroup (y^q = 1), else a small-subgroup value could force a guessable secret.
 */
export function dhSharedSecret(kp: DhKeyPair, peer: bigint): Uint8Array {
  const { p, q, size } = kp.group;
  if (peer < 2n || peer > p - 2n || modPow(peer, q, p) !== 1n)
    throw new CryptoError('the peer Diffie-Hellman public value is not in the group');
  return bigIntToBytes(modPow(peer, kp.x, p), size);
}
