/** Starts tshark on the loopback interface for one KDC port and reads back the padata types it saw (by PID). */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when tshark is installed. */
export const tsharkPath = ['/usr/bin/tshark', '/usr/local/bin/tshark'].find((p) => existsSync(p));

/** One Kerberos message on the wire, as tshark decodes it (only the clear outer layer). */
export interface CapturedFrame {
  readonly msgType: number;
  /** The req-body nonce of a request (other helpers' traffic to the same KDC is told apart by it). */
  readonly nonce: number | undefined;
  readonly padataTypes: readonly number[];
}

/** A running capture. */
export interface Capture {
  /** Stops tshark (SIGINT to its PID) and returns every Kerberos message it saw (type, nonce, padata types) and the pcapng path. */
  stop(): Promise<{ frames: CapturedFrame[]; file: string }>;
}

/** Starts `tshark -i lo -f "udp port P or tcp port P"` writing to a temp pcap; resolves once it captures. */
export async function startCapture(port: number): Promise<Capture> {
  const file = join(mkdtempSync(join(tmpdir(), 'tskrb-fast-cap-')), 'fast.pcapng');
  const child: ChildProcess = spawn(
    tsharkPath ?? 'tshark',
    ['-i', 'lo', '-f', `udp port ${port} or tcp port ${port}`, '-w', file],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('tshark did not start capturing within 10 s')), 10_000);
    child.stderr?.on('data', (d: Buffer) => {
      if (d.toString().includes('Capturing on')) {
        clearTimeout(timer);
        // dumpcap reports before the first packet is buffered; give it a moment.
        setTimeout(resolve, 300);
      }
    });
    child.on('exit', (code) => reject(new Error(`tshark exited early (${code})`)));
  });
  return {
    async stop() {
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      if (child.pid !== undefined) process.kill(child.pid, 'SIGINT');
      await exited;
      const out = execFileSync(
        tsharkPath ?? 'tshark',
        [
          '-r',
          file,
          '-d',
          `udp.port==${port},kerberos`,
          '-d',
          `tcp.port==${port},kerberos`,
          '-Y',
          'kerberos',
          '-T',
          'fields',
          '-e',
          'kerberos.msg_type',
          '-e',
          'kerberos.nonce',
          '-e',
          'kerberos.padata_type',
        ],
        { encoding: 'utf8' },
      );
      const nums = (f: string | undefined) =>
        (f ?? '')
          .split(',')
          .filter((x) => x !== '')
          .map((x) => Number(x));
      const frames = out
        .trim()
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => {
          const [t, n, pa] = l.split('\t');
          return { msgType: nums(t)[0] ?? 0, nonce: nums(n)[0], padataTypes: nums(pa) };
        });
      return { frames, file };
    },
  };
}
