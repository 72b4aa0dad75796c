import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { udpExchange } from '../../src/transport/udp.js';
import {
  activeResources,
  CODE_PRINCIPAL_UNKNOWN,
  krbErrorDer,
  leakedSince,
  startFakeKdc,
} from '../helpers/fake-kdc.js';

const REQ = new Uint8Array([0x6a, 0x03, 0x02, 0x01, 0x05]);
const opts = { timeoutMs: 300, maxMessageLength: 1 << 20 };

describe('udpExchange against the fault-injecting fake KDC', () => {
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await activeResources();
  });
  afterAll(async () => {
    expect(await leakedSince(before)).toEqual({});
  });

  it('sends one datagram and returns the reply datagram', async () => {
    const kdc = await startFakeKdc();
    const r = await udpExchange(kdc, REQ, opts);
    await kdc.close();
    expect(r).toEqual({ ok: true, reply: krbErrorDer(CODE_PRINCIPAL_UNKNOWN) });
    expect(kdc.requests).toEqual([{ proto: 'udp', bytes: REQ }]);
  });

  it('resolves a host name first (localhost)', async () => {
    const kdc = await startFakeKdc();
    const r = await udpExchange({ host: 'localhost', port: kdc.port }, REQ, opts);
    await kdc.close();
    // localhost may resolve to ::1 where the fake does not listen; either way the attempt ends cleanly.
    expect(r.ok || r.error instanceof TransportError).toBe(true);
  });

  it('ignores a reply from the wrong port and times out', async () => {
    const kdc = await startFakeKdc({ udp: { kind: 'wrong-port' } });
    const r = await udpExchange(kdc, REQ, opts);
    await kdc.close();
    expect(r.ok || r.kind).toBe('timeout');
  });

  it('silence is a timeout with the KDC and a hint', async () => {
    const kdc = await startFakeKdc({ udp: { kind: 'silence' } });
    const r = await udpExchange(kdc, REQ, opts);
    await kdc.close();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.kind).toBe('timeout');
    expect(r.error.kdc).toBe(`udp/${kdc.address}`);
    expect(r.error.hint).toMatch(/silent/);
  });

  it('an ICMP port unreachable is an error at once, not a timeout', async () => {
    const kdc = await startFakeKdc();
    await kdc.close();
    const t0 = performance.now();
    const r = await udpExchange(kdc, REQ, { ...opts, timeoutMs: 5000 });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.ok || r.kind).toBe('error');
    if (!r.ok) expect(r.error.message).toMatch(/ECONNREFUSED/);
  });

  it('an unresolvable host name is an error with a hint', async () => {
    const r = await udpExchange({ host: 'no-such-host.invalid', port: 88 }, REQ, {
      ...opts,
      timeoutMs: 5000,
    });
    expect(r.ok || r.kind).toBe('error');
    if (!r.ok) expect(r.error.hint).toBeTruthy();
  });

  it('an abort ends the attempt', async () => {
    const kdc = await startFakeKdc({ udp: { kind: 'silence' } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const r = await udpExchange(kdc, REQ, { ...opts, timeoutMs: 10_000, signal: ac.signal });
    await kdc.close();
    expect(r.ok || r.kind).toBe('aborted');
  });
});
