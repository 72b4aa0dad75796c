/** The `tskrb` dispatcher: global flags, the command list, help, and errors turned into one line and an exit code. */
import { readFile } from 'node:fs/promises';
import { VERSION } from '../version.js';
import { formatHelp, parseArgs } from './args.js';
import { type CliIo, COMMON_OPTIONS } from './command.js';
import { COMMANDS } from './commands/index.js';
import { ExitCode, exitCodeOf, formatError, UsageError } from './errors.js';

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `tskrb ${VERSION}: a pure-TypeScript Kerberos client\n\nUsage: tskrb <command> [options]   (tskrb <command> --help for details)\n\nCommands:\n${list}\n\nOptions:\n  --version  print the version\n  --help     print this help\n\nExit codes: 1 usage, 2 KDC refused, 3 network, 4 integrity/validation, 5 bad input file.\n`;
}

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
    color,
  };
}

/** Runs the command line `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = ioFor(argv)): Promise<number> {
  const [name, ...rest] = argv;
  const debug = argv.includes('--debug');
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout(overview());
      return ExitCode.Ok;
    }
    if (name === '--version' || name === '-V') {
      io.stdout(`${VERSION}\n`);
      return ExitCode.Ok;
    }
    const cmd = COMMANDS.find((c) => c.name === name);
    if (cmd === undefined)
      throw new UsageError(`unknown command '${name}'`, { hint: 'tskrb --help lists the commands' });
    const options = [...cmd.options, ...COMMON_OPTIONS];
    const args = parseArgs(rest, options, cmd.name);
    if (args.has('help')) {
      io.stdout(formatHelp({ ...cmd, options }));
      return ExitCode.Ok;
    }
    return await cmd.run(args, io);
  } catch (e) {
    io.stderr(formatError(e, debug));
    return exitCodeOf(e);
  }
}
