/**
 * describe --pcap finds Kerberos by content on ports it does not know: the test captures loopback with tshark
 * (started here, stopped by its PID) while MIT kinit gets alice a TGT, curl presents it to Apache with Negotiate
 * (port 18080) and ldapwhoami binds to slapd with SASL GSSAPI (port 10389); then it decodes the capture without
 * --port and opens the AP-REQs with the services' keytabs and the Wrap tokens of the SASL layer negotiation with
 * the subkeys the AP exchanges taught.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labJson, labOrStandIn, mitLab } from '../helpers/lab.js';
import { describeJson, hasTshark, nodes, opened, startCapture, stopCapture } from './pcap-capture.js';

/** The parts of .lab/apache.json and .lab/ldap.json used here (scripts/lab/README.md). */
interface ApacheLab {
  sites: { mit: { port: number; url: string; keytab: string; curlResolve: string; spn: string } };
}
interface LdapLab {
  service: { keytab: string; principal: string };
  env: Record<string, string>;
  servers: { none: { url: string; port: number } };
}

const lab = mitLab;
const apache = labJson<ApacheLab>('apache');
const ldap = labJson<LdapLab>('ldap');
const why = !lab
  ? ' (MIT lab not running)'
  : !apache || !ldap
    ? ' (Apache or LDAP lab not running)'
    : !hasTshark
      ? ' (no tshark)'
      : '';

describe.skipIf(why !== '')(`MIT + Apache + OpenLDAP: describe --pcap without --port${why}`, () => {
  const L = labOrStandIn(lab);
  const dir = mkdtempSync(join(tmpdir(), 'tskrb-pcap-content-'));
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await stopCapture(c);
    rmSync(dir, { recursive: true, force: true });
  });

  it('HTTP Negotiate on 18080 and an LDAP SASL GSSAPI bind on 10389 are found by content and opened', async () => {
    const site = apache!.sites.mit;
    const server = ldap!.servers.none;
    const alice = L.principals['alice']!;
    const file = join(dir, 'web.pcapng');
    const filter = `port 88 or port ${site.port} or port ${server.port}`;
    const child = await startCapture(file, 'pcapng', ['lo'], filter);
    children.push(child);
    const env = { ...process.env, ...L.env, ...ldap!.env, KRB5CCNAME: `FILE:${join(dir, 'cc')}` };
    try {
      execFileSync('kinit', [alice.principal], {
        env,
        input: `${alice.password}\n`,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      const who = execFileSync(
        'curl',
        [
          '-s',
          '--negotiate',
          '-u',
          ':',
          '--resolve',
          site.curlResolve,
          site.url.replace('127.0.0.1', site.curlResolve.split(':')[0]!),
        ],
        { env, encoding: 'utf8' },
      );
      expect(who).toContain('alice@');
      const dn = execFileSync('ldapwhoami', ['-Y', 'GSSAPI', '-H', server.url], {
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      expect(dn).toContain('uid=alice');
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await stopCapture(child);
    }
    const r = await describeJson(file, ['--keytab', site.keytab, '--keytab', ldap!.service.keytab], {
      scan: true,
    });
    expect(r.code).toBe(0);
    const found = r.head['found'] as { ports: number[]; exchanges: number };
    // The two servers, in the order they were used (frames written before tshark's filter took hold may add others).
    const ours = found.ports.filter((p) => p === site.port || p === server.port);
    expect(ours).toEqual([site.port, server.port]);
    const http = r.lines.filter((l) => (l as { carrier?: string }).carrier === 'http-negotiate');
    const sasl = r.lines.filter((l) => (l as { carrier?: string }).carrier === 'ldap-sasl');
    expect(http.length).toBeGreaterThanOrEqual(1);
    // AP-REQ/AP-REP, then the two steps of the security layer negotiation (RFC 4752 3.1).
    expect(sasl).toHaveLength(3);
    expect(found.exchanges).toBeGreaterThanOrEqual(http.length + sasl.length);
    expect(
      opened(http[0]!.request, /api\.mit\.test\.keytab key of HTTP\/api\.mit\.test@MIT\.TEST.*usage 2/),
    ).toBe(true);
    expect(opened(sasl[0]!.request, /ldap\.keytab key of ldap\/localhost@MIT\.TEST.*usage 2/)).toBe(true);
    for (const x of sasl)
      for (const s of [x.request, x.reply]) expect(s, `exchange ${x.exchange}`).toBeDefined();
    const wraps = sasl.slice(1).flatMap((x) => [...nodes(x.request?.explain), ...nodes(x.reply?.explain)]);
    expect(
      wraps.filter((n) => n.label === 'message' && /checksum verified with subkey/.test(n.note ?? '')),
    ).toHaveLength(2);
    // The KDC exchanges on port 88 come first, each before the service it got a ticket for.
    const order = r.lines.map((l) => (l as { carrier?: string }).carrier ?? l.step);
    expect(order.indexOf('http-negotiate')).toBeGreaterThan(order.indexOf('TGS'));
  }, 60000);
});
