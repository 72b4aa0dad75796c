#!/usr/bin/env node
// Compiles bench/s4u-cpu.ts (and what it imports) into .bench/s4u-cpu-js with the project's tsc, then runs its driver
// against the MIT lab. With --compare DIR, the same bench file is compiled against DIR's sources too (DIR is another
// checkout, e.g. `git archive HEAD | tar -x -C DIR`, with its node_modules) and the trees are measured in one run,
// interleaved; --compare may be given more than once. Usage: node scripts/bench-s4u-cpu.mjs [--pairs 2000] [--rounds 3] [--kvno 200] [--compare DIR] [--json]
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compileBench, runBench } from './bench-tsc.mjs';

const repo = join(dirname(new URL(import.meta.url).pathname), '..');
const entry = 'bench/s4u-cpu.ts';
const compiled = compileBench(repo, entry);
const args = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] !== '--compare') {
    args.push(argv[i]);
    continue;
  }
  // Each --compare DIR is measured beside this tree, in the order given.
  const other = resolve(argv[++i]);
  mkdirSync(join(other, 'bench'), { recursive: true });
  copyFileSync(join(repo, entry), join(other, entry));
  args.push('--tree', `${other}=${compileBench(other, entry, repo)}`);
}
// The compiled test/helpers/lab.js would look for .lab beside the compiled files.
runBench(compiled, args, { ...process.env, TSKRB_LAB_DIR: process.env.TSKRB_LAB_DIR ?? join(repo, '.lab') });
