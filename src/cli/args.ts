/** A small option parser for the `tskrb` commands (`--name value`, `--name=value`, `-x value`, repeats, `--`), and help text. */
import { UsageError } from './errors.js';

/** One option a command accepts. */
export interface OptionSpec {
  /** Long name without dashes, e.g. `keytab`. */
  readonly name: string;
  /** One-letter alias without the dash, e.g. `k`. */
  readonly short?: string;
  /** Placeholder of the value it takes (`FILE`); absent for a switch. */
  readonly value?: string;
  /** May be given more than once. */
  readonly repeat?: boolean;
  readonly help: string;
}

/** Parsed command line: positionals and option values. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** Whether a switch or option was given. */
  has(name: string): boolean;
  /** The value of an option given once. */
  get(name: string): string | undefined;
  /** Every value of a repeatable option, in order. */
  all(name: string): readonly string[];
}

/** Parses `argv` against `specs`; UsageError for unknown options, missing values and unwanted repeats. */
export function parseArgs(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  command: string,
): ParsedArgs {
  const byName = new Map<string, OptionSpec>();
  for (const s of specs) {
    byName.set(`--${s.name}`, s);
    if (s.short) byName.set(`-${s.short}`, s);
  }
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  const more = { hint: `see tskrb ${command} --help` };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const spec = byName.get(flag);
    if (spec === undefined) throw new UsageError(`${command}: unknown option ${flag}`, more);
    let value = '';
    if (spec.value !== undefined) {
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        const next = argv[++i];
        if (next === undefined)
          throw new UsageError(`${command}: ${flag} needs a value (${spec.value})`, more);
        value = next;
      }
    } else if (eq >= 0) throw new UsageError(`${command}: ${flag} takes no value`, more);
    const list = values.get(spec.name) ?? [];
    if (list.length > 0 && !spec.repeat) throw new UsageError(`${command}: ${flag} given twice`, more);
    list.push(value);
    values.set(spec.name, list);
  }
  return {
    positionals,
    has: (name) => values.has(name),
    get: (name) => values.get(name)?.[0],
    all: (name) => values.get(name) ?? [],
  };
}

/** What `--help` shows for a command. */
export interface HelpSpec {
  readonly name: string;
  readonly usage: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  readonly examples: readonly string[];
}

/** The help text of a command: usage, description, options, examples. */
export function formatHelp(h: HelpSpec): string {
  const flag = (o: OptionSpec): string =>
    `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ` ${o.value}` : ''}${o.repeat ? ' …' : ''}`;
  const width = Math.max(...h.options.map((o) => flag(o).length));
  const opts = h.options.map((o) => `  ${flag(o).padEnd(width)}  ${o.help}`).join('\n');
  const examples = h.examples.map((e) => `  ${e}`).join('\n');
  return `Usage: tskrb ${h.usage}\n\n${h.description}\n\nOptions:\n${opts}\n\nExamples:\n${examples}\n`;
}
