/**
 * DIR: and KCM: caches shared with MIT's tools (issue 19), against the MIT lab and the lab's sssd_kcm
 * (scripts/lab/kcm.sh): MIT kinit into them, then tskrb klist/-l/-A/kswitch; tskrb kinit/kvno/s4u --out into them,
 * then MIT klist -A and kvno.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, parseMitKlist, runTool, tskrb } from '../cli/spawn.js';
import { mitLab as lab, labJson } from '../helpers/lab.js';

interface KcmLab {
  socket: string;
  krb5Conf: string;
  mitCreatedAt: string;
}
const kcm = lab ? labJson<KcmLab>('kcm') : undefined;
const kcmCurrent =
  kcm !== undefined && kcm.mitCreatedAt === (lab as { createdAt?: string } | undefined)?.createdAt;
// A KCM lab made for an older MIT lab has the wrong krb5.conf: under CI that is a broken lab, not a skip.
if (kcm !== undefined && !kcmCurrent && process.env['CI'] === 'true')
  throw new Error('CI=true but .lab/kcm.json is from another MIT lab: run scripts/lab/kcm.sh up');

let dir = '';
const p = (name: string) => lab!.principals[name]!;
const at = (f: string) => join(dir, f);
/** The MIT lab's krb5.conf, with kcm_socket when the KCM lab is up. */
const conf = () => (kcm ? kcm.krb5Conf : lab!.krb5Conf);
const env = (ccname: string): Record<string, string> => ({ KRB5_CONFIG: conf(), KRB5CCNAME: ccname });

function mitKinit(who: string, ccname: string): void {
  writeFileSync(at(`${who}.pw`), `${p(who).password}\n`);
  const r = runTool('sh', ['-c', `kinit ${p(who).principal} < ${at(`${who}.pw`)}`], env(ccname));
  expect(r.code, r.stderr).toBe(0);
}

/** `klist -l` rows: [principal, cache name]. */
function listRows(text: string): [string, string][] {
  return text
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [principal, name] = l.trim().split(/\s+/);
      return [principal!, name!];
    });
}

describe.skipIf(!lab)(`MIT: DIR: collections${lab ? '' : ' (lab not running: npm run lab:up)'}`, () => {
  beforeAll(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'tskrb-ccache-types-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('MIT: kinit alice then bob into DIR:; tskrb klist shows the primary (bob), -l both, -A both in full; kswitch -p alice and MIT klist follows', () => {
    const col = `DIR:${at('col')}`;
    mitKinit('alice', col);
    mitKinit('bob', col);
    const one = tskrb(['klist'], env(col));
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('Default principal: bob@MIT.TEST');
    expect(one.stdout).toMatch(/^Ticket cache: DIR::.*\/col\/tkt/);
    const l = tskrb(['klist', '-l'], env(col));
    expect(l.code, l.stderr).toBe(0);
    expect(listRows(l.stdout).map(([who]) => who)).toEqual(['bob@MIT.TEST', 'alice@MIT.TEST']);
    // The same listing as MIT's klist -l, cache names included.
    expect(listRows(l.stdout)).toEqual(listRows(runTool('klist', ['-l'], env(col)).stdout));
    const all = tskrb(['klist', '-A'], env(col));
    expect(all.stdout.match(/krbtgt\/MIT\.TEST@MIT\.TEST/g)).toHaveLength(2);
    expect(tskrb(['klist', '-s', '-A'], env(col)).code).toBe(0);
    expect(tskrb(['kswitch', '-p', 'alice@MIT.TEST'], env(col)).code).toBe(0);
    expect(parseMitKlist(runTool('klist', [], env(col)).stdout).defaultPrincipal).toBe('alice@MIT.TEST');
    // kdestroy -A empties the collection; klist -s then says so by its exit status alone.
    expect(tskrb(['kdestroy', '-A'], env(col)).code).toBe(0);
    const s = tskrb(['klist', '-s'], env(col));
    expect([s.code, s.stdout, s.stderr]).toEqual([1, '', '']);
  });

  it('MIT: tskrb kinit (keytab) and kvno into DIR:, s4u --out DIR:; MIT klist -A lists them and MIT kvno uses the cache', () => {
    const col = `DIR:${at('ours')}`;
    const k = tskrb(['kinit', '-k', '-t', p('web').keytab!, p('web').principal, '-f'], env(col));
    expect(k.code, k.stderr).toBe(0);
    expect(k.stdout).toMatch(/in DIR::.*\/ours\/tkt/);
    const v = tskrb(['kvno', p('cifs').principal], env(col));
    expect(v.code, v.stderr).toBe(0);
    const s4u = tskrb(
      [
        's4u',
        '-k',
        '-t',
        p('web').keytab!,
        p('web').principal,
        '--impersonate',
        'alice',
        '--spn',
        p('cifs').name,
        '--out',
        col,
      ],
      env(col),
    );
    expect(s4u.code, s4u.stderr).toBe(0);
    const mit = runTool('klist', ['-A'], env(col));
    expect(mit.code, mit.stderr).toBe(0);
    expect(mit.stdout).toContain('Default principal: HTTP/web.mit.test@MIT.TEST');
    expect(mit.stdout).toContain('Default principal: alice@MIT.TEST');
    expect(mit.stdout).toContain('cifs/file.mit.test@MIT.TEST');
    // kinit made web's cache the primary: MIT kvno works from it.
    const kv = runTool('kvno', [p('api').principal], env(col));
    expect(kv.code, kv.stderr).toBe(0);
    expect(kv.stdout).toContain('HTTP/api.mit.test@MIT.TEST: kvno = 1');
  });

  it('refuses KEYRING: with a hint that names the caches it can use (exit 1)', () => {
    const r = tskrb(['klist'], env('KEYRING:persistent:0'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/KEYRING.*keyctl.*DIR:/);
  });
});

