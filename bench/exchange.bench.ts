/**
 * Exchanges against the MIT lab KDC: one AS exchange (with pre-auth, keytab key) and one TGS exchange from a warm
 * client, as exchanges per second, beside MIT's own `kvno` (whole process) and `kinit -k` on the same KDC.
 * Needs the lab (npm run lab:up); without it the bench says so and measures nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { KdcClient, type Session } from '../src/client/index.js';
import { labKeys, labTransport, mitLab } from '../test/helpers/lab.js';

const OPTS = { time: 2000, warmupTime: 200 };

describe.skipIf(!mitLab)(`MIT lab exchanges${mitLab ? '' : ' (lab not running: npm run lab:up)'}`, () => {
  const L = mitLab!;
  const web = L.principals['web']!;
  const keys = labKeys(web).filter((k) => k.etype === 18);
  const client = new KdcClient({ realm: L.realm, transport: labTransport(L) });
  let session: Session | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'tskrb-bench-'));
  const tgtCache = join(dir, 'tgt');
  const runCache = join(dir, 'run');
  const env = { ...process.env, ...L.env, KRB5CCNAME: `FILE:${join(dir, 'cc')}` };
  execFileSync('kinit', ['-k', '-t', web.keytab!, '-c', tgtCache, web.principal], { env });
  // kvno stores the service ticket in the ccache and would answer the next call from it: start every run from a
  // copy that holds only the TGT, and measure the copy alone too so it can be subtracted.
  const kvnoRun = `cp ${tgtCache} ${runCache} && kvno -c ${runCache} cifs/file.mit.test >/dev/null`;

  bench(
    'tskrb AS exchange (keytab, aes256, with pre-auth round trip)',
    async () => {
      session = await client.login({ principal: web.principal, keys });
    },
    OPTS,
  );
  bench(
    'tskrb TGS exchange (warm TGT) for cifs/file.mit.test',
    async () => {
      session ??= await client.login({ principal: web.principal, keys });
      await session.getServiceTicket('cifs/file.mit.test');
    },
    OPTS,
  );
  bench(
    'MIT kinit -k (whole process)',
    () => {
      execFileSync('kinit', ['-k', '-t', web.keytab!, web.principal], { env });
    },
    OPTS,
  );
  bench(
    'MIT kvno cifs/file.mit.test (whole process, from a TGT-only ccache copy)',
    () => {
      execFileSync('sh', ['-c', kvnoRun], { env });
    },
    OPTS,
  );
  bench(
    'overhead of the above: sh + cp alone',
    () => {
      execFileSync('sh', ['-c', `cp ${tgtCache} ${runCache}`], { env });
    },
    OPTS,
  );
});
