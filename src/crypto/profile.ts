/** The shape of one enctype row (RFC 3961 3: the parts every encryption mechanism must define). */
import type { Key } from './key.js';

/** Options for string-to-key. */
export interface StringToKeyOptions {
  /** Accept PBKDF2 iteration counts below the enctype's default (MIT `allow_weak_crypto`-style policy). */
  allowWeak?: boolean | undefined;
}

/** One encryption type: sizes, key generation, encryption, checksum and PRF. */
export interface EncProfile {
  /** IANA enctype number. */
  readonly etype: number;
  /** Name as in krb5.conf, e.g. `aes256-cts-hmac-sha1-96`. */
  readonly name: string;
  /** Protocol key length in bytes. */
  readonly keySize: number;
  /** Length in bytes of the random-to-key input (key-generation seed). */
  readonly seedSize: number;
  /** Cipher block size in bytes (derivation and PRF granularity). */
  readonly blockSize: number;
  /** Confounder length in bytes. */
  readonly confounderSize: number;
  /** Bytes an encryption adds to the plaintext (confounder + MAC). */
  readonly overhead: number;
  /** The enctype's mandatory keyed checksum type (RFC 3961 3 `required checksum mechanism`). */
  readonly checksumType: number;
  /** Output length of {@link EncProfile.prf} in bytes. */
  readonly prfSize: number;
  /** Protocol key bytes from a password, salt and optional s2kparams. */
  stringToKey(
    password: Uint8Array,
    salt: Uint8Array,
    params: Uint8Array | undefined,
    opts: StringToKeyOptions,
  ): Uint8Array;
  /** Protocol key bytes from `seedSize` random bytes. */
  randomToKey(seed: Uint8Array): Uint8Array;
  /** Encryption of `plaintext` with a given confounder. */
  encrypt(key: Key, usage: number, plaintext: Uint8Array, confounder: Uint8Array): Uint8Array;
  /** Decryption; throws IntegrityError on a bad MAC or a malformed ciphertext. */
  decrypt(key: Key, usage: number, ciphertext: Uint8Array): Uint8Array;
  /** The enctype's own keyed checksum (get_mic) for `checksumType`. */
  checksum(key: Key, usage: number, data: Uint8Array): Uint8Array;
  /** Pseudo-random function (RFC 3961 3 `pseudo-random`). */
  prf(key: Key, input: Uint8Array): Uint8Array;
}
