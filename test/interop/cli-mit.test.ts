/**
 * The built `tskrb` binary against the MIT lab: kinit (password file, stdin, keytab), klist compared with MIT klist
 * on the same ccache, kvno, kvno -U -P, s4u, describe of what they wrote, and exit codes of refusals and outages.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, mitTime, parseMitKlist, runTool, tskrb } from '../cli/spawn.js';
import { mitLab as lab } from '../helpers/lab.js';

let dir = '';
const env = (): Record<string, string> => ({
  KRB5_CONFIG: lab!.krb5Conf,
  KRB5CCNAME: join(dir, 'default.cc'),
});
const p = (name: string) => lab!.principals[name]!;
const at = (f: string) => join(dir, f);

interface KlistJson {
  defaultPrincipal: string;
  tickets: {
    client: string;
    server: string;
    starttime: string;
    endtime: string;
    renewTill?: string;
    flags: string[];
    flagLetters: string;
    sessionKeyEtype: number;
    ticketEtype: number;
  }[];
}

/** Our klist --json and MIT klist -f on the same ccache agree on principals, flags and times. */
function expectSameAsMitKlist(cache: string): KlistJson {
  const ours = tskrb(['klist', '-c', cache, '--json'], env());
  expect(ours.code).toBe(0);
  const mine = JSON.parse(ours.stdout) as KlistJson;
  const mit = runTool('klist', ['-f', '-c', cache], env());
  expect(mit.code).toBe(0);
  const theirs = parseMitKlist(mit.stdout);
  expect(mine.defaultPrincipal).toBe(theirs.defaultPrincipal);
  expect(mine.tickets.map((t) => t.server)).toEqual(theirs.tickets.map((t) => t.server));
  mine.tickets.forEach((t, i) => {
    const m = theirs.tickets[i]!;
    expect(t.flagLetters).toBe(m.flags);
    expect(new Date(t.starttime).getTime()).toBe(mitTime(m.start).getTime());
    expect(new Date(t.endtime).getTime()).toBe(mitTime(m.end).getTime());
    expect(t.renewTill === undefined ? undefined : new Date(t.renewTill).getTime()).toBe(
      m.renewUntil === undefined ? undefined : mitTime(m.renewUntil).getTime(),
    );
  });
  // The text form lays out each ticket line exactly as MIT does.
  const text = tskrb(['klist', '-c', cache], env()).stdout;
  for (const m of theirs.tickets) expect(text).toContain(`${m.start}  ${m.end}  ${m.server}\n`);
  return mine;
}

