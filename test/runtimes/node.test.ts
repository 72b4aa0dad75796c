// The built core on this Node in a child process, the same probe as Bun, Deno and Chromium: vectors, and with the
// lab, AS/TGS and S4U through KKDCP with Node's own fetch (lab CA via NODE_EXTRA_CA_CERTS) and through TCP.
import { runtimeSuite } from './runtime-suite.js';

runtimeSuite({
  name: 'node',
  bin: process.execPath,
  args: (main) => [main],
  caEnv: (ca) => ({ NODE_EXTRA_CA_CERTS: ca }),
  tcp: true,
});
