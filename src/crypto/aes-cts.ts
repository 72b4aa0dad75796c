/**
 * AES in CBC mode with ciphertext stealing (RFC 3962 5, the CBC-CS3 variant): the last two blocks
 * are swapped and the final one is truncated, so the output has the length of the input.
 * Inputs must be at least one block; exactly one block is plain AES.
 */
import { CryptoError } from '../errors.js';
import { type AesKey, backend } from './backend.js';

/** The AES block size in bytes. */
export const AES_BLOCK = 16;

const ZERO_IV = new Uint8Array(AES_BLOCK);

function checkArgs(iv: Uint8Array, data: Uint8Array, what: string): void {
  if (iv.length !== AES_BLOCK)
    throw new CryptoError(`AES-CTS ${what}: IV must be 16 bytes, got ${iv.length}`);
  if (data.length < AES_BLOCK)
    throw new CryptoError(`AES-CTS ${what}: input must be at least 16 bytes, got ${data.length}`);
}

const WORK_MAX = 65536;
let work = new Uint8Array(1024);

/** The module buffer's first `len` bytes (a fresh array past 64 KiB), as the previous caller left them. */
function workArea(len: number): Uint8Array {
  if (len > WORK_MAX) return new Uint8Array(len);
  if (work.length < len) work = new Uint8Array(Math.min(WORK_MAX, Math.max(len, 2 * work.length)));
  return work.subarray(0, len);
}

/**
 * A zeroed buffer of `n` bytes rounded up to whole blocks, for the plaintext of {@link ctsEncryptPadded}, which wipes
 * it. Up to 64 KiB it is one module buffer reused by every call (the crypto layer is synchronous), because
 * allocating a typed array costs more than encrypting a short message.
 */
export function ctsWorkBuffer(n: number): Uint8Array {
  const buf = workArea(Math.ceil(n / AES_BLOCK) * AES_BLOCK);
  buf.fill(0);
  return buf;
}

/** The block a swap moves aside: ciphertext only, never plaintext or key bytes. */
const swap = new Uint8Array(AES_BLOCK);

/**
 * CTS encryption of the first `n` (>= 16) bytes of `padded`, which holds them zero-padded to whole blocks and is
 * consumed and wiped. Zero padding makes CBC's last block E(C[m-2] xor P[m]||0), which is exactly what CTS sends,
 * so one CBC pass and a swap of the last two blocks suffice. `padded` may run on past `n` by whole zero blocks: the
 * cipher output is then long enough for the caller's MAC after the ciphertext, which spares an array and a copy
 * (the result is that output, `n` ciphertext bytes and zeros, as long as `padded`).
 */
export function ctsEncryptPadded(k: AesKey, iv: Uint8Array, padded: Uint8Array, n: number): Uint8Array {
  let c: Uint8Array;
  try {
    c = k.cbcEncrypt(iv, padded);
  } finally {
    padded.fill(0);
  }
  if (n > AES_BLOCK) {
    const lastFull = (Math.ceil(n / AES_BLOCK) - 2) * AES_BLOCK;
    swap.set(c.subarray(lastFull, lastFull + AES_BLOCK));
    c.copyWithin(lastFull, lastFull + AES_BLOCK, lastFull + 2 * AES_BLOCK);
    c.set(swap.subarray(0, n - lastFull - AES_BLOCK), lastFull + AES_BLOCK);
  }
  // Past `n`: the stolen end of C[m-1] and the encryptions of the extra zero blocks, which are not to be sent.
  c.fill(0, n);
  return c;
}

/**
 * CTS decryption of `ct` (>= 16 bytes): the plaintext zero-padded to whole blocks, as a fresh array. The sent
 * stream is C[1..m-2], C[m], C[m-1] cut to the length of P[m]. D(C[m]) is C[m-1] xor P[m]||0, so its trailing bytes
 * restore the stolen end of C[m-1] (a first call decrypts C[m] alone, unless nothing was stolen); one CBC pass over
 * C[1..m-1], C[m], put back in order in the work buffer, then gives P[1..m] and the zero padding in one array.
 */
export function ctsDecryptPadded(k: AesKey, iv: Uint8Array, ct: Uint8Array): Uint8Array {
  const n = ct.length;
  if (n === AES_BLOCK) return k.cbcDecrypt(iv, ct);
  const lastFull = (Math.ceil(n / AES_BLOCK) - 2) * AES_BLOCK;
  const tail = n - lastFull - AES_BLOCK;
  const cm = ct.subarray(lastFull, lastFull + AES_BLOCK);
  // Every byte is written below, and all are ciphertext: no zeroing before, no wiping after.
  const inOrder = workArea(lastFull + 2 * AES_BLOCK);
  inOrder.set(ct.subarray(0, lastFull));
  inOrder.set(ct.subarray(lastFull + AES_BLOCK), lastFull);
  if (tail < AES_BLOCK) inOrder.set(k.cbcDecrypt(ZERO_IV, cm).subarray(tail), lastFull + tail);
  inOrder.set(cm, lastFull + AES_BLOCK);
  return k.cbcDecrypt(iv, inOrder);
}

/** AES-CBC-CTS encryption of `plaintext` (>= 16 bytes) under `key` with initial vector `iv`. */
export function aesCtsEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkArgs(iv, plaintext, 'encrypt');
  const padded = ctsWorkBuffer(plaintext.length);
  padded.set(plaintext);
  return ctsEncryptPadded(backend().aesKey(key), iv, padded, plaintext.length).subarray(0, plaintext.length);
}

/** AES-CBC-CTS decryption of `ciphertext` (>= 16 bytes) under `key` with initial vector `iv`. */
export function aesCtsDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  checkArgs(iv, ciphertext, 'decrypt');
  return ctsDecryptPadded(backend().aesKey(key), iv, ciphertext).subarray(0, ciphertext.length);
}
