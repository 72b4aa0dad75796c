/** The `tskrb` dispatcher: global flags, the command list, help, and errors turned into one line and an exit code. */
import { VERSION } from '../version.js';
import { formatHelp, parseArgs } from './args.js';
import { type CliIo, COMMON_OPTIONS } from './command.js';
import { COMMANDS } from './commands/index.js';
import { ExitCode, exitCodeOf, formatError, UsageError } from './errors.js';
import { ioFor } from './node-io.js';

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `tskrb ${VERSION}: a pure-TypeScript Kerberos client\n\nUsage: tskrb <command> [options]   (tskrb <command> --help for details)\n\nCommands:\n${list}\n\nOptions:\n  --version  print the version\n  --help     print this help\n\nExit codes: 1 usage, 2 KDC refused, 3 network, 4 integrity/validation, 5 bad input file, 6 server refused (http).\n`;
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
