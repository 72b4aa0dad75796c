import { describe, expect, it } from 'vitest';
import { formatHelp, type OptionSpec, parseArgs } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/errors.js';

const specs: OptionSpec[] = [
  { name: 'key', value: 'ETYPE:HEX', repeat: true, help: 'a key' },
  { name: 'keytab', short: 'k', value: 'FILE', help: 'a keytab' },
  { name: 'json', help: 'JSON' },
];

describe('parseArgs', () => {
  it('reads positionals, values (separate and with =), repeats, switches and --', () => {
    const a = parseArgs(
      ['f', '--key', '18:00', '--key=17:11', '-k', 'kt', '--json', '-', '--', '--not-an-option'],
      specs,
      'x',
    );
    expect(a.positionals).toEqual(['f', '-', '--not-an-option']);
    expect(a.all('key')).toEqual(['18:00', '17:11']);
    expect(a.get('keytab')).toBe('kt');
    expect(a.has('json')).toBe(true);
    expect(a.has('missing')).toBe(false);
    expect(a.all('missing')).toEqual([]);
  });

  it.each([
    [['--nope'], 'x: unknown option --nope'],
    [['--keytab'], 'x: --keytab needs a value (FILE)'],
    [['--json=1'], 'x: --json takes no value'],
    [['-k', 'a', '--keytab', 'b'], 'x: --keytab given twice'],
  ])('refuses %j', (argv, message) => {
    const call = () => parseArgs(argv, specs, 'x');
    expect(call).toThrow(UsageError);
    expect(call).toThrow(message);
  });
});

describe('formatHelp', () => {
  it('lists usage, description, aligned options and examples', () => {
    expect(
      formatHelp({
        name: 'x',
        usage: 'x <file>',
        description: 'Does x.',
        options: specs,
        examples: ['tskrb x f'],
      }),
    ).toBe(
      [
        'Usage: tskrb x <file>',
        '',
        'Does x.',
        '',
        'Options:',
        '  --key ETYPE:HEX …  a key',
        '  -k, --keytab FILE  a keytab',
        '  --json             JSON',
        '',
        'Examples:',
        '  tskrb x f',
        '',
      ].join('\n'),
    );
  });
});
