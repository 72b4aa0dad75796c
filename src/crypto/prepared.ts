/**
 * Backend-prepared forms (OpenSSL contexts or AES key schedules, keyed HMAC states) of the keys a Key caches,
 * kept in the Key beside the bytes and rebuilt when the backend is switched. Only for keys that never change.
 */
import { type AesKey, backend, type HashName, type HmacKey } from './backend.js';
import type { CachedKey } from './key.js';

function forActiveBackend(k: CachedKey): void {
  const be = backend();
  if (k.backend === be) return;
  k.backend = be;
  k.aes = undefined;
  k.mac = undefined;
  k.macAlg = undefined;
}

/** `k` prepared for AES-CBC on the active backend, built on first use. */
export function preparedAes(k: CachedKey): AesKey {
  forActiveBackend(k);
  k.aes ??= backend().aesKey(k.bytes);
  return k.aes;
}

/** `k` prepared for HMAC-`alg` on the active backend, built on first use. */
export function preparedHmac(alg: HashName, k: CachedKey): HmacKey {
  forActiveBackend(k);
  if (k.mac === undefined || k.macAlg !== alg) {
    k.mac = backend().hmacKey(alg, k.bytes);
    k.macAlg = alg;
  }
  return k.mac;
}
