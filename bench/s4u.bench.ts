/**
 * S4U2Self + S4U2Proxy pairs against the MIT and Samba lab KDCs from a warm client (service TGT already held),
 * beside MIT `kvno -U alice -P <target>` (whole process, from a TGT-only ccache copy; `sh + cp` measured alone so it
 * can be subtracted) on the same KDC in the same run, and the DelegationClient's cache hit. Impacket's getST.py
 * (Debian python3-impacket, port 88 only, so the MIT lab) is tried once per run: it is benched only if it succeeds,
 * else its error is printed. Needs the lab (npm run lab:up); without it the bench says so and measures nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { KdcClient } from '../src/client/index.js';
import { s4u2proxy } from '../src/client/s4u2proxy.js';
import { s4u2self } from '../src/client/s4u2self.js';
import { DelegationClient } from '../src/delegation/delegation-client.js';
import type { Credential } from '../src/messages/credential.js';
import { type LabInfo, labKeys, labTransport, mitLab, sambaLab } from '../test/helpers/lab.js';

const OPTS = { time: 2000, warmupTime: 200 };
/** Pairs in flight in the throughput row. */
const CONCURRENT = 10;
const GETST = '/usr/share/doc/python3-impacket/examples/getST.py';
// Debian's interpreter: the one python3-impacket is installed for.
const PYTHON = '/usr/bin/python3';

interface Pair {
  lab: LabInfo;
  front: string;
  user: string;
  target: string;
}

function pairBenches(name: string, p: Pair): void {
  const L = p.lab;
  const front = L.principals[p.front]!;
  const client = new KdcClient({ realm: L.realm, transport: labTransport(L) });
  let tgt: Credential | undefined;
  const warmTgt = async () => {
    tgt ??= (await client.login({ principal: front.principal, keys: labKeys(front), forwardable: true })).tgt;
    return tgt;
  };
  const dir = mkdtempSync(join(tmpdir(), 'tskrb-s4u-bench-'));
  const tgtCache = join(dir, 'tgt');
  const runCache = join(dir, 'run');
  const env = { ...process.env, ...L.env, KRB5CCNAME: `FILE:${join(dir, 'cc')}` };
  execFileSync('kinit', ['-k', '-t', front.keytab!, '-c', tgtCache, front.principal], { env });
  // kvno stores both tickets in the ccache and would answer the next call from it: every run starts from a copy
  // that holds only the TGT.
  const kvnoRun = `cp ${tgtCache} ${runCache} && kvno -q -c ${runCache} -U ${p.user} -P ${p.target}`;
  const hits = new DelegationClient({
    service: front.principal,
    realm: L.realm,
    transport: labTransport(L),
    keys: labKeys(front),
  });

  bench(
    `${name}: tskrb S4U2Self + S4U2Proxy pair (warm TGT) ${p.user} -> ${p.target}`,
    async () => {
      const t = await warmTgt();
      const self = await s4u2self(client, t, p.user);
      await s4u2proxy(client, t, self, p.target);
    },
    OPTS,
  );
  bench(
    `${name}: tskrb ${CONCURRENT} concurrent pairs (warm TGT; pairs/s = hz x ${CONCURRENT})`,
    async () => {
      const t = await warmTgt();
      await Promise.all(
        Array.from({ length: CONCURRENT }, async () => {
          const self = await s4u2self(client, t, p.user);
          await s4u2proxy(client, t, self, p.target);
        }),
      );
    },
    OPTS,
  );
  bench(
    `${name}: MIT kvno -U ${p.user} -P ${p.target} (whole process, from a TGT-only ccache copy)`,
    () => {
      execFileSync('sh', ['-c', kvnoRun], { env });
    },
    OPTS,
  );
  bench(
    `${name}: overhead of the above: sh + cp alone`,
    () => {
      execFileSync('sh', ['-c', `cp ${tgtCache} ${runCache}`], { env });
    },
    OPTS,
  );
  bench(
    `${name}: tskrb DelegationClient s4u2proxy cache hit`,
    async () => {
      await hits.s4u2proxy(p.user, p.target);
    },
    OPTS,
  );
}

/** Runs getST.py once with kinit's TGT (-k) and returns its last output line and whether it wrote a ticket. */
function tryGetSt(L: LabInfo): { ok: boolean; line: string; command: string[] } {
  const web = L.principals['web']!;
  const dir = mkdtempSync(join(tmpdir(), 'tskrb-getst-'));
  const cc = join(dir, 'web.cc');
  const env = { ...process.env, ...L.env, KRB5CCNAME: cc };
  execFileSync('kinit', ['-k', '-t', web.keytab!, '-c', cc, web.principal], { env });
  const command = [
    GETST,
    '-k',
    '-no-pass',
    '-spn',
    'cifs/file.mit.test',
    '-impersonate',
    'alice',
    '-dc-ip',
    L.kdc.host,
    `${L.realm}/${web.name}`,
  ];
  let out: string;
  try {
    out = execFileSync(PYTHON, command, {
      env,
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? e);
  }
  const lines = out.trim().split('\n');
  const ok = lines.some((l) => l.includes('Saving ticket'));
  return { ok, line: lines.at(-1) ?? '', command };
}

describe.skipIf(!mitLab)(`MIT lab S4U pairs${mitLab ? '' : ' (lab not running: npm run lab:up)'}`, () => {
  const L = mitLab!;
  pairBenches('MIT', { lab: L, front: 'web', user: 'alice', target: 'cifs/file.mit.test' });
  const g = tryGetSt(L);
  console.log(
    `Impacket getST.py (kinit TGT via -k) against MIT: ${g.ok ? 'succeeded' : 'failed'}: ${g.line}`,
  );
  if (g.ok) {
    bench(
      'MIT: Impacket getST.py -impersonate alice -spn cifs/file.mit.test (whole process)',
      () => {
        tryGetSt(L);
      },
      OPTS,
    );
  }
});

describe.skipIf(!sambaLab)(
  `Samba lab S4U pairs${sambaLab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = sambaLab!;
    pairBenches('Samba', { lab: L, front: 'websvc', user: 'alice', target: 'cifs/file.samba.test' });
  },
);
