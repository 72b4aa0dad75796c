/**
 * Unkeyed digests and HMAC through the active backend, for protocols built above RFC 3961: GSS-API channel
 * bindings (RFC 4121 4.1.1.2), RFC 5929 tls-server-end-point, and the RFC 4757 GSS token keys.
 */
import { backend, type HashName } from './backend.js';

export type { HashName } from './backend.js';

/** Digest of `data` with `alg`. */
export function digest(alg: HashName, data: Uint8Array): Uint8Array {
  return backend().hash(alg, data);
}

/** HMAC-`alg` of `data` under the raw `key` bytes. */
export function hmac(alg: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  return backend().hmac(alg, key, data);
}
