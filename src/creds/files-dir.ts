/**
 * Node file I/O for `FILE:` caches and `DIR:` collections, interchangeable with MIT's (cc_file.c, cc_dir.c): a DIR
 * collection is a directory of `tkt*` FILE caches and a `primary` file naming the primary one (`tkt` when absent).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FormatError } from '../errors.js';
import { type Ccache, parseCcache, serializeCcache } from './ccache.js';
import type { CcacheCollection, CcacheStore } from './ccache-store.js';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const PRIMARY = 'primary';
const DEFAULT_MEMBER = 'tkt';
const UNIQUE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Writes `bytes` to a private temporary file beside `path` and renames it over: readers never see half a file. */
export async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes, { mode: FILE_MODE, flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** A FILE cache at `path`, named `prefix` + path (`FILE:` or, for a DIR member, `DIR::`). */
export function fileCcache(path: string, prefix = 'FILE:'): CcacheStore {
  return {
    name: `${prefix}${path}`,
    async read(): Promise<Ccache | undefined> {
      let b: Buffer;
      try {
        b = await readFile(path);
      } catch (e) {
        if (errnoOf(e) === 'ENOENT') return undefined;
        throw e;
      }
      // An empty file is a cache made by new_unique and not yet initialized.
      return b.length === 0 ? undefined : parseCcache(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    },
    write: (cc) => writeAtomically(path, serializeCcache(cc)),
    destroy: () => rm(path, { force: true }),
  };
}

/** Whether a file name is a member of a DIR collection (MIT filename_is_cache). */
function isMember(name: string): boolean {
  return name.startsWith(DEFAULT_MEMBER) && !name.includes('/');
}

/** A `DIR:` collection in `dir` (created, mode 0700, when first written to). */
export function dirCollection(dir: string): CcacheCollection {
  const member = (file: string): CcacheStore => {
    const base = fileCcache(join(dir, file), 'DIR::');
    return {
      ...base,
      write: async (cc) => {
        await mkdir(dir, { recursive: true, mode: DIR_MODE });
        await base.write(cc);
      },
    };
  };
  const primaryFile = async (): Promise<string> => {
    try {
      const line = (await readFile(join(dir, PRIMARY), 'utf8')).split('\n')[0]!.trim();
      if (!isMember(line))
        throw new FormatError(`${join(dir, PRIMARY)} names '${line}', not a tkt* file of the collection`);
      return line;
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return DEFAULT_MEMBER;
      throw e;
    }
  };
  const exists = async (file: string) =>
    stat(join(dir, file)).then(
      (s) => s.isFile(),
      () => false,
    );
  return {
    name: `DIR:${dir}`,
    primary: async () => member(await primaryFile()),
    async caches(): Promise<CcacheStore[]> {
      const primary = await primaryFile();
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (e) {
        if (errnoOf(e) === 'ENOENT') return [];
        throw e;
      }
      const others = names.filter((n) => isMember(n) && n !== primary).sort();
      const out: CcacheStore[] = [];
      for (const n of [primary, ...others]) {
        if (!(await exists(n))) continue;
        const c = member(n);
        if ((await c.read()) !== undefined) out.push(c);
      }
      return out;
    },
    async newUnique(): Promise<CcacheStore> {
      await mkdir(dir, { recursive: true, mode: DIR_MODE });
      for (;;) {
        const r = randomBytes(6);
        const file = DEFAULT_MEMBER + [...r].map((b) => UNIQUE_CHARS[b % UNIQUE_CHARS.length]).join('');
        try {
          await writeFile(join(dir, file), new Uint8Array(0), { mode: FILE_MODE, flag: 'wx' });
          return member(file);
        } catch (e) {
          if (errnoOf(e) !== 'EEXIST') throw e;
        }
      }
    },
    async switchTo(cache: CcacheStore): Promise<void> {
      const path = cache.name.replace(/^DIR::/, '');
      if (!cache.name.startsWith('DIR::') || dirname(path) !== dir)
        throw new FormatError(`${cache.name} is not a cache of the collection DIR:${dir}`);
      await mkdir(dir, { recursive: true, mode: DIR_MODE });
      await writeAtomically(join(dir, PRIMARY), new TextEncoder().encode(`${basename(path)}\n`));
    },
  };
}
