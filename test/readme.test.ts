/**
 * The README's TypeScript examples of the library sections ("Library", "Using the ticket") type-check against the
 * sources: each ```ts block is compiled as its own ES module, `tskrb` and `tskrb/<layer>` mapped to src/. Names a
 * block uses from an earlier one (`keys`, `toFile`, …) are declared once in a global prelude.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repo = join(new URL('..', import.meta.url).pathname);
const readme = readFileSync(join(repo, 'README.md'), 'utf8');

/** The ```ts blocks of the section headed `title` (up to the next `## ` heading). */
function blocksOf(title: string): string[] {
  const start = readme.indexOf(`\n## ${title}`);
  if (start < 0) throw new Error(`README has no section ${title}`);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const PRELUDE = `export {};
declare global {
  const keys: import('./src/crypto/index.js').Key[];
  const toFile: import('./src/s4u/index.js').S4uResult;
  const toLdap: import('./src/s4u/index.js').S4uResult;
  const challenge: Uint8Array;
}
`;

/** Type errors of each block, by block; empty when every block compiles. */
function typeErrors(blocks: readonly string[]): string[] {
  const files = new Map<string, string>([[join(repo, 'readme-prelude.d.ts'), PRELUDE]]);
  blocks.forEach((b, i) => {
    files.set(join(repo, `readme-block-${i}.mts`), b);
  });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    baseUrl: repo,
    paths: {
      tskrb: ['src/index.ts'],
      'tskrb/creds/files': ['src/creds/files.ts'],
      'tskrb/transport/kkdcp': ['src/transport/kkdcp.ts'],
      'tskrb/*': ['src/*/index.ts'],
    },
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) => {
    const text = files.get(f);
    return text === undefined
      ? getSourceFile.call(host, f, lang, ...rest)
      : ts.createSourceFile(f, text, lang, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && files.has(d.file.fileName))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      const block = d.file!.fileName.replace(/^.*readme-/, '');
      return `${block}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

describe('README examples compile', () => {
  it('"Library" (the gateway, Kerberos-only delegation, tickets by hand) and "Using the ticket"', () => {
    const blocks = [...blocksOf('Library'), ...blocksOf('Using the ticket')];
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(typeErrors(blocks)).toEqual([]);
  }, 120_000);

  it('a wrong example is caught: an option that does not exist, a missing export', () => {
    const errors = typeErrors([
      "import { DelegationClient } from 'tskrb';\nnew DelegationClient({ service: 'a', realm: 'R', transport: null!, cacheTtl: 1 });",
      "import { noSuchThing } from 'tskrb/gss';\nnoSuchThing();",
    ]);
    expect(errors.join('\n')).toMatch(/block-0\.mts:2: .*cacheTtl/);
    expect(errors.join('\n')).toMatch(/block-1\.mts:1: .*noSuchThing/);
  }, 120_000);
});
