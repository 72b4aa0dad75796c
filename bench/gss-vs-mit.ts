/**
 * tskrb's GSS-API krb5 mechanism against MIT's own (issue 15), one run: gss_init_sec_context,
 * gss_accept_sec_context (MIT's replay cache as configured, on tmpfs, and none) and gss_wrap + gss_unwrap of 1 KiB
 * (bench/mit/gss-bench.c, built against libgssapi-krb5 when libkrb5-dev is present), on the tickets and keys of
 * bench/gss.bench.ts (test/gss/fixtures: alice to HTTP/api.gss.test with a signed PAC, session key 18 or 23), issued
 * at the real time since MIT reads the system clock. tskrb accepts with a MemoryReplayCache kept across tokens; each
 * accept (both sides) gets a fresh token whose making is not timed.
 * Targets: accept ≤ 1× MIT per token, Wrap + Unwrap 1 KiB ≤ 2× MIT.
 * Run through `npm run bench` (scripts/bench-vs-mit.mjs compiles this file into .bench/gss-vs-mit-js and runs it).
 * Options: --ms N (time per case and side), --only SUBSTR (e.g. accept:18), --json.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ccacheOf } from '../src/client/ccache-bridge.js';
import { KeytabVersion, serializeCcache, serializeKeytab, toCredsPrincipal } from '../src/creds/index.js';
import { acceptSecContext } from '../src/gss/acceptor.js';
import { initSecContext } from '../src/gss/initiator.js';
import { MemoryReplayCache } from '../src/gss/replay-cache.js';
import type { Credential } from '../src/messages/credential.js';
import { issue, KRBTGT_KEY, KVNO, REALM, SERVICE, serviceKey } from '../test/gss/fixtures.js';
import { arg, bestOf, bestOfPrepared, buildMitHarness, formatNs, formatRatio, printTable } from './vs-mit.js';

const ETYPES = [18, 23] as const;
const BATCHES = 15;
const KiB = new Uint8Array(1024).fill(0x5a);

const msPerCase = Number(arg('ms') ?? 300);
const only = arg('only');
const asJson = process.argv.includes('--json');

/** One row: a tskrb operation and the MIT case it is compared with. */
interface Row {
  id: string;
  what: string;
  mit: string;
  /** What tskrb runs; rows with the same key share one measurement. */
  key: string;
  tskrb: (cred: Credential) => number;
}

function tskrbInit(credential: Credential): number {
  return bestOf(() => initSecContext({ credential }), msPerCase, BATCHES);
}

function tskrbAccept(readPac: boolean): (credential: Credential) => number {
  return (credential) => {
    const keys = [serviceKey(credential.sessionKey.etype)];
    const replayCache = new MemoryReplayCache();
    return bestOfPrepared(
      () => initSecContext({ credential }).token,
      (token) => acceptSecContext(token, { keys, replayCache, kdcKeys: [KRBTGT_KEY], readPac }),
      msPerCase,
      BATCHES,
    );
  };
}

function tskrbWrap(credential: Credential): number {
  const first = initSecContext({ credential });
  const accepted = acceptSecContext(first.token, {
    keys: [serviceKey(credential.sessionKey.etype)],
    replayCache: new MemoryReplayCache(),
  });
  first.context.step(accepted.outputToken!);
  return bestOf(() => accepted.context.unwrap(first.context.wrap(KiB)), msPerCase, BATCHES);
}

const rows: Row[] = ETYPES.flatMap((etype): Row[] => [
  { id: `init:${etype}`, what: 'initSecContext', mit: `init:${etype}`, key: 'init', tskrb: tskrbInit },
  {
    id: `accept:${etype}`,
    what: 'accept, PAC not read / MIT rcache as configured',
    mit: `accept:${etype}:dfl`,
    key: 'accept',
    tskrb: tskrbAccept(false),
  },
  {
    id: `accept:${etype}:shm`,
    what: 'accept, PAC not read / MIT rcache on tmpfs',
    mit: `accept:${etype}:shm`,
    key: 'accept',
    tskrb: tskrbAccept(false),
  },
  {
    id: `accept:${etype}:none`,
    what: 'accept, PAC not read / MIT no rcache',
    mit: `accept:${etype}:none`,
    key: 'accept',
    tskrb: tskrbAccept(false),
  },
  {
    id: `accept-pac:${etype}`,
    what: 'accept, PAC verified (server + KDC) / MIT as configured',
    mit: `accept:${etype}:dfl`,
    key: 'accept-pac',
    tskrb: tskrbAccept(true),
  },
  {
    id: `wrap:${etype}`,
    what: 'Wrap + Unwrap 1 KiB, sealed',
    mit: `wrap:${etype}`,
    key: 'wrap',
    tskrb: tskrbWrap,
  },
]);

