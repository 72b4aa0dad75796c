/** Ccache and keytab handling shared by kinit, klist, kvno and s4u: default names, reading, storing tickets. */
import { credentialFromCcache, toCredsPrincipal } from '../client/index.js';
import { ccachePathOf, defaultCcachePath, defaultKeytabPath, keytabPathOf } from '../creds/files.js';
import {
  type Ccache,
  type Credential as CcacheCredential,
  type CredsPrincipal,
  findKeytabEntries,
  type Keytab,
  parseCcache,
  parseKeytab,
  samePrincipal,
  ticketsOf,
} from '../creds/index.js';
import { Key } from '../crypto/index.js';
import { FormatError } from '../errors.js';
import type { Credential } from '../messages/credential.js';
import { formatPrincipal, type Principal } from '../messages/principal.js';
import type { CliIo } from './command.js';
import { UsageError } from './errors.js';

/** The ccache path: the name given (FILE:path or a path), else KRB5CCNAME, else /tmp/krb5cc_<uid>. */
export function ccachePath(io: CliIo, name: string | undefined): string {
  return name === undefined ? defaultCcachePath(io.env as NodeJS.ProcessEnv) : ccachePathOf(name);
}

/** The keytab path: the name given, else KRB5_CLIENT_KTNAME (client keytab), else KRB5_KTNAME or /etc/krb5.keytab. */
export function keytabPath(io: CliIo, name: string | undefined, client = false): string {
  if (name !== undefined) return keytabPathOf(name);
  const clientName = io.env['KRB5_CLIENT_KTNAME'];
  if (client && clientName) return keytabPathOf(clientName);
  return defaultKeytabPath(io.env as NodeJS.ProcessEnv);
}

/** Reads and parses a ccache; a missing file is a usage error that says so. */
export async function readCcache(io: CliIo, path: string): Promise<Ccache> {
  return parseCcache(await io.readFile(path));
}

/** Reads and parses a keytab. */
export async function readKeytab(io: CliIo, path: string): Promise<Keytab> {
  return parseKeytab(await io.readFile(path));
}

/** The ccache form of a principal. */
/** The principal of a ccache/keytab record. */
export function principalOf(p: CredsPrincipal): Principal {
  return { realm: p.realm, name: { nameType: p.nameType, nameString: [...p.components] } };
}

/** The long-term keys of `principal` in a keytab (highest kvno); a usage error when it has none. */
export function keytabKeys(kt: Keytab, principal: Principal, path: string): Key[] {
  const entries = findKeytabEntries(kt, { principal: toCredsPrincipal(principal) });
  if (entries.length === 0)
    throw new UsageError(
      `keytab ${path} has no key for ${formatPrincipal(principal.name, principal.realm)}`,
      {
        hint: `tskrb klist -k ${path} lists what it holds`,
      },
    );
  return entries.map((e) => new Key(e.key.etype, e.key.bytes));
}

/** `cc` with `rec` added, replacing a ticket for the same client and server. */
export function withCredential(cc: Ccache, rec: CcacheCredential): Ccache {
  const others = cc.credentials.filter(
    (c) => !(samePrincipal(c.client, rec.client) && samePrincipal(c.server, rec.server)),
  );
  return { ...cc, credentials: [...others, rec] };
}

/** The ccache's TGT for its default principal's realm (krbtgt/REALM@REALM), as a client credential. */
export function tgtOf(cc: Ccache, path: string, realm = cc.defaultPrincipal.realm): Credential {
  const c = ticketsOf(cc).find(
    (t) =>
      samePrincipal(t.client, cc.defaultPrincipal) &&
      t.server.components.length === 2 &&
      t.server.components[0] === 'krbtgt' &&
      t.server.components[1] === realm &&
      t.server.realm === realm,
  );
  if (c === undefined)
    throw new FormatError(`${path} holds no TGT (krbtgt/${realm}@${realm}) for its default principal`, {
      hint: 'get one with tskrb kinit',
    });
  return credentialFromCcache(c);
}
