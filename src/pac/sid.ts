/**
 * Security identifiers (MS-DTYP 2.4.2): binary form, string form, and names of well-known SIDs
 * (MS-DTYP 2.4.2.4) and of the well-known relative IDs of an Active Directory domain.
 */
import { PacDecodeError } from '../errors.js';

/** The only SID revision. */
export const SID_REVISION = 1;
/** SID_MAX_SUB_AUTHORITIES (MS-DTYP 2.4.2). */
export const SID_MAX_SUB_AUTHORITIES = 15;
/** Revision, SubAuthorityCount and the 6-byte IdentifierAuthority. */
const SID_HEADER_LENGTH = 8;
const SUB_AUTHORITY_LENGTH = 4;
const AUTHORITY_BYTES = 6;
/** Authorities at or above 2^32 are written in hex (MS-DTYP 2.4.2.1). */
const DECIMAL_AUTHORITY_LIMIT = 2 ** 32;

/** Names of SIDs that mean the same in every domain. */
export const WELL_KNOWN_SIDS: Readonly<Record<string, string>> = {
  'S-1-0-0': 'Nobody',
  'S-1-1-0': 'Everyone',
  'S-1-2-0': 'Local',
  'S-1-2-1': 'Console Logon',
  'S-1-3-0': 'Creator Owner',
  'S-1-3-1': 'Creator Group',
  'S-1-3-4': 'Owner Rights',
  'S-1-5-1': 'Dialup',
  'S-1-5-2': 'Network',
  'S-1-5-3': 'Batch',
  'S-1-5-4': 'Interactive',
  'S-1-5-6': 'Service',
  'S-1-5-7': 'Anonymous Logon',
  'S-1-5-9': 'Enterprise Domain Controllers',
  'S-1-5-10': 'Principal Self',
  'S-1-5-11': 'Authenticated Users',
  'S-1-5-12': 'Restricted Code',
  'S-1-5-13': 'Terminal Server User',
  'S-1-5-14': 'Remote Interactive Logon',
  'S-1-5-15': 'This Organization',
  'S-1-5-17': 'IUSR',
  'S-1-5-18': 'Local System',
  'S-1-5-19': 'Local Service',
  'S-1-5-20': 'Network Service',
  'S-1-5-64-10': 'NTLM Authentication',
  'S-1-5-64-14': 'SChannel Authentication',
  'S-1-5-64-21': 'Digest Authentication',
  'S-1-5-113': 'Local Account',
  'S-1-5-114': 'Local Account and Member of Administrators Group',
  'S-1-5-1000': 'Other Organization',
  'S-1-5-21-0-0-0-496': 'Compounded Authentication',
  'S-1-5-21-0-0-0-497': 'Claims Valid',
  'S-1-5-32-544': 'Administrators',
  'S-1-5-32-545': 'Users',
  'S-1-5-32-546': 'Guests',
  'S-1-5-32-547': 'Power Users',
  'S-1-5-32-548': 'Account Operators',
  'S-1-5-32-549': 'Server Operators',
  'S-1-5-32-550': 'Print Operators',
  'S-1-5-32-551': 'Backup Operators',
  'S-1-5-32-552': 'Replicator',
  'S-1-5-32-554': 'Pre-Windows 2000 Compatible Access',
  'S-1-5-32-555': 'Remote Desktop Users',
  'S-1-5-32-556': 'Network Configuration Operators',
  'S-1-5-32-557': 'Incoming Forest Trust Builders',
  'S-1-5-32-558': 'Performance Monitor Users',
  'S-1-5-32-559': 'Performance Log Users',
  'S-1-5-32-560': 'Windows Authorization Access Group',
  'S-1-5-32-561': 'Terminal Server License Servers',
  'S-1-5-32-562': 'Distributed COM Users',
  'S-1-5-32-568': 'IIS_IUSRS',
  'S-1-5-32-569': 'Cryptographic Operators',
  'S-1-5-32-573': 'Event Log Readers',
  'S-1-5-32-574': 'Certificate Service DCOM Access',
  'S-1-5-32-575': 'RDS Remote Access Servers',
  'S-1-5-32-576': 'RDS Endpoint Servers',
  'S-1-5-32-577': 'RDS Management Servers',
  'S-1-5-32-578': 'Hyper-V Administrators',
  'S-1-5-32-579': 'Access Control Assistance Operators',
  'S-1-5-32-580': 'Remote Management Users',
  'S-1-16-0': 'Untrusted Mandatory Level',
  'S-1-16-4096': 'Low Mandatory Level',
  'S-1-16-8192': 'Medium Mandatory Level',
  'S-1-16-8448': 'Medium Plus Mandatory Level',
  'S-1-16-12288': 'High Mandatory Level',
  'S-1-16-16384': 'System Mandatory Level',
  'S-1-18-1': 'Authentication Authority Asserted Identity',
  'S-1-18-2': 'Service Asserted Identity',
  'S-1-18-3': 'Fresh Public Key Identity',
  'S-1-18-4': 'Key Trust Identity',
  'S-1-18-5': 'Key Property MFA',
  'S-1-18-6': 'Key Property Attestation',
};

/** The asserted-identity SIDs of MS-SFU / MS-PAC: who vouched for the client's identity. */
export const AssertedIdentitySid = {
  /** The KDC authenticated the client (AS exchange, normal TGS). */
  AuthenticationAuthority: 'S-1-18-1',
  /** A service asserted the identity (S4U2Self, and S4U2Proxy built on it). */
  Service: 'S-1-18-2',
} as const;

