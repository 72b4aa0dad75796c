/** The enctype table: one row per supported encryption type (DESIGN.md: "Enctypes are a table"). */
import { CryptoError } from '../errors.js';
import { aesSha1Profile } from './aes-sha1.js';
import { aesSha2Profile } from './aes-sha2.js';
import { ChecksumType, EncType } from './constants.js';
import type { EncProfile } from './profile.js';
import { rc4HmacProfile } from './rc4-hmac.js';

const ROWS: readonly EncProfile[] = [
  aesSha1Profile(
    EncType.AES128_CTS_HMAC_SHA1_96,
    'aes128-cts-hmac-sha1-96',
    16,
    ChecksumType.HMAC_SHA1_96_AES128,
  ),
  aesSha1Profile(
    EncType.AES256_CTS_HMAC_SHA1_96,
    'aes256-cts-hmac-sha1-96',
    32,
    ChecksumType.HMAC_SHA1_96_AES256,
  ),
  aesSha2Profile({
    etype: EncType.AES128_CTS_HMAC_SHA256_128,
    name: 'aes128-cts-hmac-sha256-128',
    keySize: 16,
    hash: 'sha256',
    macSize: 16,
    checksumType: ChecksumType.HMAC_SHA256_128_AES128,
  }),
  aesSha2Profile({
    etype: EncType.AES256_CTS_HMAC_SHA384_192,
    name: 'aes256-cts-hmac-sha384-192',
    keySize: 32,
    hash: 'sha384',
    macSize: 24,
    checksumType: ChecksumType.HMAC_SHA384_192_AES256,
  }),
  rc4HmacProfile,
];

const TABLE: ReadonlyMap<number, EncProfile> = new Map(ROWS.map((r) => [r.etype, r]));

/** Names of enctypes tskrb knows about but does not implement, for clearer errors. */
const UNSUPPORTED_NAMES: Readonly<Record<number, string>> = {
  1: 'des-cbc-crc',
  3: 'des-cbc-md5',
  16: 'des3-cbc-sha1',
  24: 'rc4-hmac-exp',
  25: 'camellia128-cts-cmac',
  26: 'camellia256-cts-cmac',
};

/** The profile row of `etype`; CryptoError when tskrb does not implement it. */
export function enctypeProfile(etype: number): EncProfile {
  const p = TABLE.get(etype);
  if (p === undefined) {
    const known = UNSUPPORTED_NAMES[etype];
    throw new CryptoError(`unsupported enctype ${etype}${known ? ` (${known})` : ''}`, {
      hint: `supported enctypes: ${ROWS.map((r) => `${r.etype} ${r.name}`).join(', ')}`,
    });
  }
  return p;
}

/** Whether tskrb implements `etype`. */
export function isSupportedEnctype(etype: number): boolean {
  return TABLE.has(etype);
}

/** The krb5 name of `etype`, e.g. `aes256-cts-hmac-sha1-96` (`enctype-N` when unknown). */
export function enctypeName(etype: number): string {
  return TABLE.get(etype)?.name ?? UNSUPPORTED_NAMES[etype] ?? `enctype-${etype}`;
}

/** The supported enctype numbers, strongest first (a sensible default request order). */
export function supportedEnctypes(): number[] {
  return [
    EncType.AES256_CTS_HMAC_SHA384_192,
    EncType.AES128_CTS_HMAC_SHA256_128,
    EncType.AES256_CTS_HMAC_SHA1_96,
    EncType.AES128_CTS_HMAC_SHA1_96,
    EncType.RC4_HMAC,
  ];
}