describe.skipIf(!lab)('tskrb binary against MIT (lab not running)', () => {
  beforeAll(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'tskrb-cli-mit-'));
    writeFileSync(at('alice.pw'), `${p('alice').password}\n`);
    writeFileSync(at('wrong.pw'), 'not-the-password\n');
    writeFileSync(at('garbage.cc'), 'this is not a ccache');
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('MIT: kinit with --password-file writes a TGT that MIT klist reads the same way tskrb klist does', () => {
    const r = tskrb(
      ['kinit', p('alice').principal, '--password-file', at('alice.pw'), '-c', at('alice.cc'), '-r', '1d'],
      env(),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('krbtgt/MIT.TEST@MIT.TEST for alice@MIT.TEST');
    const k = expectSameAsMitKlist(at('alice.cc'));
    expect(k.tickets[0]!.flags).toEqual(expect.arrayContaining(['initial', 'pre-authent', 'renewable']));
  });

  it('MIT: kinit -l 1h -S service: an AS exchange straight for a service ticket, one hour long', () => {
    const r = tskrb(
      [
        'kinit',
        p('alice').principal,
        '--password-file',
        at('alice.pw'),
        '-l',
        '1h',
        '-S',
        p('web').principal,
        '-c',
        at('svc.cc'),
      ],
      env(),
    );
    expect(r.code).toBe(0);
    const k = expectSameAsMitKlist(at('svc.cc'));
    expect(k.tickets.map((t) => t.server)).toEqual(['HTTP/web.mit.test@MIT.TEST']);
    expect(Date.parse(k.tickets[0]!.endtime) - Date.parse(k.tickets[0]!.starttime)).toBe(3600_000);
  });

  it('MIT: kinit reads the password from standard input when it is not a terminal', () => {
    const r = tskrb(
      ['kinit', 'alice', '--realm', 'MIT.TEST', '-c', at('stdin.cc')],
      env(),
      `${p('alice').password}\n`,
    );
    expect(r.code).toBe(0);
    expect(runTool('klist', ['-c', at('stdin.cc')], env()).stdout).toContain(
      'Default principal: alice@MIT.TEST',
    );
  });

  it.skipIf(!existsSync('/usr/bin/script'))(
    'MIT: kinit on a terminal prompts for the password and does not echo it (script(1) gives it a pty)',
    async () => {
      const pw = p('alice').password;
      const cmd = `node ${join(process.cwd(), 'dist/cli/main.js')} kinit alice@MIT.TEST -c ${at('tty.cc')}`;
      const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, ...env() } });
      let out = '';
      let sent = false;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // Typed a moment after the prompt, as a person would (script(1) echoes what arrives before).
        if (out.includes('Password for alice@MIT.TEST: ') && !sent) {
          sent = true;
          setTimeout(() => child.stdin.write(`${pw}\r`), 300);
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
      expect(out).toContain('Password for alice@MIT.TEST: ');
      expect(out).not.toContain(pw);
      expect(runTool('klist', ['-c', at('tty.cc')], env()).stdout).toContain(
        'Default principal: alice@MIT.TEST',
      );
    },
    30_000,
  );

  it('MIT: kinit -k -t keytab, with the KDC named by --kdc and no krb5.conf', () => {
    const r = tskrb(
      [
        'kinit',
        '-k',
        '-t',
        p('web').keytab!,
        p('web').principal,
        '-c',
        at('web.cc'),
        '--kdc',
        lab!.kdcs[0]!,
        '-f',
      ],
      { KRB5_CONFIG: at('none.conf') },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(expectSameAsMitKlist(at('web.cc')).tickets[0]!.flagLetters).toContain('F');
  });

  it('MIT: klist compares with MIT klist on a ccache MIT kinit wrote', () => {
    const k = runTool(
      'kinit',
      ['-k', '-t', p('bob').keytab!, '-c', at('mit-bob.cc'), '-f', '-r', '2d', p('bob').principal],
      env(),
    );
    expect(k.code).toBe(0);
    expect(runTool('kvno', ['-c', at('mit-bob.cc'), p('web').principal], env()).code).toBe(0);
    const mine = expectSameAsMitKlist(at('mit-bob.cc'));
    expect(mine.tickets.map((t) => t.server)).toContain('HTTP/web.mit.test@MIT.TEST');
  });

  it('MIT: kvno gets a service ticket, stores it in the ccache, and MIT kvno accepts our ccache', () => {
    const r = tskrb(['kvno', '-c', at('web.cc'), p('cifs').principal, '-k', p('cifs').keytab!], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cifs/file.mit.test@MIT.TEST: kvno = 1');
    expect(r.stdout).toContain('opens the ticket for cifs/file.mit.test@MIT.TEST');
    expect(expectSameAsMitKlist(at('web.cc')).tickets.map((t) => t.server)).toContain(
      'cifs/file.mit.test@MIT.TEST',
    );
    const mit = runTool('kvno', ['-c', at('web.cc'), p('ldapOther').principal], env());
    expect(mit.stdout).toContain('ldap/other.mit.test@MIT.TEST: kvno = 1');
  });

  it('MIT: kvno -U -P: S4U2Self then S4U2Proxy, written to --out; describe opens it with the target keytab', () => {
    const r = tskrb(
      ['kvno', '-c', at('web.cc'), '-U', 'alice', '-P', p('cifs').principal, '--out', at('alice-cifs.cc')],
      env(),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'cifs/file.mit.test@MIT.TEST: kvno = 1  (S4U2Proxy for alice@MIT.TEST, forwardable)\n',
    );
    const k = expectSameAsMitKlist(at('alice-cifs.cc'));
    expect(k.defaultPrincipal).toBe('alice@MIT.TEST');
    const d = tskrb(['describe', at('alice-cifs.cc'), '--keytab', p('cifs').keytab!], env());
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/enc-part: .*opened with .*cifs\.keytab key of cifs\/file\.mit\.test@MIT\.TEST/);
    expect(d.stdout).toContain('cname: alice@MIT.TEST');
  });

  it('MIT: s4u from a keytab (constrained delegation), ccache out; a target outside the list is refused with exit 2', () => {
    const args = ['s4u', '-k', '-t', p('web').keytab!, p('web').principal, '--impersonate', 'alice'];
    const ok = tskrb([...args, '--spn', p('cifs').name, '--out', at('s4u.cc')], env());
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(
      'S4U2Self: ticket for HTTP/web.mit.test@MIT.TEST naming alice@MIT.TEST, forwardable',
    );
    expect(ok.stdout).toContain('S4U2Proxy: ticket for cifs/file.mit.test@MIT.TEST naming alice@MIT.TEST');
    expect(ok.stdout).toContain(`saved to FILE:${at('s4u.cc')}`);
    expect(parseMitKlist(runTool('klist', ['-f', '-c', at('s4u.cc')], env()).stdout).tickets[0]!.server).toBe(
      'cifs/file.mit.test@MIT.TEST',
    );
    const refused = tskrb([...args, '--spn', p('ldapOther').name, '--out', at('no.cc')], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^tskrb: S4U2Proxy: KDC_ERR_BADOPTION .*\(hint: S4U2Proxy refused: /);
  });

  it('MIT: kinit --fast on FAST.TEST armors with anonymous PKINIT (anchors from krb5.conf); without it exit 2', () => {
    writeFileSync(at('fast.pw'), `${p('fastuser').password}\n`);
    const args = ['kinit', p('fastuser').principal, '--password-file', at('fast.pw'), '-c', at('fast.cc')];
    const r = tskrb([...args, '--fast', '--trace', '--json'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"requestAnonymous":true');
    // PA-FX-FAST (136) carries the armored request.
    expect(r.stdout).toContain('"padataType":136');
    expect(expectSameAsMitKlist(at('fast.cc')).defaultPrincipal).toBe('fastuser@FAST.TEST');
    const plain = tskrb(args, env());
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('(hint: ');
  });

  it('MIT: kinit -n gets an anonymous TGT by PKINIT', () => {
    const r = tskrb(['kinit', '-n', '@MIT.TEST', '-c', at('anon.cc')], env());
    expect(r.code).toBe(0);
    const k = expectSameAsMitKlist(at('anon.cc'));
    expect(k.defaultPrincipal).toBe('WELLKNOWN/ANONYMOUS@WELLKNOWN:ANONYMOUS');
    expect(k.tickets[0]!.flags).toContain('anonymous');
  });

  it('MIT: kvno across realms with --kdc REALM=host:port and no krb5.conf (referral MIT.TEST -> OTHER.TEST)', () => {
    const other = lab!.realms!['OTHER.TEST']!.kdcs[0]!;
    const r = tskrb(
      [
        'kvno',
        '-c',
        at('alice.cc'),
        p('svcOther').principal,
        '--kdc',
        lab!.kdcs[0]!,
        '--kdc',
        `OTHER.TEST=${other}`,
        '--out',
        at('x-realm.cc'),
      ],
      { KRB5_CONFIG: at('none.conf') },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('HTTP/svc.other.test@OTHER.TEST: kvno = 1\n');
    expect(parseMitKlist(runTool('klist', ['-c', at('x-realm.cc')], env()).stdout).tickets[0]!.server).toBe(
      'HTTP/svc.other.test@OTHER.TEST',
    );
  });

  it('MIT: kvno --u2u gets a user-to-user ticket to bob, as MIT kvno --u2u does', () => {
    expect(
      tskrb(['kinit', '-k', '-t', p('bob').keytab!, p('bob').principal, '-c', at('bob.cc')], env()).code,
    ).toBe(0);
    const r = tskrb(['kvno', '-c', at('alice.cc'), '--u2u', at('bob.cc'), p('bob').principal], env());
    expect(r.code).toBe(0);
    const mit = runTool('kvno', ['-c', at('alice.cc'), '--u2u', at('bob.cc'), p('bob').principal], env());
    expect(mit.code).toBe(0);
    expect(r.stdout.split('  (')[0]).toBe(mit.stdout.trim());
    expect(r.stdout).toContain('(user-to-user, in the session key of its TGT)');
  });

  it('MIT: wrong password exits 2 with PREAUTH_FAILED and its hint on one line', () => {
    const r = tskrb(
      ['kinit', p('alice').principal, '--password-file', at('wrong.pw'), '-c', at('x.cc')],
      env(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tskrb: AS: KDC_ERR_PREAUTH_FAILED \(24\).*\(hint: wrong password.*\)\n$/);
    expect(r.stdout).toBe('');
  });

  it('MIT: an unreachable KDC exits 3; --debug adds the stack', () => {
    const r = tskrb(
      [
        'kinit',
        p('alice').principal,
        '--password-file',
        at('alice.pw'),
        '-c',
        at('x.cc'),
        '--kdc',
        '127.0.0.1:1',
        '--debug',
      ],
      env(),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^tskrb: no KDC of realm MIT\.TEST answered/);
    expect(r.stderr).toContain('\n    at ');
  });

  it('MIT: a ccache that is not one exits 5; an unknown option exits 1', () => {
    expect(tskrb(['klist', '-c', at('garbage.cc')], env()).code).toBe(5);
    expect(tskrb(['kvno', '-c', at('garbage.cc'), 'x'], env()).code).toBe(5);
    const u = tskrb(['kinit', '--password', 'secret'], env());
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('unknown option --password');
  });

  it('MIT: --trace --json prints one JSON line per trace event, then the result', () => {
    const r = tskrb(['kvno', '-c', at('web.cc'), p('cifs').principal, '--trace', '--json'], env());
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, { phase?: string }>);
    const phases = lines.filter((l) => l['trace']).map((l) => l['trace']!.phase);
    expect(phases).toEqual(['request', 'receive', 'validate', 'result']);
    expect(lines[lines.length - 1]!['result']).toMatchObject({ server: 'cifs/file.mit.test@MIT.TEST' });
    expect(r.stdout).not.toMatch(/"keyvalue":"[0-9a-f]{32,}"/);
  });

  it('MIT: --trace prints the exchange as an annotated tree', () => {
    const r = tskrb(['kvno', '-c', at('web.cc'), p('cifs').principal, '--trace'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^#1 TGS: \d+ ms {2}— request → KDC → reply → decrypt → checks → result\n/);
    expect(r.stdout).toContain('├─ reply from KDC: ');
    expect(r.stdout).toContain('│     ├─ nonce: ok');
    expect(r.stdout).toContain('key: etype 18 [redacted 32 bytes]');
  });
});
