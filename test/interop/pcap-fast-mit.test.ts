/**
 * describe --pcap on FAST-armored MIT traffic (and an armored AS exchange of the FAST-only realm): MIT kvno armors every TGS-REQ (implicit TGT armor) once kinit saw
 * the KDC offer FAST. The capture holds web's kinit -k, so the AS-REP opens with web's keytab, its TGT session key
 * opens the PA-TGS-REQ authenticators, and their subkeys make the armor keys that open the KrbFastReq (with the
 * inner PA-FOR-USER), the KrbFastResponse, and the TGS-REP enc-parts in the strengthened reply key.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExplainNode } from '../../src/explain/explain.js';
import { mitLab as lab, labOrStandIn } from '../helpers/lab.js';
import {
  describeJson,
  hasTshark,
  type Line,
  nodes,
  opened,
  type Side,
  sname,
  startCapture,
  stopCapture,
} from './pcap-capture.js';

/** The nodes labelled `label` under a side's tree. */
const find = (s: Side | undefined, label: string): ExplainNode[] =>
  nodes(s?.explain).filter((n) => n.label === label);

/** Whether the KrbFastReq of a request opened and names `user` in its inner PA-FOR-USER. */
function innerForUser(s: Side | undefined, user: string): boolean {
  return find(s, 'KrbFastReq').some((fastReq) =>
    nodes(fastReq)
      .filter((n) => n.label === 'PA-FOR-USER (129)')
      .some((pa) => (pa.children ?? []).some((c) => c.label === 'user' && c.value === user)),
  );
}

describe.skipIf(!lab || !hasTshark)(
  `MIT KDC: describe --pcap opens FAST-armored kvno -U -P${!lab ? ' (lab not running)' : !hasTshark ? ' (no tshark)' : ''}`,
  () => {
    const L = labOrStandIn(lab);
    const dir = mkdtempSync(join(tmpdir(), 'tskrb-pcap-fast-'));
    let child: ChildProcess | undefined;
    afterAll(async () => {
      if (child) await stopCapture(child);
      rmSync(dir, { recursive: true, force: true });
    });
    const p = (k: string) => L.principals[k]!;

    it('MIT: kinit -k web, kvno -U alice -P cifs/file.mit.test (armored); the S4U2Self and S4U2Proxy replies open', async () => {
      const file = join(dir, 'fast.pcapng');
      child = await startCapture(file, 'pcapng', ['lo']);
      const env = { ...process.env, ...L.env, KRB5CCNAME: `FILE:${join(dir, 'web.cc')}` };
      try {
        execFileSync('kinit', ['-k', '-t', p('web').keytab!, p('web').principal], { env });
        execFileSync('kvno', ['-U', 'alice', '-P', p('cifs').name], { env });
        // Under load the last replies reach the capture late: give them time before stopping it.
        await new Promise((r) => setTimeout(r, 1500));
      } finally {
        await stopCapture(child);
      }
      const { lines } = await describeJson(file, [
        '--keytab',
        p('web').keytab!,
        '--keytab',
        p('cifs').keytab!,
      ]);
      // Other suites share the lab: find this test's exchanges as the ones whose armor opened.
      const armored = (l: Line): boolean =>
        l.reply?.kind === 'TGS-REP' &&
        find(l.request, 'enc-fast-req').some((n) =>
          /^opened with the FAST armor key.*usage 51/.test(n.note ?? ''),
        ) &&
        find(l.reply, 'enc-fast-rep').some((n) =>
          /^opened with the FAST armor key.*usage 52/.test(n.note ?? ''),
        );
      const self = lines.find(
        (l) => l.step === 'S4U2Self' && sname(l.request) === 'HTTP/web.mit.test' && armored(l),
      );
      expect(self, 'an armored S4U2Self whose armor opened').toBeDefined();
      expect(innerForUser(self?.request, 'alice@MIT.TEST')).toBe(true);
      expect(find(self?.reply, 'strengthen-key')).toHaveLength(1);
      expect(opened(self?.reply, /^opened with the reply key strengthened by FAST .*usage 9/)).toBe(true);
      expect(opened(self?.reply, /web\.keytab key of HTTP\/web\.mit\.test@MIT\.TEST.*usage 2/)).toBe(true);
      const proxy = lines.find(
        (l) => l.step === 'S4U2Proxy' && sname(l.request) === 'cifs/file.mit.test' && armored(l),
      );
      expect(proxy, 'an armored S4U2Proxy whose armor opened').toBeDefined();
      expect(opened(proxy?.reply, /^opened with the reply key strengthened by FAST .*usage 9/)).toBe(true);
      expect(opened(proxy?.reply, /cifs\.keytab key of cifs\/file\.mit\.test@MIT\.TEST.*usage 2/)).toBe(true);
    }, 120_000);

    it('MIT FAST.TEST: kinit -T (armor TGT from a keytab, encrypted challenge); the armored AS exchange opens', async () => {
      const f = L.fast as { realm: string; user: string; armor: string };
      const armor = p(f.armor);
      const user = p(f.user);
      const file = join(dir, 'fast-as.pcapng');
      child = await startCapture(file, 'pcapng', ['lo']);
      const armorCc = `FILE:${join(dir, 'armor.cc')}`;
      try {
        execFileSync('kinit', ['-k', '-t', armor.keytab!, armor.principal], {
          env: { ...process.env, ...L.env, KRB5CCNAME: armorCc },
        });
        execFileSync('kinit', ['-T', armorCc, '-k', '-t', user.keytab!, user.principal], {
          env: { ...process.env, ...L.env, KRB5CCNAME: `FILE:${join(dir, 'user.cc')}` },
        });
        await new Promise((r) => setTimeout(r, 1500));
      } finally {
        await stopCapture(child);
      }
      const { lines } = await describeJson(file, ['--keytab', armor.keytab!, '--keytab', user.keytab!]);
      // The armor TGT's AS-REP opens with the armor keytab; its session key opens the armor AP-REQ authenticator.
      const userAs = lines.find(
        (l) =>
          l.step === 'AS' &&
          l.reply?.kind === 'AS-REP' &&
          opened(
            l.reply,
            /^opened with the reply key strengthened by FAST \(from .*fastuser\.keytab key of fastuser@FAST\.TEST.*usage 3/,
          ),
      );
      expect(userAs, 'an armored AS-REP for fastuser that opened').toBeDefined();
      expect(opened(userAs?.request, /^opened with the FAST armor key.*usage 51/)).toBe(true);
      expect(
        opened(userAs?.request, /^opened with the FAST client challenge key of .*fastuser.*usage 54/),
      ).toBe(true);
      expect(opened(userAs?.reply, /^opened with the FAST KDC challenge key of .*fastuser.*usage 55/)).toBe(
        true,
      );
      expect(find(userAs?.reply, 'strengthen-key')).toHaveLength(1);
    }, 120_000);
  },
);
