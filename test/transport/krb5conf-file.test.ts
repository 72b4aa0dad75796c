import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { profileStrings } from '../../src/transport/krb5conf.js';
import { krb5ConfigPaths, loadKrb5Conf, loadKrb5Profile } from '../../src/transport/krb5conf-file.js';

const dir = mkdtempSync(join(tmpdir(), 'tskrb-krb5conf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('krb5ConfigPaths', () => {
  it.each([
    [{}, ['/etc/krb5.conf']],
    [{ KRB5_CONFIG: '' }, ['/etc/krb5.conf']],
    [{ KRB5_CONFIG: '/a.conf' }, ['/a.conf']],
    [{ KRB5_CONFIG: '/a.conf:/b.conf::' }, ['/a.conf', '/b.conf']],
  ])('%o -> %o', (env, paths) => {
    expect(krb5ConfigPaths(env)).toEqual(paths);
  });
});

describe('loadKrb5Conf', () => {
  it('merges KRB5_CONFIG files in order (earlier wins), skipping missing ones', () => {
    const a = file(
      'a.conf',
      '[libdefaults]\n default_realm = A.TEST\n[realms]\n A.TEST = {\n  kdc = a1:88\n }\n',
    );
    const b = file(
      'b.conf',
      '[libdefaults]\n default_realm = B.TEST\n udp_preference_limit = 7\n[realms]\n A.TEST = {\n  kdc = a2:88\n }\n',
    );
    const s = loadKrb5Conf({ KRB5_CONFIG: `${a}:${join(dir, 'missing.conf')}:${b}` });
    expect(s.defaultRealm).toBe('A.TEST');
    expect(s.udpPreferenceLimit).toBe(7);
    expect(s.realms.get('A.TEST')?.kdcs).toEqual(['a1:88', 'a2:88']);
  });

  it('follows include and includedir (only names MIT would read)', () => {
    const inc = file('inc.conf', '[realms]\n I.TEST = {\n  kdc = i:88\n }\n');
    const d = join(dir, 'conf.d');
    mkdirSync(d);
    writeFileSync(join(d, '10-realm'), '[realms]\n D.TEST = {\n  kdc = d:88\n }\n');
    writeFileSync(join(d, 'x.conf'), '[realms]\n X.TEST = {\n  kdc = x:88\n }\n');
    writeFileSync(join(d, 'skipped~'), '[realms]\n SKIP.TEST = {\n  kdc = s:88\n }\n');
    writeFileSync(join(d, '.hidden.conf'), '[realms]\n HIDDEN.TEST = {\n  kdc = h:88\n }\n');
    const main = file(
      'main.conf',
      `include ${inc}\nincludedir ${d}\n[libdefaults]\n default_realm = I.TEST\n`,
    );
    const s = loadKrb5Conf({ KRB5_CONFIG: main });
    expect([...s.realms.keys()].sort()).toEqual(['D.TEST', 'I.TEST', 'X.TEST']);
    expect(s.defaultRealm).toBe('I.TEST');
  });

  it('refuses a relative include, and stops include loops', () => {
    const rel = file('rel.conf', 'include relative.conf\n');
    expect(() => loadKrb5Profile([rel])).toThrow(FormatError);
    const loop = join(dir, 'loop.conf');
    writeFileSync(loop, `include ${loop}\n`);
    expect(() => loadKrb5Profile([loop])).toThrow(/nested too deeply/);
  });

  it('an absent file gives an empty profile with MIT defaults', () => {
    const s = loadKrb5Conf({ KRB5_CONFIG: join(dir, 'nothing-here.conf') });
    expect(s.realms.size).toBe(0);
    expect(profileStrings(s.profile, ['libdefaults', 'default_realm'])).toEqual([]);
  });
});
