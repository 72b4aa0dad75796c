#!/usr/bin/env node
// Enforces DESIGN.md's layering in CI. Two checks over src/:
// 1. Who may import whom: every relative import of every file under src/<layer>/ (static, dynamic, require,
//    re-exports, `import type` and `import('…')` types included: a type import is still a dependency of the design)
//    must reach its own layer, a layer the table below allows, or the shared `errors.ts`, `version.ts`, `util/`.
//    `src/index.ts` may import anything; a directory under src/ that the table does not name is an error.
// 2. No Node in the pure layers: the pure layers, the runtime-agnostic transport modules, and every file they reach
//    through (non-type) relative imports import no `node:*` or Node builtin module (type imports included) and use no
//    `Buffer`/`process`/`require`/`__dirname`/`__filename`. Allowed: `globalThis.process` in the crypto backend files,
//    the documented feature probe (`globalThis.process?.getBuiltinModule`, TSKRB_CRYPTO_BACKEND) for node:crypto, and
//    in src/util/diagnostics.ts the same probe for node:diagnostics_channel (a no-op where it finds none).
// Usage: node scripts/check-core-imports.mjs [--root DIR] [--json]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** DESIGN.md "Who may import whom": each layer and the layers it may import (besides itself and the shared files). */
const PURE = ['crypto', 'asn1', 'pcap', 'messages', 'pac', 'fast', 's4u', 'gss', 'explain'];
const BELOW_GSS = ['transport', 's4u', 'fast', 'pac', 'creds', 'messages', 'asn1', 'crypto'];
export const LAYERS = {
  crypto: [],
  asn1: [],
  pcap: [],
  transport: ['asn1'],
  messages: ['asn1', 'crypto'],
  pac: ['asn1', 'crypto'],
  creds: ['asn1', 'crypto', 'messages'],
  fast: ['messages', 'creds', 'asn1', 'crypto'],
  s4u: ['fast', 'messages', 'pac', 'creds', 'asn1', 'crypto'],
  gss: ['messages', 'pac', 'creds', 'asn1', 'crypto'],
  // Every pure layer, and the parsers of creds (ccache, keytab, KRB-CRED) whose Node side the second check keeps out.
  explain: ['crypto', 'asn1', 'pcap', 'messages', 'pac', 'creds', 'fast', 's4u', 'gss'],
  client: ['transport', 'crypto', 'asn1', 'messages', 'pac', 'creds', 'fast', 's4u'],
  // Proposed change to DESIGN (issue 16): Negotiate over HTTP sits below delegation, so that DelegationClient.fetchAs
  // and negotiateHeader reuse negotiateFetch; http itself needs only a credential or a token source.
  http: ['client', 'gss', ...BELOW_GSS],
  delegation: ['http', 'client', 'gss', ...BELOW_GSS],
  cli: ['http', 'delegation', 'client', 'explain', 'pcap', 'gss', ...BELOW_GSS],
  util: [],
};
/** Importable by every layer. */
const SHARED = new Set(['errors.ts', 'version.ts', 'util']);
/** May import anything: the root entry point. */
const ROOT_ENTRY = 'index.ts';
const AGNOSTIC_FILES = ['src/transport/kkdcp.ts', 'src/transport/kkdcp-exchange.ts'];
const GLOBAL_PROCESS_ALLOWED = new Set([
  'src/crypto/backend.ts',
  'src/crypto/backend-node.ts',
  'src/util/diagnostics.ts',
]);
const NODE_GLOBALS = new Set(['Buffer', 'process', 'require', '__dirname', '__filename']);
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = resolve(rootAt >= 0 ? args[rootAt + 1] : join(dirname(new URL(import.meta.url).pathname), '..'));
const asJson = args.includes('--json');
const srcDir = join(root, 'src');

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

/** The layer a file under src/ belongs to: its first directory, or its name for a file directly in src/. */
function layerOf(file) {
  const rel = relative(srcDir, file);
  if (rel.startsWith('..')) return undefined;
  return rel.split(sep)[0];
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

/** Every module reference of one file, and its uses of Node globals. */
function scan(file) {
  const rel = relative(root, file);
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const refs = [];
  const globals = [];
  const at = (node) => {
    const { line, character } = src.getLineAndCharacterOfPosition(node.getStart(src));
    return `${rel}:${line + 1}:${character + 1}`;
  };
  const ref = (node, spec, isType = false) => refs.push({ where: at(node), spec, typeOnly: isType });
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) ref(node, node.moduleSpecifier.text, typeOnly(node));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e)) ref(node, e.text, node.isTypeOnly);
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
        ref(node, node.arguments[0].text);
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      if (ts.isStringLiteral(lit)) ref(node, lit.text, true);
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
          globals.push({
            where: at(node),
            what: `uses globalThis.${node.text} (only the documented getBuiltinModule probes may)`,
          });
        }
      } else if (!isMemberName) {
        globals.push({ where: at(node), what: `uses the Node global '${node.text}'` });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return { refs, globals };
}