/** Names of well-known relative IDs inside a domain SID S-1-5-21-x-y-z (MS-DTYP 2.4.2.4). */
export const WELL_KNOWN_DOMAIN_RIDS: Readonly<Record<number, string>> = {
  500: 'Administrator',
  501: 'Guest',
  502: 'krbtgt',
  512: 'Domain Admins',
  513: 'Domain Users',
  514: 'Domain Guests',
  515: 'Domain Computers',
  516: 'Domain Controllers',
  517: 'Cert Publishers',
  518: 'Schema Admins',
  519: 'Enterprise Admins',
  520: 'Group Policy Creator Owners',
  521: 'Read-only Domain Controllers',
  522: 'Cloneable Domain Controllers',
  525: 'Protected Users',
  526: 'Key Admins',
  527: 'Enterprise Key Admins',
  553: 'RAS and IAS Servers',
  571: 'Allowed RODC Password Replication Group',
  572: 'Denied RODC Password Replication Group',
};

const DOMAIN_SID_PREFIX = 'S-1-5-21-';
/** Dashes in S-1-5-21-x-y-z-RID. */
const DOMAIN_ACCOUNT_DASHES = 7;
const WELL_KNOWN_SID_MAP = new Map(Object.entries(WELL_KNOWN_SIDS));
const DOMAIN_RID_MAP = new Map(
  Object.entries(WELL_KNOWN_DOMAIN_RIDS).map(([rid, name]) => [Number(rid), name]),
);

/** String form `S-1-<authority>-<sub>-…` (MS-DTYP 2.4.2.1); the 48-bit authority fits a number exactly. */
export function formatSid(authority: number, subAuthorities: readonly number[]): string {
  let s =
    authority < DECIMAL_AUTHORITY_LIMIT
      ? `S-1-${authority}`
      : `S-1-0x${authority
          .toString(16)
          .toUpperCase()
          .padStart(2 * AUTHORITY_BYTES, '0')}`;
  for (const sub of subAuthorities) s += `-${sub}`;
  return s;
}

/** String form of a binary SID that must fill `bytes` exactly; `base` is its offset for errors. */
export function decodeSid(bytes: Uint8Array, base = 0): string {
  if (bytes.length < SID_HEADER_LENGTH) throw new PacDecodeError(base, `SID of ${bytes.length} bytes`);
  const revision = bytes[0]!;
  const count = bytes[1]!;
  if (revision !== SID_REVISION) throw new PacDecodeError(base, `SID revision ${revision}`);
  if (count > SID_MAX_SUB_AUTHORITIES)
    throw new PacDecodeError(base + 1, `SID with ${count} sub-authorities`);
  if (bytes.length !== SID_HEADER_LENGTH + SUB_AUTHORITY_LENGTH * count) {
    throw new PacDecodeError(base, `SID with ${count} sub-authorities in ${bytes.length} bytes`);
  }
  let authority = 0;
  for (let i = 2; i < SID_HEADER_LENGTH; i++) authority = authority * 256 + bytes[i]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const subs: number[] = [];
  for (let i = 0; i < count; i++)
    subs.push(view.getUint32(SID_HEADER_LENGTH + SUB_AUTHORITY_LENGTH * i, true));
  return formatSid(authority, subs);
}

/** Binary form of a SID string; throws PacDecodeError (offset 0) when the string is not a SID. */
export function encodeSid(sid: string): Uint8Array {
  const m = /^S-1-(0x[0-9A-Fa-f]{12}|\d+)((?:-\d+)*)$/.exec(sid);
  if (m === null) throw new PacDecodeError(0, `not a SID string: ${sid}`);
  const authority = BigInt(m[1]!);
  const subs = m[2] === '' ? [] : m[2]!.slice(1).split('-').map(Number);
  if (authority >= 1n << 48n || subs.length > SID_MAX_SUB_AUTHORITIES || subs.some((s) => s > 0xffffffff)) {
    throw new PacDecodeError(0, `SID out of range: ${sid}`);
  }
  const out = new Uint8Array(SID_HEADER_LENGTH + SUB_AUTHORITY_LENGTH * subs.length);
  const view = new DataView(out.buffer);
  out[0] = SID_REVISION;
  out[1] = subs.length;
  for (let i = 0; i < AUTHORITY_BYTES; i++) out[2 + i] = Number((authority >> BigInt(8 * (5 - i))) & 0xffn);
  for (const [i, s] of subs.entries()) view.setUint32(SID_HEADER_LENGTH + SUB_AUTHORITY_LENGTH * i, s, true);
  return out;
}

/** The name of a SID when it is well known, or a well-known RID of an AD domain (S-1-5-21-x-y-z-RID). */
export function sidName(sid: string): string | undefined {
  const known = WELL_KNOWN_SID_MAP.get(sid);
  if (known !== undefined) return known;
  if (!sid.startsWith(DOMAIN_SID_PREFIX)) return undefined;
  let dashes = 0;
  for (let i = 0; i < sid.length; i++) if (sid.charCodeAt(i) === 0x2d) dashes++;
  if (dashes !== DOMAIN_ACCOUNT_DASHES) return undefined;
  return DOMAIN_RID_MAP.get(Number(sid.slice(sid.lastIndexOf('-') + 1)));
}
