/** klist -l/-A/-s, kswitch and kdestroy on a DIR: collection in a temporary directory, as MIT's tools lay it out. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/run.js';
import { dirCollection } from '../../src/creds/files.js';
import { type Ccache, parseCcache } from '../../src/creds/index.js';
import { tgtCcache } from './creds-fixtures.js';
import { fakeIo } from './io.js';

let dir = '';
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'tskrb-cli-dir-')), 'cc');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

/** The fixture's TGT cache with its principal renamed to `name`. */
function ccacheOf(name: string): Ccache {
  const cc = parseCcache(tgtCcache());
  const p = { ...cc.defaultPrincipal, components: [name] };
  return { ...cc, defaultPrincipal: p, credentials: cc.credentials.map((c) => ({ ...c, client: p })) };
}

async function twoCaches(): Promise<string[]> {
  const col = dirCollection(dir);
  const a = await col.primary();
  await a.write(ccacheOf('apache'));
  const b = await col.newUnique();
  await b.write(ccacheOf('bob'));
  return [a.name, b.name];
}

/** A second after the fixture's TGT was issued: its tickets are valid. */
const clock = () => parseCcache(tgtCcache()).credentials[0]!.authtime.getTime() + 1000;
const io = (env: Record<string, string> = {}) =>
  fakeIo({}, undefined, false, { KRB5CCNAME: `DIR:${dir}`, ...env }, clock);

describe('tskrb klist -l/-A, kswitch, kdestroy on DIR:', () => {
  it('klist -l lists principal and cache name, the primary first, as MIT klist -l', async () => {
    const [a, b] = await twoCaches();
    const o = io();
    expect(await main(['klist', '-l'], o)).toBe(0);
    expect(await main(['klist', '-s', '-A'], io())).toBe(0);
    expect(o.out).toBe(
      [
        'Principal name                 Cache name',
        '--------------                 ----------',
        `${'apache@ACME.COM'.padEnd(30)} ${a}`,
        `${'bob@ACME.COM'.padEnd(30)} ${b}`,
        '',
      ].join('\n'),
    );
    const all = io();
    expect(await main(['klist', '-A'], all)).toBe(0);
    expect(all.out.match(/^Ticket cache: DIR::/gm)).toHaveLength(2);
  });

  it('kswitch -p makes bob primary (the primary file names his cache); kswitch -c back; unknown principal exits 1', async () => {
    const [a, b] = await twoCaches();
    expect(await main(['kswitch', '-p', 'bob'], io())).toBe(0);
    expect(readFileSync(join(dir, 'primary'), 'utf8')).toBe(`${b!.slice(b!.lastIndexOf('/') + 1)}\n`);
    const l = io();
    await main(['klist'], l);
    expect(l.out).toContain('Default principal: bob@ACME.COM');
    expect(await main(['kswitch', '-c', a!], io())).toBe(0);
    expect(readFileSync(join(dir, 'primary'), 'utf8')).toBe('tkt\n');
    const none = io();
    expect(await main(['kswitch', '-p', 'carol@ACME.COM'], none)).toBe(1);
    expect(none.err).toMatch(/no cache of DIR:.* holds carol@ACME\.COM/);
  });

  it('klist -s: exit status only, 1 with no cache; kdestroy removes the primary, -A all of them', async () => {
    const missing = io();
    expect(await main(['klist', '-s'], missing)).toBe(1);
    expect([missing.out, missing.err]).toEqual(['', '']);
    await twoCaches();
    expect(await main(['kdestroy'], io())).toBe(0);
    expect(existsSync(join(dir, 'tkt'))).toBe(false);
    const left = io();
    await main(['klist', '-l'], left);
    expect(left.out).toContain('bob@ACME.COM');
    expect(await main(['kdestroy', '-A'], io())).toBe(0);
    const after = io();
    expect(await main(['klist', '-s', '-A'], after)).toBe(1);
    expect(after.out).toBe('');
  });
});
