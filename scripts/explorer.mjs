#!/usr/bin/env node
// npm run explorer: builds the web explorer (explorer/ and the pure layers it imports, compiled by tsc; the npm
// packages they import copied under vendor/ and named in an import map, which the page's CSP admits by its hash),
// then serves dist/explorer on 127.0.0.1 and prints the URL. No bundler: the browser loads the ES modules as tsc
// writes them, so the same files work from any static host.
// Usage: node scripts/explorer.mjs [--port N] [--build-only]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const out = join(root, 'dist', 'explorer');
const args = process.argv.slice(2);
const portAt = args.indexOf('--port');
const port = portAt >= 0 ? Number(args[portAt + 1]) : 0;

const JSON_IMPORT = /(import\s+\w+\s+from\s*)'([^']+\.json)'\s*with\s*\{\s*type:\s*'json'\s*\};/g;

/** Every .js file under `dir`. */
function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return jsFiles(p);
    return p.endsWith('.js') ? [p] : [];
  });
}

// `from` begins a line or follows a space or `}`: a string 'from' in code (a field name) is no import.
const IMPORT = /(?:(?:^|[\s}])from\s*|\bimport\s*\(\s*|^import\s*)(["'])([^"'\n]+)\1/gm;

/** The export target of `sub` in a package.json `exports` (browser, import, default conditions). */
function exportTarget(exportsField, sub) {
  const pick = (v) => {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object')
      for (const c of ['browser', 'import', 'module', 'default']) if (c in v) return pick(v[c]);
    return undefined;
  };
  if (typeof exportsField === 'string') return sub === '.' ? exportsField : undefined;
  if (!exportsField || typeof exportsField !== 'object') return undefined;
  if (!Object.keys(exportsField).some((k) => k.startsWith('.')))
    return sub === '.' ? pick(exportsField) : undefined;
  return pick(exportsField[sub]);
}

/** `@scope/name/sub.js` -> ['@scope/name', './sub.js']. */
function splitSpecifier(spec) {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  const sub = parts.slice(n).join('/');
  return [parts.slice(0, n).join('/'), sub === '' ? '.' : `./${sub}`];
}

/** The file of node_modules that bare `spec` imported from `from` resolves to. */
function resolveBare(spec, from) {
  const [name, sub] = splitSpecifier(spec);
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', name);
    if (existsSync(join(pkgDir, 'package.json'))) {
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
      const target =
        exportTarget(pkg.exports, sub) ?? (sub === '.' ? (pkg.module ?? pkg.main ?? 'index.js') : sub);
      return join(pkgDir, target);
    }
    if (dir === dirname(dir)) throw new Error(`cannot resolve ${spec} from ${from}`);
  }
}

function build() {
  rmSync(out, { recursive: true, force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.explorer.json')], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('tsc failed');
  // JSON modules load with the CSP's connect-src, which is 'none': each becomes a JS module exporting the value.
  for (const file of jsFiles(out)) {
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(JSON_IMPORT, (_, head, spec) => {
      const json = join(dirname(file), spec);
      writeFileSync(`${json}.js`, `export default ${readFileSync(json, 'utf8').trim()};\n`);
      return `${head}'${spec}.js';`;
    });
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
  // The packages the compiled modules import, copied file by file, and the import map that names them.
  const imports = {};
  const queue = [join(out, 'explorer', 'app.js')];
  const seen = new Set();
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const inVendor = file.startsWith(join(out, 'vendor') + sep);
    const source = inVendor ? join(root, 'node_modules', relative(join(out, 'vendor'), file)) : file;
    if (inVendor) {
      mkdirSync(dirname(file), { recursive: true });
      cpSync(source, file);
    }
    for (const m of readFileSync(source, 'utf8').matchAll(IMPORT)) {
      const spec = m[2];
      if (spec.endsWith('.json')) {
        if (!inVendor) continue;
      }
      if (spec.startsWith('.')) {
        queue.push(join(dirname(file), spec));
        continue;
      }
      if (spec.startsWith('node:'))
        throw new Error(`${relative(out, file)} imports ${spec}: not for a browser`);
      const target = resolveBare(spec, source);
      const vendored = join(out, 'vendor', relative(join(root, 'node_modules'), target));
      imports[spec] = `./${relative(out, vendored).split(sep).join('/')}`;
      queue.push(vendored);
    }
  }
  const map = JSON.stringify({ imports });
  const hash = createHash('sha256').update(map).digest('base64');
  const html = readFileSync(join(root, 'explorer', 'index.html'), 'utf8')
    .replace('IMPORTMAP_HASH', `'sha256-${hash}'`)
    .replace('{"imports":{}}', map);
  writeFileSync(join(out, 'index.html'), html);
  cpSync(join(root, 'explorer', 'explorer.css'), join(out, 'explorer.css'));
  return Object.keys(imports).length;
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

function serve() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^[/\\]+/,
      '',
    );
    const file = join(out, path === '' ? 'index.html' : path);
    if (!file.startsWith(out) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  server.listen(port, '127.0.0.1', () => {
    console.log(`tskrb explorer: http://127.0.0.1:${server.address().port}/`);
  });
}

const packages = build();
console.error(`explorer built in ${relative(root, out)} (${packages} npm modules under vendor/)`);
if (!args.includes('--build-only')) serve();
