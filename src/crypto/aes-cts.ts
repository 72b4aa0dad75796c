/**
 * AES in CBC mode with ciphertext stealing (RFC 3962 5, the CBC-CS3 variant): the last two blocks
 * are swapped and the final one is truncated, so the output has the length of the input.
 * Inputs must be at least one block; exactly one block is plain AES.
 */
import { CryptoError } from '../errors.js';
import { backend } from './backend.js';

/** The AES block size in bytes. */
export const AES_BLOCK = 16;

function checkArgs(iv: Uint8Array, data: Uint8Array, what: string): void {
  if (iv.length !== AES_BLOCK)
    throw new CryptoError(`AES-CTS ${what}: IV must be 16 bytes, got ${iv.length}`);
  if (data.length < AES_BLOCK)
    throw new CryptoError(`AES-CTS ${what}: input must be at least 16 bytes, got ${data.length}`);
}

/** AES-CBC-CTS encryption of `plaintext` (>= 16 bytes) under `key` with initial vector `iv`. */
export function aesCtsEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkArgs(iv, plaintext, 'encrypt');
  const be = backend();
  const n = plaintext.length;
  const blocks = Math.ceil(n / AES_BLOCK);
  // Zero padding makes CBC's last block E(C[m-2] xor P[m]||0), which is exactly what CTS sends.
  const padded = new Uint8Array(blocks * AES_BLOCK);
  padded.set(plaintext);
  const c = be.aesCbcEncrypt(key, iv, padded);
  if (blocks === 1) return c;
  const out = new Uint8Array(n);
  const lastFull = (blocks - 2) * AES_BLOCK;
  out.set(c.subarray(0, lastFull));
  out.set(c.subarray(lastFull + AES_BLOCK, lastFull + 2 * AES_BLOCK), lastFull);
  out.set(c.subarray(lastFull, lastFull + (n - lastFull - AES_BLOCK)), lastFull + AES_BLOCK);
  return out;
}

/** AES-CBC-CTS decryption of `ciphertext` (>= 16 bytes) under `key` with initial vector `iv`. */
export function aesCtsDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  checkArgs(iv, ciphertext, 'decrypt');
  const be = backend();
  const n = ciphertext.length;
  const blocks = Math.ceil(n / AES_BLOCK);
  if (blocks === 1) return be.aesCbcDecrypt(key, iv, ciphertext);
  const lastFull = (blocks - 2) * AES_BLOCK;
  const tail = n - lastFull - AES_BLOCK;
  // The sent block at lastFull is CBC's final block; its raw decryption is C[m-2] xor P[m]||0,
  // whose trailing bytes restore the stolen part of C[m-2].
  const swapped = ciphertext.subarray(lastFull, lastFull + AES_BLOCK);
  const d = be.aesCbcDecrypt(key, new Uint8Array(AES_BLOCK), swapped);
  const cbcText = new Uint8Array(blocks * AES_BLOCK);
  cbcText.set(ciphertext.subarray(0, lastFull));
  cbcText.set(ciphertext.subarray(lastFull + AES_BLOCK), lastFull);
  cbcText.set(d.subarray(tail), lastFull + tail);
  cbcText.set(swapped, lastFull + AES_BLOCK);
  return be.aesCbcDecrypt(key, iv, cbcText).subarray(0, n);
}
