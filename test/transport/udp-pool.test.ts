import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptFailure } from '../../src/transport/attempt.js';
import { openUdpChannel } from '../../src/transport/udp.js';
import { UdpSocketPool } from '../../src/transport/udp-pool.js';
import { activeResources, leakedSince } from '../helpers/fake-kdc.js';

const REQ = new Uint8Array([0x6a, 0x03, 0x02, 0x01, 0x05]);

/** A UDP peer that records each datagram's source port and answers as `answer` says (undefined: silence). */
async function peer(answer: (n: number) => Uint8Array | undefined) {
  const s: Socket = createSocket('udp4');
  const from: RemoteInfo[] = [];
  s.on('message', (_m, r) => {
    from.push(r);
    const reply = answer(from.length);
    if (reply) s.send(reply, r.port, r.address);
  });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return {
    kdc: { host: '127.0.0.1', port: s.address().port },
    from,
    /** Sends `bytes` to the source port of datagram `i` (a late or stray datagram). */
    sendTo: (i: number, bytes: Uint8Array) =>
      new Promise<void>((r) => s.send(bytes, from[i]!.port, from[i]!.address, () => r())),
    close: () => new Promise<void>((r) => s.close(() => r())),
  };
}

type Event = { reply: Uint8Array } | { failure: AttemptFailure };

/** One channel through `pool`: resolves with its first event and closes it (after `resends` resends). */
function exchange(pool: UdpSocketPool, kdc: { host: string; port: number }, resends = 0): Promise<Event> {
  return new Promise<Event>((resolve) => {
    const ch = openUdpChannel(
      kdc,
      REQ,
      {
        reply: (reply) => {
          ch.close();
          resolve({ reply });
        },
        failure: (failure) => {
          ch.close();
          resolve({ failure });
        },
      },
      pool,
    );
    const resend = (n: number): void => {
      if (n === 0) return;
      setTimeout(() => {
        ch.resend();
        resend(n - 1);
      }, 5);
    };
    resend(resends);
  });
}

const settle = () => new Promise((r) => setTimeout(r, 20));
const reply = (n: number) => new Uint8Array([0x7e, 0x01, n]);

describe('UDP socket pool: one request per socket at a time, reused only when nothing more can arrive', () => {
  let before: Record<string, number>;
  let pools: UdpSocketPool[] = [];
  const pool = () => {
    const p = new UdpSocketPool(4);
    pools.push(p);
    return p;
  };
  beforeAll(async () => {
    before = await activeResources();
  });
  afterEach(() => {
    for (const p of pools) p.close();
    pools = [];
  });
  afterAll(async () => {
    expect(await leakedSince(before)).toEqual({});
  });

  it('a socket sent on once and answered once serves the next request (same source port)', async () => {
    const kdc = await peer(reply);
    const p = pool();
    expect(await exchange(p, kdc.kdc)).toEqual({ reply: reply(1) });
    expect(await exchange(p, kdc.kdc)).toEqual({ reply: reply(2) });
    expect(kdc.from[1]!.port).toBe(kdc.from[0]!.port);
    await kdc.close();
  });

  it('the idle socket does not keep the process alive', async () => {
    const kdc = await peer(reply);
    const at = await activeResources();
    await exchange(pool(), kdc.kdc);
    expect(await leakedSince(at)).toEqual({});
    await kdc.close();
  });

  it('a socket resent on is closed: a late reply to the first datagram cannot reach the next request', async () => {
    const kdc = await peer((n) => (n === 2 || n === 3 ? reply(n) : undefined));
    const p = pool();
    await exchange(p, kdc.kdc, 1);
    expect(await exchange(p, kdc.kdc)).toEqual({ reply: reply(3) });
    expect(kdc.from.map((r) => r.port)[2]).not.toBe(kdc.from[0]!.port);
    await kdc.close();
  });

  it('a socket closed before its reply is closed, not pooled', async () => {
    const kdc = await peer((n) => (n === 2 ? reply(n) : undefined));
    const p = pool();
    const events: string[] = [];
    const ch = openUdpChannel(kdc.kdc, REQ, { reply: () => events.push('reply'), failure: () => {} }, p);
    while (kdc.from.length < 1) await settle();
    ch.close();
    const next = exchange(p, kdc.kdc);
    while (kdc.from.length < 2) await settle();
    await kdc.sendTo(0, reply(99)); // the first request's late reply, to its closed socket
    expect(await next).toEqual({ reply: reply(2) });
    expect(kdc.from[1]!.port).not.toBe(kdc.from[0]!.port);
    expect(events).toEqual([]);
    await kdc.close();
  });

  it('on an idle socket a duplicate of its last reply is dropped; any other datagram closes it', async () => {
    const kdc = await peer(reply);
    const p = pool();
    await exchange(p, kdc.kdc);
    await kdc.sendTo(0, reply(1)); // a network duplicate of the reply
    await settle();
    await exchange(p, kdc.kdc);
    expect(kdc.from[1]!.port).toBe(kdc.from[0]!.port);
    await kdc.sendTo(1, reply(42)); // a stray: the socket is no longer trusted
    await settle();
    await exchange(p, kdc.kdc);
    expect(kdc.from[2]!.port).not.toBe(kdc.from[1]!.port);
    await kdc.close();
  });

  it('concurrent requests get one socket each', async () => {
    const kdc = await peer(reply);
    const p = pool();
    await Promise.all([exchange(p, kdc.kdc), exchange(p, kdc.kdc), exchange(p, kdc.kdc)]);
    expect(new Set(kdc.from.map((r) => r.port)).size).toBe(3);
    await kdc.close();
  });

  it('a pool of 0 keeps nothing', async () => {
    const kdc = await peer(reply);
    const p = new UdpSocketPool(0);
    await exchange(p, kdc.kdc);
    await exchange(p, kdc.kdc);
    expect(kdc.from[1]!.port).not.toBe(kdc.from[0]!.port);
    await kdc.close();
  });
});
