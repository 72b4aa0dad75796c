/**
 * Credentials on disk: MIT keytabs, FILE credential caches with their configuration entries, and KRB-CRED
 * (.kirbi), as pure codecs; the ccache interface of every type (MEMORY:, the KCM protocol over a caller's socket).
 * Node file and socket I/O (readKeytabFile, openCcache for FILE:/DIR:/KCM:, readKirbiFile, KRB5CCNAME) lives in
 * `./files.js`, kept out of this entry so that it loads without Node.
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
export {
  type CcacheCollection,
  type CcacheName,
  type CcacheNameTokens,
  type CcacheStore,
  cacheFor,
  checkCcacheType,
  collectionOfOne,
  expandCcacheName,
  memoryCcache,
  parseCcacheName,
  resolveDefaultCcacheName,
} from './ccache-store.js';
export { CcacheVersion, KeytabVersion, TicketFlag } from './constants.js';
export { type KcmCall, KcmClient, KcmError, KcmOp, kcmCcache, kcmCollection, kcmRequest } from './kcm.js';
export type { Keytab, KeytabEntry, KeytabQuery, ParseKeytabOptions } from './keytab.js';
export { findKeytabEntries, findKeytabEntry, parseKeytab, serializeKeytab } from './keytab.js';
export type { KirbiOptions } from './kirbi.js';
export { ccacheToKirbi, exportKirbi, importKirbi, kirbiToCcache } from './kirbi.js';
export {
  credentialFromCcache,
  credentialToCcache,
  fromCredsPrincipal,
  toCredsPrincipal,
} from './message-credential.js';
export type { CredsPrincipal, KeyBlock } from './types.js';
export { formatCredsPrincipal, samePrincipal } from './types.js';
