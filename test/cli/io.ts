/** A fake CliIo for running commands in-process: files from a map, output captured. */
import type { CliIo } from '../../src/cli/command.js';
import { FormatError } from '../../src/errors.js';
import { fromUtf8 } from '../../src/util/bytes.js';
import { TEST_NOW } from '../helpers/clock.js';

/** Captured output of a fake run. */
export interface FakeIo extends CliIo {
  out: string;
  err: string;
  /** Files written by the command. */
  written: Record<string, Uint8Array>;
}

/** An io whose files are `files` and whose stdin is `stdin`. */
export function fakeIo(
  files: Record<string, Uint8Array> = {},
  stdin: Uint8Array = new Uint8Array(0),
  color = false,
  env: Record<string, string> = {},
  clock: () => number = () => TEST_NOW,
): FakeIo {
  const io: FakeIo = {
    out: '',
    err: '',
    written: {},
    env,
    color,
    clock,
    stdout: (t) => {
      io.out += t;
    },
    stderr: (t) => {
      io.err += t;
    },
    readFile: async (p) => {
      const f = files[p] ?? io.written[p];
      if (f === undefined) throw new FormatError(`no such file ${p}`);
      return f;
    },
    readStdin: async () => stdin,
    writeFile: async (p, b) => {
      io.written[p] = b;
    },
    readSecret: async () => fromUtf8(stdin).split(/\r?\n/)[0] ?? '',
  };
  return io;
}
