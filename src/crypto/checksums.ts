/** The checksum table (RFC 3961 4): keyed checksums tied to an enctype, HMAC-MD5 for any key, legacy hashes. */
import { CryptoError } from '../errors.js';
import { constantTimeEqual } from '../util/bytes.js';
import { backend } from './backend.js';
import { ChecksumType, EncType } from './constants.js';
import { enctypeName, enctypeProfile } from './enctypes.js';
import type { Key } from './key.js';
import { md4 } from './md4.js';
import { hmacMd5Checksum } from './rc4-hmac.js';

/** One checksum type. `etype` is the one enctype whose keys it takes, `'any'`, or `null` when unkeyed. */
interface ChecksumProfile {
  readonly name: string;
  readonly size: number;
  readonly etype: number | 'any' | null;
  compute(key: Key, usage: number, data: Uint8Array): Uint8Array;
}

function keyed(etype: number, name: string, size: number): ChecksumProfile {
  return {
    name,
    size,
    etype,
    compute: (key, usage, data) => enctypeProfile(etype).checksum(key, usage, data),
  };
}

const TABLE: ReadonlyMap<number, ChecksumProfile> = new Map<number, ChecksumProfile>([
  [ChecksumType.RSA_MD4, { name: 'rsa-md4', size: 16, etype: null, compute: (_k, _u, d) => md4(d) }],
  [
    ChecksumType.RSA_MD5,
    { name: 'rsa-md5', size: 16, etype: null, compute: (_k, _u, d) => backend().hash('md5', d) },
  ],
  [
    ChecksumType.SHA1,
    { name: 'sha1', size: 20, etype: null, compute: (_k, _u, d) => backend().hash('sha1', d) },
  ],
  [ChecksumType.HMAC_SHA1_96_AES128, keyed(EncType.AES128_CTS_HMAC_SHA1_96, 'hmac-sha1-96-aes128', 12)],
  [ChecksumType.HMAC_SHA1_96_AES256, keyed(EncType.AES256_CTS_HMAC_SHA1_96, 'hmac-sha1-96-aes256', 12)],
  [
    ChecksumType.HMAC_SHA256_128_AES128,
    keyed(EncType.AES128_CTS_HMAC_SHA256_128, 'hmac-sha256-128-aes128', 16),
  ],
  [
    ChecksumType.HMAC_SHA384_192_AES256,
    keyed(EncType.AES256_CTS_HMAC_SHA384_192, 'hmac-sha384-192-aes256', 24),
  ],
  [ChecksumType.HMAC_MD5, { name: 'hmac-md5', size: 16, etype: 'any', compute: hmacMd5Checksum }],
]);

function profileFor(cksumtype: number, key: Key): ChecksumProfile {
  const p = TABLE.get(cksumtype);
  if (p === undefined) throw new CryptoError(`unsupported checksum type ${cksumtype}`);
  if (typeof p.etype === 'number' && p.etype !== key.etype)
    throw new CryptoError(
      `checksum type ${cksumtype} (${p.name}) needs a ${enctypeName(p.etype)} key, got ${enctypeName(key.etype)}`,
    );
  return p;
}

/** Checksum of `data` of type `cksumtype` under `key` and key `usage` (key ignored for unkeyed types). */
export function makeChecksum(cksumtype: number, key: Key, usage: number, data: Uint8Array): Uint8Array {
  return profileFor(cksumtype, key).compute(key, usage, data);
}

/** Whether `checksum` is the right checksum of `data`, compared in constant time. */
export function verifyChecksum(
  cksumtype: number,
  key: Key,
  usage: number,
  data: Uint8Array,
  checksum: Uint8Array,
): boolean {
  return constantTimeEqual(profileFor(cksumtype, key).compute(key, usage, data), checksum);
}

/** The enctype's mandatory keyed checksum type, e.g. 16 for enctype 18. */
export function checksumTypeOf(etype: number): number {
  return enctypeProfile(etype).checksumType;
}

/** The name of `cksumtype`, e.g. `hmac-sha1-96-aes256` (`cksumtype-N` when unknown). */
export function checksumTypeName(cksumtype: number): string {
  return TABLE.get(cksumtype)?.name ?? `cksumtype-${cksumtype}`;
}

/** Length in bytes of a checksum of type `cksumtype`; CryptoError when unsupported. */
export function checksumSize(cksumtype: number): number {
  const p = TABLE.get(cksumtype);
  if (p === undefined) throw new CryptoError(`unsupported checksum type ${cksumtype}`);
  return p.size;
}
