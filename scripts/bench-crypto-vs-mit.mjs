#!/usr/bin/env node
// Compiles bench/crypto-vs-mit.ts (and the crypto layer it imports) into .bench/js with the project's tsc, then runs
// it: tskrb node / noble / MIT krb5 / raw node:crypto, one run. Arguments are passed through (see the .ts header).
// Usage: node scripts/bench-crypto-vs-mit.mjs [--ms 240] [--only decrypt:18] [--rounds 2] [--json]
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const repo = join(dirname(new URL(import.meta.url).pathname), '..');
const outDir = join(repo, '.bench/js');
rmSync(outDir, { recursive: true, force: true });
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
const options = {
  outDir,
  rootDir: repo,
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  target: 'ES2022',
  lib: 'ES2022,DOM',
  types: 'node',
  strict: 'true',
  skipLibCheck: 'true',
  sourceMap: 'true',
};
const flags = Object.entries(options).flatMap(([name, value]) => [`--${name}`, value]);
execFileSync(process.execPath, [tsc, ...flags, join(repo, 'bench/crypto-vs-mit.ts')], { stdio: 'inherit' });
const run = spawnSync(
  process.execPath,
  [...process.execArgv, join(outDir, 'bench/crypto-vs-mit.js'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
