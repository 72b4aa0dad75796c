import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ccache } from '../../src/creds/ccache.js';
import {
  ccachePathOf,
  defaultCcachePath,
  defaultKeytabPath,
  keytabPathOf,
  readCcacheFile,
  readKeytabFile,
  readKirbiFile,
  writeCcacheFile,
  writeKeytabFile,
  writeKirbiFile,
} from '../../src/creds/files.js';
import type { Keytab } from '../../src/creds/keytab.js';
import { exportKirbi } from '../../src/creds/kirbi.js';
import { KerberosError } from '../../src/errors.js';

describe('cache and keytab names', () => {
  it.each([
    ['FILE:/tmp/krb5cc_1', '/tmp/krb5cc_1'],
    ['file:/tmp/x', '/tmp/x'],
    ['/tmp/plain', '/tmp/plain'],
    ['./rel:ative', './rel:ative'],
    ['relative', 'relative'],
  ])('ccache %s -> %s', (name, path) => {
    expect(ccachePathOf(name)).toBe(path);
  });

  it.each(['DIR:/run/user/1/krb5cc', 'KEYRING:persistent:1', 'KCM:1', 'MEMORY:x'])(
    'refuses ccache type %s with a hint',
    (name) => {
      expect(() => ccachePathOf(name)).toThrow(KerberosError);
      try {
        ccachePathOf(name);
      } catch (e) {
        expect((e as KerberosError).hint).toMatch(/FILE:/);
      }
    },
  );

  it.each([
    ['FILE:/etc/k.keytab', '/etc/k.keytab'],
    ['WRFILE:/etc/k.keytab', '/etc/k.keytab'],
    ['/etc/x', '/etc/x'],
  ])('keytab %s -> %s', (name, path) => {
    expect(keytabPathOf(name)).toBe(path);
  });

  it('defaults follow KRB5CCNAME / KRB5_KTNAME, else MIT defaults', () => {
    expect(defaultCcachePath({ KRB5CCNAME: 'FILE:/x/cc' })).toBe('/x/cc');
    expect(defaultCcachePath({})).toBe(`/tmp/krb5cc_${process.getuid?.() ?? 0}`);
    expect(defaultKeytabPath({ KRB5_KTNAME: 'FILE:/x/kt' })).toBe('/x/kt');
    expect(defaultKeytabPath({})).toBe('/etc/krb5.keytab');
  });
});

describe('file I/O', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tskrb-creds-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const kt: Keytab = {
    version: 0x502,
    entries: [
      {
        principal: { realm: 'R', nameType: 1, components: ['a'] },
        timestamp: new Date(1000),
        kvno: 2,
        key: { etype: 17, bytes: new Uint8Array(16) },
      },
    ],
  };
  const cc: Ccache = {
    version: 0x504,
    otherHeaderFields: [],
    defaultPrincipal: { realm: 'R', nameType: 1, components: ['a'] },
    credentials: [],
  };

  it('writes a keytab with mode 0600, reads it back, leaves no temporary file', async () => {
    const p = join(dir, 'k.keytab');
    await writeKeytabFile(`FILE:${p}`, kt);
    expect((await stat(p)).mode & 0o777).toBe(0o600);
    expect(await readKeytabFile(p)).toEqual(kt);
    expect(await readdir(dir)).toEqual(['k.keytab']);
  });

  it('replaces a ccache atomically and reads it by FILE: name', async () => {
    const p = join(dir, 'cc');
    await writeCcacheFile(p, cc);
    const first = await readFile(p);
    await writeCcacheFile(`FILE:${p}`, { ...cc, kdcTimeOffset: { seconds: 3, microseconds: 0 } });
    expect((await readFile(p)).length).toBe(first.length + 12);
    expect((await readCcacheFile(`FILE:${p}`)).kdcTimeOffset).toEqual({ seconds: 3, microseconds: 0 });
    expect((await stat(p)).mode & 0o777).toBe(0o600);
  });

  it('a failed write leaves no temporary file behind', async () => {
    const sub = join(dir, 'missing-dir', 'cc');
    await expect(writeCcacheFile(sub, cc)).rejects.toThrow();
    await expect(
      writeCcacheFile(join(dir, 'x'), {
        ...cc,
        defaultPrincipal: { realm: 'R', nameType: -1, components: [] },
      }),
    ).rejects.toThrow();
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('kirbi files', () => {
  it('reads a .kirbi as DER or as base64 text, and writes DER', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tskrb-kirbi-'));
    try {
      const der = exportKirbi([]);
      const p = join(dir, 'a.kirbi');
      await writeKirbiFile(p, []);
      expect(new Uint8Array(await readFile(p))).toEqual(der);
      expect(await readKirbiFile(p)).toEqual([]);
      const b64 = join(dir, 'b.kirbi');
      await writeFile(b64, `${Buffer.from(der).toString('base64')}\n`);
      expect(await readKirbiFile(b64)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
