/**
 * Credentials on disk: MIT keytabs, FILE credential caches and their configuration entries (pure codecs).
 * Node file I/O (readKeytabFile, writeCcacheFile, KRB5CCNAME) lives in `./files.js`, kept out of this entry.
 */
export type {
  Ccache,
  CcacheHeaderField,
  Credential,
  CredsAddress,
  CredsAuthData,
  KdcTimeOffset,
} from './ccache.js';
export { parseCcache, serializeCcache } from './ccache.js';
export { getConfigValue, isConfigEntry, makeConfigEntry, ticketsOf } from './ccache-config.js';
export { CcacheVersion, KeytabVersion, TicketFlag } from './constants.js';
export type { Keytab, KeytabEntry, KeytabQuery, ParseKeytabOptions } from './keytab.js';
export { findKeytabEntries, findKeytabEntry, parseKeytab, serializeKeytab } from './keytab.js';
export type { CredsPrincipal, KeyBlock } from './types.js';
export { formatCredsPrincipal, samePrincipal } from './types.js';
