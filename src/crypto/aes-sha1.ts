/**
 * aes128-cts-hmac-sha1-96 (17) and aes256-cts-hmac-sha1-96 (18): RFC 3962 on the RFC 3961
 * simplified profile. Ciphertext = AES-CTS(Ke, confounder || plaintext) || HMAC-SHA1(Ki, confounder || plaintext)[0..12).
 */
import { IntegrityError } from '../errors.js';
import { concat, constantTimeEqual, utf8 } from '../util/bytes.js';
import { AES_BLOCK, aesCtsDecrypt, aesCtsEncrypt } from './aes-cts.js';
import { backend } from './backend.js';
import { DeriveTag, S2kIterations } from './constants.js';
import type { Key } from './key.js';
import type { EncProfile } from './profile.js';
import { deriveRandom, usageConstant } from './rfc3961.js';
import { pbkdf2Iterations } from './s2kparams.js';
import { KeySlot, usageSlot } from './slots.js';

const MAC_SIZE = 12;
const ZERO_IV = new Uint8Array(AES_BLOCK);
const KERBEROS = utf8('kerberos');
const PRF_LABEL = utf8('prf');

/** DK(key, constant) for AES (random-to-key is the identity). */
export function aesDeriveKey(key: Uint8Array, constant: Uint8Array): Uint8Array {
  const be = backend();
  return deriveRandom((b) => be.aesCbcEncrypt(key, ZERO_IV, b), AES_BLOCK, constant, key.length);
}

function derivedKey(key: Key, usage: number, tag: number): Uint8Array {
  return key.derived(usageSlot(usage, tag), () => aesDeriveKey(key.bytes, usageConstant(usage, tag)));
}

function mac(ki: Uint8Array, data: Uint8Array): Uint8Array {
  return backend().hmac('sha1', ki, data).subarray(0, MAC_SIZE);
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
      const data = concat(confounder, plaintext);
      const c = aesCtsEncrypt(derivedKey(key, usage, DeriveTag.Encryption), ZERO_IV, data);
      return concat(c, mac(derivedKey(key, usage, DeriveTag.Integrity), data));
    },
    decrypt(key, usage, ciphertext) {
      if (ciphertext.length < AES_BLOCK + MAC_SIZE)
        throw new IntegrityError(
          `${name} ciphertext too short: ${ciphertext.length} bytes, need at least ${AES_BLOCK + MAC_SIZE}`,
        );
      const body = ciphertext.subarray(0, ciphertext.length - MAC_SIZE);
      const data = aesCtsDecrypt(derivedKey(key, usage, DeriveTag.Encryption), ZERO_IV, body);
      const expected = mac(derivedKey(key, usage, DeriveTag.Integrity), data);
      if (!constantTimeEqual(expected, ciphertext.subarray(body.length)))
        throw new IntegrityError(
          `${name} decrypt: integrity check failed (wrong key or key usage ${usage}, or tampered)`,
        );
      return data.slice(AES_BLOCK);
    },
    checksum: (key, usage, data) => mac(derivedKey(key, usage, DeriveTag.Checksum), data),
    prf(key, input) {
      // RFC 3962 6: E(DK(key, "prf"), truncate16(SHA1(input))).
      const kp = key.derived(KeySlot.Prf, () => aesDeriveKey(key.bytes, PRF_LABEL));
      const tmp = backend().hash('sha1', input).subarray(0, AES_BLOCK);
      return backend().aesCbcEncrypt(kp, ZERO_IV, tmp);
    },
  };
}
