import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { tcpExchange } from '../../src/transport/tcp.js';
import {
  activeResources,
  CODE_PRINCIPAL_UNKNOWN,
  type Fault,
  krbErrorDer,
  leakedSince,
  startFakeKdc,
} from '../helpers/fake-kdc.js';

const REQ = new Uint8Array([0x6a, 0x03, 0x02, 0x01, 0x05]);
const opts = { timeoutMs: 400, maxMessageLength: 1 << 20 };

describe('tcpExchange against the fault-injecting fake KDC', () => {
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await activeResources();
  });
  afterAll(async () => {
    expect(await leakedSince(before)).toEqual({});
  });

  it('sends the length-prefixed request and reads a framed reply', async () => {
    const kdc = await startFakeKdc();
    const r = await tcpExchange(kdc, REQ, opts);
    await kdc.close();
    expect(r).toEqual({ ok: true, reply: krbErrorDer(CODE_PRINCIPAL_UNKNOWN) });
    expect(kdc.requests).toEqual([{ proto: 'tcp', bytes: REQ }]);
  });

  it.each([1, 3, 7])('reassembles a reply dribbled %i bytes at a time', async (chunk) => {
    const kdc = await startFakeKdc({ tcp: { kind: 'chunked', chunk, gapMs: 1 } });
    const r = await tcpExchange(kdc, REQ, { ...opts, timeoutMs: 5000 });
    await kdc.close();
    expect(r).toEqual({ ok: true, reply: krbErrorDer(CODE_PRINCIPAL_UNKNOWN) });
  });

  it.each<[string, Fault, 'timeout' | 'error', RegExp]>([
    [
      'truncated frame',
      { kind: 'half-frame' },
      'error',
      /closed after \d+ of \d+ reply bytes \(truncated frame\)/,
    ],
    [
      'truncated length prefix',
      { kind: 'prefix-only' },
      'error',
      /inside the length prefix \(2 of 4 bytes\)/,
    ],
    ['close without reply', { kind: 'close' }, 'error', /closed without a reply/],
    [
      'oversized length prefix',
      { kind: 'length', value: 0x7fffffff },
      'error',
      /announces 2147483647 bytes, above the limit/,
    ],
    ['4 GiB length (high bit)', { kind: 'length', value: 0xffffffff }, 'error', /reserved high bit/],
    ['silence past the timeout', { kind: 'silence' }, 'timeout', /no reply within 400 ms/],
    ['connection reset', { kind: 'reset' }, 'error', /ECONNRESET/],
  ])('%s is a failed attempt with a hint', async (_name, fault, kind, message) => {
    const kdc = await startFakeKdc({ tcp: fault });
    const r = await tcpExchange(kdc, REQ, opts);
    await kdc.close();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.kind).toBe(kind);
    expect(r.error).toBeInstanceOf(TransportError);
    expect(r.error.message).toMatch(message);
    expect(r.error.kdc).toBe(`tcp/${kdc.address}`);
    expect(r.error.hint).toBeTruthy();
  });

  it('a refused connection says nothing listens there', async () => {
    const kdc = await startFakeKdc();
    await kdc.close();
    const r = await tcpExchange(kdc, REQ, opts);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.hint).toMatch(/nothing listens/);
  });

  it('an abort ends the attempt at once', async () => {
    const kdc = await startFakeKdc({ tcp: { kind: 'silence' } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const r = await tcpExchange(kdc, REQ, { ...opts, timeoutMs: 10_000, signal: ac.signal });
    const already = await tcpExchange(kdc, REQ, { ...opts, signal: ac.signal });
    await kdc.close();
    expect(r.ok || r.kind).toBe('aborted');
    expect(already.ok || already.kind).toBe('aborted');
  });
});
