import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import type { AttemptFailure, Channel } from '../../src/transport/attempt.js';
import { openUdpChannel } from '../../src/transport/udp.js';
import {
  activeResources,
  CODE_PRINCIPAL_UNKNOWN,
  krbErrorDer,
  leakedSince,
  startFakeKdc,
} from '../helpers/fake-kdc.js';

const REQ = new Uint8Array([0x6a, 0x03, 0x02, 0x01, 0x05]);

/** Opens a channel and resolves with its first event; the channel is closed either way. */
function firstEvent(kdc: { host: string; port: number }) {
  let channel: Channel | undefined;
  const got = new Promise<{ reply: Uint8Array } | { failure: AttemptFailure }>((resolve) => {
    channel = openUdpChannel(kdc, REQ, {
      reply: (reply) => resolve({ reply }),
      failure: (failure) => resolve({ failure }),
    });
  });
  return { channel: channel!, got: got.finally(() => channel?.close()) };
}

/** Resolves once `n` requests reached the fake (polls the event loop, no clock). */
async function received(kdc: { requests: unknown[] }, n: number): Promise<void> {
  while (kdc.requests.length < n) await new Promise((r) => setImmediate(r));
}

describe('UDP channel against the fault-injecting fake KDC', () => {
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await activeResources();
  });
  afterAll(async () => {
    expect(await leakedSince(before)).toEqual({});
  });

  it('sends one datagram and reports the reply datagram', async () => {
    const kdc = await startFakeKdc();
    const r = await firstEvent(kdc).got;
    await kdc.close();
    expect(r).toEqual({ reply: krbErrorDer(CODE_PRINCIPAL_UNKNOWN) });
    expect(kdc.requests).toEqual([{ proto: 'udp', bytes: REQ }]);
  });

  it('resend sends the same bytes on the same socket; the reply to the resend is reported', async () => {
    const kdc = await startFakeKdc({ udp: [{ kind: 'silence' }, { kind: 'reply' }] });
    const { channel, got } = firstEvent(kdc);
    await received(kdc, 1);
    channel.resend();
    const r = await got;
    await kdc.close();
    expect(r).toEqual({ reply: krbErrorDer(CODE_PRINCIPAL_UNKNOWN) });
    expect(kdc.requests).toEqual([
      { proto: 'udp', bytes: REQ },
      { proto: 'udp', bytes: REQ },
    ]);
  });

  it('a late reply to the first datagram still arrives after a resend (earlier attempts keep listening)', async () => {
    const kdc = await startFakeKdc({ udp: [{ kind: 'delay', ms: 50 }, { kind: 'silence' }] });
    const { channel, got } = firstEvent(kdc);
    await received(kdc, 1);
    channel.resend();
    expect(await got).toEqual({ reply: krbErrorDer(CODE_PRINCIPAL_UNKNOWN) });
    await kdc.close();
  });

  it('resolves a host name first (localhost)', async () => {
    const kdc = await startFakeKdc();
    const { got } = firstEvent({ host: 'localhost', port: kdc.port });
    // localhost may resolve to ::1 where the fake does not listen (ECONNREFUSED): either way the channel reports.
    const r = await got;
    await kdc.close();
    expect('reply' in r || r.failure.error instanceof TransportError).toBe(true);
  });

  it('an ICMP port unreachable is a failure at once, with a hint', async () => {
    const kdc = await startFakeKdc();
    await kdc.close();
    const r = await firstEvent(kdc).got;
    expect('failure' in r && [r.failure.kind, r.failure.error.kdc]).toEqual(['error', `udp/${kdc.address}`]);
    if ('failure' in r) {
      expect(r.failure.error.message).toMatch(/ECONNREFUSED/);
      expect(r.failure.error.hint).toMatch(/nothing listens/);
    }
  });

  it('a port Node refuses (0, as a DNS SRV record may say) is a failure, not a throw', async () => {
    const r = await firstEvent({ host: '127.0.0.1', port: 0 }).got;
    expect('failure' in r && r.failure.kind).toBe('error');
  });

  it('an unresolvable host name is a failure with a hint', async () => {
    const r = await firstEvent({ host: 'no-such-host.invalid', port: 88 }).got;
    expect('failure' in r && r.failure.error.hint).toBeTruthy();
  });

  it('close before the reply: nothing is reported and the socket is gone', async () => {
    const kdc = await startFakeKdc({ udp: { kind: 'silence' } });
    const events: string[] = [];
    const ch = openUdpChannel(kdc, REQ, {
      reply: () => events.push('reply'),
      failure: () => events.push('failure'),
    });
    await received(kdc, 1);
    ch.close();
    ch.resend();
    await kdc.close();
    expect(events).toEqual([]);
    expect(kdc.requests).toHaveLength(1);
  });
});
