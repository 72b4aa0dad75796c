// scripts/check-core-imports.mjs: DESIGN's table of who may import whom holds for every file under src/ (type
// imports included), and the pure layers (and the fetch-based KKDCP transport) import nothing Node-specific. Run on
// the repository (must pass) and on a fixture tree with one violation of each kind (each must be reported, the
// allowed forms must not).
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
  'src/fast/allowed.ts': [
    '// node:fs and Buffer in a comment are fine',
    "export const s = 'process and Buffer in a string are fine';",
    'export const o = { process: 1, Buffer: 2 };',
    'export const p = o.process + o.Buffer;',
    "import type { Transport } from '../creds/socket.js';",
    'export type T = Transport;',
  ].join('\n'),
  'src/creds/socket.ts': "import { connect } from 'node:net';\nexport type Transport = typeof connect;",
  'src/messages/reach.ts': "import { host } from '../util/helper.js';\nexport const h = host;",
  'src/util/helper.ts': "import { hostname } from 'node:os';\nexport const host = hostname();",
  'src/transport/kkdcp.ts': "import type { X } from '../asn1/x.js';\nexport type K = X;",
  'src/asn1/x.ts': "import { KerberosError } from '../errors.js';\nexport type X = KerberosError;",
  'src/errors.ts': 'export class KerberosError extends Error {}',
  // Layer table: an upward type import, an upward re-export, a sideways import, a dynamic import, an unknown layer.
  'src/s4u/up.ts': [
    "import type { KdcClient } from '../client/kdc.js';",
    "export { t } from '../transport/t.js';",
    "import { f } from '../fast/allowed.js';",
    'export type K = KdcClient;',
    'export const g = f;',
  ].join('\n'),
  'src/client/kdc.ts': "import { y } from '../gss/g.js';\nexport class KdcClient { y = y; }",
  'src/gss/g.ts': "import { h } from '../messages/reach.js';\nexport const y = h;",
  'src/transport/t.ts': 'export const t = 1;',
  'src/delegation/d.ts': [
    "import type { KdcClient } from '../client/kdc.js';",
    "import { y } from '../gss/g.js';",
    "export const later = () => import('../cli/c.js');",
    'export type D = KdcClient | typeof y;',
  ].join('\n'),
  'src/http/h.ts': "export type H = import('../cli/c.js').C;",
  'src/cli/c.ts': "import { later } from '../delegation/d.js';\nexport type C = typeof later;",
  'src/weird/w.ts': 'export const w = 1;',
  'src/index.ts': "export * from '../src/cli/c.js';\nexport * from './weird/w.js';",
};
for (const [p, text] of Object.entries(files)) {
  const path = join(fixture, p);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

describe('check-core-imports', () => {
  it("the repository follows DESIGN's layer table and its pure layers import nothing Node-specific", () => {
    const r = run('--json');
    const out = JSON.parse(r.stdout) as {
      checked: string[];
      violations: unknown[];
      layerViolations: unknown[];
    };
    expect(out.layerViolations).toEqual([]);
    expect(out.violations).toEqual([]);
    expect(r.status).toBe(0);
    expect(out.checked).toContain('src/transport/kkdcp.ts');
    expect(out.checked).toContain('src/asn1/kkdcp.ts');
    expect(out.checked).toContain('src/s4u/pa-for-user.ts');
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

  it.each([
    ['src/s4u/up.ts:1:1', "s4u may not import client: '../client/kdc.js' (type-only)"],
    ['src/s4u/up.ts:2:1', "s4u may not import transport: '../transport/t.js'"],
    ['src/client/kdc.ts:1:1', "client may not import gss: '../gss/g.js'"],
    ['src/delegation/d.ts:3:28', "delegation may not import cli: '../cli/c.js'"],
    ['src/http/h.ts:1:17', "http may not import cli: '../cli/c.js' (type-only)"],
    ['src/weird/w.ts', "src/weird/ is not a layer of DESIGN's table"],
  ])('reports %s: %s', (where, what) => {
    expect(r.stderr).toContain(`${where}: ${what}`);
  });

  it('allows the crypto backend probe, names in comments, strings and properties, type-only imports of non-pure code, shared files, the root entry', () => {
    expect(r.stderr).not.toMatch(
      /backend\.ts|allowed\.ts|socket\.ts|index\.ts|transport\/kkdcp|asn1\/x|cli\/c\.ts/,
    );
    expect(r.stderr).not.toMatch(/up\.ts:3|delegation\/d\.ts:[12]:/);
    expect(r.stderr).toMatch(/6 import\(s\) against DESIGN's layer table; 10 Node-specific use\(s\)/);
  });
});
