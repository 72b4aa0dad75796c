// Compiles one bench entry (and the sources it imports) of a checkout with the project's tsc and the checkout's own
// tsconfig.json, and runs it: for the benches that run as plain node scripts (*-vs-mit.ts, s4u-cpu.ts). Each entry
// compiles into its own .bench/<name>-js, so that benches run side by side without emptying each other's output.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The directory `<repo>/<entry>` compiles into: `<repo>/.bench/<entry's name>-js`. */
export function benchOutDir(repo, entry) {
  return join(repo, '.bench', `${basename(entry, '.ts')}-js`);
}

/**
 * Compiles `<repo>/<entry>` into {@link benchOutDir} (emptied first), with the tsc of `tscRepo` (default: `repo`'s);
 * returns the path of the compiled entry.
 */
export function compileBench(repo, entry, tscRepo = repo) {
  const outDir = benchOutDir(repo, entry);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const project = join(outDir, 'tsconfig.json');
  const config = {
    extends: join(repo, 'tsconfig.json'),
    compilerOptions: { outDir, rootDir: repo, noEmit: false, declaration: false },
    files: [join(repo, entry)],
    include: [],
  };
  writeFileSync(project, JSON.stringify(config));
  const tsc = join(tscRepo, 'node_modules/typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit', cwd: repo });
  return join(outDir, entry.replace(/\.ts$/, '.js'));
}

/** Runs a compiled bench with this process's node flags and `args`, and exits with its status. */
export function runBench(compiled, args, env = process.env) {
  const run = spawnSync(process.execPath, [...process.execArgv, compiled, ...args], {
    stdio: 'inherit',
    env,
  });
  process.exit(run.status ?? 1);
}
