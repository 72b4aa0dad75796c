/** Runs the built `tskrb` binary (dist/cli/main.js, as `npx tskrb` runs it), building it first when src is newer. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The built entry point. */
export const BIN = 'dist/cli/main.js';

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return max;
}

/** Builds dist/ with tsc when any source file is newer than the binary; throws when no binary results. */
export function buildOnce(): void {
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= newestMtime('src')) return;
  // Other layers may have type errors while they are being written; tsc emits regardless, so check the output.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (!existsSync(BIN)) throw new Error(`npm run build did not produce ${BIN}`);
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
