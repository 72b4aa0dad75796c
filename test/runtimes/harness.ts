/**
 * Shared by the runtime tests: builds the library once per source state (tsc to .lab/runtimes/build/<hash>/dist,
 * so bare imports resolve through the repository's node_modules), selects the vectors the probe checks, reads the
 * lab (MIT realm + KKDCP proxy), and lays out a probe directory (inputs.mjs, probe.js, main.mjs).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { decodeEncTicketPart } from '../../src/asn1/index.js';
import { decrypt, KeyUsage } from '../../src/crypto/index.js';
import { fromHex } from '../../src/util/bytes.js';
import { labKeys, mitLab } from '../helpers/lab.js';

/** The repository root. */
export const repo = fileURLToPath(new URL('../..', import.meta.url));
const runtimesDir = process.env['TSKRB_RUNTIMES_DIR'] ?? join(repo, '.lab', 'runtimes');
const labRoot = process.env['TSKRB_LAB_DIR'] ?? join(repo, '.lab');

/** The path of a runtime binary installed from npm by scripts/runtimes/install.sh, if installed. */
export function runtimeBin(name: 'bun' | 'deno' | 'node24' | 'node26'): string | undefined {
  const p = name.startsWith('node')
    ? join(runtimesDir, 'node_modules', name, 'bin', 'node')
    : join(runtimesDir, 'node_modules', '.bin', name);
  if (existsSync(p)) return p;
  if (process.env['CI'] === 'true')
    throw new Error(`CI=true but ${name} is not installed: run scripts/runtimes/install.sh`);
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
    });
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const STALE_MS = 10 * 60_000;

/**
 * The built library (ESM JavaScript) for the current sources; built at most once per source state. Test files of
 * parallel workers share it: one builds under a lock directory, the others wait for its `done` marker.
 */
