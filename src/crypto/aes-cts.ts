/**
 * AES in CBC mode with ciphertext stealing (RFC 3962 5, the CBC-CS3 variant): the last two blocks
 * are swapped and the final one is truncated, so the output has the length of the input.
 * Inputs must be at least one block; exactly one block is plain AES.
 */
import { CryptoError } from '../errors.js';
import { type AesKey, backend } from './backend.js';

/** The AES block size in bytes. */
export const AES_BLOCK = 16;

function checkArgs(iv: Uint8Array, data: Uint8Array, what: string): void {
  if (iv.length !== AES_BLOCK)
    throw new CryptoError(`AES-CTS ${what}: IV must be 16 bytes, got ${iv.length}`);
  if (data.length < AES_BLOCK)
    throw new CryptoError(`AES-CTS ${what}: input must be at least 16 bytes, got ${data.length}`);
}

const WORK_MAX = 65536;
let work = new Uint8Array(1024);

/**
 * A zeroed buffer of `n` bytes rounded up to whole blocks, for the plaintext of {@link ctsEncryptInto}, which wipes
 * it. Up to 64 KiB it is one module buffer reused by every call (the crypto layer is synchronous), because
 * allocating a typed array costs more than encrypting a short message.
 */
export function ctsWorkBuffer(n: number): Uint8Array {
  const len = Math.ceil(n / AES_BLOCK) * AES_BLOCK;
  if (len > WORK_MAX) return new Uint8Array(len);
  if (work.length < len) work = new Uint8Array(Math.min(WORK_MAX, Math.max(len, 2 * work.length)));
  const buf = work.subarray(0, len);
  buf.fill(0);
  return buf;
}

/**
 * CTS encryption of the first `n` (>= 16) bytes of `padded`, which holds them zero-padded to whole blocks and is
 * consumed and wiped, written to `out` at `at`. Zero padding makes CBC's last block E(C[m-2] xor P[m]||0), which
 * is exactly what CTS sends, so one CBC pass and a swap suffice.
 */
export function ctsEncryptInto(
  k: AesKey,
  iv: Uint8Array,
  padded: Uint8Array,
  n: number,
  out: Uint8Array,
  at: number,
): void {
  let c: Uint8Array;
  try {
    c = k.cbcEncrypt(iv, padded);
  } finally {
    padded.fill(0);
  }
  if (c.length === AES_BLOCK) {
    out.set(c, at);
    return;
  }
  const lastFull = c.length - 2 * AES_BLOCK;
  out.set(c.subarray(0, lastFull), at);
  out.set(c.subarray(lastFull + AES_BLOCK), at + lastFull);
  out.set(c.subarray(lastFull, n - AES_BLOCK), at + lastFull + AES_BLOCK);
}

/** A CTS plaintext split after its first block (the confounder, for Kerberos): `rest` is a fresh array. */
export interface CtsPlaintext {
  first: Uint8Array;
  rest: Uint8Array;
}

/**
 * CTS decryption of `ct` (>= 16 bytes) in two CBC calls and no copy of the input. The sent block at `lastFull`
 * is CBC's final block: decrypting C[1..m-2] and it in one pass gives P[1..m-2] and D(that block), which is
 * C[m-1] xor P[m]||0; its trailing bytes restore the stolen end of C[m-1], which the second call decrypts.
 */
export function ctsDecryptSplit(k: AesKey, iv: Uint8Array, ct: Uint8Array): CtsPlaintext {
  const n = ct.length;
  if (n === AES_BLOCK) return { first: k.cbcDecrypt(iv, ct), rest: new Uint8Array(0) };
  const lastFull = (Math.ceil(n / AES_BLOCK) - 2) * AES_BLOCK;
  const tail = n - lastFull - AES_BLOCK;
  const o1 = k.cbcDecrypt(iv, ct.subarray(0, lastFull + AES_BLOCK));
  const prev = lastFull === 0 ? iv : ct.subarray(lastFull - AES_BLOCK, lastFull);
  const rest = new Uint8Array(n - AES_BLOCK);
  const cm1 = new Uint8Array(AES_BLOCK);
  for (let j = 0; j < AES_BLOCK; j++) {
    const d = o1[lastFull + j]! ^ prev[j]!;
    if (j < tail) {
      const c = ct[lastFull + AES_BLOCK + j]!;
      cm1[j] = c;
      rest[lastFull + j] = d ^ c;
    } else cm1[j] = d;
  }
  const pm1 = k.cbcDecrypt(prev, cm1);
  if (lastFull === 0) return { first: pm1, rest };
  rest.set(o1.subarray(AES_BLOCK, lastFull));
  rest.set(pm1, lastFull - AES_BLOCK);
  return { first: o1.subarray(0, AES_BLOCK), rest };
}

/** AES-CBC-CTS encryption of `plaintext` (>= 16 bytes) under `key` with initial vector `iv`. */
export function aesCtsEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkArgs(iv, plaintext, 'encrypt');
  const n = plaintext.length;
  const padded = new Uint8Array(Math.ceil(n / AES_BLOCK) * AES_BLOCK);
  padded.set(plaintext);
  const out = new Uint8Array(n);
  ctsEncryptInto(backend().aesKey(key), iv, padded, n, out, 0);
  return out;
}

/** AES-CBC-CTS decryption of `ciphertext` (>= 16 bytes) under `key` with initial vector `iv`. */
export function aesCtsDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  checkArgs(iv, ciphertext, 'decrypt');
  const { first, rest } = ctsDecryptSplit(backend().aesKey(key), iv, ciphertext);
  const out = new Uint8Array(ciphertext.length);
  out.set(first);
  out.set(rest, AES_BLOCK);
  return out;
}
