import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { abortFailure, socketFailure, timeoutFailure } from '../../src/transport/attempt.js';

describe('attempt failures', () => {
  it.each([
    ['ECONNREFUSED', /nothing listens/],
    ['ECONNRESET', /dropped the connection/],
    ['ENOTFOUND', /does not resolve/],
    ['EMSGSIZE', /use TCP/],
  ])('a socket error %s carries the KDC and a hint', (code, hint) => {
    const e = Object.assign(new Error(`connect ${code}`), { code });
    const r = socketFailure('tcp/127.0.0.1:88', e);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.kind).toBe('error');
    expect(r.error).toBeInstanceOf(TransportError);
    expect(r.error.kdc).toBe('tcp/127.0.0.1:88');
    expect(r.error.message).toBe(`tcp/127.0.0.1:88: connect ${code}`);
    expect(r.error.hint).toMatch(hint);
    expect(r.error.cause).toBe(e);
  });

  it('an unknown socket error has no hint', () => {
    const r = socketFailure('udp/h:1', 'weird');
    expect(!r.ok && r.error.hint).toBeUndefined();
  });

  it('timeout and abort are their own kinds', () => {
    const t = timeoutFailure('udp/h:1', 250);
    expect(!t.ok && [t.kind, t.error.message]).toEqual(['timeout', 'udp/h:1: no reply within 250 ms']);
    const a = abortFailure('udp/h:1', 'stop');
    expect(!a.ok && [a.kind, a.error.message]).toEqual(['aborted', 'udp/h:1: aborted']);
  });
});
