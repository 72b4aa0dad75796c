import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import type { AttemptFailure } from '../../src/transport/attempt.js';
import { openTcpChannel } from '../../src/transport/tcp.js';
import {
  activeResources,
  CODE_PRINCIPAL_UNKNOWN,
  type Fault,
  krbErrorDer,
  leakedSince,
  startFakeKdc,
} from '../helpers/fake-kdc.js';

const REQ = new Uint8Array([0x6a, 0x03, 0x02, 0x01, 0x05]);

/** Opens a channel and resolves with its one event. */
function firstEvent(kdc: { host: string; port: number }, maxMessageLength = 1 << 20) {
  return new Promise<{ reply: Uint8Array } | { failure: AttemptFailure }>((resolve) => {
    const ch = openTcpChannel(kdc, REQ, maxMessageLength, {
      reply: (reply) => {
        ch.close();
        resolve({ reply });
      },
      failure: (failure) => resolve({ failure }),
    });
  });
}

describe('TCP channel against the fault-injecting fake KDC', () => {
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await activeResources();
  });
  afterAll(async () => {
    expect(await leakedSince(before)).toEqual({});
  });

  it('sends the length-prefixed request and reads a framed reply', async () => {
    const kdc = await startFakeKdc();
    const r = await firstEvent(kdc);
    await kdc.close();
    expect(r).toEqual({ reply: krbErrorDer(CODE_PRINCIPAL_UNKNOWN) });
    expect(kdc.requests).toEqual([{ proto: 'tcp', bytes: REQ }]);
  });

  it.each([1, 3, 7])('reassembles a reply dribbled %i bytes at a time', async (chunk) => {
    const kdc = await startFakeKdc({ tcp: { kind: 'chunked', chunk, gapMs: 1 } });
    const r = await firstEvent(kdc);
    await kdc.close();
    expect(r).toEqual({ reply: krbErrorDer(CODE_PRINCIPAL_UNKNOWN) });
  });

  it.each<[string, Fault, AttemptFailure['kind'], RegExp]>([
    [
      'truncated frame',
      { kind: 'half-frame' },
      'closed',
      /closed after \d+ of \d+ reply bytes \(truncated frame\)/,
    ],
    [
      'truncated length prefix',
      { kind: 'prefix-only' },
      'closed',
      /inside the length prefix \(2 of 4 bytes\)/,
    ],
    ['close without reply', { kind: 'close' }, 'closed', /closed without a reply/],
    ['connection reset', { kind: 'reset' }, 'closed', /ECONNRESET/],
    [
      'oversized length prefix',
      { kind: 'length', value: 0x7fffffff },
      'error',
      /announces 2147483647 bytes, above the limit/,
    ],
    ['4 GiB length (high bit)', { kind: 'length', value: 0xffffffff }, 'error', /reserved high bit/],
  ])('%s: a %s failure with a hint', async (_name, fault, kind, message) => {
    const kdc = await startFakeKdc({ tcp: fault });
    const r = await firstEvent(kdc);
    await kdc.close();
    expect('failure' in r).toBe(true);
    if (!('failure' in r)) return;
    expect(r.failure.kind).toBe(kind);
    expect(r.failure.error).toBeInstanceOf(TransportError);
    expect(r.failure.error.message).toMatch(message);
    expect(r.failure.error.kdc).toBe(`tcp/${kdc.address}`);
    expect(r.failure.error.hint).toBeTruthy();
  });

  it('a refused connection is worth a new connection later, and says nothing listens there', async () => {
    const kdc = await startFakeKdc();
    await kdc.close();
    const r = await firstEvent(kdc);
    expect('failure' in r && r.failure.kind).toBe('closed');
    if ('failure' in r) expect(r.failure.error.hint).toMatch(/nothing listens/);
  });

  it('close before the reply: nothing is reported and the socket is gone', async () => {
    const kdc = await startFakeKdc({ tcp: { kind: 'silence' } });
    const events: string[] = [];
    const ch = openTcpChannel(kdc, REQ, 1 << 20, {
      reply: () => events.push('reply'),
      failure: () => events.push('failure'),
    });
    while (kdc.requests.length < 1) await new Promise((r) => setImmediate(r));
    ch.close();
    await kdc.close();
    expect(events).toEqual([]);
  });
});
