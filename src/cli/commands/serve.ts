/**
 * `tskrb serve`: an HTTP server that demands Negotiate and answers each authenticated request with what it learned
 * (client, flags, PAC summary, delegated credential): for finding out why a client's ticket is refused.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { TransportError } from '../../errors.js';
import { addKeytab, Keyring } from '../../explain/keyring.js';
import { GssFlag } from '../../gss/constants.js';
import { negotiateTokenOf } from '../../http/negotiate-header.js';
import { type KerberosAuth, type KerberosRequest, negotiate } from '../../http/negotiate-middleware.js';
import { formatPrincipal } from '../../messages/principal.js';
import type { ParsedArgs } from '../args.js';
import type { CliIo, Command } from '../command.js';
import { keytabPath, readKeytab } from '../creds-io.js';
import { ExitCode, UsageError } from '../errors.js';
import { explainNegotiateToken, traceOptions } from '../negotiate-trace.js';
import { renderTree, toJson } from '../render.js';

/** Names of the context flags set in `flags`. */
function flagNames(flags: number): string[] {
  return Object.entries(GssFlag)
    .filter(([, bit]) => (flags & bit) !== 0)
    .map(([name]) => name);
}

/** The JSON answer to an authenticated request. */
export function describeAuth(k: KerberosAuth): Record<string, unknown> {
  const s = k.pac?.summary;
  const v = k.pac?.verification as unknown;
  return {
    client: k.clientName,
    mech: k.mech,
    flags: flagNames(k.flags),
    ticket: {
      server: formatPrincipal(k.evidence.ticket.sname, k.evidence.ticket.realm),
      enctype: k.evidence.ticket.encPart.etype,
      kvno: k.evidence.ticket.encPart.kvno ?? null,
    },
    pac:
      s === undefined
        ? null
        : {
            user: s.user ?? s.clientName ?? null,
            domain: s.domain ?? null,
            userSid: s.userSid ?? null,
            groups: s.groups.map((g) => g.sid),
            extraSids: s.extraSids.map((g) => g.sid),
            identityAssertion: s.identityAssertion,
            delegationPath: s.delegationPath,
            upn: s.upn ?? null,
            verification: v ?? null,
          },
    delegated: (k.delegated?.length ?? 0) > 0,
    delegatedTickets: (k.delegated ?? []).map((c) => formatPrincipal(c.server.name, c.server.realm)),
  };
}

/** --trace: the request's Negotiate token as a tree on stderr, opened with the keytab's keys. */
function traceRequest(io: CliIo, req: IncomingMessage, ring: Keyring): void {
  let token: Uint8Array | undefined;
  try {
    token = negotiateTokenOf(req.headers.authorization);
  } catch {
    return; // the middleware refuses it and says why
  }
  if (token !== undefined)
    io.stderr(
      renderTree(
        explainNegotiateToken(`${req.method} ${req.url} Authorization`, token, traceOptions(ring, false)),
        {
          color: io.color,
        },
      ),
    );
}

function portOf(args: ParsedArgs): number {
  const p = args.get('port') ?? '0';
  if (!/^\d+$/.test(p) || Number(p) > 65535) throw new UsageError(`--port '${p}' is not a port number`);
  return Number(p);
}

async function run(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positionals.length > 0) throw new UsageError('serve: no positional arguments (use --keytab)');
  const path = keytabPath(io, args.get('keytab'));
  const kt = await readKeytab(io, path);
  // Keytab entries, not bare keys: the acceptor then picks by the ticket's principal and kvno too.
  const keys = kt.entries;
  if (keys.length === 0) throw new UsageError(`keytab ${path} holds no keys`);
  const host = args.get('host') ?? '127.0.0.1';
  const port = portOf(args);
  const json = args.has('json');
  const trace = args.has('trace');
  const log = (what: Record<string, unknown>, text: string): void =>
    io.stderr(json ? `${toJson(what)}\n` : `tskrb serve: ${text}\n`);
  const guard = negotiate({
    keys,
    clock: io.clock,
    onRefused: (e, req) =>
      log(
        { refused: { method: req.method, url: req.url, error: e instanceof Error ? e.message : String(e) } },
        `${req.method} ${req.url}: refused: ${e instanceof Error ? e.message : String(e)}`,
      ),
  });
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    if (trace) {
      // A keyring per request: the subkeys one token teaches belong to that request.
      const ring = new Keyring();
      addKeytab(ring, kt, path);
      traceRequest(io, req, ring);
    }
    guard(req, res, (err) => {
      if (err) {
        res.statusCode = 500;
        res.end();
        return;
      }
      const body = describeAuth((req as KerberosRequest).kerberos);
      log(
        { accepted: { method: req.method, url: req.url, ...body } },
        `${req.method} ${req.url}: ${body['client']}`,
      );
      res.setHeader('Content-Type', 'application/json');
      res.end(`${toJson(body)}\n`);
    });
  };
  const server = createServer(answer);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new TransportError(`cannot listen on ${host}:${port}: ${e.code ?? e.message}`, { cause: e })),
    );
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`;
  io.stdout(
    json
      ? `${toJson({ listening: url, keytab: path, keys: keys.length })}\n`
      : `listening on ${url} (keytab ${path}, ${keys.length} keys)\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return ExitCode.Ok;
}

/** The serve command. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'an HTTP server that accepts Negotiate and shows who came (client, flags, PAC, delegation)',
  usage: 'serve --keytab FILE [--host 127.0.0.1] [--port N] [--trace] [--json]',
  description: [
    'Listens on HOST:PORT (127.0.0.1 and a free port by default; the URL is printed) and answers every request',
    'without a token with 401 and WWW-Authenticate: Negotiate. A SPNEGO or bare Kerberos token is accepted with the',
    'keys of the keytab (clock skew, replay cache, authenticator checksum); the reply is JSON: client principal,',
    'context flags, ticket, PAC summary (SIDs, groups, S-1-18-1/2) and any delegated ticket, with the AP-REP in',
    'WWW-Authenticate (mutual authentication). A refused token gets 401; the reason goes to stderr. --trace also',
    'shows each token decoded. Stops on SIGINT or SIGTERM.',
  ].join('\n'),
  options: [
    {
      name: 'keytab',
      short: 'k',
      value: 'FILE',
      help: 'the service keytab (default KRB5_KTNAME or /etc/krb5.keytab)',
    },
    { name: 'host', value: 'HOST', help: 'the address to bind (default 127.0.0.1)' },
    { name: 'port', short: 'p', value: 'N', help: 'the port (default: a free one)' },
    { name: 'trace', help: 'show each Authorization token decoded (on stderr)' },
    { name: 'json', help: 'JSON lines on stdout and stderr' },
  ],
  examples: [
    'tskrb serve --keytab /etc/httpd.keytab --port 8080',
    'curl --negotiate -u : http://web.example.com:8080/   # after kinit, with web.example.com -> 127.0.0.1',
  ],
  run,
};
