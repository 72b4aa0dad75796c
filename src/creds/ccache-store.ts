/**
 * Credential caches of every type behind one interface (a cache, and a collection of caches with a primary one),
 * the MIT names that select them (`FILE:`, `DIR:`, `KCM:`, `MEMORY:`, `KEYRING:`), `default_ccache_name` tokens, and
 * the in-process `MEMORY:` type. Pure: the Node side (files, sockets) is in files*.ts. MIT krb5 ccache/ccbase.c,
 * cc_dir.c, cc_kcm.c, cc_memory.c; os/expand_path.c.
 */
import { FormatError } from '../errors.js';
import type { Ccache } from './ccache.js';
import type { CredsPrincipal } from './types.js';
import { samePrincipal } from './types.js';

/** One credential cache, whatever its type. */
export interface CcacheStore {
  /** Its full name as MIT prints it: `FILE:/tmp/krb5cc_0`, `DIR::/run/user/0/krb5cc/tkt`, `KCM:0`, `MEMORY:x`. */
  readonly name: string;
  /** Its contents, or undefined when it does not exist or holds no principal yet. */
  read(): Promise<Ccache | undefined>;
  /** Replaces its contents: the default principal, the KDC time offset and every credential. */
  write(cc: Ccache): Promise<void>;
  /** Removes it (a cache that does not exist is already gone). */
  destroy(): Promise<void>;
}

/** Caches side by side with a primary one (`DIR:`, `KCM:`); a `FILE:` or `MEMORY:` cache is a collection of one. */
export interface CcacheCollection {
  /** The collection's name: `DIR:/run/user/0/krb5cc`, `KCM:`, `FILE:/tmp/krb5cc_0`. */
  readonly name: string;
  /** The primary cache: where `klist` looks and `kinit` writes by default. */
  primary(): Promise<CcacheStore>;
  /** Every cache of the collection that exists, the primary first (as `klist -l`/`-A` list them). */
  caches(): Promise<CcacheStore[]>;
  /** A new, empty cache in the collection (`krb5_cc_new_unique`). */
  newUnique(): Promise<CcacheStore>;
  /** Makes `cache` the primary (`kswitch`). */
  switchTo(cache: CcacheStore): Promise<void>;
}

/** A cache name split at its type prefix. */
export interface CcacheName {
  /** `FILE`, `DIR`, `KCM`, `MEMORY`, `KEYRING`, … (upper case); `FILE` for a name with no prefix. */
  readonly type: string;
  /** What follows the prefix: a path, `:path` (one DIR member), a KCM cache name, … */
  readonly residual: string;
}

/** Splits a ccache name as MIT does: a path (or anything without `TYPE:` before its first `/`) is a FILE cache. */
export function parseCcacheName(name: string): CcacheName {
  const colon = name.indexOf(':');
  const slash = name.indexOf('/');
  if (colon <= 0 || (slash >= 0 && slash < colon)) return { type: 'FILE', residual: name };
  return { type: name.slice(0, colon).toUpperCase(), residual: name.slice(colon + 1) };
}

const REFUSED: Readonly<Record<string, string>> = {
  KEYRING:
    'KEYRING: caches live in the kernel keyring, reachable only through the keyctl system call, which Node cannot make; ' +
    'use a DIR:, KCM: or FILE: cache (e.g. KRB5CCNAME=DIR:/run/user/$(id -u)/krb5cc, or default_ccache_name in krb5.conf)',
  API: 'API: is the macOS/Windows CCAPI cache: use a FILE: cache',
  MSLSA:
    'MSLSA: is the Windows LSA cache: export the tickets (Rubeus, mimikatz) as .kirbi and read them with importKirbi',
};

/** Refuses a type tskrb cannot use, with a hint; returns the parsed name otherwise. */
export function checkCcacheType(name: string, supported: readonly string[]): CcacheName {
  const n = parseCcacheName(name);
  if (supported.includes(n.type)) return n;
  throw new FormatError(`credential cache type ${n.type}: not supported here ('${name}')`, {
    code: 'ERR_TSKRB_CCACHE_TYPE',
    hint: REFUSED[n.type] ?? `use one of ${supported.map((t) => `${t}:`).join(', ')}`,
  });
}

