/** The real CliIo: process streams, files (written privately and atomically), a no-echo password prompt, colour. */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fromUtf8 } from '../util/bytes.js';
import { defaultClock } from '../util/env.js';
import type { CliIo } from './command.js';
import { UsageError } from './errors.js';

async function readStdin(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const c of process.stdin) chunks.push(c as Uint8Array);
  return new Uint8Array(Buffer.concat(chunks));
}

/** A file's bytes; a file that cannot be read is a usage error naming the file and the reason. */
async function readFileOrSay(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code;
    throw new UsageError(`cannot read ${path}: ${why}`);
  }
}

// A private temporary file beside the target, renamed over it: a concurrent klist never sees half a ccache.
async function writePrivate(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.tskrb-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes, { mode: 0o600, flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    throw new UsageError(`cannot write ${path}: ${code}`);
  }
}

const ENTER = new Set(['\r', '\n', '\u0004']);
const ERASE = new Set(['\u007f', '\b']);
const INTERRUPT = '\u0003';

/** Reads a line from the terminal in raw mode, echoing nothing. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  // Echo off before the prompt shows: what is typed as soon as it appears must not reach the screen.
  stdin.setRawMode(true);
  process.stderr.write(prompt);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const c of chunk) {
        if (ENTER.has(c)) {
          done();
          resolve(text);
          return;
        }
        if (c === INTERRUPT) {
          done();
          reject(new UsageError('interrupted at the password prompt'));
          return;
        }
        text = ERASE.has(c) ? text.slice(0, -1) : text + c;
      }
    };
    stdin.on('data', onData);
  });
}

/** The first line of some bytes (a password file or piped stdin), without its line end. */
export function firstLine(bytes: Uint8Array): string {
  return fromUtf8(bytes).split(/\r?\n/)[0] ?? '';
}

async function readSecret(prompt: string): Promise<string> {
  if (process.stdin.isTTY === true) return readHidden(prompt);
  return firstLine(await readStdin());
}

/** The real I/O: process streams, files, colour on a TTY unless NO_COLOR or --no-color. */
export function ioFor(argv: readonly string[]): CliIo {
  const env = process.env;
  const color =
    argv.includes('--color') ||
    (!argv.includes('--no-color') && process.stdout.isTTY === true && env['NO_COLOR'] === undefined);
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readFile: readFileOrSay,
    readStdin,
    writeFile: writePrivate,
    readSecret,
    env,
    color,
    clock: defaultClock,
  };
}
