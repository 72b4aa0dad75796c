#!/usr/bin/env node
// Fails (exit 1) when the runtime-agnostic core imports anything Node-specific, so that it keeps running on Bun,
// Deno, browsers and workers. Checked: every .ts file under the core layers, the runtime-agnostic transport
// modules, and every file they reach through relative imports. Refused: imports (static, dynamic, require,
// import types, re-exports) of `node:*` or of a Node builtin module name, and any use of `Buffer` or `process`.
// Allowed: `globalThis.process` in the crypto backend files, the documented feature probe
// (`globalThis.process?.getBuiltinModule`, and the TSKRB_CRYPTO_BACKEND switch) that finds node:crypto when present.
// Usage: node scripts/check-core-imports.mjs [--root DIR] [--json]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const CORE_DIRS = ['src/asn1', 'src/crypto', 'src/messages', 'src/pac', 'src/fast', 'src/s4u'];
const AGNOSTIC_FILES = ['src/transport/kkdcp.ts', 'src/transport/kkdcp-exchange.ts'];
const GLOBAL_PROCESS_ALLOWED = new Set(['src/crypto/backend.ts', 'src/crypto/backend-node.ts']);
const NODE_GLOBALS = new Set(['Buffer', 'process', 'require', '__dirname', '__filename']);
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = resolve(rootAt >= 0 ? args[rootAt + 1] : join(dirname(new URL(import.meta.url).pathname), '..'));
const asJson = args.includes('--json');

function isNodeModule(spec) {
  if (spec.startsWith('node:')) return true;
  return BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]);
}

function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** `./x.js` from `file` -> the .ts file it compiles from, if it exists. */
function resolveRelative(file, spec) {
  const base = resolve(dirname(file), spec);
  for (const c of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return undefined;
}

/** True when an import or export declaration is erased from the emitted JavaScript. */
function typeOnly(node) {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const c = node.exportClause;
    return (
      c !== undefined &&
      ts.isNamedExports(c) &&
      c.elements.length > 0 &&
      c.elements.every((e) => e.isTypeOnly)
    );
  }
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const b = clause.namedBindings;
  return (
    b !== undefined && ts.isNamedImports(b) && b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly)
  );
}

/** The violations of one file, and the relative imports to follow. */
function check(file) {
  const rel = relative(root, file);
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = [];
  const follow = [];
  const at = (node) => {
    const { line, character } = src.getLineAndCharacterOfPosition(node.getStart(src));
    return `${rel}:${line + 1}:${character + 1}`;
  };
  // Type-only imports are erased from the JavaScript: a Node module is still refused there, but a relative one
  // brings no code along and is not followed.
  const moduleRef = (node, spec, typeOnly = false) => {
    if (isNodeModule(spec)) found.push({ where: at(node), what: `imports Node module '${spec}'` });
    else if (spec.startsWith('.') && !typeOnly) {
      const target = resolveRelative(file, spec);
      if (target) follow.push(target);
    }
  };
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier))
        moduleRef(node, node.moduleSpecifier.text, typeOnly(node));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e)) moduleRef(node, e.text);
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      const callee = node.expression;
      if (
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(callee) && callee.text === 'require')
      ) {
        moduleRef(node, node.arguments[0].text);
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      if (ts.isStringLiteral(lit)) moduleRef(node, lit.text);
    } else if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isMemberName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isPropertySignature(parent) && parent.name === node) ||
        (ts.isPropertyDeclaration(parent) && parent.name === node) ||
        (ts.isMethodDeclaration(parent) && parent.name === node);
      const viaGlobalThis =
        ts.isPropertyAccessExpression(parent) &&
        parent.name === node &&
        ts.isIdentifier(parent.expression) &&
        parent.expression.text === 'globalThis';
      if (viaGlobalThis) {
        if (node.text !== 'process' || !GLOBAL_PROCESS_ALLOWED.has(rel)) {
          found.push({
            where: at(node),
            what: `uses globalThis.${node.text} (only the crypto backend probe may)`,
          });
        }
      } else if (!isMemberName) {
        found.push({ where: at(node), what: `uses the Node global '${node.text}'` });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return { found, follow };
}

const queue = [
  ...CORE_DIRS.flatMap((d) => tsFiles(join(root, d))),
  ...AGNOSTIC_FILES.map((f) => join(root, f)),
].filter((f) => existsSync(f));
const seen = new Set();
const reachedFrom = new Map();
const violations = [];
while (queue.length > 0) {
  const f = queue.shift();
  if (seen.has(f)) continue;
  seen.add(f);
  const { found, follow } = check(f);
  const via = reachedFrom.get(f);
  violations.push(...found.map((v) => (via ? { ...v, via: relative(root, via) } : v)));
  for (const t of follow) if (!reachedFrom.has(t) && !seen.has(t)) reachedFrom.set(t, f);
  queue.push(...follow);
}

if (seen.size === 0) {
  console.error(`check-core-imports: no core files under ${root}`);
  process.exit(2);
}
if (asJson) {
  console.log(
    JSON.stringify({ checked: [...seen].map((f) => relative(root, f)).sort(), violations }, null, 2),
  );
} else if (violations.length > 0) {
  for (const v of violations)
    console.error(`${v.where}: ${v.what}${v.via ? ` (reached from ${v.via})` : ''}`);
  console.error(`check-core-imports: ${violations.length} Node-specific use(s) in the runtime-agnostic core`);
} else {
  console.log(
    `check-core-imports: ${seen.size} files of the runtime-agnostic core import nothing Node-specific`,
  );
}
process.exit(violations.length > 0 ? 1 : 0);
