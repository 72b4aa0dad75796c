/**
 * negotiateFetch against a local node:http server running the real acceptor behind the negotiate() middleware:
 * the 401 round trip, SPNEGO and bare krb5 tokens, mutual authentication (verified, missing, tampered), the body
 * replayed on the retry, a replayed Authorization header, skew, wrong keys, channel bindings. Tickets come from the
 * GSS fixtures (made here, around TEST_NOW); client and server share the test's clock.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, Key } from '../../src/crypto/index.js';
import { IntegrityError, KerberosError, TransportError } from '../../src/errors.js';
import { formatNegotiateHeader, parseNegotiateHeader } from '../../src/gss/spnego-http.js';
import { negotiateFetch, spnForUrl } from '../../src/http/negotiate-fetch.js';
import {
  type KerberosRequest,
  type NegotiateMiddlewareOptions,
  negotiate,
} from '../../src/http/negotiate-middleware.js';
import { credentialTokenSource, type TokenSource } from '../../src/http/token-source.js';
import { issue, seededRandom, serviceKey } from '../gss/fixtures.js';
import { testClock } from '../helpers/clock.js';

const clock = testClock();
const random = seededRandom(99);
const credential = issue(18);

/** What the server saw, per request. */
interface Seen {
  url: string;
  authorization: string | undefined;
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function startServer(o: Partial<NegotiateMiddlewareOptions> = {}, after?: Handler) {
  const seen: Seen[] = [];
  const refused: unknown[] = [];
  const guard = negotiate({
    keys: [serviceKey(18)],
    clock,
    random,
    onRefused: (e) => refused.push(e),
    ...o,
  });
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization, body });
    if (req.url === '/public') {
      res.end('public');
      return;
    }
    guard(req, res, () => {
      if (after) return after(req, res, body);
      const k = (req as KerberosRequest).kerberos;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ client: k.clientName, mech: k.mech, body, flags: k.flags }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    seen,
    refused,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

type Srv = Awaited<ReturnType<typeof startServer>>;

describe('negotiateFetch + negotiate middleware (real acceptor, local node:http)', () => {
  let srv: Srv;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(() => srv.close());

  it('answers the 401 with a SPNEGO token; the server names alice; the AP-REP in the reply is verified', async () => {
    const before = srv.seen.length;
    const res = await negotiateFetch(srv.url('/who'), {
      credential,
      clock,
      random,
      spn: 'HTTP/api.gss.test',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ client: 'alice@GSS.TEST', mech: 'spnego' });
    expect(res.negotiate).toMatchObject({ mutual: 'verified', requests: 2, mech: 'spnego', refused: false });
    const [first, second] = srv.seen.slice(before);
    expect(first!.authorization).toBeUndefined();
    expect(second!.authorization).toMatch(/^Negotiate [A-Za-z0-9+/]+=*$/);
    expect(parseNegotiateHeader(res.headers.get('www-authenticate')!)![0]).toBe(0xa1); // NegTokenResp
  });

  it('sends a bare krb5 token with mech: krb5 and gets a bare AP-REP back', async () => {
    const res = await negotiateFetch(srv.url('/who'), { credential, clock, random, mech: 'krb5' });
    expect(await res.json()).toMatchObject({ client: 'alice@GSS.TEST', mech: 'krb5' });
    expect(res.negotiate.mutual).toBe('verified');
    const tok = parseNegotiateHeader(res.headers.get('www-authenticate')!)!;
    expect([tok[0], tok.length > 20]).toEqual([0x60, true]);
  });

  it('sends the token at once with preemptive (one request)', async () => {
    const before = srv.seen.length;
    const res = await negotiateFetch(srv.url('/who'), { credential, clock, random, preemptive: true });
    expect(res.status).toBe(200);
    expect(res.negotiate.requests).toBe(1);
    expect(srv.seen.length - before).toBe(1);
  });

  it('leaves a request the server does not challenge alone', async () => {
    const before = srv.seen.length;
    const res = await negotiateFetch(srv.url('/public'), { credential, clock, random });
    expect(await res.text()).toBe('public');
    expect(res.negotiate).toEqual({ requests: 1, mutual: 'none', refused: false });
    expect(srv.seen[before]!.authorization).toBeUndefined();
  });

  it('sends a streamed body again on the retry (buffered once)', async () => {
    const before = srv.seen.length;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"a":'));
        c.enqueue(new TextEncoder().encode('1}'));
        c.close();
      },
    });
    const res = await negotiateFetch(srv.url('/post'), {
      credential,
      clock,
      random,
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { 'Content-Type': 'application/json' },
    } as Parameters<typeof negotiateFetch>[1]);
    expect(await res.json()).toMatchObject({ body: '{"a":1}' });
    expect(srv.seen.slice(before).map((s) => s.body)).toEqual(['{"a":1}', '{"a":1}']);
  });

  it('sends a fresh authenticator per request, so two requests both pass', async () => {
    const before = srv.seen.length;
    const a = await negotiateFetch(srv.url('/who'), { credential, clock, random, preemptive: true });
    const b = await negotiateFetch(srv.url('/who'), { credential, clock, random, preemptive: true });
    expect([a.status, b.status]).toEqual([200, 200]);
    const [ha, hb] = srv.seen.slice(before).map((s) => s.authorization);
    expect(ha).not.toBe(hb);
  });

  it('refuses a replayed Authorization header with 401', async () => {
    const before = srv.seen.length;
    await negotiateFetch(srv.url('/who'), { credential, clock, random, preemptive: true });
    const header = srv.seen[before]!.authorization!;
    const replay = await fetch(srv.url('/who'), { headers: { Authorization: header } });
    expect(replay.status).toBe(401);
    expect(replay.headers.get('www-authenticate')).toBe('Negotiate');
    expect(String(srv.refused.at(-1))).toMatch(/replay/i);
  });

  it('answers 401 + Negotiate to no header, Basic, bad base64, a non-Kerberos token', async () => {
    const ntlm = formatNegotiateHeader(new TextEncoder().encode('NTLMSSP\0\x01\0\0\0'));
    for (const h of [undefined, 'Basic YTpi', 'Negotiate !!!', ntlm]) {
      const r = await fetch(srv.url('/who'), h === undefined ? {} : { headers: { Authorization: h } });
      expect([h, r.status, r.headers.get('www-authenticate')]).toEqual([h, 401, 'Negotiate']);
    }
  });

  it('reports the refusal of a ticket the server cannot open (another key): 401, refused', async () => {
    const other = issue(17);
    const res = await negotiateFetch(srv.url('/who'), { credential: other, clock, random });
    expect(res.status).toBe(401);
    expect(res.negotiate).toMatchObject({ refused: true, mutual: 'none', requests: 2 });
  });

  it('refuses an authenticator outside the clock skew (401)', async () => {
    const late = testClock();
    late.advance(10 * 60_000);
    const res = await negotiateFetch(srv.url('/who'), { credential, clock: late, random });
    expect(res.status).toBe(401);
    expect(String(srv.refused.at(-1))).toMatch(/skew|time/i);
  });

  it('gets a ticket per SPN from a token source, with the SPN from the URL host', async () => {
    const asked: string[] = [];
    const inner = credentialTokenSource(credential, { clock, random });
    const tokenSource: TokenSource = (req) => {
      asked.push(req.spn);
      return inner(req);
    };
    const res = await negotiateFetch(srv.url('/who'), { tokenSource });
    expect(res.status).toBe(200);
    expect(asked).toEqual(['HTTP/127.0.0.1']);
  });

  it('wraps a connection failure as TransportError', async () => {
    const dead = await startServer();
    const url = dead.url('/who');
    await dead.close();
    await expect(negotiateFetch(url, { credential, clock, random })).rejects.toBeInstanceOf(TransportError);
  });

  it('needs a credential, a session or a token source', async () => {
    await expect(
      negotiateFetch(srv.url('/who'), {} as Parameters<typeof negotiateFetch>[1]),
    ).rejects.toBeInstanceOf(KerberosError);
  });
});

