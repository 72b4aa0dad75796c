/**
 * `tskrb http`: one HTTP request with Negotiate, as the ccache's principal (its TGT gets the ticket for the SPN) or,
 * with --impersonate, as USER through S4U2Self + S4U2Proxy from the service's TGT in the ccache.
 */

import { credentialFromCcache, s4u2proxy, s4u2self, toCredsPrincipal } from '../../client/index.js';
import { type Ccache, samePrincipal, ticketsOf } from '../../creds/index.js';
import { Keyring } from '../../explain/keyring.js';
import { formatNegotiateHeader } from '../../gss/spnego-http.js';
import { type NegotiateResponse, negotiateFetch, spnForUrl } from '../../http/negotiate-fetch.js';
import { negotiateChallengeOf } from '../../http/negotiate-header.js';
import { credentialToken, type TokenSource } from '../../http/token-source.js';
import type { Credential } from '../../messages/credential.js';
import { formatPrincipal, parsePrincipal } from '../../messages/principal.js';
import { fromUtf8, utf8 } from '../../util/bytes.js';
import type { ParsedArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { ccachePath, readCcache, tgtOf } from '../creds-io.js';
import { ExitCode, UsageError } from '../errors.js';
import { firstSpnHost, withHostFallback } from '../host-canonical.js';
import { explainNegotiateToken, traceOptions } from '../negotiate-trace.js';
import { clientFor, NETWORK_OPTIONS, settingsOf, withClient } from '../network.js';
import { renderTree, toJson } from '../render.js';

function headersOf(args: ParsedArgs): Headers {
  const h = new Headers();
  for (const line of args.all('header')) {
    const i = line.indexOf(':');
    if (i <= 0) throw new UsageError(`-H '${line}': expected 'Name: value'`);
    h.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return h;
}

/** -d DATA, -d @FILE, -d @- (stdin), as curl. */
async function bodyOf(args: ParsedArgs, io: CliIo): Promise<Uint8Array | undefined> {
  const d = args.get('data');
  if (d === undefined) return undefined;
  if (d === '@-') return io.readStdin();
  if (d.startsWith('@')) return io.readFile(d.slice(1));
  return utf8(d);
}

function urlOf(args: ParsedArgs): URL {
  if (args.positionals.length !== 1)
    throw new UsageError('http: give one URL', { hint: 'tskrb http https://api.example.com/data' });
  let url: URL;
  try {
    url = new URL(args.positionals[0]!);
  } catch {
    throw new UsageError(`http: '${args.positionals[0]}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`http: ${url.protocol} URLs are not supported (http or https)`);
  return url;
}

/**
 * The trace of the HTTP side: each token sent and received, decoded and opened with the ticket's session key (the
 * authenticator and its 0x8003 checksum, the AP-REP).
 */
function traceToken(args: ParsedArgs, io: CliIo, label: string, token: Uint8Array, ticket: Credential): void {
  if (!args.has('trace')) return;
  const showKeys = args.has('show-keys');
  if (args.has('json')) {
    io.stdout(`${toJson({ http: { [label]: formatNegotiateHeader(token) } }, { showKeys })}\n`);
    return;
  }
  const ring = new Keyring();
  const k = ticket.sessionKey;
  ring.add(
    k.etype,
    k.bytes,
    `session key of the ticket to ${formatPrincipal(ticket.server.name, ticket.server.realm)}`,
  );
  io.stdout(
    renderTree(explainNegotiateToken(label, token, traceOptions(ring, showKeys)), { color: io.color }),
  );
}

/** A ticket of the ccache for `spn` still valid now (as MIT reuses them): `tskrb s4u --out` writes such ccaches. */
function cachedTicket(cc: Ccache, spn: string, now: number): Credential | undefined {
  const want = toCredsPrincipal(parsePrincipal(spn, { defaultRealm: cc.defaultPrincipal.realm }));
  const c = ticketsOf(cc).find((t) => samePrincipal(t.server, want) && t.endtime.getTime() > now);
  return c === undefined ? undefined : credentialFromCcache(c);
}

/** The request, with a token from the ticket `ticketFor` gives for the SPN (traced with --trace). */
function send(
  args: ParsedArgs,
  io: CliIo,
  url: URL,
  spn: string,
  body: Uint8Array | undefined,
  ticketFor: (spn: string) => Promise<Credential>,
): Promise<NegotiateResponse> {
  const mech = args.has('krb5') ? 'krb5' : 'spnego';
  const tokenSource: TokenSource = async (req) => {
    const ticket = await ticketFor(req.spn);
    const tok = credentialToken(ticket, req.channelBindings, { mech, clock: io.clock });
    traceToken(args, io, 'Authorization', tok.token, ticket);
    return {
      ...tok,
      verify: (reply) => {
        traceToken(args, io, 'WWW-Authenticate', reply, ticket);
        tok.verify(reply);
      },
    };
  };
  return negotiateFetch(url, {
    tokenSource,
    spn,
    method: args.get('request') ?? (args.has('data') ? 'POST' : 'GET'),
    headers: headersOf(args),
    ...(body === undefined ? {} : { body: new Uint8Array(body) }),
    requireMutual: args.has('require-mutual'),
    preemptive: args.has('preemptive'),
    ...(args.has('channel-bindings') ? { channelBindings: 'tls-server-end-point' as const } : {}),
    ...(args.has('insecure') ? { tls: { insecure: true } } : {}),
  });
}

async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  const url = urlOf(args);
  const settings = settingsOf(io);
  const given = args.get('spn');
  // krb5.conf's dns_canonicalize_hostname and rdns name the host of the default SPN, as for MIT's clients.
  const spn = given ?? (await spnForUrl(url, (host) => firstSpnHost(host, settings, io.hostResolver)));
  const user = args.get('impersonate');
  const path = ccachePath(io, args.get('cache'));
  const cc = await readCcache(io, path);
  const body = await bodyOf(args, io);
  const cached = user === undefined ? cachedTicket(cc, spn, io.clock()) : undefined;
  if (cached !== undefined) {
    const res = await send(args, io, url, spn, body, async () => cached);
    return report(args, io, res, formatPrincipal(cached.client.name, cached.client.realm));
  }
  const tgt = tgtOf(cc, path);
  const ctx = clientFor(args, io, settings, tgt.client.realm);
  let as = formatPrincipal(tgt.client.name, tgt.client.realm);
  const res = await withClient(ctx, (client) => {
    let ticket: Promise<Credential> | undefined;
    const fetchTicket = async (target: string): Promise<Credential> => {
      const server = parsePrincipal(target, { defaultRealm: tgt.client.realm });
      if (user === undefined) return (await client.tgs(tgt, server)).credential;
      const proxy = await s4u2proxy(client, tgt, await s4u2self(client, tgt, user), server);
      as = formatPrincipal(proxy.user.name, proxy.user.realm);
      return proxy.credential;
    };
    return send(args, io, url, spn, body, (target) => {
      ticket ??=
        given === undefined
          ? withHostFallback(target, settings, fetchTicket, io.hostResolver)
          : fetchTicket(target);
      return ticket;
    });
  });
  return report(args, io, res, as);
}

async function report(args: ParsedArgs, io: CliIo, res: NegotiateResponse, as: string): Promise<number> {
  const text = fromUtf8(new Uint8Array(await res.arrayBuffer()));
  const n = res.negotiate;
  const ok = res.status < 400;
  if (args.has('json')) {
    io.stdout(
      `${toJson({ result: { status: res.status, statusText: res.statusText, url: res.url, as, spn: n.spn, mech: n.mech, requests: n.requests, mutual: n.mutual, refused: n.refused, refusal: n.refusal, contentType: res.headers.get('content-type'), body: text } })}\n`,
    );
  } else {
    io.stdout(text);
    if (n.mutual === 'missing')
      io.stderr('tskrb: warning: the reply carried no mutual-authentication token\n');
  }
  if (ok) return ExitCode.Ok;
  const why = n.refused ? ` (Negotiate token for ${n.spn} refused${n.refusal ? `: ${n.refusal}` : ''})` : '';
  const offered = negotiateChallengeOf(res.headers.get('www-authenticate')).offered;
  const hint = res.status === 401 && !n.spn && !offered ? ' (the server did not offer Negotiate)' : '';
  io.stderr(`tskrb: HTTP ${res.status} ${res.statusText}${why}${hint}\n`);
  return ExitCode.ServerRefused;
}

/** The http command. */
export const httpCommand: Command = {
  name: 'http',
  summary: 'an HTTP request with Negotiate (SPNEGO) as the ccache’s principal, or as a user via S4U',
  usage:
    "http URL [-c CCACHE] [--impersonate USER] [--spn SPN] [-X METHOD] [-d DATA] [-H 'Name: value']... [--krb5] [--require-mutual] [--trace] [--json]",
  description: [
    'Sends the request; on 401 with WWW-Authenticate: Negotiate, sends it again with Authorization: Negotiate and a',
    'SPNEGO token (--krb5: a bare Kerberos token) for SPN (default HTTP/<host of URL>), then verifies the server’s',
    'mutual-authentication token. The ticket comes from the TGT in -c (else KRB5CCNAME). With --impersonate USER the',
    'ccache holds the service’s TGT: S4U2Self for USER, then S4U2Proxy to SPN (constrained delegation).',
    'The body goes to stdout. Exit 0 for a status below 400, 2 the KDC refused, 3 network, 4 integrity (a bad',
    'mutual token), 6 the server refused (status ≥ 400; the status line on stderr).',
  ].join('\n'),
  options: [
    { name: 'cache', short: 'c', value: 'CCACHE', help: 'the ccache with the TGT (FILE:path or a path)' },
    {
      name: 'impersonate',
      short: 'U',
      value: 'USER',
      help: 'S4U2Self + S4U2Proxy: the request goes as USER',
    },
    {
      name: 'spn',
      value: 'SPN',
      help: 'the service principal (default HTTP/<host of URL>, canonicalized as krb5.conf dns_canonicalize_hostname and rdns say)',
    },
    { name: 'request', short: 'X', value: 'METHOD', help: 'the method (default GET, POST with -d)' },
    { name: 'data', short: 'd', value: 'DATA', help: 'the body: text, @FILE or @- for stdin' },
    { name: 'header', short: 'H', value: "'Name: value'", repeat: true, help: 'a request header' },
    { name: 'krb5', help: 'send a bare Kerberos token instead of SPNEGO' },
    { name: 'preemptive', help: 'send the token with the first request (no 401 round trip)' },
    { name: 'require-mutual', help: 'fail (exit 4) when the reply has no mutual-authentication token' },
    {
      name: 'channel-bindings',
      help: 'https: bind the token to the server certificate (tls-server-end-point)',
    },
    { name: 'insecure', help: 'https: do not verify the certificate (channel bindings handshake)' },
    ...NETWORK_OPTIONS,
  ],
  examples: [
    'tskrb http -c /tmp/alice.cc http://api.example.com/whoami',
    'tskrb http -c /tmp/web.cc --impersonate alice https://api.example.com/data --json',
    "tskrb http -c /tmp/alice.cc -X POST -d @body.json -H 'Content-Type: application/json' https://api.example.com/items",
    'tskrb http -c /tmp/alice.cc http://127.0.0.1:8080/ --spn HTTP/api.example.com --trace',
  ],
  run,
};
