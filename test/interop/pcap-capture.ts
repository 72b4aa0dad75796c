/** Helpers of the describe --pcap interop tests: tshark started and stopped by PID, and the JSON lines read back. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ioFor } from '../../src/cli/node-io.js';
import { main } from '../../src/cli/run.js';
import type { ExplainNode } from '../../src/explain/explain.js';

/** tshark, when installed. */
export const TSHARK = '/usr/bin/tshark';
/** Whether tshark is installed. */
export const hasTshark = existsSync(TSHARK);
const PORTS = [88, 10088, 10188, 10288];
const FILTER = PORTS.map((p) => `port ${p}`).join(' or ');
const START_TIMEOUT_MS = 20000;
// tshark says "Capturing on" as dumpcap opens the interface; the filter needs a moment more to be in place.
const SETTLE_MS = 1500;

/** Starts tshark on `interfaces` writing `file` in `format` (capture filter: the KDC ports); resolves once capturing. */
export function startCapture(
  file: string,
  format: string,
  interfaces: readonly string[],
  filter = FILTER,
): Promise<ChildProcess> {
  const args = [...interfaces.flatMap((i) => ['-i', i]), '-f', filter, '-F', format, '-w', file, '-q'];
  const child = spawn(TSHARK, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tshark did not start: ${err}`)), START_TIMEOUT_MS);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (/Capturing on/.test(err)) {
        clearTimeout(timer);
        setTimeout(() => resolve(child), SETTLE_MS);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tshark exited (${code}): ${err}`));
    });
  });
}

/** Stops a tshark the test started, by its PID, and waits for it to finish the file. */
export function stopCapture(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    if (child.pid !== undefined) process.kill(child.pid, 'SIGINT');
  });
}

/** Every node of a tree, depth first. */
export function nodes(n: ExplainNode | undefined): ExplainNode[] {
  return n === undefined ? [] : [n, ...(n.children ?? []).flatMap(nodes)];
}

/** A request or reply of an exchange line. */
export interface Side {
  frame: number;
  time: string;
  kind?: string;
  error?: string;
  value?: { reqBody?: { cname?: { nameString: string[] }; sname?: { nameString: string[] } } };
  explain?: ExplainNode;
}

/** One exchange line of `describe --pcap --json`. */
export interface Line {
  exchange: number;
  step?: string;
  transport: 'udp' | 'tcp';
  client: string;
  server: string;
  retransmissions: number;
  request?: Side;
  reply?: Side;
}

/**
 * Runs `tskrb describe --pcap FILE --json …argv` in-process; the capture line and the exchange lines. Unless `scan`,
 * it follows the capture filter's ports only (`--port`): tshark writes a few frames before its filter is in place,
 * and other suites' stand-in KDCs on ephemeral ports would otherwise be found by content.
 */
export async function describeJson(
  file: string,
  argv: readonly string[],
  opts: { scan?: boolean } = {},
): Promise<{ code: number; head: Record<string, unknown>; lines: Line[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    ...ioFor(['--no-color']),
    stdout: (t: string) => void out.push(t),
    stderr: (t: string) => void err.push(t),
  };
  const ports = opts.scan === true ? [] : PORTS.flatMap((p) => ['--port', String(p)]);
  const code = await main(['describe', '--pcap', file, '--json', ...ports, ...argv], io);
  if (code !== 0) throw new Error(`tskrb describe --pcap exited ${code}: ${err.join('')}`);
  const [head, ...rest] = out
    .join('')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
  return { code, head: head as Record<string, unknown>, lines: rest as Line[] };
}

/** Whether a side's tree has a part opened with a key whose label matches `re`. */
export function opened(s: Side | undefined, re: RegExp): boolean {
  return nodes(s?.explain).some(
    (n) => n.note !== undefined && /^opened with/.test(n.note) && re.test(n.note),
  );
}

/** The request's client and service names. */
export const cname = (s: Side | undefined): string | undefined =>
  s?.value?.reqBody?.cname?.nameString.join('/');
/** The request's service name. */
export const sname = (s: Side | undefined): string | undefined =>
  s?.value?.reqBody?.sname?.nameString.join('/');

/** Times of a capture's edges: exchanges cut by its start or end (other helpers share the lab) may lack a side. */
export function checkEdges(lines: readonly Line[], fail: (msg: string) => void): void {
  const ms = (t: string): number => Date.parse(t);
  const times = lines.flatMap((l) => [l.request?.time, l.reply?.time]).filter((t) => t !== undefined);
  const first = Math.min(...times.map(ms));
  const last = Math.max(...times.map(ms));
  for (const l of lines) {
    const err = l.request?.error ?? l.reply?.error;
    if (err !== undefined) fail(`exchange ${l.exchange}: ${err}`);
    if (l.request === undefined && l.reply !== undefined && ms(l.reply.time) - first > 1000)
      fail(`exchange ${l.exchange}: a reply without its request in the middle of the capture`);
    if (l.reply === undefined && l.request !== undefined && last - ms(l.request.time) > 3000)
      fail(`exchange ${l.exchange}: a request without its reply in the middle of the capture`);
    if (l.request !== undefined && !/^(AS|TGS)-REQ$/.test(l.request.kind ?? ''))
      fail(`exchange ${l.exchange}: request is ${l.request.kind}`);
    if (l.reply !== undefined && !/^(AS-REP|TGS-REP|KRB-ERROR)$/.test(l.reply.kind ?? ''))
      fail(`exchange ${l.exchange}: reply is ${l.reply.kind}`);
  }
}
