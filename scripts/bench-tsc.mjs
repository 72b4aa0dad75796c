// Compiles one bench entry (and the sources it imports) of a checkout into `outDir` with the project's tsc and the
// checkout's own tsconfig.json, for the benches that run as plain node scripts (crypto-vs-mit.ts, s4u-cpu.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Compiles `<repo>/<entry>` into `outDir` (emptied first), with the tsc of `tscRepo` (default: `repo`'s). */
export function compileBench(repo, entry, outDir, tscRepo = repo) {
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
}
