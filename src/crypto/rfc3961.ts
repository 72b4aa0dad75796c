/** RFC 3961 5.1 key derivation (DR, DK) for the simplified profile, and the usage constants of 5.3. */
import { boundedMemo } from '../util/memo.js';
import { nfold } from './nfold.js';
import { usageSlot } from './slots.js';

/** CBC encryption with the base key and a zero IV (E with the initial cipher state, chained), as a fresh array. */
export type ChainEncrypt = (data: Uint8Array) => Uint8Array;

/**
 * DR(Key, Constant): K1 = E(n-fold(constant)), K2 = E(K1), … until `seedSize` bytes. With a zero IV,
 * CBC over n-fold(constant) || 0 || 0 … computes exactly that chain, so one cipher call suffices.
 */
export function deriveRandom(
  encryptChain: ChainEncrypt,
  blockSize: number,
  constant: Uint8Array,
  seedSize: number,
): Uint8Array {
  const blocks = Math.ceil(seedSize / blockSize);
  const input = new Uint8Array(blocks * blockSize);
  input.set(constant.length === blockSize ? constant : nfold(constant, blockSize * 8));
  const out = encryptChain(input);
  // AES keys are whole blocks: the chain's fresh output is the key as is, without a copy.
  return out.length === seedSize ? out : out.slice(0, seedSize);
}

/** The 5-byte derivation constant: usage as 4 bytes big-endian, then the Kc/Ke/Ki tag (RFC 3961 5.3). */
export function usageConstant(usage: number, tag: number): Uint8Array {
  const c = new Uint8Array(5);
  new DataView(c.buffer).setUint32(0, usage >>> 0, false);
  c[4] = tag;
  return c;
}

/**
 * n-fold(usageConstant(usage, tag), 128) for DK with AES by cache slot, kept (up to 1024 usages): it depends on the
 * usage alone and costs more than the AES call that uses it.
 */
const folded = boundedMemo(1024, (slot: number) =>
  nfold(usageConstant(Math.floor(slot / 256), slot % 256), 128),
);

/** n-fold(usageConstant(usage, tag), 128), shared: callers must not modify it. */
export function foldedUsageConstant(usage: number, tag: number): Uint8Array {
  return folded(usageSlot(usage >>> 0, tag));
}
