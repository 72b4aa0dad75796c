/** `tskrb kvno`: service tickets from the ccache's TGT, as MIT kvno, including S4U2Self (-U) and S4U2Proxy (-P). */

import { type KdcClient, s4u2proxy, s4u2self } from '../../client/index.js';
import { Key, KeyUsage } from '../../crypto/index.js';
import type { Credential } from '../../messages/credential.js';
import { formatPrincipal, parsePrincipal } from '../../messages/principal.js';
import { openTicket, type S4uResult } from '../../s4u/index.js';
import type { ParsedArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { ccachePath, keytabPath, readCcache, readKeytab, tgtOf } from '../creds-io.js';
import { ExitCode, UsageError } from '../errors.js';
import { clientFor, enctypesOf, NETWORK_OPTIONS, settingsOf, withClient } from '../network.js';
import { toJson } from '../render.js';
import { addTickets, credentialJson, type StoredTicket, writeTickets } from '../tickets-out.js';

/** One ticket got, with how it was got. */
interface Got extends StoredTicket {
  readonly how: string;
}

function s4uGot(r: S4uResult): Got {
  const user = formatPrincipal(r.user.name, r.user.realm);
  return {
    cred: r.credential,
    how: `${r.step} for ${user}${r.forwardable ? ', forwardable' : ', not forwardable'}`,
  };
}

async function u2uTicket(
  client: KdcClient,
  tgt: Credential,
  service: string,
  other: Credential,
): Promise<Got> {
  const server = parsePrincipal(service, { defaultRealm: tgt.client.realm });
  const r = await client.tgs(tgt, server, {
    step: 'U2U',
    options: { encTktInSkey: true },
    additionalTickets: [other.ticket],
    additionalTicketsDer: [other.ticketBytes],
  });
  return {
    cred: r.credential,
    how: 'user-to-user, in the session key of its TGT',
    secondTicket: other.ticketBytes,
  };
}

async function fetchTickets(args: ParsedArgs, io: CliIo, client: KdcClient, tgt: Credential): Promise<Got[]> {
  const services = args.positionals;
  const user = args.get('impersonate');
  const got: Got[] = [];
  if (user === undefined) {
    if (args.has('proxy')) throw new UsageError('kvno: -P needs -U USER');
    const u2u = args.get('u2u');
    const other = u2u === undefined ? undefined : tgtOfCache(io, u2u);
    for (const svc of services) {
      if (other !== undefined) got.push(await u2uTicket(client, tgt, svc, await other));
      else {
        const server = parsePrincipal(svc, { defaultRealm: tgt.client.realm });
        got.push({ cred: (await client.tgs(tgt, server)).credential, how: '' });
      }
    }
    return got;
  }
  if (args.has('u2u')) throw new UsageError('kvno: --u2u and -U exclude each other');
  const enterprise = args.has('enterprise');
  if (!args.has('proxy')) {
    if (services.length > 1)
      throw new UsageError('kvno -U: one service (the ccache’s own principal) at most');
    const svc = services[0];
    const service = svc === undefined ? undefined : parsePrincipal(svc, { defaultRealm: tgt.client.realm });
    got.push(s4uGot(await s4u2self(client, tgt, user, { enterprise, ...(service ? { service } : {}) })));
    return got;
  }
  const self = await s4u2self(client, tgt, user, { enterprise });
  for (const svc of services) got.push(s4uGot(await s4u2proxy(client, tgt, self, svc)));
  return got;
}

async function tgtOfCache(io: CliIo, name: string): Promise<Credential> {
  const path = ccachePath(io, name);
  return tgtOf(await readCcache(io, path), path);
}

/** MIT kvno -k: whether each ticket opens with the keytab's key for its server. */
async function verifyWithKeytab(io: CliIo, name: string, got: readonly Got[]): Promise<string[]> {
  const path = keytabPath(io, name);
  const kt = await readKeytab(io, path);
  return got.map((g) => {
    const t = g.cred.ticket;
    const keys = kt.entries
      .filter(
        (e) => e.key.etype === t.encPart.etype && (t.encPart.kvno === undefined || e.kvno === t.encPart.kvno),
      )
      .map((e) => new Key(e.key.etype, e.key.bytes));
    const who = formatPrincipal(g.cred.server.name, g.cred.server.realm);
    for (const k of keys) {
      try {
        openTicket(t, [k]);
        return `keytab ${path} opens the ticket for ${who} (usage ${KeyUsage.KdcRepTicket})`;
      } catch {
        // Another key of the same enctype may fit (several principals share a keytab).
      }
    }
    return `keytab ${path} has no key that opens the ticket for ${who}`;
  });
}

async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positionals.length === 0 && !(args.has('impersonate') && !args.has('proxy')))
    throw new UsageError('kvno: name at least one service', { hint: 'tskrb kvno HTTP/web.example.com' });
  const path = ccachePath(io, args.get('cache'));
  const cc = await readCcache(io, path);
  const tgt = tgtOf(cc, path);
  const settings = settingsOf(io);
  const ctx = clientFor(args, io, settings, tgt.client.realm, { etypes: enctypesOf(args, settings) });
  const got = await withClient(ctx, (client) => fetchTickets(args, io, client, tgt));
  const out = args.get('out');
  let where = `FILE:${path}`;
  if (out === undefined) await addTickets(io, path, cc, got);
  else where = await writeTickets(io, out, got);
  const keytab = args.get('keytab');
  const checks = keytab === undefined ? [] : await verifyWithKeytab(io, keytab, got);
  if (args.has('json')) {
    for (const g of got)
      io.stdout(`${toJson({ result: credentialJson(g.cred, { how: g.how || 'TGS', storedIn: where }) })}\n`);
    for (const c of checks) io.stdout(`${toJson({ check: c })}\n`);
    return ExitCode.Ok;
  }
  for (const g of got) {
    const svc = formatPrincipal(g.cred.server.name, g.cred.server.realm);
    io.stdout(`${svc}: kvno = ${g.cred.ticket.encPart.kvno ?? 0}${g.how ? `  (${g.how})` : ''}\n`);
  }
  for (const c of checks) io.stdout(`${c}\n`);
  return checks.some((c) => c.includes('has no key')) ? ExitCode.Integrity : ExitCode.Ok;
}

