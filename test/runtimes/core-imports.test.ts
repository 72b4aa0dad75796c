// scripts/check-core-imports.mjs: the runtime-agnostic core (asn1, crypto, messages, pac, fast, s4u and the
// fetch-based KKDCP transport) imports nothing Node-specific. Run on the repository (must pass) and on a fixture
// tree with one violation of each kind (each must be reported, the allowed forms must not).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/check-core-imports.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

const fixture = mkdtempSync(join(tmpdir(), 'tskrb-core-imports-'));
const files: Record<string, string> = {
  'src/asn1/bad.ts': [
    "import { readFileSync } from 'node:fs';",
    "import { createHash } from 'crypto';",
    "export { join } from 'path';",
    "import type { Socket } from 'node:net';",
    'export const a = Buffer.from([1]);',
    'export const b = process.env;',
    "export const c = () => import('node:os');",
    'export const d = globalThis.Buffer;',
    "export type E = import('node:stream').Readable;",
    'export { readFileSync, createHash, type Socket };',
  ].join('\n'),
  'src/crypto/backend.ts': "export const probe = globalThis.process?.env?.['X'];",
  'src/pac/allowed.ts': [
    '// node:fs and Buffer in a comment are fine',
    "export const s = 'process and Buffer in a string are fine';",
    'export const o = { process: 1, Buffer: 2 };',
    'export const p = o.process + o.Buffer;',
    "import type { Transport } from '../transport/socket.js';",
    'export type T = Transport;',
  ].join('\n'),
  'src/transport/socket.ts': "import { connect } from 'node:net';\nexport type Transport = typeof connect;",
  'src/messages/reach.ts': "import { host } from '../util/helper.js';\nexport const h = host;",
  'src/util/helper.ts': "import { hostname } from 'node:os';\nexport const host = hostname();",
  'src/transport/kkdcp.ts': 'export const ok = 1;',
};
for (const [p, text] of Object.entries(files)) {
  mkdirSync(dirname(join(fixture, p)), { recursive: true });
  writeFileSync(join(fixture, p), text);
}
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

describe('check-core-imports', () => {
  it('the repository core imports nothing Node-specific', () => {
    const r = run('--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { checked: string[]; violations: unknown[] };
    expect(out.violations).toEqual([]);
    expect(out.checked).toContain('src/transport/kkdcp.ts');
    expect(out.checked).toContain('src/asn1/kkdcp.ts');
    expect(out.checked.length).toBeGreaterThan(50);
  }, 120_000);

  it('an empty root is an error, not a pass', () => {
    const empty = join(fixture, 'empty');
    mkdirSync(empty);
    expect(run('--root', empty).status).toBe(2);
  }, 120_000);

  const r = run('--root', fixture);
  it.each([
    ['src/asn1/bad.ts:1:1', "imports Node module 'node:fs'"],
    ['src/asn1/bad.ts:2:1', "imports Node module 'crypto'"],
    ['src/asn1/bad.ts:3:1', "imports Node module 'path'"],
    ['src/asn1/bad.ts:4:1', "imports Node module 'node:net'"],
    ['src/asn1/bad.ts:5:18', "uses the Node global 'Buffer'"],
    ['src/asn1/bad.ts:6:18', "uses the Node global 'process'"],
    ['src/asn1/bad.ts:7:24', "imports Node module 'node:os'"],
    ['src/asn1/bad.ts:8:29', 'uses globalThis.Buffer'],
    ['src/asn1/bad.ts:9:17', "imports Node module 'node:stream'"],
    ['src/util/helper.ts:1:1', "imports Node module 'node:os' (reached from src/messages/reach.ts)"],
  ])('reports %s: %s', (where, what) => {
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${where}: ${what}`);
  });

  it('allows the crypto backend probe, names in comments, strings and properties, and type-only relative imports', () => {
    expect(r.stderr).not.toMatch(/backend\.ts|allowed\.ts|socket\.ts/);
    expect(r.stderr).toMatch(/10 Node-specific use\(s\)/);
  });
});
