import { describe, expect, it } from 'vitest';
import { CountingTransport } from '../../src/delegation/counting-transport.js';
import type { SendResult, Transport } from '../../src/transport/index.js';

/** A stub transport: echoes the request and says which KDC "answered" (by realm). */
function stub(kdcOf: (realm: string) => string): Transport & { sent: string[] } {
  const sent: string[] = [];
  const t = {
    sent,
    async send(realm: string, request: Uint8Array) {
      return (await t.sendDetailed(realm, request)).reply;
    },
    async sendDetailed(realm: string, request: Uint8Array): Promise<SendResult> {
      sent.push(realm);
      const [host, port] = kdcOf(realm).split(':');
      return { reply: request, kdc: { host: host!, port: Number(port), proto: 'tcp' }, attempts: [], ms: 0 };
    },
  };
  return t;
}

describe('CountingTransport', () => {
  it('counts sends and answering KDCs in a scope and in its parents', async () => {
    const inner = stub((r) => (r === 'A.TEST' ? '127.0.0.1:88' : '127.0.0.1:10088'));
    const root = new CountingTransport(inner);
    const s1 = root.scope();
    const s2 = s1.scope();
    const other = root.scope();
    expect(await s2.send('A.TEST', new Uint8Array([1]))).toEqual(new Uint8Array([1]));
    await s1.sendDetailed('B.TEST', new Uint8Array([2]));
    await other.sendDetailed('A.TEST', new Uint8Array([3]));
    expect(s2.tally()).toEqual({ roundTrips: 1, kdcs: ['127.0.0.1:88'] });
    expect(s1.tally()).toEqual({ roundTrips: 2, kdcs: ['127.0.0.1:88', '127.0.0.1:10088'] });
    expect(other.tally()).toEqual({ roundTrips: 1, kdcs: ['127.0.0.1:88'] });
    expect(root.tally()).toEqual({ roundTrips: 3, kdcs: ['127.0.0.1:88', '127.0.0.1:10088'] });
    expect(inner.sent).toEqual(['A.TEST', 'B.TEST', 'A.TEST']);
  });

  it('counts a failed send as a round trip without naming a KDC', async () => {
    const failing: Transport = {
      send: () => Promise.reject(new Error('unreachable')),
      sendDetailed: () => Promise.reject(new Error('unreachable')),
    };
    const t = new CountingTransport(failing);
    await expect(t.send('A.TEST', new Uint8Array())).rejects.toThrow('unreachable');
    expect(t.tally()).toEqual({ roundTrips: 1, kdcs: [] });
  });

  it('sums the time sends were queued for a busy KDC, in a scope and its parents', async () => {
    const queued = (ms: number | undefined): Transport => ({
      send: () => Promise.reject(new Error('unused')),
      sendDetailed: async (_realm, request) => ({
        reply: request,
        kdc: { host: '127.0.0.1', port: 88, proto: 'udp' },
        attempts: [],
        ms: 0,
        ...(ms === undefined ? {} : { queuedMs: ms }),
      }),
    });
    const root = new CountingTransport(queued(5));
    await root.scope().send('A.TEST', new Uint8Array([1]));
    await root.send('A.TEST', new Uint8Array([2]));
    expect(root.queuedMs()).toBe(10);
    const plain = new CountingTransport(queued(undefined));
    await plain.send('A.TEST', new Uint8Array([1]));
    expect(plain.queuedMs()).toBe(0);
  });
});
