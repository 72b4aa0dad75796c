/** RFC 3961 5.1 key derivation (DR, DK) for the simplified profile, and the usage constants of 5.3. */
import { nfold } from './nfold.js';

/** Encrypts exactly one cipher block with the base key (E with the initial cipher state). */
export type BlockEncrypt = (block: Uint8Array) => Uint8Array;

/** DR(Key, Constant): `seedSize` pseudo-random bytes from repeated encryption of n-fold(constant). */
export function deriveRandom(
  encrypt: BlockEncrypt,
  blockSize: number,
  constant: Uint8Array,
  seedSize: number,
): Uint8Array {
  const out = new Uint8Array(seedSize);
  let block = constant.length === blockSize ? constant : nfold(constant, blockSize * 8);
  for (let off = 0; off < seedSize; off += blockSize) {
    block = encrypt(block);
    out.set(block.subarray(0, Math.min(blockSize, seedSize - off)), off);
  }
  return out;
}

/** The 5-byte derivation constant: usage as 4 bytes big-endian, then the Kc/Ke/Ki tag (RFC 3961 5.3). */
export function usageConstant(usage: number, tag: number): Uint8Array {
  const c = new Uint8Array(5);
  new DataView(c.buffer).setUint32(0, usage >>> 0, false);
  c[4] = tag;
  return c;
}
