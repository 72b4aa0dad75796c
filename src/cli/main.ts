#!/usr/bin/env node
/** The `tskrb` command. */
import { VERSION } from '../version.js';

const HELP = `tskrb ${VERSION}: a pure-TypeScript Kerberos client

Usage: tskrb <command> [options]

Commands:
  demo        decode and explain a recorded S4U2Self + S4U2Proxy exchange
  --version   print the version
  --help      print this help
`;

function main(argv: string[]): number {
  const cmd = argv[0];
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  process.stderr.write(`tskrb: unknown command '${cmd}' (try tskrb --help)\n`);
  return 1;
}

process.exitCode = main(process.argv.slice(2));
