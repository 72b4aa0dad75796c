/**
 * The built `tskrb` binary against the Samba AD DC lab: kinit (reply too big for UDP), s4u with classic constrained
 * delegation and with resource-based delegation (RBCD, .kirbi out), the refusal of non-forwardable RBCD evidence,
 * kvno -U -P from a kinit -k ccache, and describe of each ticket with the target's keytab (PAC, S-1-18-2, path).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, mitTime, parseMitKlist, runTool, tskrb } from '../cli/spawn.js';
import { sambaLab as lab } from '../helpers/lab.js';

let dir = '';
const env = (): Record<string, string> => ({
  KRB5_CONFIG: lab!.krb5Conf,
  KRB5CCNAME: join(dir, 'default.cc'),
});
const p = (name: string) => lab!.principals[name]!;
const at = (f: string) => join(dir, f);
const spn = (name: string): string => (p(name)['spns'] as string[])[0]!;

describe.skipIf(!lab)('tskrb binary against Samba (lab not running)', () => {
  beforeAll(() => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'tskrb-cli-samba-'));
    writeFileSync(at('alice.pw'), `${p('alice').password}\n`);
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Samba: kinit with a password; MIT klist agrees with tskrb klist --json', () => {
    const r = tskrb(
      ['kinit', p('alice').principal, '--password-file', at('alice.pw'), '-c', at('alice.cc')],
      env(),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const mine = JSON.parse(tskrb(['klist', '-c', at('alice.cc'), '--json'], env()).stdout) as {
      defaultPrincipal: string;
      tickets: { server: string; endtime: string; flagLetters: string }[];
    };
    const mit = parseMitKlist(runTool('klist', ['-f', '-c', at('alice.cc')], env()).stdout);
    expect(mine.defaultPrincipal).toBe(mit.defaultPrincipal);
    expect(mine.tickets[0]!.server).toBe(mit.tickets[0]!.server);
    expect(mine.tickets[0]!.flagLetters).toBe(mit.tickets[0]!.flags);
    expect(new Date(mine.tickets[0]!.endtime).getTime()).toBe(mitTime(mit.tickets[0]!.end).getTime());
  });

  it('Samba: s4u with constrained delegation (websvc -> cifs/file); describe shows S-1-18-2 and the path', () => {
    const r = tskrb(
      [
        's4u',
        '-k',
        '-t',
        p('websvc').keytab!,
        p('websvc').principal,
        '--impersonate',
        'alice',
        '--spn',
        spn('filesvc'),
        '--out',
        at('kcd.cc'),
      ],
      env(),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('S4U2Self: ticket for websvc@SAMBA.TEST naming alice@SAMBA.TEST, forwardable');
    expect(r.stdout).toContain('PAC: alice S-1-5-21-');
    expect(r.stdout).toContain('S-1-18-2: service asserted identity (S4U)');
    expect(r.stdout).toContain(
      'S4U2Proxy: ticket for cifs/file.samba.test@SAMBA.TEST naming alice@SAMBA.TEST',
    );
    const d = tskrb(['describe', at('kcd.cc'), '--keytab', p('filesvc').keytab!], env());
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('sid: S-1-18-2  — Service Asserted Identity');
    expect(d.stdout).toContain('delegation: cifs/file.samba.test');
    expect(d.stdout).toContain('transited services: websvc@SAMBA.TEST');
    expect(d.stdout).toContain('server: valid');
  });

  it('Samba: s4u with RBCD (rbcdfront -> rbcdback) to a .kirbi, opened by describe with the resource keytab', () => {
    const r = tskrb(
      [
        's4u',
        '-k',
        '-t',
        p('rbcdfront').keytab!,
        p('rbcdfront').principal,
        '--impersonate',
        'alice',
        '--spn',
        spn('rbcdback'),
        '--rbcd',
        '--out',
        at('rbcd.kirbi'),
      ],
      env(),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`saved to ${at('rbcd.kirbi')} (KRB-CRED)`);
    const d = tskrb(['describe', at('rbcd.kirbi'), '--keytab', p('rbcdback').keytab!], env());
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^KRB-CRED: 1 ticket/);
    expect(d.stdout).toContain('cname: alice@SAMBA.TEST');
    expect(d.stdout).toContain('delegation: cifs/rbcdback.samba.test');
    expect(d.stdout).toContain('transited services: rbcdfront@SAMBA.TEST');
  });

  it('Samba: RBCD from a front without protocol transition is refused (non-forwardable evidence): exit 2', () => {
    const r = tskrb(
      [
        's4u',
        '-k',
        '-t',
        p('rbcdnoproto').keytab!,
        p('rbcdnoproto').principal,
        '--impersonate',
        'alice',
        '--spn',
        spn('rbcdback'),
        '--rbcd',
        '--out',
        at('no.cc'),
      ],
      env(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('warning: the evidence ticket is not forwardable');
    expect(r.stderr).toMatch(/tskrb: S4U2Proxy: KDC_ERR_\w+ .*\(hint: /);
  });

  it('Samba: s4u from a password, --self-only: the S4U2Self ticket to the front, written as a .kirbi', () => {
    writeFileSync(at('websvc.pw'), `${p('websvc').password}\n`);
    const r = tskrb(
      [
        's4u',
        p('websvc').principal,
        '--password-file',
        at('websvc.pw'),
        '--impersonate',
        'bob',
        '--self-only',
        '--out',
        at('self.kirbi'),
        '--json',
      ],
      env(),
    );
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
    expect(lines).toHaveLength(2);
    expect(lines[0]!['result']).toMatchObject({
      step: 'S4U2Self',
      client: 'bob@SAMBA.TEST',
      server: 'websvc@SAMBA.TEST',
    });
    expect(lines[1]).toEqual({ saved: `${at('self.kirbi')} (KRB-CRED)`, server: 'websvc@SAMBA.TEST' });
    const d = tskrb(['describe', at('self.kirbi'), '--keytab', p('websvc').keytab!], env());
    expect(d.stdout).toContain('sid: S-1-18-2  — Service Asserted Identity');
  });

  it('Samba: kvno -U -P with the front service TGT from kinit -k; --altservice in s4u renames the ticket', () => {
    const k = tskrb(
      ['kinit', '-k', '-t', p('websvc').keytab!, p('websvc').principal, '-c', at('websvc.cc')],
      env(),
    );
    expect(k.code).toBe(0);
    const r = tskrb(
      ['kvno', '-c', at('websvc.cc'), '-U', 'alice', '-P', spn('filesvc'), '--out', at('kvno.cc')],
      env(),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'cifs/file.samba.test@SAMBA.TEST: kvno = 3  (S4U2Proxy for alice@SAMBA.TEST, forwardable)\n',
    );
    const alt = tskrb(
      [
        's4u',
        '-c',
        at('websvc.cc'),
        '--impersonate',
        'alice',
        '--spn',
        spn('filesvc'),
        '--altservice',
        'host/file.samba.test',
        '--out',
        at('alt.cc'),
      ],
      env(),
    );
    expect(alt.code).toBe(0);
    expect(alt.stdout).toContain('altservice: the ticket now names host/file.samba.test@SAMBA.TEST');
    expect(parseMitKlist(runTool('klist', ['-c', at('alt.cc')], env()).stdout).tickets[0]!.server).toBe(
      'host/file.samba.test@SAMBA.TEST',
    );
  });
});
