#!/usr/bin/env node
// Issue 21's fleet proof against the MIT lab and the lab's Redis: P Node processes (default 4), each a DelegationClient
// replica making C s4u2proxy calls (default 1000, 50 in flight) over U users (default 50, fleet01..fleetNN, added to
// the lab's KDB with kadmin.local when missing) to cifs/file.mit.test, from a cold start; first with the shared
// RedisTicketStore, then without. The S4U2Self and S4U2Proxy requests are counted in the KDC's own log
// (PROTOCOL-TRANSITION / CONSTRAINED-DELEGATION lines naming the fleet users). With --outage, Redis is a server of
// this script's own, killed by its PID in the middle of the shared run and started again after a pause.
// Usage: node scripts/delegation-fleet.mjs [--processes 4] [--calls 1000] [--users 50] [--outage] [--json FILE]
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const labDir = process.env.TSKRB_LAB_DIR ?? join(repo, '.lab');
const dist = join(labDir, 'fleet', 'dist');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};

if (process.argv[2] === '--child') await child();
else await parent();

async function child() {
  const o = JSON.parse(process.env.FLEET_CHILD);
  const load = (p) => import(pathToFileURL(join(dist, p)).href);
  const { DelegationClient } = await load('delegation/index.js');
  const { RedisTicketStore } = await load('delegation/redis-store.js');
  const { KdcTransport } = await load('transport/index.js');
  const { parseKeytab } = await load('creds/index.js');
  const { Key } = await load('crypto/index.js');
  const mit = JSON.parse(readFileSync(join(labDir, 'mit.json'), 'utf8'));
  const web = mit.principals.web;
  const kt = parseKeytab(new Uint8Array(readFileSync(web.keytab)));
  const keys = kt.entries
    .filter((e) => e.principal.components.join('/') === 'HTTP/web.mit.test')
    .map((e) => new Key(e.key.etype, e.key.bytes));
  let redis;
  let store;
  if (o.redis) {
    const { Redis } = await import('ioredis');
    redis = new Redis({
      ...o.redis,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 100,
    });
    redis.on('error', () => undefined);
    await new Promise((r) => redis.once('ready', r));
    store = {
      store: new RedisTicketStore({ client: redis, prefix: o.prefix }),
      key: Buffer.from(o.key, 'hex'),
    };
  }
  const dc = new DelegationClient({
    service: web.principal,
    realm: mit.realm,
    transport: new KdcTransport({ kdcs: { [mit.realm]: mit.kdcs }, timeoutMs: 15000 }),
    keys,
    ...(store ? { store } : {}),
  });
  process.send({ ready: true });
  await new Promise((r) => process.once('message', r));
  let next = 0;
  let failed = 0;
  const sources = {};
  const t0 = performance.now();
  const worker = async () => {
    while (next < o.calls) {
      const i = next++;
      try {
        // With --outage the calls go to three groups of users in turn (before, during, after the outage).
        const g = o.groups ?? 1;
        const group = Math.floor((i * g) / o.calls);
        const per = Math.ceil(o.users.length / g);
        const pool = o.users.slice(group * per, (group + 1) * per);
        const t = await dc.s4u2proxy(pool[i % pool.length], o.target);
        sources[t.source] = (sources[t.source] ?? 0) + 1;
      } catch (e) {
        failed++;
        sources[e.name] = (sources[e.name] ?? 0) + 1;
      }
      if (o.paceMs) await new Promise((r) => setTimeout(r, o.paceMs));
    }
  };
  await Promise.all(Array.from({ length: o.inFlight }, worker));
  process.send({ done: true, failed, sources, ms: Math.round(performance.now() - t0), stats: dc.stats() });
  redis?.disconnect();
}

