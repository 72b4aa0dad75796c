/**
 * Issue 20, end to end: CPU and wall time per warm S4U2Self + S4U2Proxy pair against the MIT lab KDC (alice ->
 * cifs/file.mit.test, service `web`, TGT already held), pairs run one after another, beside what the krb5kdc process
 * spends per pair (utime + stime from /proc/<pid>/stat, 10 ms ticks: hence many pairs) and MIT's
 * `kvno -U alice -P cifs/file.mit.test` as a whole process on the same KDC (from a TGT-only ccache copy made before
 * each run, outside the timing; its CPU is the children's from /proc/self/stat). slapd's CPU is shown too: MIT.TEST
 * keeps its principals in LDAP, so part of the KDC's work per request happens there. Ratios are printed in one run.
 *
 * Beside them, `replayed`: the client's own CPU for the same pair with no network and no waiting (see measureReplay),
 * which tells the client's work apart from what sleeping on a socket and waking costs on the machine. And two
 * reference clients on the same KDC, measured in the same rounds: the Node floor (the same pairs' requests sent from
 * a bare node:dgram socket, no Kerberos code in the loop: see measureFloor), and MIT krb5's own client in C
 * (bench/mit/s4u-pair.c: krb5_get_credentials_for_user + krb5_get_credentials_for_proxy in one warm process, built
 * against libkrb5-dev when present: see measureMitc).
 *
 * Modes (run through `npm run bench:s4u-cpu`, which compiles this file into .bench/ like crypto-vs-mit.ts):
 * - `pairs`, `replay`, `floor`, `mitc`, `kvno`: one measurement in this process, printed as a JSON line (what the
 *   driver spawns).
 * - default (driver): rounds of `pairs` and `replay` children (of this tree, and of `--compare <dir>`'s tree,
 *   interleaved), of `floor`, `mitc` and `kvno`, then a table of medians. Options: --pairs N (2000; replay runs
 *   5 N), --warmup N (2000: TurboFan still compiles hot functions after a few hundred pairs; the C harness warms up
 *   with N / 10), --kvno N (200), --rounds N (3), --compare DIR (another checkout, compiled by the runner against
 *   its own src: e.g. the last commit, for before/after in one run; may be repeated; the runner passes each on as
 *   --tree NAME=SCRIPT), --json.
 * For a profile: `TSKRB_LAB_DIR=.lab node --cpu-prof .bench/s4u-cpu-js/bench/s4u-cpu.js pairs --pairs 3000`.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ApplicationTag } from '../src/asn1/index.js';
import { KdcClient } from '../src/client/index.js';
import { s4u2proxy } from '../src/client/s4u2proxy.js';
import { s4u2self } from '../src/client/s4u2self.js';
import type { SendResult, Transport } from '../src/transport/index.js';
import { labKeys, labTransport, mitLab } from '../test/helpers/lab.js';
import { buildMitHarness } from './vs-mit.js';

const USER = 'alice';
const TARGET = 'cifs/file.mit.test';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/** CPU ms of a process from /proc: utime + stime (fields 14, 15), plus its waited-for children's (16, 17). */
function procCpuMs(pid: number | 'self'): { own: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = 1000 / CLOCK_TICKS;
  const n = (i: number) => Number(f[i - 3]);
  return { own: (n(14) + n(15)) * tick, children: (n(16) + n(17)) * tick };
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The lab's MIT.TEST krb5kdc: the PID in its pid file, checked against /proc. */
function kdcPid(): number {
  const realm = (mitLab?.['realms'] as Record<string, { pidFile?: string }> | undefined)?.[mitLab!.realm];
  const pid = Number(readFileSync(realm!.pidFile!, 'utf8').trim());
  const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  if (!cmd.includes('krb5kdc')) throw new Error(`pid ${pid} from ${realm!.pidFile} is not krb5kdc: ${cmd}`);
  return pid;
}

/** The MIT lab's KDB server (slapd: MIT.TEST keeps its principals in LDAP), when its pid file is there. */
function kdbPid(): number | undefined {
  const file = join(String(mitLab!['labDir']), 'ldap', 'slapd.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return existsSync(`/proc/${pid}/stat`) ? pid : undefined;
}

/** What the lab KDC logs from now until the returned function is called (its log file, read from where it ends now). */
function kdcLog(): () => KdcLogCounts {
  const file = mitLab?.realms?.[mitLab.realm]?.kdcLog;
  if (file === undefined) throw new Error('the lab records no KDC log file');
  const fd = openSync(file, 'r');
  const start = fstatSync(fd).size;
  return () => {
    const text = Buffer.alloc(fstatSync(fd).size - start);
    readSync(fd, text, 0, text.length, start);
    closeSync(fd);
    const lines = text.toString('utf8').split('\n');
    return {
      tgsIssued: lines.filter((l) => l.includes('TGS_REQ') && l.includes('ISSUE')).length,
      // MIT krb5kdc's lookaside cache answering a repeated request (dispatch.c kdc_check_lookaside).
      repeats: lines.filter((l) => l.includes('repeated (retransmitted?) request')).length,
    };
  };
}

/** CPU ms that the KDC and its KDB server spend from now until the returned function is called. */
function serverCpu(): () => { kdcCpuMs: number; kdbCpuMs: number } {
  const kdc = kdcPid();
  const kdb = kdbPid();
  const cpu = (pid: number | undefined) => (pid === undefined ? 0 : procCpuMs(pid).own);
  const kdc0 = cpu(kdc);
  const kdb0 = cpu(kdb);
  return () => ({ kdcCpuMs: cpu(kdc) - kdc0, kdbCpuMs: cpu(kdb) - kdb0 });
}

interface PairsResult {
  mode: 'pairs';
  pairs: number;
  clientCpuMs: number;
  /** The kernel's part of clientCpuMs (socket calls). */
  clientSysMs: number;
  kdcCpuMs: number;
  /** slapd's CPU: the KDC's LDAP KDB lookups. */
  kdbCpuMs: number;
  wallMs: number;
}

/**
 * The lab KDC's log lines over a measurement: TGS-REQs answered with a ticket, and repeated requests that its
 * lookaside cache answered without doing the work. Other processes using the lab at the same time add to both.
 */
interface KdcLogCounts {
  tgsIssued: number;
  repeats: number;
}

/** The Node floor: the same pairs' requests from a bare UDP socket (see measureFloor). */
interface FloorResult extends Omit<PairsResult, 'mode'> {
  mode: 'floor';
  /** What sent the requests: a bare node:dgram socket, or the tree's own KdcTransport (the lab's). */
  via: FloorVia;
  /** Replies that were not a TGS-REP. */
  errors: number;
  kdcLog: KdcLogCounts;
}

/** MIT krb5's client (bench/mit/s4u-pair.c), or why it was not measured. */
type MitcResult =
  | {
      mode: 'mitc';
      pairs: number;
      clientCpuMs: number;
      kdcCpuMs: number;
      kdbCpuMs: number;
      wallMs: number;
      /** The client named in the last S4U2Proxy ticket. */
      proxyClient: string;
      kdcLog: KdcLogCounts;
    }
  | { mode: 'mitc'; missing: string };

interface ReplayResult {
  mode: 'replay';
  pairs: number;
  clientCpuMs: number;
  /** Timer before each reply (0: none). */
  sleepMs: number;
  /** With sleepMs: wall time from each reply to the next request, in all (the client's work after a wait). */
  activeMs: number;
}

interface KvnoResult {
  mode: 'kvno';
  runs: number;
  wallMs: number;
  cpuMs: number;
  kdcCpuMs: number;
  kdbCpuMs: number;
}

/** The service's warm client: TGT held; `wrap` may stand between the client and the lab transport. */
async function warmClient(
  wrap?: (t: Transport) => Transport,
  fixed?: { clock: () => number; random: (n: number) => Uint8Array },
) {
  const L = mitLab!;
  const front = L.principals['web']!;
  const lab = labTransport(L);
  const client = new KdcClient({ realm: L.realm, transport: wrap ? wrap(lab) : lab, ...fixed });
  const { tgt } = await client.login({ principal: front.principal, keys: labKeys(front), forwardable: true });
  const pair = async () => {
    const self = await s4u2self(client, tgt, USER);
    await s4u2proxy(client, tgt, self, TARGET);
  };
  return { pair, client, tgt };
}

async function measurePairs(n: number, warmup: number): Promise<PairsResult> {
  const { pair } = await warmClient();
  for (let i = 0; i < warmup; i++) await pair();
  const server = serverCpu();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await pair();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    mode: 'pairs',
    pairs: n,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    clientSysMs: cpu.system / 1000,
    ...server(),
    wallMs,
  };
}

/**
 * The client's own work per pair with no network and no waiting: one pair's replies are recorded from the lab with
 * a fixed clock and random source, then the same pair (same requests, same nonces) is replayed from the recording.
 */
async function measureReplay(n: number, warmup: number, sleepMs = 0): Promise<ReplayResult> {
  let seed = 1;
  const random = (k: number) => {
    const b = new Uint8Array(k);
    for (let i = 0; i < k; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      b[i] = seed >>> 24;
    }
    return b;
  };
  const now = Date.now();
  const recorded: SendResult[] = [];
  let replaying = false;
  let next = 0;
  // With sleepMs: each reply comes after a timer of that many ms, as a KDC's would after a wait; `activeMs` adds up
  // the time from each reply to the next request (the client's own work on it, nothing waited for in between).
  let activeMs = 0;
  let repliedAt: number | undefined;
  const { pair } = await warmClient(
    (t) => ({
      send: async (realm, req, o) => (await t.sendDetailed(realm, req, o)).reply,
      sendDetailed: async (realm, req, o) => {
        if (replaying && sleepMs > 0) {
          if (repliedAt !== undefined) activeMs += performance.now() - repliedAt;
          await new Promise((wake) => setTimeout(wake, sleepMs));
          repliedAt = performance.now();
        }
        if (replaying) return recorded[next++ % recorded.length]!;
        const r = await t.sendDetailed(realm, req, o);
        recorded.push(r);
        return r;
      },
    }),
    { clock: () => now, random },
  );
  recorded.length = 0;
  const start = seed;
  await pair();
  replaying = true;
  const again = async () => {
    seed = start;
    next = 0;
    await pair();
  };
  for (let i = 0; i < warmup; i++) await again();
  activeMs = 0;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    repliedAt = undefined;
    await again();
    // The work after the pair's last reply, up to here.
    if (repliedAt !== undefined) activeMs += performance.now() - repliedAt;
  }
  const cpu = process.cpuUsage(cpu0);
  return { mode: 'replay', pairs: n, clientCpuMs: (cpu.user + cpu.system) / 1000, sleepMs, activeMs };
}

