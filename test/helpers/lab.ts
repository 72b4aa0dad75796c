/** Reads the lab JSON that scripts/lab writes; tests skip (visibly) when a lab is not running, but fail under CI. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeytab } from '../../src/creds/index.js';
import { Key } from '../../src/crypto/index.js';
import { KdcTransport } from '../../src/transport/index.js';

const labDir = process.env['TSKRB_LAB_DIR'] ?? join(new URL('../..', import.meta.url).pathname, '.lab');

/** One principal as the lab records it. */
export interface LabPrincipal {
  name: string;
  realm: string;
  principal: string;
  password: string;
  keytab: string | null;
  kvno?: number;
  sid?: string;
  [k: string]: unknown;
}

/** The common part of .lab/mit.json and .lab/samba.json. */
export interface LabInfo {
  kind: 'mit' | 'samba';
  realm: string;
  kdc: { host: string; port: number };
  kdcs: string[];
  krb5Conf: string;
  env: Record<string, string>;
  enctypes: number[];
  realms?: Record<string, { name: string; kdcs: string[]; kdcLog?: string }>;
  principals: Record<string, LabPrincipal>;
  [k: string]: unknown;
}

/** A lab part's JSON file (`<lab>/<name>.json`) as T, or undefined when that part is not running (an error under CI). */
export function labJson<T>(name: string): T | undefined {
  const p = join(labDir, `${name}.json`);
  if (!existsSync(p)) {
    // CI starts the lab before the tests: an interop suite that skipped there would hide a broken lab.
    if (process.env['CI'] === 'true')
      throw new Error(`CI=true but the ${name} lab is not running (${p} missing)`);
    return undefined;
  }
  return JSON.parse(readFileSync(p, 'utf8')) as T;
}

/** The MIT lab, when running. */
export const mitLab: LabInfo | undefined = labJson<LabInfo>('mit');
/** The Samba lab, when running. */
export const sambaLab: LabInfo | undefined = labJson<LabInfo>('samba');

/** A transport that knows every realm of a lab. */
export function labTransport(lab: LabInfo, extra: Record<string, readonly string[]> = {}): KdcTransport {
  const kdcs: Record<string, readonly string[]> = { [lab.realm]: lab.kdcs, ...extra };
  for (const r of Object.values(lab.realms ?? {})) kdcs[r.name] = r.kdcs;
  return new KdcTransport({ kdcs, timeoutMs: 15000 });
}

/** Every key in a principal's keytab, as Keys (the keytab may hold several kvnos: the highest wins). */
export function labKeys(p: LabPrincipal): Key[] {
  if (!p.keytab) throw new Error(`${p.principal} has no keytab in the lab`);
  const kt = parseKeytab(new Uint8Array(readFileSync(p.keytab)));
  const want = p.principal.split('@')[0]!.split('/');
  const entries = kt.entries.filter((e) => e.principal.components.join('/') === want.join('/'));
  const maxKvno = Math.max(...entries.map((e) => e.kvno));
  return entries.filter((e) => e.kvno === maxKvno).map((e) => new Key(e.key.etype, e.key.bytes));
}

/** The key of one enctype from a principal's keytab. */
export function labKey(p: LabPrincipal, etype: number): Key {
  const k = labKeys(p).find((x) => x.etype === etype);
  if (!k) throw new Error(`${p.principal} has no etype ${etype} key in its keytab`);
  return k;
}

/**
 * What a lab suite's body reads while vitest collects it: the lab itself, or, when the lab is not running (the suite is
 * then skipped), a stand-in on which any chain of property reads and calls succeeds and yields nothing, so that a
 * skipped suite registers its tests by name instead of crashing at collection. Tests never run against the stand-in.
 */
export function labOrStandIn<T extends object>(lab: T | undefined): T {
  return lab ?? (standIn() as T);
}

function standIn(): unknown {
  const target = function standInValue() {};
  const proxy: unknown = new Proxy(target, {
    get(_t, prop) {
      if (prop === Symbol.toPrimitive) return () => 'lab-not-running';
      if (prop === Symbol.iterator) return function* empty() {};
      if (prop === 'then') return undefined;
      if (prop === 'length') return 0;
      if (prop === 'toString' || prop === 'valueOf') return () => 'lab-not-running';
      return proxy;
    },
    apply: () => proxy,
    construct: () => proxy as object,
    ownKeys: () => ['prototype'],
    has: () => false,
  });
  return proxy;
}