async function parent() {
  const P = Number(arg('processes', 4));
  const C = Number(arg('calls', 1000));
  const U = Number(arg('users', 50));
  const outage = process.argv.includes('--outage');
  const mit = JSON.parse(readFileSync(join(labDir, 'mit.json'), 'utf8'));
  const redisLab = JSON.parse(readFileSync(join(labDir, 'redis.json'), 'utf8'));
  const kdcLog = mit.realms[mit.realm].kdcLog;
  const users = Array.from({ length: U }, (_, i) => `fleet${String(i + 1).padStart(2, '0')}@${mit.realm}`);

  console.log(`building src into ${dist}`);
  try {
    execFileSync(
      join(repo, 'node_modules/.bin/tsc'),
      ['-p', join(repo, 'tsconfig.build.json'), '--outDir', dist],
      {
        stdio: 'ignore',
      },
    );
  } catch {
    // tsc emits despite type errors elsewhere in the tree; the import below fails if it did not.
  }
  addUsers(mit, users);

  const run = async (label, redis, { paceMs = 0, groups = 1, started = () => undefined } = {}) => {
    const before = statSync(kdcLog).size;
    const o = {
      users,
      target: `cifs/file.mit.test@${mit.realm}`,
      calls: C,
      inFlight: 50,
      paceMs,
      groups,
      prefix: `tskrb:fleet:${randomBytes(6).toString('hex')}:`,
      key: randomBytes(32).toString('hex'),
      redis,
    };
    const kids = Array.from({ length: P }, () =>
      spawn(process.execPath, [fileURLToPath(import.meta.url), '--child'], {
        env: { ...process.env, FLEET_CHILD: JSON.stringify(o) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const results = kids.map(
      (k) =>
        new Promise((resolve, reject) => {
          k.on('message', (m) => m.done && resolve(m));
          k.on('exit', (code) => code && reject(new Error(`child exited ${code}`)));
        }),
    );
    await Promise.all(kids.map((k) => new Promise((r) => k.on('message', (m) => m.ready && r()))));
    const t0 = Date.now();
    for (const k of kids) k.send({ go: true });
    started();
    const out = await Promise.all(results);
    if (redis) await dropKeys(redis, o.prefix);
    const log = readFileSync(kdcLog).subarray(before).toString('utf8');
    const count = (what) =>
      log.split('\n').filter((l) => l.includes(what) && /s4u-client=fleet\d+@/.test(l)).length;
    const r = {
      label,
      processes: P,
      callsPerProcess: C,
      users: U,
      failed: out.reduce((n, x) => n + x.failed, 0),
      kdcS4u2Self: count('PROTOCOL-TRANSITION'),
      kdcS4u2Proxy: count('CONSTRAINED-DELEGATION'),
      wallMs: Date.now() - t0,
      perProcess: out.map((x) => ({
        ms: x.ms,
        sources: x.sources,
        store: x.stats.store,
        exchanges: x.stats.exchanges,
      })),
    };
    console.log(
      `${label}: ${P} x ${C} calls over ${U} users: failed ${r.failed}; KDC log: ${r.kdcS4u2Self} S4U2Self, ` +
        `${r.kdcS4u2Proxy} S4U2Proxy; ${r.wallMs} ms`,
    );
    for (const p of r.perProcess) console.log(`  ${JSON.stringify({ sources: p.sources, store: p.store })}`);
    return r;
  };

  const report = [];
  if (!outage) {
    const redis = { host: '127.0.0.1', port: redisLab.port, password: redisLab.password };
    report.push(await run('shared store (Redis)', redis));
  } else {
    // Own redis-server: killed by PID while the replicas run, started again 1.5 s later on the same port.
    const port = await freePort();
    const password = randomBytes(16).toString('hex');
    const dir = join(labDir, 'fleet', `redis-${port}`);
    mkdirSync(dir, { recursive: true });
    // The lab's settings (scripts/lab/redis.sh serve); exec keeps the PID, which is killed below.
    const start = () =>
      spawn('bash', [join(repo, 'scripts', 'lab', 'redis.sh'), 'serve', String(port), dir], {
        stdio: 'ignore',
        env: { ...process.env, TSKRB_REDIS_PASSWORD: password },
      });
    let server = start();
    await new Promise((r) => setTimeout(r, 300));
    // Paced so the run lasts about 6 s: users 1-17 from 0 s (Redis up), 18-34 from 2 s (Redis down from 1 s to
    // 2.5 s), 35-50 from 4 s (Redis back).
    const timers = [];
    const started = () => {
      timers.push(
        setTimeout(() => {
          console.log(`  t=1.0 s: killing redis-server pid ${server.pid}`);
          process.kill(server.pid, 'SIGKILL');
        }, 1000),
        setTimeout(() => {
          server = start();
          console.log(`  t=2.5 s: redis-server started again, pid ${server.pid}`);
        }, 2500),
      );
    };
    report.push(
      await run(
        'shared store (Redis), stopped mid-run',
        { host: '127.0.0.1', port, password },
        {
          paceMs: Math.round(6000 / (C / 50)),
          groups: 3,
          started,
        },
      ),
    );
    for (const t of timers) clearTimeout(t);
    if (server.exitCode === null && server.signalCode === null) process.kill(server.pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  report.push(
    await run(
      'no store (memory only)',
      undefined,
      outage ? { paceMs: Math.round(6000 / (C / 50)), groups: 3 } : {},
    ),
  );
  const json = arg('json', undefined);
  if (json) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
}

// The fleet users, added to the running lab KDB when missing (mit.sh up wipes them with the rest).
function addUsers(mit, users) {
  const kdcConf = join(dirname(mit.realms[mit.realm].kdcLog), 'kdc.conf');
  const env = { ...process.env, KRB5_CONFIG: mit.krb5Conf, KRB5_KDC_PROFILE: kdcConf };
  const have = execFileSync('kadmin.local', ['-r', mit.realm, '-q', 'listprincs fleet*'], { env }).toString();
  const missing = users.filter((u) => !have.includes(u));
  if (missing.length === 0) return;
  const input = missing.map((u) => `addprinc -randkey ${u}`).join('\n');
  execFileSync('kadmin.local', ['-r', mit.realm], {
    env,
    input: `${input}\nquit\n`,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  console.log(`added ${missing.length} users to ${mit.realm}`);
}

// The lab's Redis keeps nothing of the run (entries would otherwise stay until their TTL).
async function dropKeys(redis, prefix) {
  const { Redis } = await import('ioredis');
  const c = new Redis({ ...redis, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  try {
    await c.connect();
    const keys = await c.keys(`${prefix}*`);
    if (keys.length > 0) await c.del(...keys);
  } finally {
    c.disconnect();
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
