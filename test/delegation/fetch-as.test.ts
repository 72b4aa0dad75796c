/**
 * fetchAs and negotiateHeader over a stand-in for DelegationClient.s4u2proxy (tickets made by the GSS fixtures)
 * against a local node:http server with the real acceptor: the SPN asked of the cache, a fresh authenticator per
 * request on one cached ticket, the reply verified. Test clock.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DelegatedTickets, fetchAs, negotiateHeader } from '../../src/delegation/fetch-as.js';
import type { DelegatedTicket } from '../../src/delegation/types.js';
import { type KerberosRequest, negotiate } from '../../src/http/negotiate-middleware.js';
import { formatPrincipal, type Principal } from '../../src/messages/principal.js';
import { issue, seededRandom, serviceKey } from '../gss/fixtures.js';
import { TEST_NOW } from '../helpers/clock.js';

const clock = () => TEST_NOW;
const ticket = issue(18);

/** The delegation cache as fetchAs sees it: one ticket, and the (user, target) pairs asked for. */
function cache(): DelegatedTickets & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async s4u2proxy(user: string | Principal, target: string | Principal): Promise<DelegatedTicket> {
      const name = (p: string | Principal) => (typeof p === 'string' ? p : formatPrincipal(p.name, p.realm));
      asked.push(`${name(user)} -> ${name(target)}`);
      return {
        credential: ticket,
        user: 'alice@GSS.TEST',
        target: name(target),
        source: 'cache',
        obtainedAt: new Date(TEST_NOW),
        warnings: [],
      };
    },
  };
}

describe('fetchAs / negotiateHeader', () => {
  let server: Server;
  let url = '';
  const seen: string[] = [];
  beforeAll(async () => {
    const guard = negotiate({ keys: [serviceKey(18)], clock, random: seededRandom(8) });
    server = createServer((req, res) =>
      guard(req, res, () => {
        seen.push(req.headers.authorization ?? '');
        res.end((req as KerberosRequest).kerberos.clientName);
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('asks the cache for the URL’s SPN and authenticates as the user; twice, with two authenticators', async () => {
    const dc = cache();
    const a = await fetchAs(dc, 'alice', url, { clock });
    const b = await fetchAs(dc, 'alice', url, { clock });
    expect([await a.text(), await b.text()]).toEqual(['alice@GSS.TEST', 'alice@GSS.TEST']);
    expect([a.negotiate.mutual, b.negotiate.mutual]).toEqual(['verified', 'verified']);
    expect(dc.asked).toEqual(['alice -> HTTP/127.0.0.1', 'alice -> HTTP/127.0.0.1']);
    expect(seen.at(-1)).not.toBe(seen.at(-2));
  });

  it('takes spn from the init', async () => {
    const dc = cache();
    await fetchAs(dc, 'alice', url, { clock, spn: 'HTTP/api.gss.test', preemptive: true });
    expect(dc.asked).toEqual(['alice -> HTTP/api.gss.test']);
  });

  it('negotiateHeader: a header for the caller’s own request, and the reply checked', async () => {
    const h = await negotiateHeader(cache(), 'alice', 'HTTP/api.gss.test', { clock });
    expect(h.mech).toBe('spnego');
    const res = await fetch(url, { headers: { Authorization: h.authorization } });
    expect(await res.text()).toBe('alice@GSS.TEST');
    expect(h.verifyReply(res.headers.get('www-authenticate'))).toBe('verified');
    const again = await negotiateHeader(cache(), 'alice', 'HTTP/api.gss.test', { clock, mech: 'krb5' });
    expect(again.verifyReply(null)).toBe('missing');
  });
});
