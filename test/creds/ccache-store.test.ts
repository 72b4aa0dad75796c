import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dirCollection, openCcache, openCcacheCollection } from '../../src/creds/files.js';
import {
  type Ccache,
  cacheFor,
  expandCcacheName,
  KcmClient,
  KcmOp,
  kcmCollection,
  kcmRequest,
  memoryCcache,
  parseCcacheName,
  resolveDefaultCcacheName,
} from '../../src/creds/index.js';
import { FormatError } from '../../src/errors.js';

const T = new Date('2026-11-23T12:00:00Z');
const who = (name: string) => ({ realm: 'EXAMPLE.TEST', nameType: 1, components: [name] });
const ccOf = (name: string): Ccache => ({
  version: 0x0504,
  otherHeaderFields: [],
  defaultPrincipal: who(name),
  credentials: [
    {
      client: who(name),
      server: { realm: 'EXAMPLE.TEST', nameType: 2, components: ['krbtgt', 'EXAMPLE.TEST'] },
      key: { etype: 18, bytes: new Uint8Array(32).fill(7) },
      authtime: T,
      endtime: new Date(T.getTime() + 3600_000),
      isSkey: false,
      flags: 0,
      addresses: [],
      authdata: [],
      ticket: new Uint8Array([0x61, 0x00]),
      secondTicket: new Uint8Array(0),
    },
  ],
});

describe('ccache names (MIT ccbase.c)', () => {
  it.each([
    ['/tmp/krb5cc_0', 'FILE', '/tmp/krb5cc_0'],
    ['FILE:/tmp/x', 'FILE', '/tmp/x'],
    ['DIR:/run/user/0/krb5cc', 'DIR', '/run/user/0/krb5cc'],
    ['DIR::/run/user/0/krb5cc/tktAb1', 'DIR', ':/run/user/0/krb5cc/tktAb1'],
    ['KCM:', 'KCM', ''],
    ['kcm:0:12', 'KCM', '0:12'],
    ['KEYRING:persistent:1000', 'KEYRING', 'persistent:1000'],
    ['MEMORY:x', 'MEMORY', 'x'],
    ['./rel/a:b', 'FILE', './rel/a:b'],
  ])('%s is %s with residual %s', (name, type, residual) => {
    expect(parseCcacheName(name)).toEqual({ type, residual });
  });

  it('expands default_ccache_name tokens and resolves the default as MIT does', () => {
    expect(expandCcacheName('KEYRING:persistent:%{uid}', { uid: 1000 })).toBe('KEYRING:persistent:1000');
    expect(expandCcacheName('DIR:%{TEMP}/krb5cc_%{euid}%{null}', { uid: 1, euid: 2, temp: '/t' })).toBe(
      'DIR:/t/krb5cc_2',
    );
    expect(() => expandCcacheName('FILE:%{nope}', { uid: 0 })).toThrow(FormatError);
    expect(resolveDefaultCcacheName({ krb5ccname: 'KCM:', configured: 'DIR:/x', uid: 5 })).toBe('KCM:');
    expect(resolveDefaultCcacheName({ configured: 'DIR:/run/user/%{uid}/krb5cc', uid: 5 })).toBe(
      'DIR:/run/user/5/krb5cc',
    );
    expect(resolveDefaultCcacheName({ uid: 5 })).toBe('FILE:/tmp/krb5cc_5');
  });

  it('refuses KEYRING: with the code ERR_TSKRB_CCACHE_TYPE and a hint naming keyctl', async () => {
    const err = await openCcache('KEYRING:persistent:0').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_TSKRB_CCACHE_TYPE' });
    expect((err as FormatError).hint).toMatch(/keyctl/);
  });
});

describe('MEMORY: caches', () => {
  it('keep what is written, in this process, until destroyed', async () => {
    const m = memoryCcache('unit');
    expect(await m.read()).toBeUndefined();
    await m.write(ccOf('alice'));
    expect((await memoryCcache('unit').read())?.defaultPrincipal).toEqual(who('alice'));
    await m.destroy();
    expect(await m.read()).toBeUndefined();
  });
});

describe('DIR: collections (MIT cc_dir.c)', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('primary tkt by default; kinit-style storing puts each principal in its own cache; switchTo writes primary', async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'tskrb-dir-')), 'col');
    const col = dirCollection(dir);
    expect(await col.caches()).toEqual([]);
    const a = await cacheFor(col, who('alice'));
    expect(a.name).toBe(`DIR::${dir}/tkt`);
    await a.write(ccOf('alice'));
    const b = await cacheFor(col, who('bob'));
    expect(b.name).toMatch(new RegExp(`^DIR::${dir}/tkt[A-Za-z0-9]{6}$`));
    await b.write(ccOf('bob'));
    expect((await cacheFor(col, who('alice'))).name).toBe(a.name);
    await col.switchTo(b);
    expect(readFileSync(join(dir, 'primary'), 'utf8')).toBe(`${b.name.slice(b.name.lastIndexOf('/') + 1)}\n`);
    expect((await col.caches()).map((c) => c.name)).toEqual([b.name, a.name]);
    expect((await (await openCcache(`DIR:${dir}`)).read())?.defaultPrincipal).toEqual(who('bob'));
    expect(openCcacheCollection(b.name).name).toBe(`DIR:${dir}`);
  });
});

describe('KCM protocol (MIT kcm.h)', () => {
  it('a request is version 2.0, the opcode, the arguments; names NUL-terminated', () => {
    expect([...kcmRequest(KcmOp.GET_DEFAULT_CACHE)]).toEqual([2, 0, 0, 20]);
    expect([...kcmRequest(KcmOp.DESTROY, new Uint8Array([0x30, 0]))]).toEqual([2, 0, 0, 5, 0x30, 0]);
  });

  it('a collection over a scripted KCM: primary first, empty caches left out, errors of an empty KCM are no caches', async () => {
    const replies = new Map<number, (args: Uint8Array) => number[]>([
      [KcmOp.GET_DEFAULT_CACHE, () => [0, 0, 0, 0, 0x31, 0]],
      [KcmOp.GET_CACHE_UUID_LIST, () => [0xff, 0xff, 0xff, 0xff]],
    ]);
    const kcm = new KcmClient(async (req) => {
      const op = (req[2]! << 8) | req[3]!;
      return new Uint8Array(replies.get(op)?.(req.subarray(4)) ?? [0xff, 0xff, 0xff, 0xfe]);
    });
    const col = kcmCollection(kcm);
    expect(await col.caches()).toEqual([]);
    expect((await col.primary()).name).toBe('KCM:1');
    expect(await (await col.primary()).read()).toBeUndefined();
  });
});
