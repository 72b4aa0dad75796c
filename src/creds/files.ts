/**
 * Node file I/O for keytabs and ccaches, and the MIT names for them (KRB5CCNAME, KRB5_KTNAME).
 * The codecs themselves are pure (keytab.ts, ccache.ts); this file only reads and writes bytes.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KerberosError } from '../errors.js';
import { fromBase64, fromUtf8 } from '../util/bytes.js';
import { type Ccache, type Credential, parseCcache, serializeCcache } from './ccache.js';
import { type Keytab, type ParseKeytabOptions, parseKeytab, serializeKeytab } from './keytab.js';
import { exportKirbi, importKirbi, type KirbiOptions } from './kirbi.js';

const FILE_MODE = 0o600;
const DEFAULT_KEYTAB = '/etc/krb5.keytab';
// First octet of a KRB-CRED: [APPLICATION 22], constructed.
const KRB_CRED_TAG = 0x76;

/** Path of a `FILE:` or plain-path cache name; other cache types are refused with a hint. */
export function ccachePathOf(name: string): string {
  return pathOfName(
    name,
    ['FILE'],
    'ccache',
    'only FILE: credential caches are supported (not DIR:, KEYRING:, KCM:, MEMORY:)',
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

// Write to a private temporary file beside the target and rename it over, so that a
// concurrent reader (klist, another process) never sees a half-written file.
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes, { mode: FILE_MODE, flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
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
