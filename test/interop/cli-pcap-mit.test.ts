/**
 * `tskrb describe --pcap` as a user runs it: tshark captures loopback while the built binary logs in with a keytab
 * and asks kvno -U -P (S4U2Self, S4U2Proxy) of the MIT lab, then the binary describes the capture with the lab
 * keytabs: every exchange found, paired and opened.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOnce, tskrb } from '../cli/spawn.js';
import { mitLab as lab, labOrStandIn } from '../helpers/lab.js';
import { hasTshark, type Line, opened, sname, startCapture, stopCapture } from './pcap-capture.js';

describe.skipIf(!lab || !hasTshark)(
  `tskrb binary: describe --pcap of its own S4U traffic${!lab ? ' (lab not running)' : !hasTshark ? ' (no tshark)' : ''}`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'tskrb-cli-pcap-'));
    let child: ChildProcess | undefined;
    afterAll(async () => {
      if (child) await stopCapture(child);
      rmSync(dir, { recursive: true, force: true });
    });
    const L = labOrStandIn(lab);
    const p = (k: string) => L.principals[k]!;
    const env = { KRB5_CONFIG: L.krb5Conf };

    it('MIT: kinit -k and kvno -U -P captured by tshark; describe --pcap opens each exchange', async () => {
      buildOnce();
      const file = join(dir, 'cap.pcapng');
      child = await startCapture(file, 'pcapng', ['lo']);
      const cc = join(dir, 'web.cc');
      try {
        expect(tskrb(['kinit', '-k', '-t', p('web').keytab!, p('web').principal, '-c', cc], env).code).toBe(
          0,
        );
        const kvno = tskrb(
          ['kvno', '-c', cc, '-U', 'alice', '-P', p('cifs').name, '--out', join(dir, 'a.cc')],
          env,
        );
        expect(kvno.code).toBe(0);
        // Under load the last replies reach the capture late: give them time before stopping it.
        await new Promise((r) => setTimeout(r, 1500));
      } finally {
        await stopCapture(child);
      }
      const keytabs = ['web', 'cifs'].flatMap((k) => ['--keytab', p(k).keytab!]);
      const r = tskrb(['describe', '--pcap', file, ...keytabs, '--json'], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const lines = r.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => JSON.parse(l) as Line);
      // Other suites may run at the same time (Samba's S4U on its port too): pick this test's exchanges by name.
      const self = lines.find(
        (l) =>
          l.step === 'S4U2Self' && sname(l.request) === 'HTTP/web.mit.test' && l.reply?.kind === 'TGS-REP',
      );
      expect(self).toBeDefined();
      expect(opened(self?.reply, /web\.keytab key of HTTP\/web\.mit\.test@MIT\.TEST.*usage 2/)).toBe(true);
      const proxy = lines.find((l) => l.step === 'S4U2Proxy' && sname(l.request) === 'cifs/file.mit.test');
      expect(proxy?.reply?.kind).toBe('TGS-REP');
      expect(opened(proxy?.reply, /cifs\.keytab key of cifs\/file\.mit\.test@MIT\.TEST.*usage 2/)).toBe(true);
      // The text form tells the same exchanges.
      const text = tskrb(['describe', '--pcap', file, ...keytabs], env);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/S4U2Self/);
      expect(text.stdout).toMatch(/S4U2Proxy/);
    }, 120_000);
  },
);
