/** `tskrb kinit`: a TGT (or a service ticket with -S) from a password or a keytab, written to a ccache. */
import type { KdcClient, LoginOptions } from '../../client/index.js';
import { ccacheOf } from '../../client/index.js';
import { formatCredsPrincipal } from '../../creds/index.js';
import { enctypeName } from '../../crypto/index.js';
import type { Credential } from '../../messages/credential.js';
import { formatPrincipal, parsePrincipal } from '../../messages/principal.js';
import type { Krb5Settings } from '../../transport/index.js';
import { fromUtf8 } from '../../util/bytes.js';
import { parseJwt } from '../../util/jwt.js';
import type { ParsedArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { ccachePath, writeCcache } from '../creds-io.js';
import { ExitCode, UsageError } from '../errors.js';
import { flagNames } from '../klist-format.js';
import { anchorsOf, FAST_OPTIONS, fastOf, LOGIN_OPTIONS, loginIdentity, passwordOf } from '../login.js';
import {
  clientFor,
  defaultRealmOf,
  enctypesOf,
  NETWORK_OPTIONS,
  settingsOf,
  withClient,
} from '../network.js';
import { toJson } from '../render.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = { d: 86_400, h: 3600, m: 60, s: 1 };

/** A duration as MIT writes them: `10h`, `1d2h30m`, `90s`, `h:m[:s]`, or plain seconds. */
export function parseDuration(text: string, what: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const hms = /^(\d+):(\d{1,2})(?::(\d{1,2}))?$/.exec(text);
  if (hms) return Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3] ?? 0);
  if (/^(\d+[dhms])+$/.test(text)) {
    let total = 0;
    for (const m of text.matchAll(/(\d+)([dhms])/g)) total += Number(m[1]) * (UNIT_SECONDS[m[2]!] ?? 0);
    return total;
  }
  throw new UsageError(`${what} '${text}' is not a duration`, { hint: 'write 10h, 1d, 30m, 1d2h or 3600' });
}

function loginOptions(args: ParsedArgs, forwardableDefault: boolean): Partial<LoginOptions> {
  const o: { -readonly [K in keyof LoginOptions]?: LoginOptions[K] } = {};
  o.forwardable = args.has('forwardable') || (forwardableDefault && !args.has('not-forwardable'));
  if (args.has('proxiable')) o.proxiable = true;
  const renew = args.get('renewable');
  if (renew !== undefined) o.renewableSec = parseDuration(renew, '-r');
  const service = args.get('service');
  if (service !== undefined) o.service = service;
  if (args.has('no-pac')) o.pac = false;
  return o;
}

function summary(cred: Credential, cache: string): string {
  const who = formatPrincipal(cred.client.name, cred.client.realm);
  const what = formatPrincipal(cred.server.name, cred.server.realm);
  const flags = flagNames(ccacheOf(cred).credentials[0]!.flags).join(', ');
  return `${what} for ${who} in ${cache}, ${enctypeName(cred.sessionKey.etype)} session key, valid until ${cred.endtime.toISOString()} (${flags})\n`;
}

async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positionals.length > 1) throw new UsageError('kinit: one principal at a time');
  const settings = settingsOf(io);
  const defaultRealm = defaultRealmOf(args, settings);
  if (args.has('anonymous')) return anonymous(args, io, settings, defaultRealm);
  const tokenFile = args.get('token');
  if (tokenFile !== undefined) return tokenLogin(args, io, settings, defaultRealm, tokenFile);
  const { principal, keys } = await loginIdentity(args, io, args.positionals[0], defaultRealm);
  const etypes = enctypesOf(args, settings);
  const lifetime = args.get('lifetime');
  const ctx = clientFor(args, io, settings, principal.realm, {
    etypes,
    lifetimeSec: lifetime === undefined ? undefined : parseDuration(lifetime, '-l'),
  });
  const client: KdcClient = ctx.client;
  const path = ccachePath(io, args.get('cache'));
  const opts: LoginOptions = {
    principal,
    ...loginOptions(args, settings.forwardable),
    ...(await fastOf(args, io, settings, principal.realm)),
    ...(keys ? { keys } : { password: await passwordOf(args, io, principal) }),
  };
  const session = await withClient(ctx, (c) => c.login(opts));
  return store(args, io, path, session.tgt, client.timeOffsetMs);
}

async function anonymous(
  args: ParsedArgs,
  io: CliIo,
  settings: Krb5Settings,
  defaultRealm: string | undefined,
): Promise<number> {
  const realm = args.positionals[0]?.replace(/^@/, '') || defaultRealm;
  if (realm === undefined) throw new UsageError('kinit -n: name the realm (@REALM or --realm)');
  const ctx = clientFor(args, io, settings, realm, { etypes: enctypesOf(args, settings) });
  const trustAnchors = await anchorsOf(args, io, settings, realm);
  const session = await withClient(ctx, (c) => c.loginAnonymous({ realm, trustAnchors }));
  return store(args, io, ccachePath(io, args.get('cache')), session.tgt, ctx.client.timeOffsetMs);
}