export function buildDist(): string {
  const h = createHash('sha256');
  for (const f of sourceFiles(join(repo, 'src'))) h.update(relative(repo, f)).update(readFileSync(f));
  const builds = join(runtimesDir, 'build');
  const dir = join(builds, h.digest('hex').slice(0, 16));
  const dist = join(dir, 'dist');
  const lock = `${dir}.lock`;
  mkdirSync(builds, { recursive: true });
  for (;;) {
    if (existsSync(join(dir, 'done'))) return dist;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another worker builds; take over only a lock left behind by a dead one.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > STALE_MS)
        rmSync(lock, { recursive: true, force: true });
      sleepSync(250);
    }
  }
  try {
    rmSync(dir, { recursive: true, force: true });
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [tsc, '-p', join(repo, 'tsconfig.build.json'), '--outDir', dist, '--sourceMap', 'false'];
    try {
      execFileSync(process.execPath, [...args, '--declaration', 'false'], { stdio: 'pipe' });
    } catch (e) {
      // Type errors elsewhere (work in progress) still emit JavaScript; only a missing emit is fatal.
      if (!existsSync(join(dist, 'index.js'))) throw e;
    }
    writeFileSync(join(dir, 'done'), '');
    // Builds of older source states go once nobody can still be using them.
    for (const old of readdirSync(builds)) {
      const p = join(builds, old);
      if (p !== dir && Date.now() - statSync(p).mtimeMs > STALE_MS)
        rmSync(p, { recursive: true, force: true });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return dist;
}

const vectors = <T>(name: string): T =>
  JSON.parse(readFileSync(join(repo, 'test', 'vectors', `${name}.json`), 'utf8')) as T;
type Row = { enctype: number; cksumtype: number; expectedError?: number };
const ETYPES = [17, 18, 19, 20, 23];
const CKSUMS = [15, 16, 19, 20, -138];
const ASN1_TYPES = [
  'AS-REQ',
  'AS-REP',
  'TGS-REQ',
  'TGS-REP',
  'KRB-ERROR',
  'Ticket',
  'EncTicketPart',
  'Authenticator',
  'AP-REQ',
  'PA-FOR-USER',
  'PA-S4U-X509-USER',
  'KDC-PROXY-MESSAGE',
  'KRB-CRED',
];

function firstPer<T>(rows: T[], keyOf: (r: T) => unknown, keys: unknown[], n: number): T[] {
  return keys.flatMap((k) => rows.filter((r) => keyOf(r) === k).slice(0, n));
}

/** What the probe gets for the lab exchanges. */
export interface ProbeNet {
  realm: string;
  user: string;
  password: string;
  target: string;
  front: { principal: string; keys: { etype: number; hex: string }[] };
  kkdcpUrl: string;
  tcpKdc: string;
}

/** The KKDCP lab (.lab/kkdcp.json), when running. */
export interface KkdcpLab {
  url: string;
  caCert: string;
  spkiSha256: string;
  wwwDir: string;
  wwwUrl: string;
}

const kkdcpFile = join(labRoot, 'kkdcp.json');
/** The KKDCP proxy in front of the MIT lab, when both run (under CI both must). */
export const kkdcpLab: KkdcpLab | undefined =
  existsSync(kkdcpFile) && mitLab ? JSON.parse(readFileSync(kkdcpFile, 'utf8')) : undefined;
if (!kkdcpLab && process.env['CI'] === 'true')
  throw new Error(`CI=true but the KKDCP lab is not running (${kkdcpFile})`);

/** The lab part of the probe inputs, or undefined without the MIT and KKDCP labs. */
export function probeNet(keyHex: (p: string) => { etype: number; hex: string }[]): ProbeNet | undefined {
  if (!mitLab || !kkdcpLab) return undefined;
  const alice = mitLab.principals['alice']!;
  const web = mitLab.principals['web']!;
  return {
    realm: mitLab.realm,
    user: alice.principal,
    password: alice.password,
    target: mitLab.principals['cifs']!.principal,
    front: { principal: web.principal, keys: keyHex('web') },
    kkdcpUrl: kkdcpLab.url,
    tcpKdc: mitLab.kdcs[0]!,
  };
}

/** Vectors for the probe: two string-to-key and two decrypt per enctype, one checksum per type, ASN.1, a PAC. */
export function probeInputs(net: ProbeNet | undefined): Record<string, unknown> {
  const pacs = vectors<{ pacs: Record<string, unknown>[] }>('pac-examples');
  const saved = pacs.pacs.find((p) => p['name'] === 'saved_pac')!;
  const asn1 = vectors<{ type: string; asn1Type?: string; variant: string; der: string }[]>('asn1-reference')
    .map((r) => ({ type: r.asn1Type ?? r.type, variant: r.variant, der: r.der }))
    .filter((r) => ASN1_TYPES.includes(r.type));
  return {
    stringToKey: firstPer(
      vectors<Row[]>('string-to-key').filter((r) => !r.expectedError),
      (r) => r.enctype,
      ETYPES,
      2,
    ),
    decrypt: firstPer(vectors<Row[]>('decrypt'), (r) => r.enctype, ETYPES, 2),
    checksum: firstPer(vectors<Row[]>('checksum'), (r) => r.cksumtype, CKSUMS, 1),
    asn1: firstPer(asn1, (r) => r.type, ASN1_TYPES, 1),
    pac: { ...saved, flipAt: 100 },
    ...(net ? { net } : {}),
  };
}

/** Writes inputs.mjs, probe.js and main.mjs (which prints `TSKRB-PROBE <json>`) into `dir`. */
export function writeProbeDir(dir: string, distUrl: string, inputs: unknown, o: { tcp: boolean }): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'inputs.mjs'), `export default ${JSON.stringify(inputs)};\n`);
  copyFileSync(join(repo, 'test', 'runtimes', 'probe.js'), join(dir, 'probe.js'));
  const main = join(dir, 'main.mjs');
  writeFileSync(
    main,
    [
      "import inputs from './inputs.mjs';",
      "import { runProbe } from './probe.js';",
      `const out = await runProbe({ dist: ${JSON.stringify(distUrl)}, inputs, tcp: ${o.tcp} });`,
      "console.log('TSKRB-PROBE ' + JSON.stringify(out));",
    ].join('\n'),
  );
  return main;
}

/** `file://…/dist/` of a built dist directory. */
export const distUrlOf = (dist: string) => `${pathToFileURL(dist).href}/`;

/** One probe check. */
export interface ProbeCheck {
  name: string;
  ok: boolean;
  ms: number;
  detail?: string;
  error?: string;
  hint?: string;
}

/** A ticket the probe got: enc-part etype and cipher, for the host to open with the back end's keytab. */
export interface ProbeTicket {
  server: string;
  etype: number;
  cipher: string;
}

/** What the probe returns. */
export interface ProbeOutput {
  runtime: string;
  cryptoBackend: string;
  checks: ProbeCheck[];
  tickets: Record<string, ProbeTicket>;
}

/** The probe output inside a process's stdout or a DOM dump. */
export function parseProbeOutput(text: string): ProbeOutput {
  const m = /TSKRB-PROBE (\{.*\})\s*$/m.exec(text);
  if (!m) throw new Error(`no probe output in:\n${text.slice(-2000)}`);
  return JSON.parse(m[1]!) as ProbeOutput;
}

