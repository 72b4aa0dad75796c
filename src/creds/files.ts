/**
 * Node file I/O for keytabs and ccaches, and the MIT names for them (KRB5CCNAME, KRB5_KTNAME, default_ccache_name):
 * every ccache type MIT's tools share (FILE:, DIR:, KCM:, MEMORY:) through openCcache/openCcacheCollection.
 * The codecs themselves are pure (keytab.ts, ccache.ts, kcm.ts); this file only reads and writes bytes.
 */
import { readFile } from 'node:fs/promises';
import { KerberosError } from '../errors.js';
import { fromBase64, fromUtf8 } from '../util/bytes.js';
import { type Ccache, type Credential, parseCcache, serializeCcache } from './ccache.js';
import {
  type CcacheCollection,
  type CcacheStore,
  checkCcacheType,
  collectionOfOne,
  memoryCcache,
  resolveDefaultCcacheName,
} from './ccache-store.js';
import { dirCollection, fileCcache, writeAtomically } from './files-dir.js';
import { DEFAULT_KCM_SOCKET, kcmSocketCall } from './files-kcm.js';
import { KcmClient, kcmCcache, kcmCollection } from './kcm.js';

export type { CcacheCollection, CcacheStore } from './ccache-store.js';
export { dirCollection, fileCcache } from './files-dir.js';
export { DEFAULT_KCM_SOCKET, kcmSocketCall } from './files-kcm.js';

import { type Keytab, type ParseKeytabOptions, parseKeytab, serializeKeytab } from './keytab.js';
import { exportKirbi, importKirbi, type KirbiOptions } from './kirbi.js';

const DEFAULT_KEYTAB = '/etc/krb5.keytab';
// First octet of a KRB-CRED: [APPLICATION 22], constructed.
const KRB_CRED_TAG = 0x76;

/** Path of a `FILE:` or plain-path cache name; other cache types are refused with a hint. */
export function ccachePathOf(name: string): string {
  return pathOfName(
    name,
    ['FILE'],
    'ccache',
    'this reads FILE: caches only: openCcache() opens DIR:, KCM: and MEMORY: ones too',
  );
}

/** Path of a `FILE:`/`WRFILE:` or plain-path keytab name. */
export function keytabPathOf(name: string): string {
  return pathOfName(name, ['FILE', 'WRFILE'], 'keytab', 'only FILE: keytabs are supported (not MEMORY:)');
}

function pathOfName(name: string, types: string[], what: string, hint: string): string {
  if (name.startsWith('/') || name.startsWith('.')) return name;
  const colon = name.indexOf(':');
  if (colon < 0) return name;
  const type = name.slice(0, colon).toUpperCase();
  if (!types.includes(type))
    throw new KerberosError(`unsupported ${what} type '${type}' in '${name}'`, { hint });
  return name.slice(colon + 1);
}

/** The default ccache path: `KRB5CCNAME`, else MIT's `/tmp/krb5cc_<uid>`. */
export function defaultCcachePath(env: NodeJS.ProcessEnv = process.env): string {
  const name = env['KRB5CCNAME'];
  if (name) return ccachePathOf(name);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return `/tmp/krb5cc_${uid}`;
}

/** The default keytab path: `KRB5_KTNAME`, else `/etc/krb5.keytab`. */
export function defaultKeytabPath(env: NodeJS.ProcessEnv = process.env): string {
  const name = env['KRB5_KTNAME'];
  return name ? keytabPathOf(name) : DEFAULT_KEYTAB;
}

