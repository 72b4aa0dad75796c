// Keytabs exported by Samba (samba-tool domain exportkeytab) read by tskrb, checked against MIT klist.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readKeytabFile } from '../../src/creds/files.js';
import { findKeytabEntry } from '../../src/creds/keytab.js';
import { formatCredsPrincipal } from '../../src/creds/types.js';
import { toHex } from '../../src/util/bytes.js';
import { labOrStandIn } from '../helpers/lab.js';

interface SambaLab {
  realm: string;
  env: Record<string, string>;
  principals: Record<string, { principal: string; keytab: string | null; kvno: number }>;
}

const labRoot = process.env['TSKRB_LAB_DIR'] ?? fileURLToPath(new URL('../../.lab', import.meta.url));
const labFile = join(labRoot, 'samba.json');
const lab: SambaLab | undefined = existsSync(labFile)
  ? (JSON.parse(readFileSync(labFile, 'utf8')) as SambaLab)
  : undefined;

const ENCTYPE_NAMES: Record<number, string> = {
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  23: 'DEPRECATED:arcfour-hmac',
};

const title = lab
  ? 'Samba AD DC keytabs read by tskrb'
  : `Samba AD DC keytabs read by tskrb (lab not running: no ${labFile}; start it as root with npm run lab:up)`;

describe.skipIf(!lab)(title, () => {
  const l = labOrStandIn(lab);
  const withKeytab = Object.entries(l.principals).filter(([, p]) => p.keytab !== null);

  it.each(withKeytab.map(([id]) => id))(
    'Samba: the exported keytab of %s matches klist -keK entry for entry',
    async (id) => {
      const p = l.principals[id]!;
      const kt = await readKeytabFile(p.keytab!);
      const k = spawnSync('klist', ['-k', '-e', '-K', p.keytab!], {
        env: { ...process.env, ...l.env, LC_ALL: 'C' },
        encoding: 'utf8',
      });
      expect(k.status, k.stderr).toBe(0);
      const lines = k.stdout
        .trim()
        .split('\n')
        .slice(3)
        .map((s) => s.trim().replace(/\s+/g, ' '));
      expect(
        kt.entries.map(
          (e) =>
            `${e.kvno} ${formatCredsPrincipal(e.principal)} (${ENCTYPE_NAMES[e.key.etype]}) (0x${toHex(e.key.bytes)})`,
        ),
      ).toEqual(lines);
      const mine = kt.entries.find((e) => formatCredsPrincipal(e.principal) === p.principal);
      expect(mine).toBeDefined();
      expect(findKeytabEntry(kt, { principal: mine!.principal, etype: 18 })?.kvno).toBe(p.kvno);
    },
  );
});
