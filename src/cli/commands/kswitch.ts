/** `tskrb kswitch`: make a cache of a DIR: or KCM: collection the primary one, as MIT kswitch does. */

import { formatCredsPrincipal, parseCcacheName } from '../../creds/index.js';
import type { ParsedArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { ccachePath, collectionOf, storeOf } from '../creds-io.js';
import { ExitCode, UsageError } from '../errors.js';

async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positionals.length > 0)
    throw new UsageError('kswitch: no arguments (use -c CCACHE or -p PRINCIPAL)');
  const cache = args.get('cache');
  const principal = args.get('principal');
  if ((cache === undefined) === (principal === undefined))
    throw new UsageError('kswitch: give exactly one of -c CCACHE and -p PRINCIPAL');
  if (cache !== undefined) {
    const target = await storeOf(io, ccachePath(io, cache));
    if ((await target.read()) === undefined)
      throw new UsageError(`kswitch: no credentials cache found (${target.name})`);
    await collectionOf(io, ccachePath(io, cache)).switchTo(target);
    return ExitCode.Ok;
  }
  const col = collectionOf(io, ccachePath(io, undefined));
  const wanted = principal!.includes('@') ? principal! : undefined;
  for (const c of await col.caches()) {
    const cc = await c.read();
    if (!cc) continue;
    const name = formatCredsPrincipal(cc.defaultPrincipal);
    if (name === principal || (wanted === undefined && name.split('@')[0] === principal)) {
      await col.switchTo(c);
      return ExitCode.Ok;
    }
  }
  throw new UsageError(`kswitch: no cache of ${col.name} holds ${principal}`, {
    hint: `tskrb klist -l lists them (${parseCcacheName(col.name).type} collection)`,
  });
}

/** The kswitch command. */
export const kswitchCommand: Command = {
  name: 'kswitch',
  summary: 'make a cache of a DIR: or KCM: collection the primary one',
  usage: 'kswitch {-c CCACHE | -p PRINCIPAL}',
  description: [
    'Makes CCACHE (a member of a DIR: or KCM: collection: DIR::/dir/tktXXXX, KCM:name, as klist -l prints them), or',
    'the cache of PRINCIPAL in the default collection, the primary cache: the one klist, kvno and GSS-API use.',
  ].join('\n'),
  options: [
    { name: 'cache', short: 'c', value: 'CCACHE', help: 'the cache to switch to' },
    { name: 'principal', short: 'p', value: 'PRINCIPAL', help: 'switch to the cache of this principal' },
  ],
  examples: ['tskrb kswitch -p bob@EXAMPLE.COM', 'tskrb kswitch -c DIR::/run/user/1000/krb5cc/tktAbC123'],
  run,
};
