#!/usr/bin/env node
// Compiles one bench/*-vs-mit.ts file (and what it imports) into .bench/js with the project's tsc, then runs it.
// Arguments after the file are passed through (see the .ts header).
// Usage: node scripts/bench-vs-mit.mjs bench/gss-vs-mit.ts [--ms 300] [--only accept:18] [--json]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [file, ...rest] = process.argv.slice(2);
if (file === undefined || !file.endsWith('.ts')) {
  console.error('usage: node scripts/bench-vs-mit.mjs bench/<name>.ts [options]');
  process.exit(2);
}
const repo = join(dirname(new URL(import.meta.url).pathname), '..');
const outDir = join(repo, '.bench/js');
rmSync(outDir, { recursive: true, force: true });
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
// The project's compiler options (exactOptionalPropertyTypes and all), emitting only this file and its imports.
const project = join(repo, '.bench/tsconfig.json');
mkdirSync(dirname(project), { recursive: true });
const config = {
  extends: '../tsconfig.json',
  compilerOptions: { outDir: './js', rootDir: '..', declaration: false, noEmit: false },
  include: [],
  files: [join('..', file)],
};
writeFileSync(project, JSON.stringify(config));
execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
const compiled = join(outDir, file.replace(/\.ts$/, '.js'));
const run = spawnSync(process.execPath, [...process.execArgv, compiled, ...rest], { stdio: 'inherit' });
process.exit(run.status ?? 1);
