/**
 * Swappable primitives under the Kerberos crypto: AES-CBC (no padding), hashes, HMAC, PBKDF2.
 * The pure backend (@noble) works everywhere; the node backend uses `node:crypto` when the
 * runtime has it, loaded lazily so that nothing here imports a `node:` module.
 */
import { CryptoError } from '../errors.js';
import { nobleBackend } from './backend-noble.js';
import { loadNodeBackend } from './backend-node.js';

/** Hash functions the Kerberos profiles use. */
export type HashName = 'sha1' | 'sha256' | 'sha384' | 'md5';

/** The primitive operations a backend provides; all are pure functions of their inputs. */
export interface CryptoBackend {
  /** `'noble'` or `'node'`. */
  readonly name: string;
  /** AES-CBC encryption without padding; `data.length` is a multiple of 16. */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  /** AES-CBC decryption without padding; `data.length` is a multiple of 16. */
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array;
  /** Digest of `data`. */
  hash(alg: HashName, data: Uint8Array): Uint8Array;
  /** HMAC of `data` under `key`. */
  hmac(alg: HashName, key: Uint8Array, data: Uint8Array): Uint8Array;
  /** PBKDF2 with HMAC-`alg` (RFC 8018 5.2). */
  pbkdf2(
    alg: HashName,
    password: Uint8Array,
    salt: Uint8Array,
    iterations: number,
    dkLen: number,
  ): Uint8Array;
}

/** Names accepted by {@link setCryptoBackend}. */
export type BackendChoice = 'noble' | 'node' | 'auto';

function pick(choice: BackendChoice): CryptoBackend {
  if (choice === 'noble') return nobleBackend;
  const node = loadNodeBackend();
  if (node) return node;
  if (choice === 'node')
    throw new CryptoError('crypto backend "node" requested but node:crypto is not available');
  return nobleBackend;
}

function initialChoice(): BackendChoice {
  const env = globalThis.process?.env?.['TSKRB_CRYPTO_BACKEND'];
  if (env === undefined || env === '') return 'auto';
  if (env === 'noble' || env === 'node' || env === 'auto') return env;
  throw new CryptoError(`TSKRB_CRYPTO_BACKEND must be noble, node or auto, not "${env}"`);
}

let active: CryptoBackend = pick(initialChoice());

/** Selects the primitive backend: `'noble'` (pure JS), `'node'` (node:crypto) or `'auto'` (node where present). */
export function setCryptoBackend(name: BackendChoice): void {
  if (name !== 'noble' && name !== 'node' && name !== 'auto')
    throw new CryptoError(`unknown crypto backend "${String(name)}" (expected noble, node or auto)`);
  active = pick(name);
}

/** Name of the backend in use: `'noble'` or `'node'`. */
export function cryptoBackendName(): string {
  return active.name;
}

/** The backend in use (internal to the crypto layer). */
export function backend(): CryptoBackend {
  return active;
}
