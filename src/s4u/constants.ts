/** Numbers and strings of MS-SFU that the S4U layer names. */

/** The auth-package of PA-FOR-USER: MS-SFU 2.2.1 says it MUST be "Kerberos". */
export const AUTH_PACKAGE = 'Kerberos';

/**
 * Enctypes MS-SFU 2.2.2 and RFC 4121 call "not newer": for them the KDC also returns the request and reply
 * checksums in encrypted-pa-data, and the checksum of PA-S4U-X509-USER is unkeyed rsa-md4.
 */
export const NOT_NEWER_ENCTYPES: ReadonlySet<number> = new Set([1, 2, 3, 16, 6, 23, 24]);

/** The two S4U exchanges. */
export type S4uStep = 'S4U2Self' | 'S4U2Proxy';
