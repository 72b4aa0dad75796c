// Proves the MIT krb5 lab itself (scripts/lab/mit.sh) with MIT's own client tools: logins, S4U2Self and
// S4U2Proxy with the LDAP backend's delegation ACL, anonymous PKINIT, the FAST-only realm, cross-realm, rc4.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/** One principal as scripts/lab/mit.sh records it in mit.json. */
interface LabPrincipal {
  principal: string;
  password: string;
  keytab: string | null;
}

/** The parts of .lab/mit.json these tests read. */
interface MitLab {
  env: Record<string, string>;
  tools: Record<'kinit' | 'kvno' | 'klist', string>;
  principals: Record<string, LabPrincipal>;
}

const labRoot = process.env['TSKRB_LAB_DIR'] ?? fileURLToPath(new URL('../../.lab', import.meta.url));
const labFile = join(labRoot, 'mit.json');
const lab: MitLab | undefined = existsSync(labFile)
  ? (JSON.parse(readFileSync(labFile, 'utf8')) as MitLab)
  : undefined;

const scratch = mkdtempSync(join(tmpdir(), 'tskrb-lab-mit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let ccacheCount = 0;

/** A fresh, empty credential cache path for one test. */
function newCcache(): string {
  ccacheCount += 1;
  return `FILE:${join(scratch, `cc${ccacheCount}`)}`;
}

/** Runs one MIT client tool with the lab's krb5.conf and the given ccache. */
function run(lab: MitLab, tool: keyof MitLab['tools'], args: string[], ccache: string, input = '') {
  const env: NodeJS.ProcessEnv = { ...process.env, ...lab.env, KRB5CCNAME: ccache };
  delete env['KRB5_TRACE'];
  const r = spawnSync(lab.tools[tool], args, { env, input, encoding: 'utf8', timeout: 15_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Looks up a principal of the lab by its id in mit.json. */
function principal(lab: MitLab, id: string): LabPrincipal {
  const p = lab.principals[id];
  if (!p) throw new Error(`mit.json has no principal "${id}"`);
  return p;
}

/** The keytab path of a lab principal. */
function keytab(lab: MitLab, id: string): string {
  const kt = principal(lab, id).keytab;
  if (!kt) throw new Error(`mit.json principal "${id}" has no keytab`);
  return kt;
}

/** kinit with a password on stdin; fails the test with kinit's stderr if the login fails. */
function passwordLogin(lab: MitLab, id: string, ccache: string, extra: string[] = []): void {
  const p = principal(lab, id);
  const r = run(lab, 'kinit', [...extra, p.principal], ccache, `${p.password}\n`);
  expect(r.stderr.replace(/^Password for .*?: ?/, '').trim(), 'kinit stderr').toBe('');
  expect(r.status).toBe(0);
}

/** kinit -f from a keytab. */
function keytabLogin(lab: MitLab, id: string, ccache: string): void {
  const r = run(lab, 'kinit', ['-f', '-k', '-t', keytab(lab, id), principal(lab, id).principal], ccache);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

const title = lab
  ? 'MIT krb5 lab, proven with MIT client tools'
  : `MIT krb5 lab (lab not running: no ${labFile}; start it as root with npm run lab:up)`;

describe.skipIf(!lab)(title, () => {
  const l = lab as MitLab;

  it('MIT: alice logs in with her password and gets a forwardable TGT', () => {
    const cc = newCcache();
    passwordLogin(l, 'alice', cc, ['-f']);
    const list = run(l, 'klist', ['-f'], cc);
    expect(list.stdout).toContain('Default principal: alice@MIT.TEST');
    expect(list.stdout).toMatch(/krbtgt\/MIT\.TEST@MIT\.TEST\n.*Flags: F/);
  });

  it('MIT: HTTP/web (keytab) does S4U2Self then S4U2Proxy to cifs/file as alice', () => {
    const cc = newCcache();
    keytabLogin(l, 'web', cc);
    const r = run(l, 'kvno', ['-U', 'alice', '-P', 'cifs/file.mit.test'], cc);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('cifs/file.mit.test@MIT.TEST: kvno = 1');
    const list = run(l, 'klist', ['-f'], cc).stdout;
    expect(list).toMatch(/HTTP\/web\.mit\.test@MIT\.TEST\n\s+for client alice@MIT\.TEST, .*Flags: F/);
    expect(list).toMatch(/cifs\/file\.mit\.test@MIT\.TEST\n\s+for client alice@MIT\.TEST/);
  });

  it('MIT: S4U2Proxy to ldap/other, which is not in krbAllowedToDelegateTo, is refused (KDC_ERR_BADOPTION)', () => {
    const cc = newCcache();
    keytabLogin(l, 'web', cc);
    const r = run(l, 'kvno', ['-U', 'alice', '-P', 'ldap/other.mit.test'], cc);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("KDC can't fulfill requested option ldap/other.mit.test@MIT.TEST");
  });

  it('MIT: HTTP/noproto (no ok_to_auth_as_delegate) gets a non-forwardable S4U2Self ticket and S4U2Proxy fails', () => {
    const cc = newCcache();
    keytabLogin(l, 'noproto', cc);
    const r = run(l, 'kvno', ['-U', 'alice', '-P', 'cifs/file.mit.test'], cc);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("KDC can't fulfill requested option cifs/file.mit.test@MIT.TEST");
    const list = run(l, 'klist', ['-f'], cc).stdout;
    const self = list.match(
      /HTTP\/noproto\.mit\.test@MIT\.TEST\n\s+for client alice@MIT\.TEST, .*Flags: (\w+)/,
    );
    expect(self?.[1]).toBeDefined();
    expect(self?.[1]).not.toContain('F');
  });

  it.each(['MIT.TEST', 'FAST.TEST'])('%s: anonymous PKINIT (kinit -n) against the lab CA', (realm) => {
    const cc = newCcache();
    const r = run(l, 'kinit', ['-n', `@${realm}`], cc);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const list = run(l, 'klist', [], cc).stdout;
    expect(list).toContain('Default principal: WELLKNOWN/ANONYMOUS@WELLKNOWN:ANONYMOUS');
    expect(list).toContain(`krbtgt/${realm}@${realm}`);
  });

  it('FAST.TEST: fastuser cannot log in without FAST armor', () => {
    const p = principal(l, 'fastuser');
    const r = run(l, 'kinit', [p.principal], newCcache(), `${p.password}\n`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Pre-authentication failed');
  });

  it('FAST.TEST: fastuser logs in with armor from a keytab TGT and from anonymous PKINIT (kinit -T)', () => {
    const keytabArmor = newCcache();
    keytabLogin(l, 'armor', keytabArmor);
    const anonArmor = newCcache();
    expect(run(l, 'kinit', ['-n', '@FAST.TEST'], anonArmor).status).toBe(0);
    for (const armor of [keytabArmor, anonArmor]) {
      const cc = newCcache();
      passwordLogin(l, 'fastuser', cc, ['-T', armor]);
      expect(run(l, 'klist', [], cc).stdout).toContain('Default principal: fastuser@FAST.TEST');
    }
  });

  it('cross-realm: alice (MIT.TEST) gets a ticket to HTTP/svc.other.test@OTHER.TEST', () => {
    const cc = newCcache();
    passwordLogin(l, 'alice', cc);
    const r = run(l, 'kvno', ['HTTP/svc.other.test@OTHER.TEST'], cc);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('HTTP/svc.other.test@OTHER.TEST: kvno = 1');
    expect(run(l, 'klist', [], cc).stdout).toContain('krbtgt/OTHER.TEST@MIT.TEST');
  });

  it('MIT: rc4user issues an rc4 (arcfour-hmac) session key when asked', () => {
    const cc = newCcache();
    passwordLogin(l, 'alice', cc);
    const r = run(l, 'kvno', ['-e', 'arcfour-hmac', 'rc4user'], cc);
    expect(r.stderr).toBe('');
    expect(run(l, 'klist', ['-e'], cc).stdout).toMatch(
      /rc4user@MIT\.TEST\n.*Etype \(skey, tkt\): \S*arcfour-hmac,/,
    );
  });
});
