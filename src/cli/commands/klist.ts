/** `tskrb klist`: list a ccache or a keytab as MIT klist does, with the flags spelled out, or as JSON. */
import { ticketsOf } from '../../creds/index.js';
import type { ParsedArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { ccachePath, keytabPath, readCcache, readKeytab } from '../creds-io.js';
import { ExitCode, UsageError } from '../errors.js';
import { ccacheJson, formatCcache, formatKeytab, keytabJson } from '../klist-format.js';
import { toJson } from '../render.js';

async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const [positional, ...extra] = args.positionals;
  if (extra.length > 0) throw new UsageError('klist: one cache or keytab at a time');
  const showKeys = args.has('show-keys');
  const o = { etypes: args.has('enctypes'), showKeys };
  if (args.has('keytab')) {
    if (args.has('cache')) throw new UsageError('klist: -k and -c exclude each other');
    const path = keytabPath(io, positional);
    const kt = await readKeytab(io, path);
    io.stdout(
      args.has('json')
        ? `${toJson(keytabJson(kt, path, o), { showKeys })}\n`
        : formatKeytab(kt, path, { ...o, times: args.has('times') }),
    );
    return ExitCode.Ok;
  }
  const path = ccachePath(io, args.get('cache') ?? positional);
  const cc = await readCcache(io, path);
  if (args.has('silent')) {
    const now = io.clock();
    return ticketsOf(cc).some((c) => c.endtime.getTime() > now) ? ExitCode.Ok : ExitCode.Usage;
  }
  io.stdout(
    args.has('json') ? `${toJson(ccacheJson(cc, path, o), { showKeys })}\n` : formatCcache(cc, path, o),
  );
  return ExitCode.Ok;
}

/** The klist command. */
export const klistCommand: Command = {
  name: 'klist',
  summary: 'list the tickets of a ccache or the keys of a keytab, flags spelled out',
  usage: 'klist [-c CCACHE | CCACHE | -k [KEYTAB]] [-e] [-t] [--json] [--show-keys]',
  description: [
    'Lists a FILE ccache (default: KRB5CCNAME, else /tmp/krb5cc_<uid>) the way MIT klist does: valid-from and',
    'expiry times, service principal, renew-till, and the ticket flags as MIT letters (FRIA) and spelled out.',
    'With -k it lists a keytab (default: KRB5_KTNAME, else /etc/krb5.keytab). -e adds the session-key and ticket',
    'enctypes (keytab: each key’s enctype). --json prints one JSON line with ISO times and flags by name.',
    'Flag letters: F forwardable, f forwarded, P proxiable, p proxy, D may-postdate, d postdated, i invalid,',
    'R renewable, I initial, H hw-authent, A pre-authent, T transited-policy-checked, O ok-as-delegate, a anonymous.',
  ].join('\n'),
  options: [
    { name: 'cache', short: 'c', value: 'CCACHE', help: 'the ccache to list (FILE:path or a path)' },
    { name: 'keytab', short: 'k', help: 'list a keytab instead (named as the argument, or default)' },
    { name: 'enctypes', short: 'e', help: 'show enctypes' },
    { name: 'times', short: 't', help: 'keytab: show each entry’s timestamp (MIT klist -k -t)' },
    {
      name: 'silent',
      short: 's',
      help: 'print nothing; exit 0 if the ccache holds an unexpired ticket, else 1',
    },
    { name: 'json', help: 'one JSON line' },
    { name: 'show-keys', help: 'show session keys / keytab keys' },
  ],
  examples: [
    'tskrb klist',
    'tskrb klist -c /tmp/krb5cc_alice -e',
    'tskrb klist -k /etc/krb5.keytab -e --times',
    'tskrb klist --json | jq ".tickets[].flags"',
  ],
  run,
};
