/** The CLI's keys for describe: --key, --keytab (read from files) and --salt checks, added to the key chest. */
import { parseKeytab } from '../creds/index.js';
import { enctypeName } from '../crypto/index.js';
import { addKeytab, type Keyring, parseKeySpec } from '../explain/keyring.js';
import type { ParsedArgs } from './args.js';
import type { CliIo } from './command.js';
import { UsageError } from './errors.js';

/** Adds the keys of --key and --keytab; a --salt without --password is a UsageError. */
export async function addGivenKeys(ring: Keyring, args: ParsedArgs, io: CliIo): Promise<void> {
  args.all('key').forEach((spec, i) => {
    const { etype, bytes } = parseKeySpec(spec);
    ring.add(etype, bytes, `--key ${i + 1} (${enctypeName(etype)})`);
  });
  for (const path of args.all('keytab')) addKeytab(ring, parseKeytab(await io.readFile(path)), path);
  if (args.get('salt') !== undefined && args.get('password') === undefined)
    throw new UsageError('describe: --salt needs --password');
}
