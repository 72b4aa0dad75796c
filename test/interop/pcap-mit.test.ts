/**
 * describe --pcap on real traffic: the test captures loopback with tshark (started here, stopped by its PID)
 * while tskrb's KdcClient and MIT kinit/kvno talk to the MIT lab over UDP and TCP, then decodes the capture in
 * each file format tshark writes and opens the encrypted parts with the lab keytabs.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KdcClient } from '../../src/client/kdc-client.js';
import { KdcTransport } from '../../src/transport/index.js';
import { toHex } from '../../src/util/bytes.js';
import { labKeys, labOrStandIn, mitLab } from '../helpers/lab.js';
import {
  checkEdges,
  cname,
  describeJson,
  hasTshark,
  type Line,
  opened,
  sname,
  startCapture,
  stopCapture,
  TSHARK,
} from './pcap-capture.js';

const lab = mitLab;
/** First bytes of each format as written on this (little-endian) host. */
const MAGICS: Record<string, string> = { pcapng: '0a0d0d0a', pcap: 'd4c3b2a1', nsecpcap: '4d3cb2a1' };

describe.skipIf(!lab || !hasTshark)(
  `MIT KDC: describe --pcap on captures tshark makes${!lab ? ' (lab not running)' : !hasTshark ? ' (no tshark)' : ''}`,
  () => {
    const L = labOrStandIn(lab);
    const dir = mkdtempSync(join(tmpdir(), 'tskrb-pcap-'));
    const children: ChildProcess[] = [];
    afterAll(async () => {
      for (const c of children) await stopCapture(c);
      rmSync(dir, { recursive: true, force: true });
    });
    const p = (k: string) => L.principals[k]!;
    const keytabs = ['bob', 'web', 'cifs', 'ldapOther'].map((k) => p(k).keytab!);
    const tcpConf = join(dir, 'tcp.conf');
    writeFileSync(tcpConf, '[libdefaults]\n  udp_preference_limit = 1\n');

    /** The traffic: tskrb over UDP and TCP, MIT kinit and kvno (one over TCP), and MIT S4U2Self. */
    async function traffic(): Promise<void> {
      const kdcs = { [L.realm]: L.kdcs };
      const overUdp = new KdcClient({ realm: L.realm, transport: new KdcTransport({ kdcs }) });
      const bob = await overUdp.login({ principal: p('bob').principal, password: p('bob').password });
      await bob.getServiceTicket('cifs/file.mit.test');
      const overTcp = new KdcClient({
        realm: L.realm,
        transport: new KdcTransport({ kdcs, udpPreferenceLimit: 1 }),
      });
      const web = await overTcp.login({ principal: p('web').principal, keys: labKeys(p('web')) });
      await web.getServiceTicket('ldap/other.mit.test');
      const env = { ...process.env, ...L.env, KRB5CCNAME: `FILE:${join(dir, `cc-${Date.now()}`)}` };
      execFileSync('kinit', ['-k', '-t', p('web').keytab!, p('web').principal], { env });
      execFileSync('kvno', ['cifs/file.mit.test'], { env });
      execFileSync('kvno', ['-U', 'alice', p('web').principal], { env });
      const tcpEnv = { ...env, KRB5_CONFIG: `${tcpConf}:${L.env['KRB5_CONFIG']}` };
      execFileSync('kvno', ['ldap/other.mit.test'], { env: tcpEnv });
    }

    /** Captures the traffic live in `live` format, converts it to `format` when they differ, and describes it. */
    async function captured(
      live: string,
      format: string,
      interfaces: string[],
    ): Promise<{ head: Record<string, unknown>; lines: Line[] }> {
      const liveFile = join(dir, `live-${live}-${interfaces.join('-')}`);
      const child = await startCapture(liveFile, live, interfaces);
      children.push(child);
      try {
        await traffic();
        // Let the last replies reach the capture before stopping it.
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        await stopCapture(child);
      }
      let file = liveFile;
      if (format !== live) {
        // tshark saves live captures only as pcap or pcapng; other formats are written from a file.
        file = join(dir, `converted.${format}`);
        execFileSync(TSHARK, ['-r', liveFile, '-F', format, '-w', file], { stdio: 'ignore' });
      }
      const magic = toHex(readFileSync(file).subarray(0, 4));
      expect(magic).toBe(MAGICS[format]);
      const r = await describeJson(
        file,
        keytabs.flatMap((k) => ['--keytab', k]),
      );
      expect(r.code).toBe(0);
      return r;
    }

    it.each([
      ['pcapng', 'pcapng', ['lo'], 'pcapng'],
      ['pcap', 'pcap', ['lo'], 'pcap'],
      ['pcapng', 'nsecpcap', ['lo'], 'pcap'],
      ['pcapng', 'pcapng', ['lo', 'any'], 'pcapng'],
    ])(
      'MIT: tshark -F %s (saved as %s) on %j: every exchange decoded, paired, and opened with the lab keytabs',
      async (live, format, ifaces, kind) => {
        const { head, lines } = await captured(live, format, ifaces);
        expect(head['capture']).toMatchObject({ format: kind, interfaces: ifaces.length });
        expect(head['warnings']).toEqual([]);
        if (ifaces.length > 1) {
          // Loopback traffic seen on lo and on any: every UDP datagram and TCP segment twice, each counted once.
          expect(head['tcpRetransmissions']).toBeGreaterThan(0);
          // (Only this test's own UDP exchanges: other suites' traffic may be cut at the capture's edges.)
          const bobUdp = lines.filter((l) => l.transport === 'udp' && cname(l.request) === 'bob');
          expect(bobUdp.length).toBeGreaterThan(0);
          expect(bobUdp.every((l) => l.retransmissions >= 1)).toBe(true);
          // Each connection (one request each, as MIT and tskrb use them) is one exchange, not two.
          const tcpClients = lines.filter((l) => l.transport === 'tcp').map((l) => l.client);
          expect(new Set(tcpClients).size).toBe(tcpClients.length);
        }
        expect(lines.length).toBeGreaterThanOrEqual(8);
        // Every record decoded; exchanges lack a side only where other helpers' traffic was cut by the capture.
        checkEdges(lines, (msg) => expect.fail(msg));
        // tskrb over UDP: bob's AS-REP part opens with his keytab, the cifs ticket with cifs's, the TGS-REP part with the TGT session key.
        const bobAs = lines.find(
          (l) => l.step === 'AS' && cname(l.request) === 'bob' && l.reply?.kind === 'AS-REP',
        );
        expect(bobAs?.transport).toBe('udp');
        expect(opened(bobAs?.reply, /bob\.keytab key of bob@MIT\.TEST.*usage 3/)).toBe(true);
        const bobTgs = lines.find(
          (l) =>
            l.step === 'TGS' &&
            sname(l.request) === 'cifs/file.mit.test' &&
            l.reply?.explain?.value === 'ticket cifs/file.mit.test@MIT.TEST for bob@MIT.TEST',
        );
        expect(opened(bobTgs?.reply, /cifs\.keytab key of cifs\/file\.mit\.test@MIT\.TEST.*usage 2/)).toBe(
          true,
        );
        expect(
          opened(bobTgs?.request, /session key of krbtgt\/MIT\.TEST@MIT\.TEST from the reply, usage 7/),
        ).toBe(true);
        expect(opened(bobTgs?.reply, /usage [89]/)).toBe(true);
        // tskrb over TCP.
        const webTcp = lines.filter(
          (l) =>
            l.transport === 'tcp' &&
            l.reply?.kind === 'TGS-REP' &&
            sname(l.request) === 'ldap/other.mit.test',
        );
        expect(
          webTcp.some((l) =>
            opened(l.reply, /ldapOther\.keytab key of ldap\/other\.mit\.test@MIT\.TEST.*usage 2/),
          ),
        ).toBe(true);
        expect(
          lines.some(
            (l) =>
              l.transport === 'tcp' &&
              l.step === 'AS' &&
              opened(l.reply, /web\.keytab key of HTTP\/web\.mit\.test.*usage 3/),
          ),
        ).toBe(true);
        // MIT kinit -k and kvno: the AS-REP part opens with web's keytab, the tickets with the services' keytabs.
        // Other suites run S4U2Self at the same time: look for this one (web's ticket to itself as alice).
        const mitS4u = lines.filter(
          (l) =>
            l.step === 'S4U2Self' &&
            l.reply?.kind === 'TGS-REP' &&
            opened(l.reply, /web\.keytab key of HTTP\/web\.mit\.test@MIT\.TEST.*usage 2/) &&
            JSON.stringify(l.reply?.explain).includes('alice@MIT.TEST'),
        );
        expect(mitS4u.length).toBeGreaterThan(0);
      },
      60000,
    );
  },
);