/** The sender of measureFloor's requests. */
type FloorVia = 'dgram' | 'transport';

/** The first byte of a TGS-REP: [APPLICATION 13], constructed. */
const TGS_REP_FIRST_BYTE = 0x60 | ApplicationTag.TgsRep;

/**
 * The Node floor: what a Node client on this KDC cannot go below. The tskrb client first builds `warmup + n` pairs'
 * requests without sending them (its transport keeps each request and fails the exchange); then, timed, a bare
 * node:dgram socket connected to the KDC sends them, pairs one after another as in measurePairs, awaiting each reply
 * and looking at its first byte only. Every request is new to the KDC: MIT krb5kdc keeps a lookaside cache of recent
 * requests (dispatch.c, kdc_check_lookaside) and answers a request it has seen byte for byte from there, without the
 * work, so pairs that were sent while recording them could not be sent again. The S4U2Self requests are fresh (nonce,
 * subkey, authenticator); the S4U2Proxy requests are fresh too but carry one evidence ticket, got beforehand: the KDC
 * decrypts and checks it for each as for any other. MIT's TGS keeps no replay cache of TGS-REQ authenticators, but
 * checks their time against its clock (5 min skew): requests are built just before they are sent.
 */
async function measureFloor(n: number, warmup: number, via: FloorVia): Promise<FloorResult> {
  const L = mitLab!;
  const notSent = new Error('request kept, not sent');
  let kept: Uint8Array | undefined;
  let keeping = false;
  const { client, tgt } = await warmClient((t) => ({
    send: async (realm, req, o) => (await t.sendDetailed(realm, req, o)).reply,
    sendDetailed: async (realm, req, o) => {
      if (!keeping) return t.sendDetailed(realm, req, o);
      kept = req.slice();
      throw notSent;
    },
  }));
  const evidence = await s4u2self(client, tgt, USER);
  const requests: Uint8Array[] = [];
  const keep = async (exchange: () => Promise<unknown>) => {
    keeping = true;
    kept = undefined;
    try {
      await exchange();
    } catch (e) {
      if (e !== notSent) throw e;
    } finally {
      keeping = false;
    }
    if (kept === undefined) throw new Error('the flow ended without sending its request');
    requests.push(kept);
  };
  for (let i = 0; i < warmup + n; i++) {
    await keep(() => s4u2self(client, tgt, USER));
    await keep(() => s4u2proxy(client, tgt, evidence, TARGET));
  }

  const socket = createSocket('udp4');
  socket.connect(L.kdc.port, L.kdc.host);
  await once(socket, 'connect');
  let answer: ((reply: Uint8Array) => void) | undefined;
  let failed: ((e: Error) => void) | undefined;
  socket.on('message', (m: Uint8Array) => answer?.(m));
  socket.on('error', (e) => failed?.(e));
  let errors = 0;
  let sent = 0;
  // `transport`: the same requests through the lab's KdcTransport (schedule, timers, socket pool, reply check), as
  // the client sends them, but with no Kerberos work around them: what the transport adds to the bare socket.
  const transport = labTransport(L);
  const exchange =
    via === 'transport'
      ? async (request: Uint8Array) => {
          sent++;
          const { reply } = await transport.sendDetailed(L.realm, request);
          if (reply[0] !== TGS_REP_FIRST_BYTE) errors++;
        }
      : (request: Uint8Array) =>
          new Promise<void>((resolve, reject) => {
            answer = (reply) => {
              if (reply[0] !== TGS_REP_FIRST_BYTE) errors++;
              resolve();
            };
            failed = reject;
            sent++;
            socket.send(request);
          });
  // No timer per request (a bare client has none); a lost datagram fails the run instead of hanging it.
  let seen = 0;
  const watchdog = setInterval(() => {
    if (sent === seen) failed?.(new Error(`no reply from the KDC in 2 s (request ${sent})`));
    seen = sent;
  }, 2000);
  const pairs = async (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      await exchange(requests[2 * i]!);
      await exchange(requests[2 * i + 1]!);
    }
  };
  try {
    await pairs(0, warmup);
    errors = 0;
    const log = kdcLog();
    const server = serverCpu();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await pairs(warmup, warmup + n);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return {
      mode: 'floor',
      via,
      pairs: n,
      clientCpuMs: (cpu.user + cpu.system) / 1000,
      clientSysMs: cpu.system / 1000,
      ...server(),
      wallMs,
      errors,
      kdcLog: log(),
    };
  } finally {
    clearInterval(watchdog);
    socket.close();
    transport.close();
  }
}

