// Records real MIT lab exchanges as fuzzing seeds into test/vectors/captured-mit.json (run once, lab up).
// Loads the TypeScript recorder through Vite's module runner, which vitest already brings.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const { module: lab } = await runnerImport(`${root}test/helpers/lab.ts`);
if (!lab.mitLab) {
  console.error('MIT lab not running (no .lab/mit.json): start it with npm run lab:up');
  process.exit(1);
}
const { module: recorder } = await runnerImport(`${root}test/fuzz/record-mit.ts`);
const file = await recorder.recordMit(lab.mitLab);
const out = `${root}test/vectors/captured-mit.json`;
writeFileSync(out, `${JSON.stringify(file, null, 1)}\n`);
console.log(`${file.items.length} items written to ${out}`);
for (const i of file.items)
  console.log(`  ${i.kind.padEnd(14)} ${(i.hex.length / 2).toString().padStart(5)} B  ${i.name}`);
