#!/usr/bin/env node
// Compiles bench/crypto-vs-mit.ts (and the crypto layer it imports) into .bench/js with the project's tsc, then runs
// it: tskrb node / noble / MIT krb5 / raw node:crypto, one run. Arguments are passed through (see the .ts header).
// Usage: node scripts/bench-crypto-vs-mit.mjs [--ms 240] [--only decrypt:18] [--rounds 2] [--json]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { compileBench } from './bench-tsc.mjs';

const repo = join(dirname(new URL(import.meta.url).pathname), '..');
const outDir = join(repo, '.bench/js');
compileBench(repo, 'bench/crypto-vs-mit.ts', outDir);
const run = spawnSync(
  process.execPath,
  [...process.execArgv, join(outDir, 'bench/crypto-vs-mit.js'), ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(run.status ?? 1);