/** krb5.conf, keytab and one ccache per etype for the MIT harness, in a fresh directory. */
function writeMitFiles(creds: Map<number, Credential>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tskrb-gss-bench-'));
  writeFileSync(
    join(dir, 'krb5.conf'),
    [
      '[libdefaults]',
      `  default_realm = ${REALM}`,
      '  dns_lookup_kdc = false',
      '  dns_canonicalize_hostname = false',
      '  rdns = false',
      '  permitted_enctypes = aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 rc4-hmac',
      '[realms]',
      `  ${REALM} = {`,
      '    kdc = 127.0.0.1:1',
      '  }',
      '',
    ].join('\n'),
  );
  const entries = ETYPES.map((etype) => {
    const k = serviceKey(etype);
    return {
      principal: toCredsPrincipal(SERVICE),
      timestamp: new Date(Math.floor(Date.now() / 1000) * 1000),
      kvno: KVNO,
      key: { etype: k.etype, bytes: k.bytes },
    };
  });
  writeFileSync(join(dir, 'keytab'), serializeKeytab({ version: KeytabVersion.V2, entries }));
  for (const [etype, cred] of creds) writeFileSync(join(dir, `cc-${etype}`), serializeCcache(ccacheOf(cred)));
  return dir;
}

function measureMit(harness: string, dir: string, cases: string[]): Map<string, string> {
  const m = new Map<string, string>();
  try {
    const out = execFileSync(harness, [dir, String(msPerCase), ...cases], { encoding: 'utf8' });
    for (const line of out.trim().split('\n')) {
      const [id, value] = line.split(' ');
      if (id !== undefined && value !== undefined) m.set(id, value);
    }
  } catch (e) {
    console.error(`MIT column skipped: the harness failed (${String(e)})`);
  }
  return m;
}

function main(): void {
  const now = Date.now();
  const creds = new Map<number, Credential>(
    ETYPES.map((etype) => [
      etype,
      issue(etype, { pac: true, authtime: now - 3_600_000, endtime: now + 8 * 3_600_000 }),
    ]),
  );
  const selected = rows.filter((r) => only === undefined || r.id.includes(only));
  const harness = buildMitHarness('gss-bench', 'gssapi');
  let mit = new Map<string, string>();
  if ('missing' in harness) console.error(`MIT column skipped: ${harness.missing}`);
  else {
    const dir = writeMitFiles(creds);
    try {
      mit = measureMit(harness.path, dir, [...new Set(selected.map((r) => r.mit))]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const measured = new Map<string, number>();
  const results = selected.map((r) => {
    const etype = Number(r.id.split(':')[1]);
    const key = `${r.key}:${etype}`;
    const ns = measured.get(key) ?? r.tskrb(creds.get(etype)!);
    measured.set(key, ns);
    const m = mit.get(r.mit);
    return {
      case: r.id,
      what: r.what,
      tskrb: ns,
      mit: m === undefined ? undefined : Number(m),
      mitReplay: mit.get(`${r.mit}:replay`),
    };
  });
  if (asJson) {
    console.log(JSON.stringify({ rows: results }));
    return;
  }
  console.log(`\nGSS-API krb5 mechanism vs MIT libgssapi_krb5 (best of ${BATCHES} batches, per token/call)`);
  printTable(
    ['case', 'what', 'tskrb', 'MIT C', 'tskrb/MIT', 'MIT replay check'],
    results.map((r) => [
      r.case,
      r.what,
      formatNs(r.tskrb),
      formatNs(r.mit),
      formatRatio(r.tskrb, r.mit),
      r.mitReplay === undefined ? '' : `replayed token ${r.mitReplay}`,
    ]),
  );
}

main();