describe('mutual authentication in the final reply', () => {
  let tampering: Srv;
  let stripping: Srv;
  beforeAll(async () => {
    // A server that accepts the token but sends back a damaged AP-REP: one byte of the enc-part flipped.
    tampering = await startServer({}, (_req, res) => {
      const tok = parseNegotiateHeader(String(res.getHeader('www-authenticate')))!;
      tok[tok.length - 3]! ^= 0x01;
      res.setHeader('WWW-Authenticate', formatNegotiateHeader(tok));
      res.end('ok');
    });
    // A server that accepts the token and sends no token back (as some proxies strip it).
    stripping = await startServer({}, (_req, res) => {
      res.removeHeader('WWW-Authenticate');
      res.end('ok');
    });
  });
  afterAll(async () => {
    await tampering.close();
    await stripping.close();
  });

  it('throws IntegrityError for a tampered AP-REP (SPNEGO and krb5)', async () => {
    await expect(negotiateFetch(tampering.url('/x'), { credential, clock, random })).rejects.toBeInstanceOf(
      IntegrityError,
    );
    await expect(
      negotiateFetch(tampering.url('/x'), { credential, clock, random, mech: 'krb5' }),
    ).rejects.toBeInstanceOf(IntegrityError);
  });

  it('reports a missing token, and throws under requireMutual', async () => {
    const res = await negotiateFetch(stripping.url('/x'), { credential, clock, random });
    expect(res.status).toBe(200);
    expect(res.negotiate.mutual).toBe('missing');
    await expect(
      negotiateFetch(stripping.url('/x'), { credential, clock, random, requireMutual: true }),
    ).rejects.toBeInstanceOf(IntegrityError);
  });
});