/** `--token FILE`: a JWT as the credential (Apache Kerby token pre-auth), sent only inside FAST, as Kerby's ktinit. */
async function tokenLogin(
  args: ParsedArgs,
  io: CliIo,
  settings: Krb5Settings,
  defaultRealm: string | undefined,
  file: string,
): Promise<number> {
  if (args.has('use-keytab') || args.has('password-file'))
    throw new UsageError('--token is the credential: no -k or --password-file with it');
  const token = fromUtf8(await io.readFile(file)).trim();
  const given = args.positionals[0] ?? parseJwt(token).claims['sub'];
  if (typeof given !== 'string' || given === '')
    throw new UsageError('kinit --token: name the principal (the token has no `sub` claim)');
  const principal = parsePrincipal(given, { defaultRealm });
  const ctx = clientFor(args, io, settings, principal.realm, { etypes: enctypesOf(args, settings) });
  const opts: LoginOptions = {
    principal,
    ...loginOptions(args, settings.forwardable),
    // --token implies FAST: armor from -T CCACHE, else anonymous PKINIT.
    ...(await fastOf(args, io, settings, principal.realm, true)),
    token,
  };
  const session = await withClient(ctx, (c) => c.login(opts));
  return store(args, io, ccachePath(io, args.get('cache')), session.tgt, ctx.client.timeOffsetMs);
}

async function store(
  args: ParsedArgs,
  io: CliIo,
  path: string,
  tgt: Credential,
  timeOffsetMs: number,
): Promise<number> {
  const cc = ccacheOf(tgt, timeOffsetMs);
  // Into a DIR:/KCM: collection as MIT kinit: the principal's cache (or a new one) becomes the primary.
  const cache = await writeCcache(io, path, cc, { switchTo: true });
  if (args.has('json')) {
    const rec = cc.credentials[0]!;
    io.stdout(
      `${toJson({
        result: {
          cache,
          client: formatCredsPrincipal(rec.client),
          server: formatCredsPrincipal(rec.server),
          authtime: rec.authtime,
          endtime: rec.endtime,
          ...(rec.renewTill ? { renewTill: rec.renewTill } : {}),
          flags: flagNames(rec.flags),
          sessionKeyEtype: rec.key.etype,
        },
      })}\n`,
    );
  } else io.stdout(summary(tgt, cache));
  return ExitCode.Ok;
}

/** The kinit command. */
export const kinitCommand: Command = {
  name: 'kinit',
  summary: 'get a TGT from a password or keytab and store it in a ccache',
  usage:
    'kinit [principal] [-k [-t KEYTAB] | --token FILE] [-c CCACHE] [--password-file FILE|-] [-e ENCTYPES] [-f] [-r LIFE] [-l LIFE] [-S SERVICE] [--kdc HOST:PORT] [--realm R] [--trace] [--json]',
  description: [
    'Logs in with an AS exchange: pre-authentication negotiated from the KDC’s ETYPE-INFO2, the reply checked against',
    'the request (nonce, names, enctype, times), and the TGT written to a FILE ccache that MIT tools read (default:',
    'KRB5CCNAME, else /tmp/krb5cc_<uid>). The password never comes from the command line: it is read from a',
    'terminal prompt without echo, from --password-file, or from standard input when it is not a terminal.',
    'With -k the keys come from a keytab (-t, else KRB5_CLIENT_KTNAME, KRB5_KTNAME or /etc/krb5.keytab); without a',
    'principal the keytab’s first entry is used. KDCs: --kdc for the realm, else [realms] of krb5.conf (KRB5_CONFIG).',
    'Exit codes: 1 usage, 2 the KDC refused (e.g. PREAUTH_FAILED: wrong password), 3 network, 4 bad reply, 5 bad file.',
  ].join('\n'),
  options: [
    ...LOGIN_OPTIONS,
    { name: 'cache', short: 'c', value: 'CCACHE', help: 'the ccache to write (FILE:path or a path)' },
    {
      name: 'enctypes',
      short: 'e',
      value: 'LIST',
      help: 'enctypes to offer, e.g. aes256-cts,aes128-cts or 18,17',
    },
    { name: 'forwardable', short: 'f', help: 'ask for a forwardable TGT' },
    { name: 'not-forwardable', short: 'F', help: 'do not ask for a forwardable TGT (overrides krb5.conf)' },
    { name: 'proxiable', short: 'p', help: 'ask for a proxiable TGT' },
    { name: 'renewable', short: 'r', value: 'LIFE', help: 'ask for a renewable TGT for this long (e.g. 7d)' },
    { name: 'lifetime', short: 'l', value: 'LIFE', help: 'ticket lifetime (default 10h)' },
    {
      name: 'service',
      short: 'S',
      value: 'SERVICE',
      help: 'get a ticket for this service instead of krbtgt',
    },
    { name: 'no-pac', help: 'ask the KDC for a ticket without a PAC' },
    {
      name: 'anonymous',
      short: 'n',
      help: 'anonymous PKINIT (RFC 8062): a TGT for WELLKNOWN/ANONYMOUS; the argument is @REALM',
    },
    {
      name: 'token',
      value: 'FILE',
      help: 'log in with the JWT in FILE (Apache Kerby token pre-auth); implies --fast, the token goes only inside FAST',
    },
    ...FAST_OPTIONS,
    ...NETWORK_OPTIONS,
  ],
  examples: [
    'tskrb kinit alice@EXAMPLE.COM',
    'tskrb kinit alice --password-file ~/.pw -c /tmp/krb5cc_alice',
    'tskrb kinit -k -t /etc/krb5.keytab HTTP/web.example.com --trace',
    'tskrb kinit fastuser@FAST.TEST --fast --anchor ca.pem   (armor from anonymous PKINIT)',
    'tskrb kinit -n @EXAMPLE.COM -c /tmp/armor.cc',
    'tskrb kinit --token id.jwt --anchor ca.pem   (principal from the token sub; armor from anonymous PKINIT)',
    'printf "%s\\n" "$PW" | tskrb kinit alice@EXAMPLE.COM --kdc 127.0.0.1:88 --json',
  ],
  run,
};
