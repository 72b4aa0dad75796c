/** Pure-JS backend on @noble/ciphers and @noble/hashes: runs in every JavaScript runtime. */
import { cbc } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import type { CryptoBackend, HashName } from './backend.js';

const HASHES = { sha1, sha256, sha384, md5 } as const;

function hashOf(alg: HashName) {
  return HASHES[alg];
}

/** The @noble backend. */
export const nobleBackend: CryptoBackend = {
  name: 'noble',
  aesCbcEncrypt: (key, iv, data) => cbc(key, iv, { disablePadding: true }).encrypt(data),
  aesCbcDecrypt: (key, iv, data) => cbc(key, iv, { disablePadding: true }).decrypt(data),
  hash: (alg, data) => hashOf(alg)(data),
  hmac: (alg, key, data) => hmac(hashOf(alg), key, data),
  pbkdf2: (alg, password, salt, iterations, dkLen) =>
    pbkdf2(hashOf(alg), password, salt, { c: iterations, dkLen }),
};