describe('channel bindings', () => {
  const bound = { applicationData: new TextEncoder().encode('tls-server-end-point:test') };
  let srv: Srv;
  beforeAll(async () => {
    srv = await startServer({ channelBindings: () => bound });
  });
  afterAll(() => srv.close());

  it('accepts a token bound to the same channel and refuses one bound to another', async () => {
    const ok = await negotiateFetch(srv.url('/who'), { credential, clock, random, channelBindings: bound });
    expect(ok.status).toBe(200);
    const other = { applicationData: new TextEncoder().encode('tls-server-end-point:else') };
    const bad = await negotiateFetch(srv.url('/who'), { credential, clock, random, channelBindings: other });
    expect(bad.status).toBe(401);
  });

  it('asks for https before reading a certificate', async () => {
    await expect(
      negotiateFetch(srv.url('/who'), { credential, clock, random, channelBindings: 'tls-server-end-point' }),
    ).rejects.toMatchObject({ check: 'channel-bindings' });
  });
});

describe('spnForUrl', () => {
  it('is HTTP/<host>, lowercased, without port or IPv6 brackets; canonicalize maps the host', async () => {
    expect(await spnForUrl(new URL('https://API.Example.com:8443/x'))).toBe('HTTP/api.example.com');
    expect(await spnForUrl(new URL('http://[::1]:8080/'))).toBe('HTTP/::1');
    expect(await spnForUrl(new URL('http://www/'), (h) => `${h}.corp.example.com`)).toBe(
      'HTTP/www.corp.example.com',
    );
  });
});

describe('negotiate middleware with a wrong service key', () => {
  it('refuses every token (401) and tells onRefused why', async () => {
    const srv = await startServer({ keys: [new Key(18, generateKey(18, seededRandom(5)).bytes)] });
    try {
      const res = await negotiateFetch(srv.url('/who'), { credential, clock, random });
      expect(res.status).toBe(401);
      expect(srv.refused).toHaveLength(1);
      expect(srv.refused[0]).toBeInstanceOf(KerberosError);
    } finally {
      await srv.close();
    }
  });
});