async function readBytes(path: string): Promise<Uint8Array> {
  const b = await readFile(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Where the caches of other types are found, beside the environment. */
export interface CcacheOptions {
  /** KRB5CCNAME comes from here (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** krb5.conf `default_ccache_name` (tokens such as `%{uid}` are expanded). */
  readonly defaultCcacheName?: string | undefined;
  /** krb5.conf `kcm_socket` (default `/var/run/.heim_org.h5l.kcm-socket`). */
  readonly kcmSocket?: string | undefined;
}

const TYPES = ['FILE', 'DIR', 'KCM', 'MEMORY'];

/** The default cache name: KRB5CCNAME, else `default_ccache_name`, else `FILE:/tmp/krb5cc_<uid>`. */
export function defaultCcacheName(o: CcacheOptions = {}): string {
  const env = o.env ?? process.env;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const euid = typeof process.geteuid === 'function' ? process.geteuid() : uid;
  return resolveDefaultCcacheName({
    krb5ccname: env['KRB5CCNAME'],
    configured: o.defaultCcacheName,
    uid,
    euid,
    username: env['USER'],
    temp: env['TMPDIR'],
  });
}

/**
 * The collection a cache name belongs to (default: the default cache's): `DIR:dir` or `DIR::dir/tkt…` its directory,
 * `KCM:…` the KCM's caches; a `FILE:` or `MEMORY:` cache is a collection of one. `KEYRING:` is refused with a hint.
 */
export function openCcacheCollection(name?: string, o: CcacheOptions = {}): CcacheCollection {
  const full = name ?? defaultCcacheName(o);
  const n = checkCcacheType(full, TYPES);
  switch (n.type) {
    case 'DIR':
      return dirCollection(n.residual.startsWith(':') ? dirnameOf(n.residual.slice(1)) : n.residual);
    case 'KCM':
      return kcmCollection(new KcmClient(kcmSocketCall(o.kcmSocket ?? DEFAULT_KCM_SOCKET)));
    case 'MEMORY':
      return collectionOfOne(memoryCcache(n.residual));
    default:
      return collectionOfOne(fileCcache(n.residual));
  }
}

/**
 * The cache a name designates (default: the default cache): `FILE:path` (or a path), `DIR:dir` (its primary),
 * `DIR::dir/tkt…` (that member), `KCM:` (the KCM's default cache), `KCM:name`, `MEMORY:name`.
 */
export async function openCcache(name?: string, o: CcacheOptions = {}): Promise<CcacheStore> {
  const full = name ?? defaultCcacheName(o);
  const n = checkCcacheType(full, TYPES);
  if (n.type === 'FILE') return fileCcache(n.residual);
  if (n.type === 'MEMORY') return memoryCcache(n.residual);
  if (n.type === 'DIR' && n.residual.startsWith(':')) return fileCcache(n.residual.slice(1), 'DIR::');
  if (n.type === 'KCM' && n.residual !== '')
    return kcmCcache(new KcmClient(kcmSocketCall(o.kcmSocket ?? DEFAULT_KCM_SOCKET)), n.residual);
  return openCcacheCollection(full, o).primary();
}

function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Reads and parses a keytab by name or path (default: {@link defaultKeytabPath}). */
export async function readKeytabFile(name?: string, opts?: ParseKeytabOptions): Promise<Keytab> {
  return parseKeytab(await readBytes(name === undefined ? defaultKeytabPath() : keytabPathOf(name)), opts);
}

/** Writes a keytab (mode 0600, atomically replacing any existing file). */
export async function writeKeytabFile(name: string, kt: Keytab): Promise<void> {
  await writeAtomically(keytabPathOf(name), serializeKeytab(kt));
}

/** Reads and parses a ccache by name or path (default: {@link defaultCcachePath}). */
export async function readCcacheFile(name?: string): Promise<Ccache> {
  return parseCcache(await readBytes(name === undefined ? defaultCcachePath() : ccachePathOf(name)));
}

/** Writes a ccache (mode 0600, atomically replacing any existing file); default name from KRB5CCNAME. */
export async function writeCcacheFile(name: string | undefined, cc: Ccache): Promise<void> {
  await writeAtomically(name === undefined ? defaultCcachePath() : ccachePathOf(name), serializeCcache(cc));
}

/** Reads a `.kirbi` file (DER, or the base64 text Rubeus prints) and returns its credentials. */
export async function readKirbiFile(path: string, opts?: KirbiOptions): Promise<Credential[]> {
  const raw = await readBytes(path);
  return importKirbi(raw[0] === KRB_CRED_TAG ? raw : fromBase64(fromUtf8(raw)), opts);
}

/** Writes credentials as a `.kirbi` file (DER, mode 0600, atomically). */
export async function writeKirbiFile(
  path: string,
  creds: readonly Credential[],
  opts?: KirbiOptions,
): Promise<void> {
  await writeAtomically(path, exportKirbi(creds, opts));
}
