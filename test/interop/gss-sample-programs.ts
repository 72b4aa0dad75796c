/**
 * MIT's GSS-API sample programs in the MIT lab: `gss-server` started and stopped by PID, `gss-client` run to
 * completion, `kinit` into a private ccache. The lab records them under `gss` in .lab/mit.json (scripts/lab/mit.sh).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { LabInfo, LabPrincipal } from '../helpers/lab.js';

/** One GSS acceptor principal of the lab: its id in `principals`, the one enctype of its key and session keys. */
export interface LabGssService {
  readonly id: string;
  readonly enctype: number;
  /** GSS host-based service name, `gss@host`, as gss-server and gss-client take it. */
  readonly hostService: string;
}

/** The `gss` section of .lab/mit.json. */
export interface LabGss {
  readonly realm: string;
  readonly user: string;
  readonly front: string;
  readonly tools: { readonly 'gss-server': string; readonly 'gss-client': string };
  readonly services: readonly LabGssService[];
}

/** The lab's GSS section (throws, naming the fix, when the running lab predates it). */
export function labGss(L: LabInfo): LabGss {
  const g = L['gss'] as LabGss | undefined;
  if (!g) throw new Error('.lab/mit.json has no "gss" section: restart the lab (npm run lab:up)');
  return g;
}

/** An ephemeral TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** The environment of MIT's tools against a lab, with a private ccache (and another krb5.conf if given). */
export function toolEnv(L: LabInfo, ccache?: string, krb5Conf?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...L.env };
  if (krb5Conf) env['KRB5_CONFIG'] = krb5Conf;
  delete env['KRB5_TRACE'];
  delete env['KRB5_KTNAME'];
  if (ccache) env['KRB5CCNAME'] = `FILE:${ccache}`;
  else delete env['KRB5CCNAME'];
  return env;
}

