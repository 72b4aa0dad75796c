import { describe, expect, it } from 'vitest';
import { auditEvent, type CallOutcome, errorName } from '../../src/delegation/audit.js';
import { TransportError } from '../../src/errors.js';
import { Codes, fakeKdcError } from './fakes.js';

const base: CallOutcome = {
  operation: 's4u2proxy',
  service: 'HTTP/web.example.test@EXAMPLE.TEST',
  user: 'alice@EXAMPLE.TEST',
  target: 'cifs/file.example.test@EXAMPLE.TEST',
  result: 'ok',
  source: 'kdc',
  kdcs: ['127.0.0.1:88'],
  roundTrips: 2,
  started: Date.UTC(2026, 10, 23, 9, 0, 0),
  ended: Date.UTC(2026, 10, 23, 9, 0, 0, 42),
};

describe('auditEvent', () => {
  it('a success: names, source, KDCs, round trips, latency, ticket end, and nothing else', () => {
    const e = auditEvent({ ...base, ticketEnd: new Date(Date.UTC(2026, 10, 23, 19)) });
    expect(e).toEqual({
      time: '2026-11-23T09:00:00.042Z',
      operation: 's4u2proxy',
      service: 'HTTP/web.example.test@EXAMPLE.TEST',
      user: 'alice@EXAMPLE.TEST',
      target: 'cifs/file.example.test@EXAMPLE.TEST',
      result: 'ok',
      source: 'kdc',
      kdcs: ['127.0.0.1:88'],
      roundTrips: 2,
      latencyMs: 42,
      ticketEnd: '2026-11-23T19:00:00.000Z',
    });
  });

  it.each([
    {
      what: 'a KDC refusal',
      error: fakeKdcError(Codes.BADOPTION, 'S4U2Proxy', 'EXAMPLE.TEST'),
      want: { name: 'KDC_ERR_BADOPTION', code: 13 },
      hinted: true,
    },
    {
      what: 'a transport failure',
      error: new TransportError('no KDC answered', { hint: 'is the KDC up?' }),
      want: { name: 'TransportError', message: 'no KDC answered', hint: 'is the KDC up?' },
      hinted: true,
    },
    { what: 'a thrown string', error: 'boom', want: { name: 'Error', message: 'boom' }, hinted: false },
  ])('a failure by $what: its name, code, message and hint', ({ error, want, hinted }) => {
    const e = auditEvent({ ...base, result: 'error', error });
    expect(e.error).toMatchObject(want);
    expect(e.error!.hint !== undefined).toBe(hinted);
    expect(e.ticketEnd).toBeUndefined();
  });
});

describe('errorName', () => {
  it.each([
    { error: fakeKdcError(Codes.TKT_EXPIRED, 'S4U2Self', 'EXAMPLE.TEST'), name: 'KRB_AP_ERR_TKT_EXPIRED' },
    { error: new TransportError('x'), name: 'TransportError' },
    { error: new RangeError('x'), name: 'RangeError' },
    { error: 42, name: 'Error' },
  ])('$name', ({ error, name }) => {
    expect(errorName(error)).toBe(name);
  });
});