/** Every check passed, each group ran, and the back end's keytab opens every ticket (client: the lab user). */
export function expectProbe(out: ProbeOutput, o: { net: boolean; tcp: boolean }): void {
  const failed = out.checks.filter((c) => !c.ok);
  expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
  const count = (re: RegExp) => out.checks.filter((c) => re.test(c.name)).length;
  expect(count(/^string-to-key/)).toBeGreaterThanOrEqual(8);
  expect(count(/^decrypt etype/)).toBe(10);
  expect(count(/^checksum/)).toBe(5);
  expect(count(/^ASN\.1/)).toBeGreaterThanOrEqual(10);
  expect(count(/^PAC/)).toBe(1);
  expect(count(/^explain and pcap/)).toBe(1);
  const flows = (o.net ? 1 : 0) + (o.net && o.tcp ? 1 : 0);
  expect(count(/: AS \(password/)).toBe(flows);
  expect(count(/S4U2Self \+ S4U2Proxy/)).toBe(flows);
  expect(Object.keys(out.tickets)).toHaveLength(2 * flows);
  if (!mitLab) return;
  const cifs = labKeys(mitLab.principals['cifs']!);
  const alice = mitLab.principals['alice']!.principal;
  for (const [label, t] of Object.entries(out.tickets)) {
    const key = cifs.find((k) => k.etype === t.etype)!;
    const part = decodeEncTicketPart(decrypt(key, KeyUsage.KdcRepTicket, fromHex(t.cipher)));
    expect(`${part.cname.nameString.join('/')}@${part.crealm}`, label).toBe(alice);
  }
}

/** The modules of dist/ that probe.js imports in a browser. */
const PROBE_ENTRIES = [
  'crypto/index.js',
  'asn1/index.js',
  'pac/index.js',
  'client/index.js',
  'transport/kkdcp.js',
  's4u/index.js',
  'delegation/index.js',
  'explain/index.js',
  'pcap/index.js',
];
const BARE_IMPORT =
  /(?:\bfrom\s*|\bimport\s*\(\s*|^import\s*)["']((?:@[\w.-]+\/)?[\w.-]+(?:\/[\w.-]+)*)["']/gm;
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^import\s*)["'](\.{1,2}\/[\w./-]+)["']/gm;

/** The export target for `sub` ('.' or './x.js') of a package.json `exports`, browser and import conditions first. */
function exportTarget(exportsField: unknown, sub: string): string | undefined {
  const pick = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const c of ['browser', 'import', 'module', 'default']) if (c in o) return pick(o[c]);
    }
    return undefined;
  };
  if (typeof exportsField === 'string') return sub === '.' ? exportsField : undefined;
  if (!exportsField || typeof exportsField !== 'object') return undefined;
  const o = exportsField as Record<string, unknown>;
  if (!Object.keys(o).some((k) => k.startsWith('.'))) return sub === '.' ? pick(o) : undefined;
  return pick(o[sub]);
}

/**
 * An import map for the bare imports of the built library and, transitively, of the packages it imports, with the
 * URLs under `./node_modules/`; and the package names to link there. Browsers resolve no bare specifiers alone.
 */
export function browserImportMap(dist: string): { imports: Record<string, string>; packages: string[] } {
  const imports: Record<string, string> = {};
  const packages = new Set<string>();
  const seen = new Set<string>();
  const files = PROBE_ENTRIES.map((e) => join(dist, e));
  while (files.length > 0) {
    const file = files.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      files.push(join(file, '..', m[1]!));
    }
    for (const m of text.matchAll(BARE_IMPORT)) {
      const spec = m[1]!;
      // A Node module reached from a browser entry fails in the page, with the module named: not mapped here.
      if (imports[spec] || spec.startsWith('node:') || spec.startsWith('.')) continue;
      const parts = spec.split('/');
      const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
      const sub = spec === name ? '.' : `./${spec.slice(name.length + 1)}`;
      const root = join(repo, 'node_modules', name);
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
      const target =
        exportTarget(pkg['exports'], sub) ??
        (sub === '.' ? ((pkg['module'] ?? pkg['main'] ?? 'index.js') as string) : sub);
      imports[spec] = `./node_modules/${name}/${target.replace(/^\.\//, '')}`;
      packages.add(name);
      files.push(join(root, target));
    }
  }
  return { imports, packages: [...packages] };
}
