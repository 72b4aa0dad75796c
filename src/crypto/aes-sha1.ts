/**
 * aes128-cts-hmac-sha1-96 (17) and aes256-cts-hmac-sha1-96 (18): RFC 3962 on the RFC 3961
 * simplified profile. Ciphertext = AES-CTS(Ke, confounder || plaintext) || HMAC-SHA1(Ki, confounder || plaintext)[0..12).
 */
import { IntegrityError } from '../errors.js';
import { constantTimeEqual, utf8 } from '../util/bytes.js';
import { AES_BLOCK, ctsDecryptPadded, ctsEncryptPadded, ctsWorkBuffer } from './aes-cts.js';
import { type AesKey, backend, type HmacKey } from './backend.js';
import { DeriveTag, S2kIterations } from './constants.js';
import type { CachedKey, Key } from './key.js';
import { preparedAes, preparedHmac } from './prepared.js';
import type { EncProfile } from './profile.js';
import { deriveRandom, foldedUsageConstant } from './rfc3961.js';
import { pbkdf2Iterations } from './s2kparams.js';
import { KeySlot, usageSlot } from './slots.js';

const MAC_SIZE = 12;
const ZERO_IV = new Uint8Array(AES_BLOCK);
const KERBEROS = utf8('kerberos');
const PRF_LABEL = utf8('prf');

/** DK(key, constant) for AES (random-to-key is the identity); `aes` is `key` prepared, when the caller has it. */
export function aesDeriveKey(
  key: Uint8Array,
  constant: Uint8Array,
  aes: AesKey = backend().aesKey(key),
): Uint8Array {
  return deriveRandom((b) => aes.cbcEncrypt(ZERO_IV, b), AES_BLOCK, constant, key.length);
}

function cached(key: Key, usage: number, tag: number): CachedKey {
  return key.cached(usageSlot(usage, tag), () =>
    aesDeriveKey(key.bytes, foldedUsageConstant(usage, tag), preparedAes(key.own())),
  );
}

function ke(key: Key, usage: number): AesKey {
  return preparedAes(cached(key, usage, DeriveTag.Encryption));
}

function macKey(key: Key, usage: number, tag: number): HmacKey {
  return preparedHmac('sha1', cached(key, usage, tag));
}

/** Builds the profile row for one RFC 3962 enctype. */
export function aesSha1Profile(
  etype: number,
  name: string,
  keySize: number,
  checksumType: number,
): EncProfile {
  return {
    etype,
    name,
    keySize,
    seedSize: keySize,
    blockSize: AES_BLOCK,
    confounderSize: AES_BLOCK,
    overhead: AES_BLOCK + MAC_SIZE,
    checksumType,
    prfSize: AES_BLOCK,
    stringToKey(password, salt, params, opts) {
      const iterations = pbkdf2Iterations(name, params, S2kIterations.DefaultAesSha1, opts);
      const tkey = backend().pbkdf2('sha1', password, salt, iterations, keySize);
      return aesDeriveKey(tkey, KERBEROS);
    },
    randomToKey: (seed) => seed.slice(),
    encrypt(key, usage, plaintext, confounder) {
      // confounder || plaintext, zero-padded with room for the MAC after it: MACed first, then consumed by the
      // cipher, whose output then has space for the MAC behind the ciphertext.
      const n = AES_BLOCK + plaintext.length;
      const padded = ctsWorkBuffer(n + MAC_SIZE);
      padded.set(confounder);
      padded.set(plaintext, AES_BLOCK);
      const h = macKey(key, usage, DeriveTag.Integrity).mac(padded.subarray(0, n));
      const out = ctsEncryptPadded(ke(key, usage), ZERO_IV, padded, n);
      out.set(h.subarray(0, MAC_SIZE), n);
      return out.subarray(0, n + MAC_SIZE);
    },
    decrypt(key, usage, ciphertext) {
      if (ciphertext.length < AES_BLOCK + MAC_SIZE)
        throw new IntegrityError(
          `${name} ciphertext too short: ${ciphertext.length} bytes, need at least ${AES_BLOCK + MAC_SIZE}`,
        );
      const n = ciphertext.length - MAC_SIZE;
      // confounder || plaintext in one array, as the MAC covers it; the caller gets the plaintext as a view.
      const plain = ctsDecryptPadded(ke(key, usage), ZERO_IV, ciphertext.subarray(0, n));
      const expected = macKey(key, usage, DeriveTag.Integrity).mac(plain.subarray(0, n));
      if (!constantTimeEqual(expected.subarray(0, MAC_SIZE), ciphertext.subarray(n))) {
        plain.fill(0);
        throw new IntegrityError(
          `${name} decrypt: integrity check failed (wrong key or key usage ${usage}, or tampered)`,
        );
      }
      return plain.subarray(AES_BLOCK, n);
    },
    checksum: (key, usage, data) => macKey(key, usage, DeriveTag.Checksum).mac(data).slice(0, MAC_SIZE),
    prf(key, input) {
      // RFC 3962 6: E(DK(key, "prf"), truncate16(SHA1(input))).
      const kp = key.cached(KeySlot.Prf, () => aesDeriveKey(key.bytes, PRF_LABEL, preparedAes(key.own())));
      const tmp = backend().hash('sha1', input).slice(0, AES_BLOCK);
      return preparedAes(kp).cbcEncrypt(ZERO_IV, tmp);
    },
  };
}
