/**
 * DelegationClient cancellation (issue 19): a caller's signal ends its own wait at once; a flight other callers wait
 * on goes on for them, and stops (its sends aborted) only when every caller waiting on it has aborted.
 */
import { describe, expect, it } from 'vitest';
import { DelegationClient } from '../../src/delegation/delegation-client.js';
import type { DelegationAuditEvent } from '../../src/delegation/types.js';
import { parsePrincipal } from '../../src/messages/principal.js';
import type { SendOptions, SendResult, Transport } from '../../src/transport/index.js';
import { FakeFlows } from './fakes.js';

const REALM = 'EXAMPLE.TEST';
const SERVICE = 'HTTP/web.example.test';
const TARGET = 'cifs/file.example.test';

/** A transport whose sends wait for `open()`; a send whose signal aborts rejects, and is counted. */
function gateTransport() {
  let opened = false;
  const waiting: (() => void)[] = [];
  const t: Transport & { sent: number; aborted: number; open(): void } = {
    sent: 0,
    aborted: 0,
    open() {
      opened = true;
      for (const w of waiting.splice(0)) w();
    },
    async send(realm: string, request: Uint8Array, o?: SendOptions) {
      return (await t.sendDetailed(realm, request, o)).reply;
    },
    sendDetailed(_realm: string, request: Uint8Array, o?: SendOptions): Promise<SendResult> {
      t.sent++;
      const res: SendResult = {
        reply: request,
        kdc: { host: '127.0.0.1', port: 88, proto: 'udp' },
        attempts: [],
        ms: 0,
      };
      if (opened) return Promise.resolve(res);
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          t.aborted++;
          reject(new Error('send aborted'));
        };
        o?.signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(() => {
          o?.signal?.removeEventListener('abort', onAbort);
          resolve(res);
        });
      });
    },
  };
  return t;
}

function setup() {
  const now = Date.UTC(2026, 10, 23, 9, 0, 0);
  const clock = () => now;
  const transport = gateTransport();
  const flows = new FakeFlows(parsePrincipal(SERVICE, { defaultRealm: REALM }), clock);
  flows.script.delayMs = 0;
  const events: DelegationAuditEvent[] = [];
  const client = new DelegationClient({
    service: SERVICE,
    realm: REALM,
    transport,
    flows,
    clock,
    audit: (e) => events.push(e),
  });
  return { client, transport, flows, events };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('DelegationClient: cancellation and single flight', () => {
  it('one caller aborting does not abort another waiting on the same flight', async () => {
    const { client, transport, events } = setup();
    const a = new AbortController();
    const pa = client.s4u2proxy('alice', TARGET, { signal: a.signal });
    const pb = client.s4u2proxy('alice', TARGET);
    await tick();
    a.abort();
    await expect(pa).rejects.toMatchObject({ name: 'AbortError' });
    expect(transport.aborted).toBe(0);
    transport.open();
    const b = await pb;
    expect(b.source).toBe('joined');
    expect(b.user).toBe('alice@EXAMPLE.TEST');
    // The flight filled the cache: the next caller is a hit.
    expect((await client.s4u2proxy('alice', TARGET)).source).toBe('cache');
    expect(events.map((e) => [e.result, e.source, e.error?.name])).toEqual([
      ['error', 'kdc', 'AbortError'],
      ['ok', 'joined', undefined],
      ['ok', 'cache', undefined],
    ]);
  });

  it('when every caller waiting on a flight has aborted, the flight stops: its send in flight is aborted', async () => {
    const { client, transport, flows } = setup();
    const a = new AbortController();
    const b = new AbortController();
    const pa = client.s4u2proxy('alice', TARGET, { signal: a.signal });
    const pb = client.s4u2proxy('alice', TARGET, { signal: b.signal });
    await tick();
    a.abort();
    await expect(pa).rejects.toMatchObject({ name: 'AbortError' });
    expect(transport.aborted).toBe(0);
    b.abort();
    await expect(pb).rejects.toMatchObject({ name: 'AbortError' });
    await tick();
    expect(transport.aborted).toBe(1);
    expect(flows.log).toEqual(['login']);
    // Nothing was cached; a later call starts a new flight and succeeds.
    transport.open();
    expect((await client.s4u2proxy('alice', TARGET)).source).toBe('kdc');
  });

  it('timeout rejects the caller with TimeoutError', async () => {
    const { client } = setup();
    await expect(client.s4u2self('alice', { timeout: 30 })).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('an already aborted signal rejects before any KDC traffic', async () => {
    const { client, transport } = setup();
    await expect(client.s4u2self('alice', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(transport.sent).toBe(0);
  });

  it('fetchAs: RequestInit.signal reaches the delegation flight', async () => {
    const { client, transport } = setup();
    const ctl = new AbortController();
    const p = client.fetchAs('alice', 'http://127.0.0.1:1/x', {
      signal: ctl.signal,
      preemptive: true,
      fetch: async () => new Response('unreachable'),
    });
    await tick();
    ctl.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await tick();
    expect(transport.aborted).toBe(1);
  });
});
