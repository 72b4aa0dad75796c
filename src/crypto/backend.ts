/**
 * Swappable primitives under the Kerberos crypto: AES-CBC (no padding), hashes, HMAC, PBKDF2.
 * The pure backend (tskrb's own AES, MD5, SHA and HMAC; @noble/hashes for SHA-512) works everywhere; the node
 * backend uses `node:crypto` when the runtime has it, loaded lazily so that nothing here imports a `node:` module.
 */
import { CryptoError } from '../errors.js';
import { loadNodeBackend } from './backend-node.js';
import { pureBackend } from './backend-pure.js';

/** Hash functions the Kerberos profiles use. */
export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'md5';

/**
 * An AES key prepared once for many CBC calls: the expanded key schedule (pure) or live OpenSSL cipher contexts
 * (node). Built for keys that do not change, such as a Key's cached derived keys.
 */
export interface AesKey {
  /**
   * AES-CBC encryption without padding of `scratch` (a multiple of 16 bytes, at least one block) with `iv`.
   * `scratch` is consumed: the backend may overwrite it. The result is a fresh array the caller owns and may
   * write to (the CTS layer swaps blocks and puts the MAC in it).
   */
  cbcEncrypt(iv: Uint8Array, scratch: Uint8Array): Uint8Array;
  /**
   * AES-CBC decryption without padding of `data` (whole 16-byte blocks, at least one); `data` is left as is.
   * The result is a fresh array the caller owns (the CTS layer returns views of it as plaintext).
   */
  cbcDecrypt(iv: Uint8Array, data: Uint8Array): Uint8Array;
}

/** An HMAC key prepared once for many messages (key pads absorbed, or a native key object). */
export interface HmacKey {
  /** HMAC of `a || b` (`b` optional), full length, as a fresh array. */
  mac(a: Uint8Array, b?: Uint8Array): Uint8Array;
}

/** The primitive operations a backend provides; all are pure functions of their inputs. */
export interface CryptoBackend {
  /** `'pure'` or `'node'`. */
  readonly name: string;
  /** `key` (16 or 32 bytes) prepared for AES-CBC; the result keeps its own copy of the key. */
  aesKey(key: Uint8Array): AesKey;
  /** `key` prepared for HMAC-`alg`; the result keeps its own copy of the key. */
  hmacKey(alg: HashName, key: Uint8Array): HmacKey;
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

/**
 * Names accepted by {@link setCryptoBackend}. `'noble'` is the pure backend's former name (when it ran on @noble's
 * AES and SHA), still accepted.
 */
export type BackendChoice = 'pure' | 'node' | 'auto' | 'noble';

const CHOICES: readonly string[] = ['pure', 'node', 'auto', 'noble'];

function pick(choice: BackendChoice): CryptoBackend {
  if (choice === 'pure' || choice === 'noble') return pureBackend;
  const node = loadNodeBackend();
  if (node) return node;
  if (choice === 'node')
    throw new CryptoError('crypto backend "node" requested but node:crypto is not available');
  return pureBackend;
}

function isChoice(name: unknown): name is BackendChoice {
  return typeof name === 'string' && CHOICES.includes(name);
}

function initialChoice(): BackendChoice {
  const env = globalThis.process?.env?.['TSKRB_CRYPTO_BACKEND'];
  if (env === undefined || env === '') return 'auto';
  if (isChoice(env)) return env;
  throw new CryptoError(`TSKRB_CRYPTO_BACKEND must be pure, node or auto, not "${env}"`);
}

let active: CryptoBackend = pick(initialChoice());

/** Selects the primitive backend: `'pure'` (JavaScript only), `'node'` (node:crypto) or `'auto'` (node where present). */
export function setCryptoBackend(name: BackendChoice): void {
  if (!isChoice(name))
    throw new CryptoError(`unknown crypto backend "${String(name)}" (expected pure, node or auto)`);
  active = pick(name);
}

/** Name of the backend in use: `'pure'` or `'node'`. */
export function cryptoBackendName(): string {
  return active.name;
}

/** The backend in use (internal to the crypto layer). */
export function backend(): CryptoBackend {
  return active;
}