/**
 * MIT krb5's own client: bench/mit/s4u-pair.c, built against libkrb5-dev, makes `n` pairs after `warmup` in one warm
 * process, with the lab's krb5.conf. The harness waits after its warm-up, so that the KDC's CPU counts the timed
 * pairs only; its own CPU and wall time are its getrusage and monotonic clock.
 */
async function measureMitc(n: number, warmup: number, harness: string): Promise<MitcResult> {
  const L = mitLab!;
  const front = L.principals['web']!;
  const args = [front.keytab!, front.principal, `${USER}@${L.realm}`, `${TARGET}@${L.realm}`];
  const child = spawn(harness, [...args, String(warmup), String(n)], {
    env: { ...process.env, ...L.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const closed = once(child, 'close');
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const line = async () => (await lines.next()).value as string | undefined;
  if ((await line()) !== 'ready') {
    await closed;
    throw new Error(`${harness} failed in its warm-up: ${stderr}`);
  }
  const log = kdcLog();
  const server = serverCpu();
  child.stdin.end('go\n');
  const out = await line();
  const spent = server();
  const [code] = (await closed) as [number | null];
  if (code !== 0 || out === undefined) throw new Error(`${harness} failed (${code}): ${stderr}`);
  const r = JSON.parse(out) as { pairs: number; cpuMs: number; wallMs: number; client: string };
  return {
    mode: 'mitc',
    pairs: r.pairs,
    clientCpuMs: r.cpuMs,
    ...spent,
    wallMs: r.wallMs,
    proxyClient: r.client,
    kdcLog: log(),
  };
}

function measureKvno(n: number): KvnoResult {
  const L = mitLab!;
  const front = L.principals['web']!;
  const dir = mkdtempSync(join(tmpdir(), 'tskrb-s4u-cpu-'));
  const tgtCache = join(dir, 'tgt');
  const runCache = join(dir, 'run');
  const env = { ...process.env, ...L.env, KRB5CCNAME: `FILE:${runCache}` };
  execFileSync('kinit', ['-k', '-t', front.keytab!, '-c', tgtCache, front.principal], { env });
  const kvno = ['-q', '-c', runCache, '-U', USER, '-P', TARGET];
  const run = () => {
    // kvno caches both tickets in the ccache: every run starts from a copy holding only the TGT.
    copyFileSync(tgtCache, runCache);
    const t = performance.now();
    const r = spawnSync('kvno', kvno, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`kvno failed: ${r.stderr}`);
    return performance.now() - t;
  };
  for (let i = 0; i < 10; i++) run();
  const server = serverCpu();
  const child0 = procCpuMs('self').children;
  let wallMs = 0;
  for (let i = 0; i < n; i++) wallMs += run();
  return {
    mode: 'kvno',
    runs: n,
    wallMs,
    cpuMs: procCpuMs('self').children - child0,
    ...server(),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function child<T>(script: string, args: string[]): T {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}

const f3 = (x: number) => x.toFixed(3);

/** What every client's measurement gives: pairs made, and the ms of CPU and wall time they took in all. */
type Totals = Pick<PairsResult, 'pairs' | 'clientCpuMs' | 'kdcCpuMs' | 'kdbCpuMs' | 'wallMs'>;

/** A reference client's row: medians over the rounds, ms per pair. */
interface ReferenceRow {
  client: string;
  clientCpu: number;
  kdcCpu: number;
  kdbCpu: number;
  wall: number;
  clientOverKdc: number;
  wallOverKvno: number;
}

async function drive(): Promise<void> {
  const pairs = arg('pairs', '2000');
  const warmup = arg('warmup', '2000');
  const kvnoRuns = arg('kvno', '200');
  const rounds = Number(arg('rounds', '3'));
  const trees = process.argv.flatMap((a, i) => {
    if (a !== '--tree') return [];
    const [name, script] = process.argv[i + 1]!.split('=') as [string, string];
    return [{ name, script }];
  });
  const self = new URL(import.meta.url).pathname;
  trees.push({ name: 'this tree', script: self });
  const got = new Map(
    trees.map((t) => [
      t.name,
      {
        pairs: [] as PairsResult[],
        replay: [] as ReplayResult[],
        slept: [] as ReplayResult[],
        transport: [] as FloorResult[],
      },
    ]),
  );
  const floors: FloorResult[] = [];
  const mitcs: Extract<MitcResult, { pairs: number }>[] = [];
  const kvnos: KvnoResult[] = [];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const harness = buildMitHarness('s4u-pair', 'krb5');
  if ('missing' in harness) log(`MIT C row skipped: ${harness.missing}`);
  const perPair = (x: Totals) =>
    `client ${f3(x.clientCpuMs / x.pairs)} ms CPU/pair, KDC ${f3(x.kdcCpuMs / x.pairs)} (+ slapd ${f3(x.kdbCpuMs / x.pairs)}), wall ${f3(x.wallMs / x.pairs)}`;
  const logged = (k: KdcLogCounts) =>
    `KDC log: ${k.tgsIssued} TGS tickets issued, ${k.repeats} lookaside repeats`;
  for (let r = 1; r <= rounds; r++) {
    for (const t of trees) {
      const p = child<PairsResult>(t.script, ['pairs', '--pairs', pairs, '--warmup', warmup]);
      const q = child<ReplayResult>(t.script, [
        'replay',
        '--pairs',
        String(Number(pairs) * 5),
        '--warmup',
        warmup,
      ]);
      const tr = child<FloorResult>(t.script, [
        'floor',
        '--via',
        'transport',
        '--pairs',
        pairs,
        '--warmup',
        warmup,
      ]);
      got.get(t.name)!.pairs.push(p);
      got.get(t.name)!.replay.push(q);
      // The same replay with a 1 ms timer before each reply: the client's work after a wait, as in a live pair.
      const qs = child<ReplayResult>(t.script, [
        'replay',
        '--sleep',
        '1',
        '--pairs',
        pairs,
        '--warmup',
        String(Math.ceil(Number(warmup) / 2)),
      ]);
      got.get(t.name)!.slept.push(qs);
      got.get(t.name)!.transport.push(tr);
      log(
        `round ${r} ${t.name}: client ${f3(p.clientCpuMs / p.pairs)} ms CPU/pair (sys ${f3(p.clientSysMs / p.pairs)}), KDC ${f3(p.kdcCpuMs / p.pairs)} (+ slapd ${f3(p.kdbCpuMs / p.pairs)}), wall ${f3(p.wallMs / p.pairs)}; replayed ${f3(q.clientCpuMs / q.pairs)}; transport alone ${f3(tr.clientCpuMs / tr.pairs)}; replayed after 1 ms waits ${f3(qs.clientCpuMs / qs.pairs)} CPU, ${f3(qs.activeMs / qs.pairs)} from replies to requests`,
      );
    }
    const fl = child<FloorResult>(self, ['floor', '--via', 'dgram', '--pairs', pairs, '--warmup', warmup]);
    floors.push(fl);
    log(
      `round ${r} Node floor: ${perPair(fl)} (sys ${f3(fl.clientSysMs / fl.pairs)}); ${fl.errors} non-TGS-REP replies; ${logged(fl.kdcLog)}`,
    );
    if ('path' in harness) {
      const m = child<MitcResult>(self, [
        'mitc',
        '--pairs',
        pairs,
        '--warmup',
        String(Math.ceil(Number(warmup) / 10)),
        '--harness',
        harness.path,
      ]);
      if ('missing' in m) throw new Error(m.missing);
      mitcs.push(m);
      log(`round ${r} MIT C: ${perPair(m)}; proxy ticket's client ${m.proxyClient}; ${logged(m.kdcLog)}`);
    }
    const k = measureKvno(Number(kvnoRuns));
    kvnos.push(k);
    log(
      `round ${r} kvno: ${f3(k.wallMs / k.runs)} ms/process wall, ${f3(k.cpuMs / k.runs)} ms CPU, KDC ${f3(k.kdcCpuMs / k.runs)} (+ slapd ${f3(k.kdbCpuMs / k.runs)})`,
    );
  }
  const kvno = {
    wall: median(kvnos.map((k) => k.wallMs / k.runs)),
    cpu: median(kvnos.map((k) => k.cpuMs / k.runs)),
    kdcCpu: median(kvnos.map((k) => k.kdcCpuMs / k.runs)),
    kdbCpu: median(kvnos.map((k) => k.kdbCpuMs / k.runs)),
  };
  const rows = trees.map((t) => {
    const g = got.get(t.name)!;
    const clientCpu = median(g.pairs.map((x) => x.clientCpuMs / x.pairs));
    const kdcCpu = median(g.pairs.map((x) => x.kdcCpuMs / x.pairs));
    const kdbCpu = median(g.pairs.map((x) => x.kdbCpuMs / x.pairs));
    const wall = median(g.pairs.map((x) => x.wallMs / x.pairs));
    const replayed = median(g.replay.map((x) => x.clientCpuMs / x.pairs));
    const transportCpu = median(g.transport.map((x) => x.clientCpuMs / x.pairs));
    const afterWaitCpu = median(g.slept.map((x) => x.clientCpuMs / x.pairs));
    const afterWaitActive = median(g.slept.map((x) => x.activeMs / x.pairs));
    return {
      tree: t.name,
      clientCpu,
      kdcCpu,
      kdbCpu,
      wall,
      replayed,
      transportCpu,
      afterWaitCpu,
      afterWaitActive,
      clientOverKdc: clientCpu / kdcCpu,
      wallOverKvno: wall / kvno.wall,
    };
  });
  const reference = (client: string, xs: Totals[]): ReferenceRow[] => {
    if (xs.length === 0) return [];
    const clientCpu = median(xs.map((x) => x.clientCpuMs / x.pairs));
    const kdcCpu = median(xs.map((x) => x.kdcCpuMs / x.pairs));
    const wall = median(xs.map((x) => x.wallMs / x.pairs));
    return [
      {
        client,
        clientCpu,
        kdcCpu,
        kdbCpu: median(xs.map((x) => x.kdbCpuMs / x.pairs)),
        wall,
        clientOverKdc: clientCpu / kdcCpu,
        wallOverKvno: wall / kvno.wall,
      },
    ];
  };
  const references = [
    ...reference('Node floor (bare dgram)', floors),
    ...reference('MIT C (libkrb5)', mitcs),
  ];
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ rows, references, kvno }));
    return;
  }
  console.log(
    `\nWarm S4U2Self + S4U2Proxy pairs (${USER} -> ${TARGET}) against MIT krb5kdc (LDAP KDB), one after another; medians of ${rounds} rounds of ${pairs} pairs (after ${warmup}); ms per pair`,
  );
  console.log(
    'tree                               client CPU  KDC CPU  client/KDC  slapd CPU    wall  wall/kvno  replayed CPU  transport CPU',
  );
  const line = (name: string, r: ReferenceRow, replayed: string, transport: string) =>
    `${name.padEnd(35)}${f3(r.clientCpu).padStart(10)}${f3(r.kdcCpu).padStart(9)}${r.clientOverKdc.toFixed(2).padStart(12)}${f3(r.kdbCpu).padStart(11)}${f3(r.wall).padStart(8)}${f3(r.wallOverKvno).padStart(11)}${replayed.padStart(14)}${transport.padStart(15)}`;
  for (const r of rows)
    console.log(line(r.tree, { ...r, client: r.tree }, f3(r.replayed), f3(r.transportCpu)));
  for (const r of references) console.log(line(r.client, r, '-', '-'));
  for (const r of rows)
    console.log(
      `${r.tree}: replayed with a 1 ms wait before each reply: ${f3(r.afterWaitCpu)} ms CPU/pair, ${f3(r.afterWaitActive)} ms from replies to the next requests (the same work without waits: ${f3(r.replayed)})`,
    );
  console.log(
    `kvno -U ${USER} -P ${TARGET}, whole process (${kvnoRuns} runs/round): wall ${f3(kvno.wall)} ms, CPU ${f3(kvno.cpu)} ms, KDC CPU ${f3(kvno.kdcCpu)} ms, slapd CPU ${f3(kvno.kdbCpu)} ms`,
  );
  console.log(
    "replayed CPU: the same pair replayed from recorded replies (no network, no waiting): the client's own work",
  );
  console.log(
    "transport CPU: the Node floor's requests sent through the tree's KdcTransport instead of a bare socket: the transport's part of client CPU, with the floor's",
  );
  console.log(
    "Node floor: this tree's requests for the same pairs (built beforehand, never sent before) sent from a bare node:dgram socket, no Kerberos code in the loop: what any Node client pays to wait on the KDC",
  );
  console.log(
    'MIT C: libkrb5 in one warm C process (bench/mit/s4u-pair.c); it FAST-armors every TGS-REQ (fast.c krb5int_fast_tgs_armor: more crypto on both sides), which puts its S4U2Proxy request over udp_preference_limit: that one goes by TCP',
  );
  console.log("targets (issue 20): client CPU <= 0.5 ms and below the KDC's; wall/kvno <= 0.2");
}

async function main(): Promise<void> {
  if (!mitLab) {
    console.log('S4U CPU bench: MIT lab not running (npm run lab:up): nothing measured');
    return;
  }
  const mode = process.argv[2];
  if (mode === 'replay') {
    console.log(
      JSON.stringify(
        await measureReplay(
          Number(arg('pairs', '10000')),
          Number(arg('warmup', '500')),
          Number(arg('sleep', '0')),
        ),
      ),
    );
  } else if (mode === 'pairs') {
    console.log(
      JSON.stringify(await measurePairs(Number(arg('pairs', '2000')), Number(arg('warmup', '2000')))),
    );
  } else if (mode === 'floor') {
    console.log(
      JSON.stringify(
        await measureFloor(
          Number(arg('pairs', '2000')),
          Number(arg('warmup', '2000')),
          arg('via', 'dgram') === 'transport' ? 'transport' : 'dgram',
        ),
      ),
    );
  } else if (mode === 'mitc') {
    const given = arg('harness', '');
    const harness = given ? { path: given } : buildMitHarness('s4u-pair', 'krb5');
    const result: MitcResult =
      'path' in harness
        ? await measureMitc(Number(arg('pairs', '2000')), Number(arg('warmup', '200')), harness.path)
        : { mode: 'mitc', missing: harness.missing };
    console.log(JSON.stringify(result));
  } else if (mode === 'kvno') {
    console.log(JSON.stringify(measureKvno(Number(arg('kvno', '200')))));
  } else {
    await drive();
  }
}

await main();
