/**
 * `tskrb s4u`: Impacket's getST flow in one command. The front service logs in (keytab, password or ccache), asks
 * S4U2Self for a ticket in the user's name, then S4U2Proxy for the target, and writes the ticket a client would use.
 */
import { type KdcClient, type Session, s4u2proxy, s4u2self } from '../../client/index.js';
import type { Key } from '../../crypto/index.js';
import { formatPrincipal } from '../../messages/principal.js';
import type { S4uResult } from '../../s4u/index.js';
import type { ParsedArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { ExitCode, UsageError } from '../errors.js';
import { certificatesOf, identityOf, LOGIN_OPTIONS, sessionFor } from '../login.js';
import {
  clientFor,
  defaultRealmOf,
  enctypesOf,
  NETWORK_OPTIONS,
  settingsOf,
  withClient,
} from '../network.js';
import { toJson } from '../render.js';
import { credentialJson, withAltService, writeTickets } from '../tickets-out.js';

const ASSERTIONS: Readonly<Record<string, string>> = {
  service: 'S-1-18-2: service asserted identity (S4U)',
  'authentication-authority': 'S-1-18-1: authentication authority asserted identity',
  none: 'no identity assertion SID',
};

function describeResult(r: S4uResult): string[] {
  const lines = [
    `${r.step}: ticket for ${formatPrincipal(r.service.name, r.service.realm)} naming ${formatPrincipal(r.user.name, r.user.realm)}, ${r.forwardable ? 'forwardable' : 'NOT forwardable'}, valid until ${r.credential.endtime.toISOString()}`,
  ];
  if (r.userCheck) lines.push(`  PA-S4U-X509-USER in the reply: ${r.userCheck.status}`);
  const s = r.pac?.summary;
  if (s) {
    lines.push(
      `  PAC: ${s.user ?? s.clientName ?? '?'}${s.userSid ? ` ${s.userSid}` : ''}; ${ASSERTIONS[s.identityAssertion]}`,
    );
    if (r.delegationPath.length > 0) lines.push(`  delegation path: ${r.delegationPath.join(' -> ')}`);
  }
  return lines;
}

/** The default output file: `user@service.ccache` in the working directory, as Impacket names it. */
function defaultOut(user: string, spn: string | undefined, self: string): string {
  const safe = (s: string): string => s.replace(/[/\\:]/g, '_');
  return `${safe(user)}@${safe(spn ?? self)}.ccache`;
}

async function delegate(
  args: ParsedArgs,
  io: CliIo,
  client: KdcClient,
  session: Session,
  user: string | undefined,
  spn: string | undefined,
  frontKeys: readonly Key[],
): Promise<S4uResult[]> {
  const certFile = args.get('cert');
  const certificate = certFile === undefined ? undefined : certificatesOf(await io.readFile(certFile))[0];
  const serviceKeys = frontKeys.length > 0 ? { serviceKeys: frontKeys } : {};
  const self = await s4u2self(client, session.tgt, user, {
    enterprise: args.has('enterprise-user'),
    ...(certificate ? { certificate } : {}),
    ...serviceKeys,
  });
  if (spn === undefined) return [self];
  const proxy = await s4u2proxy(client, session.tgt, self, spn, { rbcd: true });
  return [self, proxy];
}

async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const user = args.get('impersonate');
  const spn = args.get('spn');
  if (user === undefined && !args.has('cert')) throw new UsageError('s4u: --impersonate USER is required');
  if (spn === undefined && !args.has('self-only'))
    throw new UsageError(
      's4u: --spn SERVICE/HOST is required (or --self-only for the S4U2Self ticket alone)',
    );
  if (spn !== undefined && args.has('self-only'))
    throw new UsageError('s4u: --spn and --self-only exclude each other');
  if (args.positionals.length > 1) throw new UsageError('s4u: one front service principal');
  const settings = settingsOf(io);
  const id = await identityOf(args, io, args.positionals[0], defaultRealmOf(args, settings));
  const ctx = clientFor(args, io, settings, id.realm, { etypes: enctypesOf(args, settings) });
  const results = await withClient(ctx, async (client) => {
    const session = await sessionFor(args, io, client, id, { forwardable: true });
    return delegate(args, io, client, session, user, spn, id.kind === 'login' ? (id.keys ?? []) : []);
  });
  const last = results[results.length - 1]!;
  const alt = args.get('altservice');
  const cred = alt === undefined ? last.credential : withAltService(last.credential, alt);
  const out =
    args.get('out') ?? defaultOut(user ?? 'certificate-user', spn, formatPrincipal(last.service.name));
  const where = await writeTickets(io, out, [{ cred }]);
  if (args.has('json')) {
    for (const r of results)
      io.stdout(
        `${toJson({ result: credentialJson(r.credential, { step: r.step, forwardable: r.forwardable, delegationPath: r.delegationPath }) })}\n`,
      );
    io.stdout(`${toJson({ saved: where, server: formatPrincipal(cred.server.name, cred.server.realm) })}\n`);
    return ExitCode.Ok;
  }
  for (const r of results) for (const l of describeResult(r)) io.stdout(`${l}\n`);
  if (alt !== undefined)
    io.stdout(`altservice: the ticket now names ${formatPrincipal(cred.server.name, cred.server.realm)}\n`);
  io.stdout(`saved to ${where}\n`);
  return ExitCode.Ok;
}

