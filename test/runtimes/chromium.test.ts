// The built core in headless Chromium (Debian `chromium`), driven without npm dependencies: the lab KKDCP proxy
// serves a page, the built dist/ (ESM) and @noble from its own origin (/www/), so the page's fetch to /KdcProxy is
// same-origin (no CORS). The page runs the same probe as Bun and Deno; the test awaits its result through the
// DevTools protocol over --remote-debugging-pipe (test/runtimes/cdp-pipe.ts). The lab certificate is trusted by pinning its public key
// (--ignore-certificate-errors-spki-list with a private --user-data-dir): a lab-only shortcut, never for real use.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/util/bytes.js';
import { labKeys, mitLab } from '../helpers/lab.js';
import { evaluateInChromium, HEADLESS_CHROMIUM_ARGS } from './cdp-pipe.js';
import {
  browserImportMap,
  buildDist,
  expectProbe,
  kkdcpLab,
  parseProbeOutput,
  probeInputs,
  probeNet,
  repo,
  writeProbeDir,
} from './harness.js';

const CHROMIUM = process.env['TSKRB_CHROMIUM'] ?? '/usr/bin/chromium';
const installed = existsSync(CHROMIUM);
if (!installed && process.env['CI'] === 'true')
  throw new Error(`CI=true but ${CHROMIUM} is missing: apt-get install chromium`);
const why = !installed
  ? ` (${CHROMIUM} not installed: apt-get install chromium)`
  : !kkdcpLab
    ? ' (KKDCP lab not running: it serves the page; bash scripts/lab/kkdcp.sh up)'
    : '';

const page = (importMap: unknown) => `<!doctype html>
<html><head><meta charset="utf-8"><title>tskrb runtime probe</title>
<script type="importmap">${JSON.stringify(importMap)}</script>
</head><body><pre id="out">running</pre>
<script type="module">
window.__tskrbProbe = (async () => {
  try {
    const { default: inputs } = await import('./inputs.mjs');
    const { runProbe } = await import('./probe.js');
    return 'TSKRB-PROBE ' + JSON.stringify(await runProbe({ dist: './dist/', inputs }));
  } catch (e) {
    return 'TSKRB-PROBE-ERROR ' + (e && e.stack ? e.stack : String(e));
  }
})();
</script></body></html>
`;

describe.skipIf(!installed || !kkdcpLab)(`Chromium (headless): the built core in a page${why}`, () => {
  // Nothing touches the lab at collection time: describe bodies run even when skipped.
  let run = '';
  let profile = '';
  afterAll(() => {
    if (run) rmSync(run, { recursive: true, force: true });
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('Chromium: crypto, ASN.1 and PAC vectors; AS+TGS and S4U2Self+S4U2Proxy through the KKDCP proxy with the page fetch; tickets opened by the back end keytab', async () => {
    const P = kkdcpLab!;
    run = join(P.wwwDir, `probe-${process.pid}-${Date.now()}`);
    profile = mkdtempSync(join(tmpdir(), 'tskrb-chromium-'));
    const dist = buildDist();
    cpSync(dist, join(run, 'dist'), { recursive: true });
    const map = browserImportMap(dist);
    for (const pkg of map.packages) {
      mkdirSync(dirname(join(run, 'node_modules', pkg)), { recursive: true });
      symlinkSync(join(repo, 'node_modules', pkg), join(run, 'node_modules', pkg));
    }
    const net = probeNet((id) =>
      labKeys(mitLab!.principals[id]!).map((k) => ({ etype: k.etype, hex: toHex(k.bytes) })),
    );
    writeProbeDir(run, './dist/', probeInputs(net), { tcp: false });
    writeFileSync(join(run, 'index.html'), page({ imports: map.imports }));
    const url = `${P.wwwUrl}${basename(run)}/index.html`;
    const r = await evaluateInChromium({
      chromium: CHROMIUM,
      args: [
        ...HEADLESS_CHROMIUM_ARGS,
        `--user-data-dir=${profile}`,
        // Lab only: trust exactly the lab proxy's key, not any certificate.
        `--ignore-certificate-errors-spki-list=${P.spkiSha256}`,
      ],
      url,
      expression: 'window.__tskrbProbe',
      timeoutMs: 120_000,
    });
    const text = String(r.value);
    expect(text, r.stderr).toMatch(/^TSKRB-PROBE /);
    const out = parseProbeOutput(text);
    expect(out.runtime).toMatch(/Chrome\/\d+/);
    // A page has no node:crypto: every check above ran on the pure backend (our AES, SHA and HMAC).
    expect(out.cryptoBackend).toBe('pure');
    expectProbe(out, { net: net !== undefined, tcp: false });
  }, 300_000);
});