/** What a finished program printed. */
export interface ProgramResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runProgram(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input?: string,
  timeoutMs = 20000,
): Promise<ProgramResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { env, timeout: timeoutMs, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** `kinit` of a lab principal with its password into `ccache` (forwardable, as the lab's krb5.conf asks). */
export async function kinitPassword(
  L: LabInfo,
  p: LabPrincipal,
  ccache: string,
  krb5Conf?: string,
): Promise<void> {
  const kinit = (L['tools'] as Record<string, string> | undefined)?.['kinit'] ?? 'kinit';
  const r = await runProgram(kinit, ['-f', p.principal], toolEnv(L, ccache, krb5Conf), `${p.password}\n`);
  if (r.code !== 0) throw new Error(`kinit ${p.principal} failed (${r.code}): ${r.stderr}`);
}

/** A running gss-server. */
export interface GssServerProcess {
  readonly port: number;
  readonly pid: number;
  /** Everything it printed so far (stdout and stderr interleaved as they arrived). */
  output(): string;
  /** Resolves with the output from offset `from` once that part matches `re`. */
  waitFor(re: RegExp, from?: number, timeoutMs?: number): Promise<string>;
  /** Stops it by PID. */
  stop(): Promise<void>;
}

/**
 * Starts `gss-server -port P -keytab KT service` (every connection, until stopped). stdout goes through `stdbuf -oL`
 * because gss-server prints "Accepted connection" with printf, which a pipe would hold until a session ends.
 */
export async function startGssServer(
  L: LabInfo,
  o: { readonly keytab: string; readonly service: string; readonly verbose?: boolean },
): Promise<GssServerProcess> {
  const port = await freePort();
  const gss = labGss(L);
  const args = ['-oL', gss.tools['gss-server'], '-port', String(port), ...(o.verbose ? ['-verbose'] : [])];
  args.push('-keytab', o.keytab, o.service);
  const child: ChildProcess = spawn('stdbuf', args, { env: toolEnv(L), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString('utf8');
    for (const l of [...listeners]) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      for (const l of [...listeners]) l();
      resolve();
    }),
  );
  const waitFor = (re: RegExp, from = 0, timeoutMs = 15000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const part = out.slice(from);
        if (re.test(part)) {
          done();
          resolve(part);
        } else if (exited) {
          done();
          reject(new Error(`gss-server exited before printing ${re}: ${part}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`gss-server did not print ${re} within ${timeoutMs} ms: ${out.slice(from)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  await waitFor(/starting\.\.\./);
  const pid = child.pid!;
  return {
    port,
    pid,
    output: () => out,
    waitFor,
    stop: async () => {
      if (exited) return;
      // stdbuf execs gss-server, so this PID is gss-server itself.
      process.kill(pid, 'SIGTERM');
      await exit;
    },
  };
}

/** gss-client's switches the tests use. */
export interface GssClientOptions {
  readonly port: number;
  readonly service: string;
  readonly message: string;
  readonly ccache: string;
  /** -spnego, -d, -seq, -nomutual, -noreplay, -nw, -nx, -nm, -mcount N ... */
  readonly flags?: readonly string[];
  /** A krb5.conf other than the lab's. */
  readonly krb5Conf?: string;
}

/**
 * A copy of the lab's krb5.conf in `dir` whose permitted and TGS enctypes put rc4-hmac first. MIT's initiator lists
 * in RFC 4537 ETYPE-NEGOTIATION its permitted enctypes up to the session key's and sends no list when that comes
 * first: with rc4 first an rc4 session stays rc4 (RFC 4757 tokens) instead of moving to an aes256 acceptor subkey.
 */
export function rc4FirstKrb5Conf(L: LabInfo, dir: string): string {
  const rc4First = (line: string) => {
    const [key, list = ''] = line.split('=');
    const etypes = list
      .trim()
      .split(/\s+/)
      .filter((e) => e !== 'arcfour-hmac');
    return `${key}= arcfour-hmac ${etypes.join(' ')}`;
  };
  const text = readFileSync(L.krb5Conf, 'utf8')
    .split('\n')
    .map((l) => (/^\s*(permitted_enctypes|default_tgs_enctypes)\s*=/.test(l) ? rc4First(l) : l))
    .join('\n');
  const file = join(dir, 'krb5-rc4-first.conf');
  writeFileSync(file, text);
  return file;
}

/**
 * Runs `gss-client [flags] -port P 127.0.0.1 service message` to completion with `L`'s krb5.conf (the MIT or the
 * Samba lab: the program is the one mit.json records, else gss-client on PATH).
 */
export function runGssClient(L: LabInfo, o: GssClientOptions): Promise<ProgramResult> {
  const args = ['-port', String(o.port), ...(o.flags ?? []), '127.0.0.1', o.service, o.message];
  const program = (L['gss'] as LabGss | undefined)?.tools['gss-client'] ?? 'gss-client';
  return runProgram(program, args, toolEnv(L, o.ccache, o.krb5Conf));
}

// ---- gss-peer.py: MIT's GSS-API through python3-gssapi -----------------------------------------------------------

/** The Python with Debian's modules (the `python3` on PATH may lack them). */
const PYTHON = '/usr/bin/python3';
const PEER = new URL('./gss-peer.py', import.meta.url).pathname;

/** One JSON line gss-peer.py printed. */
export interface PeerEvent {
  readonly event: string;
  readonly [k: string]: unknown;
}

/** Whether python3-gssapi is installed (the lab's install-packages.sh installs it). */
export function hasPythonGssapi(): Promise<boolean> {
  return runProgram(PYTHON, ['-c', 'import gssapi'], process.env).then((r) => r.code === 0);
}

const events = (stdout: string): PeerEvent[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as PeerEvent);

/** A gss-peer.py acceptor waiting for one connection. */
export interface PeerAcceptor {
  readonly port: number;
  /** Its events once the connection is over (or it failed). */
  readonly done: Promise<{ code: number | null; events: PeerEvent[]; stderr: string }>;
  /** Stops it by PID if it is still waiting (a test that failed before connecting). */
  stop(): Promise<void>;
}

/** Channel bindings application data for gss-peer.py (GSS_PEER_CB_HEX). */
const cbEnv = (cb: Uint8Array | undefined) =>
  cb ? { GSS_PEER_CB_HEX: Buffer.from(cb).toString('hex') } : {};

/** Starts `gss-peer.py accept` on an ephemeral port with `keytab` as its acceptor keytab (and channel bindings). */
export async function startPeerAcceptor(
  L: LabInfo,
  keytab: string,
  channelBindings?: Uint8Array,
): Promise<PeerAcceptor> {
  const env = { ...toolEnv(L), KRB5_KTNAME: keytab, ...cbEnv(channelBindings) };
  const child = spawn(PYTHON, [PEER, 'accept', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  const done = new Promise<{ code: number | null; events: PeerEvent[]; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, events: events(out), stderr: err })),
  );
  let exited = false;
  void done.then(() => {
    exited = true;
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const listening = events(out).find((e) => e.event === 'listening');
      if (listening) resolve(listening['port'] as number);
    });
    void done.then((r) => reject(new Error(`gss-peer.py accept exited (${r.code}): ${r.stderr}${out}`)));
  });
  const stop = async () => {
    if (exited) return;
    process.kill(child.pid!, 'SIGTERM');
    await done;
  };
  return { port, done, stop };
}

/** Runs `gss-peer.py initiate` to completion against a sample-protocol server on 127.0.0.1:`port`. */
export async function runPeerInitiator(
  L: LabInfo,
  o: {
    port: number;
    service: string;
    message: string;
    ccache: string;
    /** deleg, seq, nomutual */
    options?: readonly string[];
    krb5Conf?: string;
    /** Application data of the channel bindings it passes. */
    channelBindings?: Uint8Array;
  },
): Promise<{ code: number | null; events: PeerEvent[]; stderr: string }> {
  const args = [PEER, 'initiate', String(o.port), o.service, o.message, (o.options ?? []).join(',')];
  const r = await runProgram(PYTHON, args, {
    ...toolEnv(L, o.ccache, o.krb5Conf),
    ...cbEnv(o.channelBindings),
  });
  return { code: r.code, events: events(r.stdout), stderr: r.stderr };
}
