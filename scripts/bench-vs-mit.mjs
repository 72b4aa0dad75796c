#!/usr/bin/env node
// Compiles one bench/*-vs-mit.ts file (and what it imports) into .bench/<name>-js with the project's tsc, then runs
// it; the file builds its MIT C harness into .bench/ itself. Arguments after the file are passed through (see the
// .ts header). Usage: node scripts/bench-vs-mit.mjs bench/crypto-vs-mit.ts [--ms 240] [--only decrypt:18] [--json]
import { dirname, join } from 'node:path';
import { compileBench, runBench } from './bench-tsc.mjs';

const [file, ...rest] = process.argv.slice(2);
if (file === undefined || !file.endsWith('.ts')) {
  console.error('usage: node scripts/bench-vs-mit.mjs bench/<name>.ts [options]');
  process.exit(2);
}
const repo = join(dirname(new URL(import.meta.url).pathname), '..');
runBench(compileBench(repo, file), rest);
