/** Ccache and keytab handling shared by kinit, klist, kvno and s4u: default names, reading, storing tickets. */
import { credentialFromCcache, toCredsPrincipal } from '../client/index.js';
import {
  type CcacheCollection,
  type CcacheOptions,
  type CcacheStore,
  defaultCcacheName,
  defaultKeytabPath,
  keytabPathOf,
  openCcache,
  openCcacheCollection,
} from '../creds/files.js';
import {
  type Ccache,
  type Credential as CcacheCredential,
  type CredsPrincipal,
  cacheFor,
  checkCcacheType,
  findKeytabEntries,
  type Keytab,
  parseCcache,
  parseKeytab,
  samePrincipal,
  serializeCcache,
  ticketsOf,
} from '../creds/index.js';
import { Key } from '../crypto/index.js';
import { FormatError } from '../errors.js';
import type { Credential } from '../messages/credential.js';
import { formatPrincipal, type Principal } from '../messages/principal.js';
import { profileString } from '../transport/index.js';
import type { CliIo } from './command.js';
import { UsageError } from './errors.js';
import { settingsOf } from './network.js';

const CCACHE_TYPES = ['FILE', 'DIR', 'KCM', 'MEMORY'];

/** Where caches are: KRB5CCNAME, and krb5.conf's default_ccache_name and kcm_socket (read only when needed). */
export function ccacheOptions(io: CliIo, withConfig = true): CcacheOptions {
  const env = io.env as NodeJS.ProcessEnv;
  if (!withConfig) return { env };
  const profile = settingsOf(io).profile;
  return {
    env,
    defaultCcacheName: profileString(profile, ['libdefaults', 'default_ccache_name']),
    kcmSocket: profileString(profile, ['libdefaults', 'kcm_socket']),
  };
}

/**
 * The ccache: the name given, else KRB5CCNAME, else krb5.conf's default_ccache_name, else /tmp/krb5cc_<uid>. A FILE
 * cache comes back as its path (read and written through the CliIo), any other as its full name (`DIR:…`, `KCM:…`).
 */
export function ccachePath(io: CliIo, name: string | undefined): string {
  const full = name ?? defaultCcacheName(ccacheOptions(io, io.env['KRB5CCNAME'] === undefined));
  const n = checkCcacheType(full, CCACHE_TYPES);
  return n.type === 'FILE' ? n.residual : full;
}

/** Whether a ccachePath result names a cache the CliIo does not reach as a file (DIR:, KCM:, MEMORY:). */
function isStoreName(path: string): boolean {
  return (
    !path.startsWith('/') &&
    !path.startsWith('.') &&
    CCACHE_TYPES.slice(1).some((t) => path.startsWith(`${t}:`))
  );
}

/** The collection of a ccache name (a FILE cache is a collection of one). */
export function collectionOf(io: CliIo, path: string): CcacheCollection {
  return openCcacheCollection(isStoreName(path) ? path : `FILE:${path}`, ccacheOptions(io));
}

/** The cache a ccachePath result designates (a DIR: collection's primary, KCM:'s default cache). */
export function storeOf(io: CliIo, path: string): Promise<CcacheStore> {
  return openCcache(isStoreName(path) ? path : `FILE:${path}`, ccacheOptions(io));
}

/**
 * Writes a ccache where `path` says and returns the cache's name. A collection (`DIR:dir`, `KCM:`) gets it as MIT
 * kinit does: in the cache of its principal, else in the primary when that is empty, else in a new cache; with
 * `switchTo` that cache becomes the primary.
 */
export async function writeCcache(
  io: CliIo,
  path: string,
  cc: Ccache,
  o: { readonly switchTo?: boolean } = {},
): Promise<string> {
  if (!isStoreName(path)) {
    await io.writeFile(path, serializeCcache(cc));
    return `FILE:${path}`;
  }
  const n = checkCcacheType(path, CCACHE_TYPES);
  const isCollection =
    (n.type === 'DIR' && !n.residual.startsWith(':')) || (n.type === 'KCM' && n.residual === '');
  if (!isCollection) {
    const store = await storeOf(io, path);
    await store.write(cc);
    return store.name;
  }
  const col = collectionOf(io, path);
  const target = await cacheFor(col, cc.defaultPrincipal);
  await target.write(cc);
  if (o.switchTo) await col.switchTo(target);
  return target.name;
}

/** The keytab path: the name given, else KRB5_CLIENT_KTNAME (client keytab), else KRB5_KTNAME or /etc/krb5.keytab. */
export function keytabPath(io: CliIo, name: string | undefined, client = false): string {
  if (name !== undefined) return keytabPathOf(name);
  const clientName = io.env['KRB5_CLIENT_KTNAME'];
  if (client && clientName) return keytabPathOf(clientName);
  return defaultKeytabPath(io.env as NodeJS.ProcessEnv);
}

/** The name a cache is shown by: a FILE cache's path, else the resolved cache (`DIR::dir/tkt`, `KCM:0`). */
export async function shownName(io: CliIo, path: string): Promise<string> {
  return isStoreName(path) ? (await storeOf(io, path)).name : path;
}

/** Reads and parses a ccache; a missing file or empty cache is a usage error that says so. */
export async function readCcache(io: CliIo, path: string): Promise<Ccache> {
  if (!isStoreName(path)) return parseCcache(await io.readFile(path));
  const store = await storeOf(io, path);
  const cc = await store.read();
  if (cc === undefined)
    throw new UsageError(`no credentials cache found (${store.name})`, {
      hint: 'get a TGT with tskrb kinit',
    });
  return cc;
}

/** Reads and parses a keytab. */
export async function readKeytab(io: CliIo, path: string): Promise<Keytab> {
  return parseKeytab(await io.readFile(path));
}

/** The ccache form of a principal. */
/** The principal of a ccache/keytab record. */
export function principalOf(p: CredsPrincipal): Principal {
  return { realm: p.realm, name: { nameType: p.nameType, nameString: [...p.components] } };
}

/** The long-term keys of `principal` in a keytab (highest kvno); a usage error when it has none. */
export function keytabKeys(kt: Keytab, principal: Principal, path: string): Key[] {
  const entries = findKeytabEntries(kt, { principal: toCredsPrincipal(principal) });
  if (entries.length === 0)
    throw new UsageError(
      `keytab ${path} has no key for ${formatPrincipal(principal.name, principal.realm)}`,
      {
        hint: `tskrb klist -k ${path} lists what it holds`,
      },
    );
  return entries.map((e) => new Key(e.key.etype, e.key.bytes));
}

/** `cc` with `rec` added, replacing a ticket for the same client and server. */
export function withCredential(cc: Ccache, rec: CcacheCredential): Ccache {
  const others = cc.credentials.filter(
    (c) => !(samePrincipal(c.client, rec.client) && samePrincipal(c.server, rec.server)),
  );
  return { ...cc, credentials: [...others, rec] };
}

/** The ccache's TGT for its default principal's realm (krbtgt/REALM@REALM), as a client credential. */
export function tgtOf(cc: Ccache, path: string, realm = cc.defaultPrincipal.realm): Credential {
  const c = ticketsOf(cc).find(
    (t) =>
      samePrincipal(t.client, cc.defaultPrincipal) &&
      t.server.components.length === 2 &&
      t.server.components[0] === 'krbtgt' &&
      t.server.components[1] === realm &&
      t.server.realm === realm,
  );
  if (c === undefined)
    throw new FormatError(`${path} holds no TGT (krbtgt/${realm}@${realm}) for its default principal`, {
      hint: 'get one with tskrb kinit',
    });
  return credentialFromCcache(c);
}