/** What `default_ccache_name`'s tokens stand for (MIT os/expand_path.c). */
export interface CcacheNameTokens {
  readonly uid: number;
  /** `%{euid}` (default: `uid`). */
  readonly euid?: number | undefined;
  /** `%{username}`. */
  readonly username?: string | undefined;
  /** `%{TEMP}`: TMPDIR, else `/tmp`. */
  readonly temp?: string | undefined;
}

/** `default_ccache_name` with `%{uid}`, `%{euid}`, `%{USERID}`, `%{username}`, `%{TEMP}`, `%{null}` expanded. */
export function expandCcacheName(template: string, t: CcacheNameTokens): string {
  const values: Record<string, string | undefined> = {
    uid: String(t.uid),
    euid: String(t.euid ?? t.uid),
    USERID: String(t.euid ?? t.uid),
    username: t.username,
    TEMP: t.temp ?? '/tmp',
    null: '',
  };
  return template.replace(/%\{([^}]*)\}/g, (whole, token: string) => {
    const v = values[token];
    if (v === undefined)
      throw new FormatError(`default_ccache_name: unknown token ${whole} in '${template}'`, {
        hint: 'known: %{uid}, %{euid}, %{USERID}, %{username}, %{TEMP}, %{null}',
      });
    return v;
  });
}

/**
 * The default cache name as MIT resolves it: `KRB5CCNAME`, else krb5.conf's `default_ccache_name` (tokens
 * expanded), else `FILE:/tmp/krb5cc_<uid>`.
 */
export function resolveDefaultCcacheName(
  o: {
    readonly krb5ccname?: string | undefined;
    readonly configured?: string | undefined;
  } & CcacheNameTokens,
): string {
  if (o.krb5ccname) return o.krb5ccname;
  if (o.configured) return expandCcacheName(o.configured, o);
  return `FILE:${o.temp ?? '/tmp'}/krb5cc_${o.uid}`;
}

/** Where `kinit` stores a TGT for `principal` in a collection (MIT kinit.c): its cache, the primary when empty, else a new one. */
export async function cacheFor(col: CcacheCollection, principal: CredsPrincipal): Promise<CcacheStore> {
  for (const c of await col.caches()) {
    const cc = await c.read();
    if (cc && samePrincipal(cc.defaultPrincipal, principal)) return c;
  }
  const primary = await col.primary();
  return (await primary.read()) === undefined ? primary : col.newUnique();
}

const memory = new Map<string, Ccache>();

/** A `MEMORY:` cache: in this process only, gone when it exits (MIT cc_memory.c). */
export function memoryCcache(residual: string): CcacheStore {
  return {
    name: `MEMORY:${residual}`,
    read: async () => memory.get(residual),
    write: async (cc) => {
      memory.set(residual, cc);
    },
    destroy: async () => {
      memory.delete(residual);
    },
  };
}

/** A single cache as a collection of one (FILE:, MEMORY:, one DIR member): it cannot switch to another. */
export function collectionOfOne(cache: CcacheStore): CcacheCollection {
  return {
    name: cache.name,
    primary: async () => cache,
    caches: async () => ((await cache.read()) === undefined ? [] : [cache]),
    newUnique: async () => {
      throw new FormatError(`${cache.name} is a single cache, not a collection`, {
        code: 'ERR_TSKRB_CCACHE_TYPE',
        hint: 'use a DIR: or KCM: cache to keep several principals side by side',
      });
    },
    switchTo: async (c) => {
      if (c.name !== cache.name)
        throw new FormatError(`${cache.name} is a single cache: cannot switch to ${c.name}`, {
          code: 'ERR_TSKRB_CCACHE_TYPE',
          hint: 'use a DIR: or KCM: collection',
        });
    },
  };
}