describe.skipIf(!lab || !kcmCurrent)(
  `MIT: KCM: caches over sssd-kcm${lab && kcmCurrent ? '' : ' (KCM lab not running: npm run lab:up)'}`,
  () => {
    beforeAll(() => {
      buildOnce();
      dir = mkdtempSync(join(tmpdir(), 'tskrb-ccache-kcm-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('MIT: kinit alice into KCM:; tskrb klist reads it from sssd-kcm', () => {
      runTool('kdestroy', ['-A'], env('KCM:'));
      mitKinit('alice', 'KCM:');
      const r = tskrb(['klist', '--json'], env('KCM:'));
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as {
        cache: string;
        defaultPrincipal: string;
        tickets: { server: string }[];
      };
      expect(j.cache).toMatch(/^KCM:/);
      expect(j.defaultPrincipal).toBe('alice@MIT.TEST');
      expect(j.tickets.map((t) => t.server)).toEqual(['krbtgt/MIT.TEST@MIT.TEST']);
    });

    it('MIT: tskrb kinit bob into KCM: makes a second cache, the primary; MIT klist -A lists both and MIT kvno uses bob’s', () => {
      const k = tskrb(['kinit', '-k', '-t', p('bob').keytab!, p('bob').principal], env('KCM:'));
      expect(k.code, k.stderr).toBe(0);
      const mit = runTool('klist', ['-A'], env('KCM:'));
      expect(mit.code, mit.stderr).toBe(0);
      expect(mit.stdout.indexOf('Default principal: bob@MIT.TEST')).toBeLessThan(
        mit.stdout.indexOf('Default principal: alice@MIT.TEST'),
      );
      const kv = runTool('kvno', [p('web').principal], env('KCM:'));
      expect(kv.code, kv.stderr).toBe(0);
      // MIT kvno stored its ticket in the KCM cache: tskrb sees it.
      const l = tskrb(['klist'], env('KCM:'));
      expect(l.stdout).toContain('HTTP/web.mit.test@MIT.TEST');
      const rows = listRows(tskrb(['klist', '-l'], env('KCM:')).stdout);
      expect(rows.map(([who]) => who)).toEqual(['bob@MIT.TEST', 'alice@MIT.TEST']);
      // tskrb kvno stores into the primary KCM cache (bob's): MIT klist sees the ticket.
      const ours = tskrb(['kvno', p('api').principal], env('KCM:'));
      expect(ours.code, ours.stderr).toBe(0);
      expect(runTool('klist', [], env('KCM:')).stdout).toContain('HTTP/api.mit.test@MIT.TEST');
      expect(tskrb(['kswitch', '-p', 'alice@MIT.TEST'], env('KCM:')).code).toBe(0);
      expect(parseMitKlist(runTool('klist', [], env('KCM:')).stdout).defaultPrincipal).toBe('alice@MIT.TEST');
    });

    it('MIT: tskrb s4u --out KCM: puts alice’s S4U2Proxy ticket in a new KCM cache; MIT klist reads it', () => {
      const k = tskrb(['kinit', '-k', '-t', p('web').keytab!, p('web').principal, '-f'], env('KCM:'));
      expect(k.code, k.stderr).toBe(0);
      const r = tskrb(
        [
          's4u',
          '-k',
          '-t',
          p('web').keytab!,
          p('web').principal,
          '--impersonate',
          'alice',
          '--spn',
          p('cifs').name,
          '--out',
          'KCM:',
        ],
        env('KCM:'),
      );
      expect(r.code, r.stderr).toBe(0);
      const saved = /saved to (KCM:\S+)/.exec(r.stdout)?.[1];
      expect(saved).toBeDefined();
      const mit = parseMitKlist(runTool('klist', ['-c', saved!], env('KCM:')).stdout);
      expect(mit.defaultPrincipal).toBe('alice@MIT.TEST');
      expect(mit.tickets.map((t) => t.server)).toContain('cifs/file.mit.test@MIT.TEST');
      runTool('kdestroy', ['-A'], env('KCM:'));
    });
  },
);
