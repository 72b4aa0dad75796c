/** The RFC 3961 operations on a Key, dispatched through the enctype table. */
import { CryptoError } from '../errors.js';
import { utf8 } from '../util/bytes.js';
import { defaultRandom, type RandomSource } from '../util/env.js';
import { confounder as drawConfounder } from './confounder.js';
import { enctypeProfile } from './enctypes.js';
import { Key } from './key.js';
import type { StringToKeyOptions } from './profile.js';

function bytesOf(v: string | Uint8Array): Uint8Array {
  return typeof v === 'string' ? utf8(v) : v;
}

function checkUsage(usage: number): void {
  if (!Number.isInteger(usage) || usage < 0 || usage > 0xffffffff)
    throw new CryptoError(`key usage must be an integer in 0..2^32-1, got ${usage}`);
}

/**
 * Key from a password and salt (RFC 3961 3 string-to-key). `params` is the s2kparams from
 * ETYPE-INFO2 (4-byte iteration count for AES). Counts below the enctype default are refused
 * unless `opts.allowWeak`; 0 and counts >= 2^24 are always refused.
 */
export function stringToKey(
  etype: number,
  password: string | Uint8Array,
  salt: string | Uint8Array,
  params?: Uint8Array,
  opts: StringToKeyOptions = {},
): Key {
  const p = enctypeProfile(etype);
  return new Key(etype, p.stringToKey(bytesOf(password), bytesOf(salt), params, opts));
}

/** Key from exactly `seedSize` random bytes (RFC 3961 3 random-to-key). */
export function randomToKey(etype: number, random: Uint8Array): Key {
  const p = enctypeProfile(etype);
  if (random.length !== p.seedSize)
    throw new CryptoError(`${p.name} random-to-key needs ${p.seedSize} bytes, got ${random.length}`);
  return new Key(etype, p.randomToKey(random));
}

/** A fresh random key of `etype` (session keys, subkeys). */
export function generateKey(etype: number, random: RandomSource = defaultRandom): Key {
  return randomToKey(etype, random(enctypeProfile(etype).seedSize));
}

/**
 * Encrypts `plaintext` under `key` for key `usage`; `opts.confounder` fixes the confounder (tests), `opts.random`
 * draws it; without either it comes from a pool of CSPRNG bytes (confounder.ts).
 */
export function encrypt(
  key: Key,
  usage: number,
  plaintext: Uint8Array,
  opts: { confounder?: Uint8Array | undefined; random?: RandomSource | undefined } = {},
): Uint8Array {
  checkUsage(usage);
  const p = enctypeProfile(key.etype);
  const confounder = opts.confounder ?? drawConfounder(p.confounderSize, opts.random);
  if (confounder.length !== p.confounderSize)
    throw new CryptoError(`${p.name} confounder must be ${p.confounderSize} bytes, got ${confounder.length}`);
  return p.encrypt(key, usage, plaintext, confounder);
}

/** Decrypts and verifies `ciphertext`; IntegrityError when the MAC fails or the ciphertext is malformed. */
export function decrypt(key: Key, usage: number, ciphertext: Uint8Array): Uint8Array {
  checkUsage(usage);
  return enctypeProfile(key.etype).decrypt(key, usage, ciphertext);
}

/** The enctype's pseudo-random function of `input` (RFC 3961 3; RFC 3962 6; RFC 8009 5; HMAC-SHA1 for rc4). */
export function prf(key: Key, input: Uint8Array): Uint8Array {
  return enctypeProfile(key.etype).prf(key, input);
}

/** The default salt for a principal (RFC 4120 4): realm followed by each name component, UTF-8. */
export function defaultSalt(realm: string, nameStrings: string[]): Uint8Array {
  return utf8(realm + nameStrings.join(''));
}

/** Length of the ciphertext `encrypt` produces for `plaintextLength` bytes under `etype`. */
export function ciphertextLength(etype: number, plaintextLength: number): number {
  return plaintextLength + enctypeProfile(etype).overhead;
}