const scanned = new Map();
const scanOf = (f) => {
  let s = scanned.get(f);
  if (!s) {
    s = scan(f);
    scanned.set(f, s);
  }
  return s;
};

// 1. Who may import whom.
const layerViolations = [];
const allFiles = tsFiles(srcDir);
for (const file of allFiles) {
  const from = layerOf(file);
  if (from === ROOT_ENTRY) continue;
  const fromDir = statSync(join(srcDir, from)).isDirectory();
  if (fromDir && !(from in LAYERS)) {
    layerViolations.push({
      where: relative(root, file),
      what: `src/${from}/ is not a layer of DESIGN's table (add it to scripts/check-core-imports.mjs)`,
    });
    continue;
  }
  const allowed = new Set(fromDir ? [from, ...LAYERS[from]] : []);
  for (const r of scanOf(file).refs) {
    if (!r.spec.startsWith('.')) continue;
    const target = resolveRelative(file, r.spec) ?? resolve(dirname(file), r.spec);
    const to = layerOf(target);
    const kind = r.typeOnly ? ' (type-only)' : '';
    if (to === undefined) {
      layerViolations.push({ where: r.where, what: `imports '${r.spec}' from outside src/${kind}` });
    } else if (to === ROOT_ENTRY) {
      layerViolations.push({ where: r.where, what: `imports the root entry point src/index.ts${kind}` });
    } else if (!SHARED.has(to) && !allowed.has(to)) {
      const name = fromDir ? from : `src/${from}`;
      layerViolations.push({
        where: r.where,
        what: `${name} may not import ${to.replace(/\.ts$/, '')}: '${r.spec}'${kind}`,
      });
    }
  }
}

// 2. No Node in the pure layers, nor in what they reach.
const queue = [
  ...PURE.flatMap((d) => tsFiles(join(srcDir, d))),
  ...AGNOSTIC_FILES.map((f) => join(root, f)),
].filter((f) => existsSync(f));
const seen = new Set();
const reachedFrom = new Map();
const nodeViolations = [];
while (queue.length > 0) {
  const f = queue.shift();
  if (seen.has(f)) continue;
  seen.add(f);
  const { refs, globals } = scanOf(f);
  const via = reachedFrom.get(f);
  const found = [...globals];
  const follow = [];
  for (const r of refs) {
    if (isNodeModule(r.spec)) found.push({ where: r.where, what: `imports Node module '${r.spec}'` });
    // A type-only relative import brings no code along: it is not followed (the layer check still judges it).
    else if (r.spec.startsWith('.') && !r.typeOnly) {
      const target = resolveRelative(f, r.spec);
      if (target) follow.push(target);
    }
  }
  nodeViolations.push(...found.map((v) => (via ? { ...v, via: relative(root, via) } : v)));
  for (const t of follow) if (!reachedFrom.has(t) && !seen.has(t)) reachedFrom.set(t, f);
  queue.push(...follow);
}

if (allFiles.length === 0 || seen.size === 0) {
  console.error(`check-core-imports: no source files under ${srcDir}`);
  process.exit(2);
}
const failed = layerViolations.length + nodeViolations.length > 0;
if (asJson) {
  console.log(
    JSON.stringify(
      {
        files: allFiles.length,
        checked: [...seen].map((f) => relative(root, f)).sort(),
        layerViolations,
        violations: nodeViolations,
      },
      null,
      2,
    ),
  );
} else {
  for (const v of layerViolations) console.error(`${v.where}: ${v.what}`);
  for (const v of nodeViolations)
    console.error(`${v.where}: ${v.what}${v.via ? ` (reached from ${v.via})` : ''}`);
  const layers = layerViolations.length
    ? `${layerViolations.length} import(s) against DESIGN's layer table`
    : `${allFiles.length} files import only what DESIGN's layer table allows`;
  const node = nodeViolations.length
    ? `${nodeViolations.length} Node-specific use(s) in the pure layers`
    : `${seen.size} files of the pure layers import nothing Node-specific`;
  (failed ? console.error : console.log)(`check-core-imports: ${layers}; ${node}`);
}
process.exit(failed ? 1 : 0);
