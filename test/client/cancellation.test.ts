/**
 * Cancellation of the public API's network calls (issue 19): `signal` and `timeout` on login, TGS and the S4U flows
 * stop the attempt in flight and the failover to the next KDC at once, and reject with the platform's AbortError or
 * TimeoutError. The KDCs are fault-injecting fakes that hold every request (test/helpers/fake-kdc.ts): they prove
 * the stopping, never the protocol.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KdcClient, Session } from '../../src/client/kdc-client.js';
import { negotiateFetch } from '../../src/http/negotiate-fetch.js';
import { KdcTransport } from '../../src/transport/index.js';
import { activeResources, type FakeKdc, leakedSince, startFakeKdc } from '../helpers/fake-kdc.js';
import { frontTgt, miniClock, REALM } from '../s4u/mini-kdc.js';

const fakes: FakeKdc[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

/** Two KDCs of REALM that hold every request (UDP and TCP), so a send would fail over after 1 s. */
async function holdingRealm() {
  const a = await startFakeKdc({ udp: { kind: 'hold' }, tcp: { kind: 'hold' } });
  const b = await startFakeKdc({ udp: { kind: 'hold' }, tcp: { kind: 'hold' } });
  fakes.push(a, b);
  const transport = new KdcTransport({ kdcs: { [REALM]: [a.address, b.address] } });
  const client = new KdcClient({ realm: REALM, transport, clock: miniClock });
  return { a, b, client, received: () => a.requests.length + b.requests.length };
}

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 5));
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('cancellation: signal and timeout on the public API', () => {
  it('login: abort while the KDC holds the request rejects at once with AbortError; no failover afterwards', async () => {
    const { client, received } = await holdingRealm();
    const before = await activeResources();
    const ctl = new AbortController();
    const p = client.login({ principal: 'alice', password: 'secret', signal: ctl.signal });
    await until(() => received() === 1);
    const t0 = Date.now();
    ctl.abort();
    const err = await p.catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(100);
    expect(err).toBeInstanceOf(DOMException);
    expect((err as DOMException).name).toBe('AbortError');
    // The schedule would have sent to the second KDC 1 s after the first send.
    await sleep(1200);
    expect(received()).toBe(1);
    expect(await leakedSince(before)).toEqual({});
  });

  it('login: timeout rejects with TimeoutError after about that long, with no request after it', async () => {
    const { client, received } = await holdingRealm();
    const t0 = Date.now();
    const err = await client
      .login({ principal: 'alice', password: 'secret', timeout: 150 })
      .catch((e: unknown) => e);
    const took = Date.now() - t0;
    expect((err as DOMException).name).toBe('TimeoutError');
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1000);
    const n = received();
    await sleep(1100);
    expect(received()).toBe(n);
  });

  it('an already aborted signal rejects without sending anything', async () => {
    const { client, received } = await holdingRealm();
    const reason = new Error('client went away');
    const err = await client
      .login({ principal: 'alice', password: 'secret', signal: AbortSignal.abort(reason) })
      .catch((e: unknown) => e);
    expect((err as DOMException).name).toBe('AbortError');
    expect((err as Error).cause).toBe(reason);
    expect(received()).toBe(0);
  });

  it.each([
    ['Session.s4u2self', (s: Session, signal: AbortSignal) => s.s4u2self('alice', { signal })],
    [
      'Session.s4u2proxy',
      (s: Session, signal: AbortSignal) => s.s4u2proxy(frontTgt(), 'cifs/file.unit.test', { signal }),
    ],
    [
      'Session.getServiceTicket',
      (s: Session, signal: AbortSignal) => s.getServiceTicket('HTTP/x', { signal }),
    ],
    ['KdcClient.tgs', (s: Session, signal: AbortSignal) => s.client.tgs(s.tgt, s.tgt.server, { signal })],
  ])('%s: abort during the TGS exchange rejects with AbortError and stops the send', async (_name, call) => {
    const { client, received } = await holdingRealm();
    const session = new Session(client, frontTgt());
    const ctl = new AbortController();
    const p = call(session, ctl.signal);
    await until(() => received() === 1);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await sleep(1100);
    expect(received()).toBe(1);
  });

  it('negotiateFetch with a session: abort while the TGS exchange for the SPN is held stops it (AbortError)', async () => {
    const { client, received } = await holdingRealm();
    const session = new Session(client, frontTgt());
    const ctl = new AbortController();
    const challenge = async () =>
      new Response('', { status: 401, headers: { 'WWW-Authenticate': 'Negotiate' } });
    const p = negotiateFetch('http://api.unit.test/x', { session, signal: ctl.signal, fetch: challenge });
    await until(() => received() === 1);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await sleep(1100);
    expect(received()).toBe(1);
  });

  it('a signal of the client call that never fires changes nothing (the send times out as before)', async () => {
    const { client } = await holdingRealm();
    const err = await client
      .login({ principal: 'alice', password: 'secret', signal: new AbortController().signal, timeout: 50 })
      .catch((e: unknown) => e);
    expect((err as DOMException).name).toBe('TimeoutError');
  });
});
