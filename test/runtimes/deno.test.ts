// The built core on Deno (npm package `deno`, installed by scripts/runtimes/install.sh): vectors, and with the
// lab, AS/TGS and S4U through KKDCP with Deno's fetch (lab CA via DENO_CERT) and through TCP (node:net compat).
import { runtimeBin } from './harness.js';
import { runtimeSuite } from './runtime-suite.js';

runtimeSuite({
  name: 'deno',
  bin: runtimeBin('deno'),
  args: (main) => [
    'run',
    '--quiet',
    '--allow-read',
    '--allow-env',
    '--allow-sys',
    '--allow-net=127.0.0.1',
    main,
  ],
  caEnv: (ca) => ({ DENO_CERT: ca }),
  tcp: true,
});
