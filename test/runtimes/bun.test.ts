// The built core on Bun (npm package `bun`, installed by scripts/runtimes/install.sh): vectors, and with the lab,
// AS/TGS and S4U through KKDCP with Bun's fetch (lab CA via NODE_EXTRA_CA_CERTS) and through TCP (node:net).
import { runtimeBin } from './harness.js';
import { runtimeSuite } from './runtime-suite.js';

runtimeSuite({
  name: 'bun',
  bin: runtimeBin('bun'),
  args: (main) => [main],
  caEnv: (ca) => ({ NODE_EXTRA_CA_CERTS: ca }),
  tcp: true,
});