/** The kvno command. */
export const kvnoCommand: Command = {
  name: 'kvno',
  summary:
    'get service tickets from the ccache’s TGT (S4U2Self with -U, S4U2Proxy with -P) and print their kvno',
  usage: 'kvno service... [-c CCACHE] [-U USER [-P]] [--u2u CCACHE] [--out CCACHE|FILE.kirbi] [-k KEYTAB]',
  description: [
    'Like MIT kvno: for each service, a TGS exchange with the TGT of the ccache (-c, else KRB5CCNAME), the reply',
    'validated, the ticket’s key version printed and the ticket added to the ccache (or written to --out).',
    '-U USER: S4U2Self (protocol transition): a ticket to the ccache’s own principal in USER’s name. With -P every',
    'service named is an S4U2Proxy target: the S4U2Self ticket is the evidence for constrained delegation (or',
    'resource-based: PA-PAC-OPTIONS is always sent, as MIT does). --u2u CCACHE: a user-to-user ticket encrypted in',
    'the session key of the TGT in that ccache. -k KEYTAB checks that each ticket opens with the service’s key.',
  ].join('\n'),
  options: [
    { name: 'cache', short: 'c', value: 'CCACHE', help: 'the ccache with the TGT (FILE:path or a path)' },
    { name: 'impersonate', short: 'U', value: 'USER', help: 'S4U2Self: get the ticket in USER’s name' },
    { name: 'proxy', short: 'P', help: 'with -U: the services are S4U2Proxy targets' },
    { name: 'enterprise', short: 'E', help: 'USER is an enterprise name (alice@upn.suffix)' },
    { name: 'u2u', value: 'CCACHE', help: 'user-to-user, with the TGT of the service principal in CCACHE' },
    {
      name: 'out',
      value: 'FILE',
      help: 'write the tickets to a new ccache, or a KRB-CRED if FILE ends in .kirbi',
    },
    { name: 'keytab', short: 'k', value: 'KEYTAB', help: 'check that each ticket opens with this keytab' },
    { name: 'enctypes', short: 'e', value: 'LIST', help: 'session-key enctypes to ask for' },
    ...NETWORK_OPTIONS,
  ],
  examples: [
    'tskrb kvno HTTP/web.example.com',
    'tskrb kvno -c /tmp/web.cc -U alice HTTP/web.example.com',
    'tskrb kvno -c /tmp/web.cc -U alice -P cifs/file.example.com --out /tmp/alice-cifs.cc',
    'tskrb kvno cifs/file.example.com -k /etc/krb5.keytab --trace',
  ],
  run,
};
