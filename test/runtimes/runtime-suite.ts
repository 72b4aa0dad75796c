/** One describe block per JavaScript runtime: run the probe in a child process against the built library. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/util/bytes.js';
import { labKeys, mitLab } from '../helpers/lab.js';
import {
  buildDist,
  distUrlOf,
  expectProbe,
  kkdcpLab,
  parseProbeOutput,
  probeInputs,
  probeNet,
  repo,
  writeProbeDir,
} from './harness.js';

/** How to run `main.mjs` on a runtime, with the lab CA trusted by its fetch. */
export interface RuntimeCommand {
  name: string;
  /** The binary, or undefined when not installed (the suite then skips, saying why). */
  bin: string | undefined;
  args: (main: string) => string[];
  /** Environment that makes the runtime's fetch trust a CA file. */
  caEnv: (caFile: string) => Record<string, string>;
  /** Also run the exchanges over TCP (node:net compatibility). */
  tcp: boolean;
}

/** The probe on one runtime: vectors always; with the MIT and KKDCP labs, AS/TGS and S4U over KKDCP (and TCP). */
export function runtimeSuite(rt: RuntimeCommand): void {
  const why = rt.bin ? '' : ` (${rt.name} not installed: bash scripts/runtimes/install.sh)`;
  const net = probeNet((id) =>
    labKeys(mitLab!.principals[id]!).map((k) => ({ etype: k.etype, hex: toHex(k.bytes) })),
  );
  const labNote = net ? 'and the lab flows over KKDCP' : '(lab flows skipped: MIT or KKDCP lab not running)';
  describe.skipIf(!rt.bin)(`${rt.name}: the built core runs its vectors ${labNote}${why}`, () => {
    // Created in the test, not here: describe bodies run even when skipped.
    let dir = '';
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it(`${rt.name}: crypto, ASN.1 and PAC vectors${net ? `; AS+TGS and S4U2Self+S4U2Proxy via KKDCP fetch${rt.tcp ? ' and via TCP' : ''}, tickets opened by the back end keytab` : ''}`, () => {
      const dist = buildDist();
      dir = mkdtempSync(join(dirname(dirname(dist)), `probe-${rt.name}-`));
      const main = writeProbeDir(dir, distUrlOf(dist), probeInputs(net), { tcp: rt.tcp });
      const r = spawnSync(rt.bin!, rt.args(main), {
        cwd: repo,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, ...(kkdcpLab ? rt.caEnv(kkdcpLab.caCert) : {}) },
      });
      expect(r.status, `${r.stderr}\n${r.stdout}`).toBe(0);
      const out = parseProbeOutput(r.stdout);
      expect(out.runtime.startsWith(rt.name.replace(/\d+$/, ''))).toBe(true);
      expectProbe(out, { net: net !== undefined, tcp: rt.tcp });
    }, 240_000);
  });
}
