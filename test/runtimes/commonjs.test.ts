// A CommonJS consumer `require`s every entry point of package.json's exports (require(esm): unflagged since Node
// 20.19 and 22.12, the floor `engines` states) on this Node and the newer LTS lines of .lab/runtimes; each entry
// point must load with its named exports, synchronously (no top-level await anywhere in the graph).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, repo, runtimeBin } from './harness.js';

const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  engines: { node: string };
  exports: Record<string, unknown>;
};

const CONSUMER = `'use strict';
const pkg = require('tskrb/package.json');
const out = {};
for (const key of Object.keys(pkg.exports)) {
  const spec = key === '.' ? 'tskrb' : 'tskrb' + key.slice(1);
  try {
    const m = require(spec);
    out[key] = Object.keys(m).length;
  } catch (e) {
    out[key] = 'error ' + (e.code || '') + ': ' + e.message.split('\\n')[0];
  }
}
const { KdcClient, KerberosError, DelegationClient } = require('tskrb');
out.classes = [typeof KdcClient, typeof KerberosError, typeof DelegationClient].join(',');
out.code = new KerberosError('x').code;
process.stdout.write(JSON.stringify(out));
`;

const nodes: [string, string | undefined][] = [
  [`node${process.versions.node.split('.')[0]} (${process.version})`, process.execPath],
  ['node24', runtimeBin('node24')],
  ['node26', runtimeBin('node26')],
];

describe('CommonJS consumers (require(esm))', () => {
  let dir = '';
  beforeAll(() => {
    const dist = buildDist();
    dir = mkdtempSync(join(tmpdir(), 'tskrb-cjs-'));
    // node_modules/tskrb as npm would lay it out: package.json, and dist (a link to the build).
    const at = join(dir, 'node_modules', 'tskrb');
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, 'package.json'), JSON.stringify(pkg));
    symlinkSync(dist, join(at, 'dist'), 'dir');
    writeFileSync(join(dir, 'consumer.cjs'), CONSUMER);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('engines states the floor of require(esm) without a flag', () => {
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
  });

  for (const [name, bin] of nodes) {
    it.skipIf(!bin)(
      `${name}${bin ? '' : ' (not installed: scripts/runtimes/install.sh)'}: require()s every entry point`,
      () => {
        const out = execFileSync(bin!, ['--no-warnings', join(dir, 'consumer.cjs')], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, NODE_OPTIONS: '' },
        });
        const r = JSON.parse(out) as Record<string, number | string>;
        for (const key of Object.keys(pkg.exports)) {
          expect(typeof r[key], `${key}: ${r[key]}`).toBe('number');
          if (key !== './package.json') expect(r[key] as number, key).toBeGreaterThan(0);
        }
        expect(r['classes']).toBe('function,function,function');
        expect(r['code']).toBe('ERR_TSKRB');
      },
    );
  }
});
