/** Runs the built `tskrb` binary (dist/cli/main.js, as `npx tskrb` runs it), building it first when src is newer. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/** The built entry point. */
export const BIN = 'dist/cli/main.js';

const STAMP = 'dist/.tskrb-test-build';
const LOCK = 'dist/.tskrb-test-build.lock';
const LOCK_WAIT_MS = 120_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether a test process of this same vitest run (same parent process) built dist already. */
function builtThisRun(): boolean {
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8') === String(process.ppid);
}

/**
 * Builds dist/ with tsc once per vitest run. Test files run in parallel worker processes while other people edit
 * src: a rebuild while another file runs the binary would hand it half-written modules, so the first file to get
 * here builds (under a lock directory) and stamps dist with the run's parent PID; the others wait and reuse it.
 */
export function buildOnce(): void {
  mkdirSync('dist', { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    if (builtThisRun() && existsSync(BIN)) return;
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(LOCK, { recursive: true, force: true });
      else sleep(200);
    }
  }
  try {
    if (builtThisRun() && existsSync(BIN)) return;
    // Other layers may have type errors while they are being written; tsc emits regardless, so check the output.
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
    if (!existsSync(BIN)) throw new Error(`npm run build did not produce ${BIN}`);
    writeFileSync(STAMP, String(process.ppid));
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** What a run of the binary did. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `tskrb args…` with extra environment and standard input; TZ=UTC unless given. */
export function tskrb(args: readonly string[], env: Record<string, string> = {}, input = ''): RunResult {
  const r = spawnSync('node', [BIN, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs another program (MIT klist, kvno) with extra environment; TZ=UTC and the C locale. */
export function runTool(cmd: string, args: readonly string[], env: Record<string, string> = {}): RunResult {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C', ...env },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** One ticket as MIT `klist -f` prints it. */
export interface MitKlistTicket {
  start: string;
  end: string;
  server: string;
  renewUntil?: string;
  flags: string;
}

/** Parses MIT `klist -f` output: the default principal and each ticket's times, server, renew-till and flags. */
export function parseMitKlist(text: string): { defaultPrincipal: string; tickets: MitKlistTicket[] } {
  const lines = text.split('\n');
  const defaultPrincipal = /^Default principal: (.+)$/m.exec(text)?.[1] ?? '';
  const tickets: MitKlistTicket[] = [];
  for (const l of lines) {
    const m = /^(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d) {2}(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d) {2}(\S+)$/.exec(l);
    if (m) {
      tickets.push({ start: m[1]!, end: m[2]!, server: m[3]!, flags: '' });
      continue;
    }
    const t = tickets[tickets.length - 1];
    if (t === undefined || !l.startsWith('\t')) continue;
    const renew = /renew until (\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d)/.exec(l);
    if (renew) t.renewUntil = renew[1]!;
    const flags = /Flags: (\w*)/.exec(l);
    if (flags) t.flags = flags[1]!;
  }
  return { defaultPrincipal, tickets };
}

/** `11/23/26 10:40:37` (UTC) as a Date. */
export function mitTime(s: string): Date {
  const m = /^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(s);
  if (!m) throw new Error(`not an MIT klist time: ${s}`);
  const [mo, d, y, h, mi, sec] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return new Date(Date.UTC(2000 + y, mo - 1, d, h, mi, sec));
}
