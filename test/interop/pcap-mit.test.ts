/**
 * describe --pcap on real traffic: the test captures loopback with tshark (started here, stopped by its PID)
 * while tskrb's KdcClient and MIT kinit/kvno talk to the MIT lab over UDP and TCP, then decodes the capture in
 * each file format tshark writes and opens the encrypted parts with the lab keytabs.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { describeCommand } from '../../src/cli/commands/describe.js';
import { describePcap } from '../../src/cli/commands/describe-pcap.js';
import type { ExplainNode } from '../../src/cli/explain.js';
import { ioFor } from '../../src/cli/node-io.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { KdcTransport } from '../../src/transport/index.js';
import { toHex } from '../../src/util/bytes.js';
import { labKeys, mitLab } from '../helpers/lab.js';

const lab = mitLab;
const TSHARK = '/usr/bin/tshark';
const hasTshark = existsSync(TSHARK);
const PORTS = [88, 10088, 10188, 10288];
const SETTLE_MS = 1500;
/** First bytes of each format as written on this (little-endian) host. */
const MAGICS: Record<string, string> = { pcapng: '0a0d0d0a', pcap: 'd4c3b2a1', nsecpcap: '4d3cb2a1' };
const FILTER = PORTS.map((p) => `port ${p}`).join(' or ');

/** Starts tshark writing `file` in `format`; resolves once it says it is capturing. */
function startCapture(file: string, format: string, interfaces: string[]): Promise<ChildProcess> {
  const args = [...interfaces.flatMap((i) => ['-i', i]), '-f', FILTER, '-F', format, '-w', file, '-q'];
  const child = spawn(TSHARK, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tshark did not start: ${err}`)), 20000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (/Capturing on/.test(err)) {
        clearTimeout(timer);
        // tshark says so as dumpcap opens the interface; give the filter a moment to be in place.
        setTimeout(() => resolve(child), SETTLE_MS);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tshark exited (${code}): ${err}`));
    });
  });
}

/** Stops the tshark this test started, by its PID, and waits for it to finish the file. */
function stopCapture(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    if (child.pid !== undefined) process.kill(child.pid, 'SIGINT');
  });
}

/** Every node of a tree, depth first. */
function nodes(n: ExplainNode | undefined): ExplainNode[] {
  return n === undefined ? [] : [n, ...(n.children ?? []).flatMap(nodes)];
}

interface Side {
  frame: number;
  time: string;
  kind?: string;
  error?: string;
  value?: { reqBody?: { cname?: { nameString: string[] }; sname?: { nameString: string[] } } };
  explain?: ExplainNode;
}
interface Line {
  exchange: number;
  step?: string;
  transport: 'udp' | 'tcp';
  retransmissions: number;
  request?: Side;
  reply?: Side;
}

describe.skipIf(!lab || !hasTshark)(
  `MIT KDC: describe --pcap on captures tshark makes${!lab ? ' (lab not running)' : !hasTshark ? ' (no tshark)' : ''}`,
  () => {
    const L = lab!;
    const dir = mkdtempSync(join(tmpdir(), 'tskrb-pcap-'));
    const children: ChildProcess[] = [];
    afterAll(async () => {
      for (const c of children) await stopCapture(c);
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
      const out: string[] = [];
      const io = { ...ioFor(['--no-color']), stdout: (t: string) => out.push(t) };
      const argv = ['--json', ...keytabs.flatMap((k) => ['--keytab', k])];
      const specs = [...describeCommand.options, { name: 'port', value: 'N', repeat: true, help: '' }];
      expect(await describePcap(file, parseArgs(argv, specs, 'describe'), io)).toBe(0);
      const [head, ...rest] = out
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown);
      return { head: head as Record<string, unknown>, lines: rest as Line[] };
    }

    const cname = (s: Side | undefined) => s?.value?.reqBody?.cname?.nameString.join('/');
    const sname = (s: Side | undefined) => s?.value?.reqBody?.sname?.nameString.join('/');
    const opened = (s: Side | undefined, re: RegExp) =>
      nodes(s?.explain).some((n) => n.note !== undefined && /^opened with/.test(n.note) && re.test(n.note));

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
          expect(lines.filter((l) => l.transport === 'udp').every((l) => l.retransmissions >= 1)).toBe(true);
        }
        expect(lines.length).toBeGreaterThanOrEqual(8);
        // Other helpers share the lab: their exchanges may be cut by the capture's start or end, never in between.
        const times = lines.flatMap((l) => [l.request?.time, l.reply?.time]).filter((t) => t !== undefined);
        const ms = (t: string) => Date.parse(t);
        const first = Math.min(...times.map(ms));
        const last = Math.max(...times.map(ms));
        for (const l of lines) {
          expect(l.request?.error ?? l.reply?.error, `exchange ${l.exchange}`).toBeUndefined();
          if (l.request === undefined) expect(ms(l.reply!.time) - first).toBeLessThan(1000);
          else expect(l.request.kind, `exchange ${l.exchange}`).toMatch(/^(AS|TGS)-REQ$/);
          if (l.reply === undefined) expect(last - ms(l.request!.time)).toBeLessThan(3000);
          else expect(l.reply.kind, `exchange ${l.exchange}`).toMatch(/^(AS-REP|TGS-REP|KRB-ERROR)$/);
        }
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
            opened(l.request, /session key of krbtgt/),
        );
        expect(opened(bobTgs?.reply, /cifs\.keytab key of cifs\/file\.mit\.test@MIT\.TEST.*usage 2/)).toBe(
          true,
        );
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
        const mitS4u = lines.find((l) => l.step === 'S4U2Self' && l.reply?.kind === 'TGS-REP');
        expect(opened(mitS4u?.reply, /web\.keytab key of HTTP\/web\.mit\.test@MIT\.TEST.*usage 2/)).toBe(
          true,
        );
        expect(JSON.stringify(mitS4u?.reply?.explain)).toContain('alice@MIT.TEST');
      },
      60000,
    );
  },
);
