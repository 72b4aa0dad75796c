/** `tskrb klist`: list a ccache or a keytab as MIT klist does, with the flags spelled out, or as JSON. */
import { type Ccache, formatCredsPrincipal, ticketsOf } from '../../creds/index.js';
import type { ParsedArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { ccachePath, collectionOf, keytabPath, readCcache, readKeytab, shownName } from '../creds-io.js';
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
  if (args.has('list') || args.has('all')) return listCollection(args, io, path, o);
  if (args.has('silent')) {
    // MIT klist -s: no output at all, only the exit status (1 also when there is no cache or it cannot be read).
    const cc = await readCcache(io, path).catch(() => undefined);
    return cc && hasValidTicket(cc, io.clock()) ? ExitCode.Ok : ExitCode.Usage;
  }
  const cc = await readCcache(io, path);
  const name = await shownName(io, path);
  io.stdout(
    args.has('json') ? `${toJson(ccacheJson(cc, name, o), { showKeys })}\n` : formatCcache(cc, name, o),
  );
  return ExitCode.Ok;
}

function hasValidTicket(cc: Ccache, now: number): boolean {
  return ticketsOf(cc).some((c) => c.endtime.getTime() > now);
}

/**
 * `-l`: one line per cache of the collection (principal, cache name, "(Expired)"), MIT klist -l; `-A`: every cache
 * listed in full, the primary first. With `-s`, exit 0 when any cache holds a valid ticket.
 */
async function listCollection(
  args: ParsedArgs,
  io: CliIo,
  path: string,
  o: { etypes: boolean; showKeys: boolean },
): Promise<number> {
  const now = io.clock();
  const caches: { name: string; cc: Ccache }[] = [];
  for (const store of await collectionOf(io, path).caches()) {
    const cc = await store.read();
    if (cc) caches.push({ name: store.name, cc });
  }
  if (args.has('silent')) return caches.some((c) => hasValidTicket(c.cc, now)) ? ExitCode.Ok : ExitCode.Usage;
  if (args.has('json')) {
    io.stdout(`${toJson({ caches: caches.map((c) => ccacheJson(c.cc, c.name, o)) }, { showKeys: o.showKeys })}
`);
  } else if (args.has('all')) {
    io.stdout(caches.map((c) => formatCcache(c.cc, c.name, o)).join('\n'));
  } else {
    const lines = ['Principal name                 Cache name', '--------------                 ----------'];
    for (const c of caches) {
      const expired = hasValidTicket(c.cc, now) ? '' : ' (Expired)';
      lines.push(`${formatCredsPrincipal(c.cc.defaultPrincipal).padEnd(30)} ${c.name}${expired}`);
    }
    io.stdout(`${lines.join('\n')}\n`);
  }
  return caches.length > 0 || args.has('list') ? ExitCode.Ok : ExitCode.Usage;
}

/** The klist command. */
export const klistCommand: Command = {
  name: 'klist',
  summary: 'list the tickets of a ccache or the keys of a keytab, flags spelled out',
  usage: 'klist [-c CCACHE | CCACHE | -k [KEYTAB]] [-A | -l] [-s] [-e] [-t] [--json] [--show-keys]',
  description: [
    'Lists a ccache (default: KRB5CCNAME, else krb5.conf default_ccache_name, else /tmp/krb5cc_<uid>; FILE:, DIR:,',
    'KCM: or MEMORY:) the way MIT klist does: valid-from and',
    'expiry times, service principal, renew-till, and the ticket flags as MIT letters (FRIA) and spelled out.',
    'With -k it lists a keytab (default: KRB5_KTNAME, else /etc/krb5.keytab). -e adds the session-key and ticket',
    'enctypes (keytab: each key’s enctype). --json prints one JSON line with ISO times and flags by name.',
    '-l lists the caches of the collection (DIR:, KCM:) one per line, -A lists every one of them in full.',
    'Flag letters: F forwardable, f forwarded, P proxiable, p proxy, D may-postdate, d postdated, i invalid,',
    'R renewable, I initial, H hw-authent, A pre-authent, T transited-policy-checked, O ok-as-delegate, a anonymous.',
  ].join('\n'),
  options: [
    {
      name: 'cache',
      short: 'c',
      value: 'CCACHE',
      help: 'the ccache to list (a path, FILE:, DIR:, KCM: or MEMORY:)',
    },
    { name: 'all', short: 'A', help: 'list every cache of the collection in full, the primary first' },
    { name: 'list', short: 'l', help: 'list the caches of the collection, one line each' },
    { name: 'keytab', short: 'k', help: 'list a keytab instead (named as the argument, or default)' },
    { name: 'enctypes', short: 'e', help: 'show enctypes' },
    { name: 'times', short: 't', help: 'keytab: show each entry’s timestamp (MIT klist -k -t)' },
    {
      name: 'silent',
      short: 's',
      help: 'print nothing; exit 0 if the ccache (with -A/-l: any cache) holds an unexpired ticket, else 1',
    },
    { name: 'json', help: 'one JSON line' },
    { name: 'show-keys', help: 'show session keys / keytab keys' },
  ],
  examples: [
    'tskrb klist',
    'tskrb klist -c /tmp/krb5cc_alice -e',
    'KRB5CCNAME=DIR:/run/user/1000/krb5cc tskrb klist -l',
    'tskrb klist -A -c KCM:',
    'tskrb klist -k /etc/krb5.keytab -e --times',
    'tskrb klist --json | jq ".tickets[].flags"',
  ],
  run,
};
