/** What a `tskrb` command is, and the I/O it is given (real in main.ts, fake in tests). */

import type { Clock } from '../util/env.js';
import type { HelpSpec, OptionSpec, ParsedArgs } from './args.js';
import type { HostResolver } from './host-canonical.js';

/** The outside world of a command. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<Uint8Array>;
  readStdin(): Promise<Uint8Array>;
  /** Writes a private file (mode 0600), atomically replacing what was there. */
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  /** Reads a secret: from the terminal without echo when stdin is one (prompt on stderr), else stdin's first line. */
  readSecret(prompt: string): Promise<string>;
  /** Environment variables (KRB5CCNAME, KRB5_CONFIG, KRB5_KTNAME, KRB5_CLIENT_KTNAME). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Colour output (a TTY, and not turned off). */
  readonly color: boolean;
  /** The current time in ms: the system clock, or a test's own. */
  readonly clock: Clock;
  /** Name lookups for SPN host canonicalization (default node:dns; tests give their own). */
  readonly hostResolver?: HostResolver | undefined;
}

/** One subcommand: its help and its body. Returns the exit code; throws typed errors. */
export interface Command extends HelpSpec {
  /** One line for the command list. */
  readonly summary: string;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** Options every command accepts. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { name: 'help', short: 'h', help: 'show this help' },
  { name: 'debug', help: 'print the stack of an error' },
  { name: 'color', help: 'colour the tree even when not on a terminal' },
  { name: 'no-color', help: 'never colour the tree' },
];
