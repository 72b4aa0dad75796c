/**
 * describe --pcap on Samba traffic the test captures itself: a PAC-laden AS-REP too big for UDP
 * (KRB_ERR_RESPONSE_TOO_BIG, then TCP), the TGT opened with the exported krbtgt keytab so the PAC's KDC signature
 * is checked, the service ticket with the service's keytab, the AS-REP part with the password (salt from the capture).
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KdcClient } from '../../src/client/kdc-client.js';
import { labOrStandIn, labTransport, sambaLab } from '../helpers/lab.js';
import {
  checkEdges,
  cname,
  describeJson,
  hasTshark,
  nodes,
  opened,
  sname,
  startCapture,
  stopCapture,
} from './pcap-capture.js';

const lab = sambaLab;
const krbtgtKeytab = lab?.['krbtgt'] as { keytab?: string } | undefined;

describe.skipIf(!lab || !hasTshark)(
  `Samba KDC: describe --pcap on a capture tshark makes${!lab ? ' (lab not running)' : !hasTshark ? ' (no tshark)' : ''}`,
  () => {
    const L = labOrStandIn(lab);
    const dir = mkdtempSync(join(tmpdir(), 'tskrb-pcap-samba-'));
    const children: ChildProcess[] = [];
    afterAll(async () => {
      for (const c of children) await stopCapture(c);
      rmSync(dir, { recursive: true, force: true });
    });
    const alice = L.principals['alice']!;
    const filesvc = L.principals['filesvc']!;

    it('Samba: tskrb and MIT kinit/kvno as alice; RESPONSE_TOO_BIG then TCP, TGT and PAC checked with the krbtgt keytab', async () => {
      const file = join(dir, 'samba.pcapng');
      const child = await startCapture(file, 'pcapng', ['lo']);
      children.push(child);
      try {
        const s = await new KdcClient({ realm: L.realm, transport: labTransport(L) }).login({
          principal: alice.principal,
          password: alice.password,
        });
        await s.getServiceTicket('cifs/file.samba.test');
        const env = { ...process.env, ...L.env, KRB5CCNAME: `FILE:${join(dir, 'cc')}` };
        execFileSync('kinit', [alice.principal], {
          env,
          input: `${alice.password}\n`,
          stdio: ['pipe', 'ignore', 'ignore'],
        });
        execFileSync('kvno', ['cifs/file.samba.test'], { env, stdio: 'ignore' });
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        await stopCapture(child);
      }
      const keytabs = [krbtgtKeytab?.keytab, filesvc.keytab].filter(
        (k): k is string => typeof k === 'string',
      );
      const r = await describeJson(file, [
        ...keytabs.flatMap((k) => ['--keytab', k]),
        '--password',
        alice.password,
      ]);
      expect(r.code).toBe(0);
      expect(r.head['warnings']).toEqual([]);
      checkEdges(r.lines, (msg) => expect.fail(msg));
      const ours = r.lines.filter((l) => l.server.endsWith(':10088'));
      // The AS-REP with its PAC does not fit in UDP: Samba says so, and the client asks again over TCP.
      expect(
        ours.some(
          (l) =>
            l.transport === 'udp' && JSON.stringify(l.reply?.explain).includes('KRB_ERR_RESPONSE_TOO_BIG'),
        ),
      ).toBe(true);
      const as = ours.filter(
        (l) => l.step === 'AS' && cname(l.request) === 'alice' && l.reply?.kind === 'AS-REP',
      );
      expect(as.length).toBeGreaterThanOrEqual(2);
      for (const x of as) {
        expect(x.transport).toBe('tcp');
        expect(opened(x.reply, /the password \(salt "SAMBA\.TESTalice"\), usage 3/)).toBe(true);
        expect(opened(x.reply, /krbtgt\.keytab key of krbtgt\/SAMBA\.TEST@SAMBA\.TEST.*usage 2/)).toBe(true);
        const kdcSig = nodes(x.reply?.explain).find((n) => n.label === 'KDC');
        expect(kdcSig?.value).toBe('valid');
      }
      const tgs = ours.filter(
        (l) => l.step === 'TGS' && sname(l.request) === 'cifs/file.samba.test' && l.reply?.kind === 'TGS-REP',
      );
      expect(tgs.length).toBeGreaterThanOrEqual(2);
      for (const x of tgs) {
        expect(opened(x.reply, /filesvc\.keytab key of .*usage 2/)).toBe(true);
        expect(nodes(x.reply?.explain).find((n) => n.label === 'server')?.value).toBe('valid');
      }
    }, 60000);
  },
);
