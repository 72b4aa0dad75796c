/** `tskrb kdestroy`: destroy a ccache, or with -A every cache of its collection, as MIT kdestroy does. */
import type { ParsedArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { ccachePath, collectionOf, storeOf } from '../creds-io.js';
import { ExitCode, UsageError } from '../errors.js';

async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positionals.length > 0) throw new UsageError('kdestroy: no arguments (use -c CCACHE)');
  const path = ccachePath(io, args.get('cache'));
  const targets = args.has('all') ? await collectionOf(io, path).caches() : [await storeOf(io, path)];
  for (const t of targets) {
    const had = (await t.read()) !== undefined;
    await t.destroy();
    if (!had && !args.has('all') && !args.has('quiet'))
      io.stderr(`tskrb: kdestroy: no credentials cache found (${t.name}) while destroying cache\n`);
  }
  return ExitCode.Ok;
}

/** The kdestroy command. */
export const kdestroyCommand: Command = {
  name: 'kdestroy',
  summary: 'destroy a ccache (with -A: every cache of its collection)',
  usage: 'kdestroy [-A] [-q] [-c CCACHE]',
  description: [
    'Destroys the ccache (default: KRB5CCNAME, else krb5.conf default_ccache_name, else /tmp/krb5cc_<uid>): a FILE',
    'cache or a DIR: member is removed, a KCM: cache destroyed in the KCM. With -A every cache of the collection',
    '(DIR:, KCM:) goes. A cache that does not exist is reported (unless -q) and is not an error, as with MIT.',
  ].join('\n'),
  options: [
    { name: 'cache', short: 'c', value: 'CCACHE', help: 'the ccache (a path, FILE:, DIR:, KCM: or MEMORY:)' },
    { name: 'all', short: 'A', help: 'destroy every cache of the collection' },
    { name: 'quiet', short: 'q', help: 'say nothing when there is no cache' },
  ],
  examples: ['tskrb kdestroy', 'tskrb kdestroy -A -c DIR:/run/user/1000/krb5cc'],
  run,
};
