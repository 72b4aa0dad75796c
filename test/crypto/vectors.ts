/** Shared helpers for the crypto vector tests: both backends, and the rows tskrb does not implement. */
import { afterAll, beforeAll } from 'vitest';
import { setCryptoBackend } from '../../src/crypto/index.js';

/** Both primitive backends; every vector test runs once per backend. */
export const BACKENDS = ['pure', 'node'] as const;

/** Selects `name` for the tests of the enclosing describe block. */
export function useBackend(name: (typeof BACKENDS)[number]): void {
  beforeAll(() => setCryptoBackend(name));
  afterAll(() => setCryptoBackend('auto'));
}

/** Enctypes present in the published vectors that tskrb deliberately does not implement. */
export const SKIPPED_ENCTYPES: Readonly<Record<number, string>> = {
  16: 'des3-cbc-sha1 (deprecated, RFC 8429)',
  24: 'rc4-hmac-exp (export-grade)',
  25: 'camellia128-cts-cmac (not used by MIT/Samba/AD clients we target)',
  26: 'camellia256-cts-cmac (not used by MIT/Samba/AD clients we target)',
};

/** Checksum types present in the vectors that tskrb does not implement. */
export const SKIPPED_CKSUMTYPES: Readonly<Record<number, string>> = {
  12: 'hmac-sha1-des3-kd (des3)',
  17: 'cmac-camellia128 (camellia)',
  18: 'cmac-camellia256 (camellia)',
  [-137]: 'md5-hmac-arcfour (not used by Kerberos clients; -138 is)',
};

/** Rows whose enctype tskrb implements. */
export function supportedRows<T extends { enctype: number }>(rows: readonly T[]): T[] {
  return rows.filter((r) => !(r.enctype in SKIPPED_ENCTYPES));
}
