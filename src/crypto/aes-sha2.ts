/**
 * aes128-cts-hmac-sha256-128 (19) and aes256-cts-hmac-sha384-192 (20): RFC 8009.
 * Ciphertext = C || HMAC(Ki, IV || C)[0..h) with C = AES-CTS(Ke, confounder || plaintext), IV = 0 (encrypt-then-MAC).
 */
import { IntegrityError } from '../errors.js';
import { concat, constantTimeEqual, utf8 } from '../util/bytes.js';
import { boundedMemo } from '../util/memo.js';
import { AES_BLOCK, ctsDecryptPadded, ctsEncryptPadded, ctsWorkBuffer } from './aes-cts.js';
import { backend, type HashName, type HmacKey } from './backend.js';
import { DeriveTag, S2kIterations } from './constants.js';
import type { Key } from './key.js';
import { preparedAes, preparedHmac } from './prepared.js';
import type { EncProfile } from './profile.js';
import { usageConstant } from './rfc3961.js';
import { pbkdf2Iterations } from './s2kparams.js';
import { usageSlot } from './slots.js';

const ZERO_IV = new Uint8Array(AES_BLOCK);
const KERBEROS = utf8('kerberos');
const PRF_LABEL = utf8('prf');
const EMPTY = new Uint8Array(0);

/**
 * KDF-HMAC-SHA2(key, label, context, k) of RFC 8009 3: one HMAC round, truncated to `bits`.
 * `mac` is `key` prepared, when the caller has it.
 */
export function kdfHmacSha2(
  hash: HashName,
  key: Uint8Array,
  label: Uint8Array,
  context: Uint8Array,
  bits: number,
  mac: HmacKey = backend().hmacKey(hash, key),
): Uint8Array {
  return kdfRound(mac, kdfInput(label, context, bits), bits);
}

/** The message KDF-HMAC-SHA2 MACs: i = 1 (32 bits) || label || 0x00 || context || k (32 bits). */
function kdfInput(label: Uint8Array, context: Uint8Array, bits: number): Uint8Array {
  const msg = new Uint8Array(4 + label.length + 1 + context.length + 4);
  const view = new DataView(msg.buffer);
  view.setUint32(0, 1, false);
  msg.set(label, 4);
  msg.set(context, 5 + label.length);
  view.setUint32(msg.length - 4, bits, false);
  return msg;
}

/** The KDF's one HMAC round over `input`, truncated to `bits`. */
function kdfRound(mac: HmacKey, input: Uint8Array, bits: number): Uint8Array {
  const out = mac.mac(input);
  // The MAC is a fresh array: when all of it is wanted it is the result, without a copy.
  return out.length === bits / 8 ? out : out.slice(0, bits / 8);
}

/** Parameters of one RFC 8009 enctype. */
export interface AesSha2Params {
  /** Enctype number. */
  etype: number;
  /** Enctype name, also the PBKDF2 salt prefix. */
  name: string;
  /** AES key length in bytes. */
  keySize: number;
  /** The HMAC hash. */
  hash: 'sha256' | 'sha384';
  /** Truncated MAC (and Kc/Ki) length in bytes. */
  macSize: number;
  /** The matching checksum type. */
  checksumType: number;
}

/** Builds the profile row for one RFC 8009 enctype. */
export function aesSha2Profile(p: AesSha2Params): EncProfile {
  const { name, keySize, hash, macSize } = p;
  const bitsOf = (tag: number) => (tag === DeriveTag.Encryption ? keySize : macSize) * 8;
  // KDF inputs by cache slot (they depend on the usage alone): building the two a fresh key's first decrypt needs
  // (Ke, Ki) took 8% of it (profile of cold:19). Shared: not to be modified.
  const inputOf = boundedMemo(1024, (slot: number) => {
    const usage = Math.floor(slot / 256);
    const tag = slot % 256;
    return kdfInput(usageConstant(usage, tag), EMPTY, bitsOf(tag));
  });
  const derive = (key: Key, usage: number, tag: number) =>
    kdfRound(preparedHmac(hash, key.own()), inputOf(usageSlot(usage, tag)), bitsOf(tag));
  const cached = (key: Key, usage: number, tag: number) =>
    key.cached(usageSlot(usage, tag), () => derive(key, usage, tag));
  const ke = (key: Key, usage: number) => preparedAes(cached(key, usage, DeriveTag.Encryption));
  const macKey = (key: Key, usage: number, tag: number) => preparedHmac(hash, cached(key, usage, tag));
  const saltPrefix = concat(utf8(name), new Uint8Array(1));
  return {
    etype: p.etype,
    name,
    keySize,
    seedSize: keySize,
    blockSize: AES_BLOCK,
    confounderSize: AES_BLOCK,
    overhead: AES_BLOCK + macSize,
    checksumType: p.checksumType,
    prfSize: hash === 'sha256' ? 32 : 48,
    stringToKey(password, salt, params, opts) {
      const iterations = pbkdf2Iterations(name, params, S2kIterations.DefaultAesSha2, opts);
      const tkey = backend().pbkdf2(hash, password, concat(saltPrefix, salt), iterations, keySize);
      return kdfHmacSha2(hash, tkey, KERBEROS, EMPTY, keySize * 8);
    },
    randomToKey: (seed) => seed.slice(),
    encrypt(key, usage, plaintext, confounder) {
      // confounder || plaintext, zero-padded with room for the MAC, which then follows the ciphertext in one array.
      const n = AES_BLOCK + plaintext.length;
      const padded = ctsWorkBuffer(n + macSize);
      padded.set(confounder);
      padded.set(plaintext, AES_BLOCK);
      const out = ctsEncryptPadded(ke(key, usage), ZERO_IV, padded, n);
      const h = macKey(key, usage, DeriveTag.Integrity).mac(ZERO_IV, out.subarray(0, n));
      out.set(h.subarray(0, macSize), n);
      return out.subarray(0, n + macSize);
    },
    decrypt(key, usage, ciphertext) {
      if (ciphertext.length < AES_BLOCK + macSize)
        throw new IntegrityError(
          `${name} ciphertext too short: ${ciphertext.length} bytes, need at least ${AES_BLOCK + macSize}`,
        );
      const n = ciphertext.length - macSize;
      const c = ciphertext.subarray(0, n);
      const expected = macKey(key, usage, DeriveTag.Integrity).mac(ZERO_IV, c);
      if (!constantTimeEqual(expected.subarray(0, macSize), ciphertext.subarray(n)))
        throw new IntegrityError(
          `${name} decrypt: integrity check failed (wrong key or key usage ${usage}, or tampered)`,
        );
      return ctsDecryptPadded(ke(key, usage), ZERO_IV, c).subarray(AES_BLOCK, n);
    },
    checksum: (key, usage, data) => macKey(key, usage, DeriveTag.Checksum).mac(data).slice(0, macSize),
    prf(key, input) {
      // RFC 8009 5: KDF-HMAC-SHA2(key, "prf", input, 256 | 384); the key is the base key itself.
      const bits = (hash === 'sha256' ? 32 : 48) * 8;
      return kdfHmacSha2(hash, key.bytes, PRF_LABEL, input, bits, preparedHmac(hash, key.own()));
    },
  };
}