/** The s4u command. */
export const s4uCommand: Command = {
  name: 's4u',
  summary: 'impersonate a user to a service: S4U2Self then S4U2Proxy (constrained or resource-based)',
  usage:
    's4u [front-principal] --impersonate USER --spn SERVICE/HOST [-k [-t KEYTAB] | --password-file FILE | -c CCACHE] [--self-only] [--rbcd] [--altservice SPN] [--cert USER.pem] [--out FILE]',
  description: [
    'The front service (the positional principal, logging in with -k keytab or a password; or the TGT in -c CCACHE)',
    'asks the KDC for a ticket to itself in USER’s name (S4U2Self, PA-FOR-USER + PA-S4U-X509-USER), then uses it',
    'as evidence for a ticket to SERVICE/HOST (S4U2Proxy, cname-in-addl-tkt). Classic constrained delegation needs',
    'the target in the front’s allowed-to-delegate-to list and a forwardable S4U2Self ticket (protocol transition);',
    'resource-based delegation (--rbcd) needs the front in the target’s msDS-AllowedToActOnBehalfOfOtherIdentity.',
    'PA-PAC-OPTIONS (RBCD) is sent in either case, as MIT does. The last ticket is written to --out: a ccache, or a',
    'KRB-CRED if the name ends in .kirbi (default: USER@SPN.ccache here). With -k the S4U2Self ticket is opened with',
    'the front’s key and its PAC summarized (S-1-18-2: service asserted identity).',
  ].join('\n'),
  options: [
    { name: 'impersonate', short: 'U', value: 'USER', help: 'the user to impersonate' },
    { name: 'spn', value: 'SERVICE/HOST', help: 'the target service (S4U2Proxy)' },
    { name: 'self-only', help: 'stop after S4U2Self and write that ticket' },
    { name: 'rbcd', help: 'the target trusts the front by resource-based delegation (PA-PAC-OPTIONS)' },
    {
      name: 'altservice',
      value: 'SPN',
      help: 'rewrite the ticket’s service name (same account, another SPN)',
    },
    { name: 'cert', value: 'USER.pem', help: 'S4U2Self by the user’s X.509 certificate (PA-S4U-X509-USER)' },
    { name: 'enterprise-user', help: 'USER is an enterprise name (alice@upn.suffix)' },
    { name: 'out', short: 'o', value: 'FILE', help: 'where to write the ticket: a ccache, or FILE.kirbi' },
    { name: 'cache', short: 'c', value: 'CCACHE', help: 'use the front service’s TGT from this ccache' },
    ...LOGIN_OPTIONS,
    { name: 'enctypes', short: 'e', value: 'LIST', help: 'enctypes to offer' },
    ...NETWORK_OPTIONS,
  ],
  examples: [
    'tskrb s4u -k -t web.keytab HTTP/web.example.com --impersonate alice --spn cifs/file.example.com --out alice.cc',
    'tskrb s4u websvc@EXAMPLE.COM --password-file pw --impersonate alice --spn cifs/file.example.com --altservice host/file.example.com',
    'tskrb s4u -c /tmp/front.cc --impersonate alice --spn cifs/back.example.com --rbcd --out alice.kirbi',
    'tskrb s4u -k -t web.keytab HTTP/web.example.com --impersonate alice --self-only --trace',
  ],
  run,
};
