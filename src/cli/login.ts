/**
 * How a command proves who it is: a password (prompt, file or stdin), a keytab, or a TGT already in a ccache; and
 * FAST armor (a ccache TGT, or anonymous PKINIT with the realm's pkinit_anchors).
 */
import type { ArmorSource, KdcClient, LoginOptions, Session } from '../client/index.js';
import { Session as SessionClass } from '../client/index.js';
import type { Key } from '../crypto/index.js';
import type { Credential } from '../messages/credential.js';
import { formatPrincipal, type Principal, parsePrincipal } from '../messages/principal.js';
import { type Krb5Settings, profileStrings } from '../transport/index.js';
import { fromBase64, fromUtf8 } from '../util/bytes.js';
import type { OptionSpec, ParsedArgs } from './args.js';
import type { CliIo } from './command.js';
import {
  ccachePath,
  keytabKeys,
  keytabPath,
  principalOf,
  readCcache,
  readKeytab,
  tgtOf,
} from './creds-io.js';
import { UsageError } from './errors.js';
import { firstLine } from './node-io.js';

/** Options naming the client's credentials. */
export const LOGIN_OPTIONS: readonly OptionSpec[] = [
  { name: 'use-keytab', short: 'k', help: 'use keys from a keytab instead of a password' },
  { name: 'keytab', short: 't', value: 'KEYTAB', help: 'the keytab for -k' },
  {
    name: 'password-file',
    value: 'FILE',
    help: 'read the password from the first line of FILE (- for stdin)',
  },
  { name: 'enterprise', short: 'E', help: 'treat the principal as an enterprise name (alice@upn.suffix)' },
];

/** FAST options. */
export const FAST_OPTIONS: readonly OptionSpec[] = [
  { name: 'fast', help: 'armor the AS exchange with FAST (RFC 6113); required, not just when offered' },
  {
    name: 'armor-cache',
    short: 'T',
    value: 'CCACHE',
    help: 'FAST armor: the TGT in this ccache (default: anonymous PKINIT)',
  },
  {
    name: 'anchor',
    value: 'CA.pem',
    repeat: true,
    help: 'trust anchor for PKINIT (default: pkinit_anchors of the realm in krb5.conf)',
  },
];

/** The password: --password-file (- for stdin), else a no-echo prompt (or stdin's first line when piped). */
export async function passwordOf(args: ParsedArgs, io: CliIo, who: Principal): Promise<string> {
  const file = args.get('password-file');
  if (file !== undefined) return firstLine(file === '-' ? await io.readStdin() : await io.readFile(file));
  return io.readSecret(`Password for ${formatPrincipal(who.name, who.realm)}: `);
}

/** Who logs in and how: the principal (argument, the keytab's first entry with -k, else $USER) and keytab keys. */
export async function loginIdentity(
  args: ParsedArgs,
  io: CliIo,
  given: string | undefined,
  defaultRealm: string | undefined,
): Promise<{ principal: Principal; keys?: Key[] }> {
  const enterprise = args.has('enterprise');
  const parse = (text: string): Principal =>
    parsePrincipal(text, { defaultRealm, ...(enterprise ? { enterprise: true } : {}) });
  if (!args.has('use-keytab')) {
    if (args.has('keytab')) throw new UsageError('-t KEYTAB needs -k');
    const user = given ?? io.env['USER'];
    if (user === undefined) throw new UsageError('name the principal');
    return { principal: parse(user) };
  }
  const path = keytabPath(io, args.get('keytab'), true);
  const kt = await readKeytab(io, path);
  const first = kt.entries[0];
  if (first === undefined) throw new UsageError(`keytab ${path} is empty`);
  const principal = given === undefined ? principalOf(first.principal) : parse(given);
  return { principal, keys: keytabKeys(kt, principal, path) };
}

/** The certificates of a PEM file (or one DER certificate). */
export function certificatesOf(bytes: Uint8Array): Uint8Array[] {
  const text = fromUtf8(bytes);
  const pems = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (pems.length === 0) return [bytes];
  return pems.map((m) => fromBase64((m[1] ?? '').replace(/\s+/g, '')));
}

/** PKINIT trust anchors: --anchor files, else the realm's pkinit_anchors (FILE:) from krb5.conf. */
export async function anchorsOf(
  args: ParsedArgs,
  io: CliIo,
  settings: Krb5Settings,
  realm: string,
): Promise<Uint8Array[]> {
  const named = args.all('anchor');
  const files =
    named.length > 0
      ? named
      : [
          ...profileStrings(settings.profile, ['realms', realm, 'pkinit_anchors']),
          ...profileStrings(settings.profile, ['libdefaults', 'pkinit_anchors']),
        ]
          .filter((v) => v.startsWith('FILE:'))
          .map((v) => v.slice('FILE:'.length));
  const out: Uint8Array[] = [];
  for (const f of files) out.push(...certificatesOf(await io.readFile(f)));
  return out;
}

/** The FAST settings of a login: none without --fast (or `required`); else the armor from -T or anonymous PKINIT. */
export async function fastOf(
  args: ParsedArgs,
  io: CliIo,
  settings: Krb5Settings,
  realm: string,
  required = false,
): Promise<Pick<LoginOptions, 'fast' | 'armor'>> {
  if (!args.has('fast') && !required) {
    if (args.has('armor-cache')) throw new UsageError('-T CCACHE needs --fast');
    return {};
  }
  const cache = args.get('armor-cache');
  let armor: ArmorSource;
  if (cache !== undefined) {
    const path = ccachePath(io, cache);
    armor = { tgt: tgtOf(await readCcache(io, path), path, realm) };
  } else armor = { anonymous: true, trustAnchors: await anchorsOf(args, io, settings, realm) };
  return { fast: 'required', armor };
}

/** Credentials a command starts from: a TGT from a ccache, or a principal to log in (with keytab keys). */
export type Identity =
  | { readonly kind: 'ccache'; readonly tgt: Credential; readonly realm: string }
  | { readonly kind: 'login'; readonly principal: Principal; readonly keys?: Key[]; readonly realm: string };

/** The TGT in the ccache (-c, without a principal or -k), else the principal to log in as. */
export async function identityOf(
  args: ParsedArgs,
  io: CliIo,
  given: string | undefined,
  defaultRealm: string | undefined,
): Promise<Identity> {
  const cache = args.get('cache');
  if (given === undefined && !args.has('use-keytab')) {
    const path = ccachePath(io, cache);
    const tgt = tgtOf(await readCcache(io, path), path);
    return { kind: 'ccache', tgt, realm: tgt.client.realm };
  }
  const { principal, keys } = await loginIdentity(args, io, given, defaultRealm);
  return { kind: 'login', principal, realm: principal.realm, ...(keys ? { keys } : {}) };
}

/** A session for an identity: the ccache's TGT as it is, or a login with keys or a password. */
export async function sessionFor(
  args: ParsedArgs,
  io: CliIo,
  client: KdcClient,
  id: Identity,
  login: Partial<LoginOptions> = {},
): Promise<Session> {
  if (id.kind === 'ccache') return new SessionClass(client, id.tgt);
  return client.login({
    ...login,
    principal: id.principal,
    ...(id.keys ? { keys: id.keys } : { password: await passwordOf(args, io, id.principal) }),
  });
}
