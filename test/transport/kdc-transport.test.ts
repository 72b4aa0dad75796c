/**
 * KdcTransport's retry schedule against fault-injecting fake KDCs. The schedule runs on manual timers: each test sees
 * the waits the transport asks for and ends them by hand, so the assertions are about order and bytes, never time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import {
  KdcTransport,
  type KdcTransportOptions,
  transportFromKrb5Conf,
} from '../../src/transport/kdc-transport.js';
import { krb5Settings, parseKrb5Conf } from '../../src/transport/krb5conf.js';
import type { SendResult, TransportTraceEvent } from '../../src/transport/types.js';
import {
  activeResources,
  CODE_PRINCIPAL_UNKNOWN,
  type FakeKdc,
  type FakeKdcOptions,
  type Fault,
  krbErrorDer,
  leakedSince,
  startFakeKdc,
} from '../helpers/fake-kdc.js';
import { type ManualTimers, manualTimers, until } from '../helpers/manual-timers.js';

const REALM = 'FAKE.TEST';
const REQ = new Uint8Array([0x6a, 0x03, 0x02, 0x01, 0x05]);
const DEADLINE = 30_000;

const outcomes = (r: SendResult) => r.attempts.map((a) => `${a.kdc.proto}:${a.outcome}`);
const protos = (k: FakeKdc) => k.requests.map((r) => r.proto);

describe('KdcTransport: the retry schedule against faulty KDCs (fake KDCs, manual timers)', () => {
  let before: Record<string, number>;
  let fakes: FakeKdc[] = [];
  let timers: ManualTimers;
  const start = async (o: FakeKdcOptions) => {
    const k = await startFakeKdc(o);
    fakes.push(k);
    return k;
  };
  const transport = (kdcs: string[], o: KdcTransportOptions = {}) =>
    new KdcTransport({ timers, timeoutMs: DEADLINE, kdcs: { [REALM]: kdcs }, ...o });
  /** The schedule's waits that ran to their end (the test ended them). */
  const waits = () => timers.fired;
  /** Ends the wait of `ms` once the transport asks for it. */
  const fire = async (ms: number) => {
    await until(() => timers.pending().includes(ms), `a wait of ${ms} ms`);
    timers.fire(ms);
  };

  beforeAll(async () => {
    before = await activeResources();
  });
  afterEach(async () => {
    for (const k of fakes) await k.close();
    fakes = [];
  });
  afterAll(async () => {
    // Every socket and timer the transport opened is closed on every path.
    expect(await leakedSince(before)).toEqual({});
  });
  const fresh = () => {
    timers = manualTimers();
  };

  it('a dropped datagram: UDP, 1 s, deferred TCP, 1 s, 2 s, then the same datagram again, which is answered', async () => {
    fresh();
    const kdc = await start({ udp: [{ kind: 'silence' }, { kind: 'reply' }], tcp: { kind: 'silence' } });
    const sending = transport([kdc.address]).sendDetailed(REALM, REQ);
    await until(() => kdc.requests.length === 1);
    await fire(1000);
    await until(() => kdc.requests.length === 2);
    await fire(1000);
    await fire(2000);
    const res = await sending;
    expect(waits()).toEqual([1000, 1000, 2000]);
    expect(kdc.requests).toEqual([
      { proto: 'udp', bytes: REQ },
      { proto: 'tcp', bytes: REQ },
      { proto: 'udp', bytes: REQ },
    ]);
    expect(res.kdc).toEqual({ host: '127.0.0.1', port: kdc.port, proto: 'udp' });
    // The first datagram timed out when it was resent; the stream was still open when the resend's reply won.
    expect(outcomes(res)).toEqual(['udp:timeout', 'udp:reply', 'tcp:timeout']);
    expect(res.queuedMs).toBe(0);
  });

  it('earlier attempts keep listening: a late UDP reply wins after the TCP attempt started', async () => {
    fresh();
    const kdc = await start({ udp: { kind: 'hold' }, tcp: { kind: 'silence' } });
    const sending = transport([kdc.address]).sendDetailed(REALM, REQ);
    await until(() => kdc.requests.length === 1);
    await fire(1000);
    await until(() => kdc.requests.length === 2);
    kdc.release();
    const res = await sending;
    expect(protos(kdc)).toEqual(['udp', 'tcp']);
    expect(res.kdc.proto).toBe('udp');
    expect(outcomes(res)).toEqual(['udp:reply', 'tcp:timeout']);
  });

  it('nobody answers: MIT timing to the end (UDP at every pass, one TCP stream kept open), then a TransportError', async () => {
    fresh();
    const kdc = await start({ udp: { kind: 'silence' }, tcp: { kind: 'silence' } });
    const sending = transport([kdc.address])
      .sendDetailed(REALM, REQ)
      .catch((e: unknown) => e);
    const sent = (n: number) => until(() => kdc.requests.length === n, `request ${n}`);
    await sent(1); // UDP
    await fire(1000);
    await sent(2); // deferred TCP
    await fire(1000);
    await fire(2000);
    await sent(3); // pass 2: UDP again; the stream is still open, so no new connection and no wait for it
    await fire(1000);
    await fire(4000);
    await sent(4); // pass 3
    await fire(1000);
    await fire(8000);
    const err = (await sending) as TransportError;
    expect(waits()).toEqual([1000, 1000, 2000, 1000, 4000, 1000, 8000]);
    expect(protos(kdc)).toEqual(['udp', 'tcp', 'udp', 'udp']);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(
      /^no KDC of realm FAKE.TEST answered after 4 attempts; last: .*no reply within/,
    );
  });

  it('a slow TCP-only KDC: the stream is kept across passes (no reconnect) and its late reply wins', async () => {
    fresh();
    const kdc = await start({ tcp: { kind: 'hold' } });
    const sending = transport([`tcp/${kdc.address}`]).sendDetailed(REALM, REQ);
    await until(() => kdc.requests.length === 1);
    await fire(1000);
    await fire(2000);
    await until(() => timers.pending().includes(4000));
    expect(waits()).toEqual([1000, 2000]);
    kdc.release();
    const res = await sending;
    expect(protos(kdc)).toEqual(['tcp']);
    expect(outcomes(res)).toEqual(['tcp:reply']);
    expect(timers.pending()).toEqual([]);
  });

  it.each<[string, Fault]>([
    ['reset', { kind: 'reset' }],
    ['closed without a reply', { kind: 'close' }],
    ['a truncated frame', { kind: 'half-frame' }],
  ])('a TCP connection %s before its reply is retried on a new connection', async (_, fault) => {
    fresh();
    const kdc = await start({ tcp: [fault, { kind: 'reply' }] });
    const res = await transport([`tcp/${kdc.address}`]).sendDetailed(REALM, REQ);
    // Nothing was listening after the failure, so no wait was needed before the next pass.
    expect(waits()).toEqual([]);
    expect(protos(kdc)).toEqual(['tcp', 'tcp']);
    expect(outcomes(res)).toEqual(['tcp:error', 'tcp:reply']);
    expect(res.attempts[0]!.error).toMatch(/ECONNRESET|closed/);
  });

  it('a TCP KDC that keeps resetting: one connection per pass, then the last error', async () => {
    fresh();
    const kdc = await start({ tcp: { kind: 'reset' } });
    const err = (await transport([`tcp/${kdc.address}`])
      .send(REALM, REQ)
      .catch((e: unknown) => e)) as TransportError;
    expect(protos(kdc)).toEqual(['tcp', 'tcp', 'tcp']);
    expect(err.message).toMatch(/answered after 3 attempts; last: tcp\/.*ECONNRESET/);
    expect(err.hint).toMatch(/dropped the connection/);
  });

  it('a silent first KDC: the second gets the request after the first wait, while the first keeps listening', async () => {
    fresh();
    const bad = await start({ udp: { kind: 'hold' }, name: 'bad' });
    const good = await start({ udp: { kind: 'hold' }, name: 'good' });
    const sending = transport([bad.address, good.address]).sendDetailed(REALM, REQ);
    await until(() => bad.requests.length === 1);
    expect(good.requests).toEqual([]);
    await fire(1000);
    await until(() => good.requests.length === 1);
    bad.release(); // the first KDC answers late, and wins
    const res = await sending;
    expect(res.reply).toEqual(krbErrorDer(CODE_PRINCIPAL_UNKNOWN, 'bad'));
    expect(res.kdc.port).toBe(bad.port);
    expect(outcomes(res)).toEqual(['udp:reply', 'udp:timeout']);
  });

  it.each<[string, FakeKdcOptions, string[]]>([
    ['garbage', { udp: { kind: 'garbage' } }, ['udp:error', 'udp:reply']],
    ['KDC_ERR_SVC_UNAVAILABLE', { udp: { kind: 'unavailable' } }, ['udp:unavailable', 'udp:reply']],
    [
      'an oversized length prefix (TCP-only KDC)',
      { tcp: { kind: 'length', value: 0x7ffffff0 } },
      ['tcp:error', 'udp:reply'],
    ],
  ])('%s from the first KDC: the second is asked at once, no wait', async (name, faults, expected) => {
    fresh();
    const bad = await start({ ...faults, name: 'bad' });
    const good = await start({ name: 'good' });
    const first = name.includes('TCP-only') ? `tcp/${bad.address}` : bad.address;
    const res = await transport([first, good.address]).sendDetailed(REALM, REQ);
    expect(waits()).toEqual([]);
    expect(res.reply).toEqual(krbErrorDer(CODE_PRINCIPAL_UNKNOWN, 'good'));
    expect(outcomes(res)).toEqual(expected);
    // A KDC that answered with something unusable is not asked again.
    expect(bad.requests).toHaveLength(1);
  });

  it('KRB_ERR_RESPONSE_TOO_BIG over UDP: the same KDC over TCP at once', async () => {
    fresh();
    const kdc = await start({ udp: { kind: 'too-big' } });
    const res = await transport([kdc.address]).sendDetailed(REALM, REQ);
    expect(res.kdc.proto).toBe('tcp');
    expect(outcomes(res)).toEqual(['udp:too-big', 'tcp:reply']);
    expect(protos(kdc)).toEqual(['udp', 'tcp']);
    expect(waits()).toEqual([]);
  });

  it('KRB_ERR_RESPONSE_TOO_BIG also moves a udp/-only KDC to TCP', async () => {
    fresh();
    const kdc = await start({ udp: { kind: 'too-big' } });
    const res = await transport([`udp/${kdc.address}`]).sendDetailed(REALM, REQ);
    expect(res.kdc.proto).toBe('tcp');
  });

  it('a request above udp_preference_limit goes over TCP first', async () => {
    fresh();
    const kdc = await start({});
    const big = new Uint8Array(2000).fill(0x30);
    const res = await transport([kdc.address]).sendDetailed(REALM, big);
    expect(res.kdc.proto).toBe('tcp');
    expect(kdc.requests).toEqual([{ proto: 'tcp', bytes: big }]);
    const low = transport([kdc.address], { udpPreferenceLimit: 1 });
    expect((await low.sendDetailed(REALM, REQ)).kdc.proto).toBe('tcp');
  });

  it('a UDP reply from the wrong port is ignored', async () => {
    fresh();
    const kdc = await start({ udp: { kind: 'wrong-port' } });
    const sending = transport([kdc.address]).sendDetailed(REALM, REQ);
    await fire(1000);
    const res = await sending;
    expect(outcomes(res)).toEqual(['tcp:reply', 'udp:timeout']);
  });

  it('forced protocol and per-send options (the wait per send)', async () => {
    fresh();
    const kdc = await start({ udp: [{ kind: 'silence' }, { kind: 'reply' }] });
    const t = transport([kdc.address]);
    expect((await t.sendDetailed(REALM, REQ, { protocol: 'tcp' })).kdc.proto).toBe('tcp');
    const sending = t.send(REALM, REQ, { protocol: 'udp', attemptTimeoutMs: 250 });
    await fire(250);
    await fire(500);
    expect(await sending).toEqual(krbErrorDer(CODE_PRINCIPAL_UNKNOWN));
  });

  it('the overall deadline ends the send wherever it is, closing every attempt', async () => {
    fresh();
    const kdc = await start({ udp: { kind: 'silence' }, tcp: { kind: 'silence' } });
    const sending = transport([kdc.address], { timeoutMs: 1500 })
      .sendDetailed(REALM, REQ)
      .catch((e: unknown) => e);
    await fire(1000);
    await until(() => kdc.requests.length === 2);
    await fire(1500);
    const err = (await sending) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/overall timeout of 1500 ms for realm FAKE.TEST after 2 attempts/);
    expect(timers.pending()).toEqual([]);
  });

  it("the caller's abort rejects at once; an aborted signal sends nothing", async () => {
    fresh();
    const kdc = await start({ udp: { kind: 'silence' }, tcp: { kind: 'silence' } });
    const ac = new AbortController();
    const sending = transport([kdc.address])
      .send(REALM, REQ, { signal: ac.signal })
      .catch((e: unknown) => e);
    await until(() => kdc.requests.length === 1);
    ac.abort();
    expect(((await sending) as TransportError).message).toMatch(/aborted/);
    expect(timers.pending()).toEqual([]);
    const again = await transport([kdc.address])
      .send(REALM, REQ, { signal: ac.signal })
      .catch((e: unknown) => e);
    expect((again as TransportError).message).toMatch(/aborted/);
    expect(kdc.requests).toHaveLength(1);
  });

  it('an unknown realm is a TransportError with a hint (https:// KDCs are KKDCP: test/transport/kkdcp.test.ts)', async () => {
    const t = new KdcTransport({ kdcs: { KKDCP: ['https://proxy.example/KdcProxy'] } });
    const err = (await t.send('NOPE', REQ).catch((e: unknown) => e)) as TransportError;
    expect(err.message).toMatch(/no KDC known for realm NOPE/);
    expect(err.hint).toMatch(/krb5\.conf/);
  });

  it('traces each attempt: start and end, with outcome, sizes and timings', async () => {
    fresh();
    const bad = await start({ tcp: { kind: 'reset' } });
    const good = await start({});
    const events: TransportTraceEvent[] = [];
    const perSend: TransportTraceEvent[] = [];
    const t = transport([`tcp/${bad.address}`, good.address], { trace: (e) => events.push(e) });
    await t.send(REALM, REQ, { trace: (e) => perSend.push(e) });
    expect(events.map((e) => `${e.attempt}:${e.phase}:${e.kdc.proto}:${e.record?.outcome ?? ''}`)).toEqual([
      '1:start:tcp:',
      '1:end:tcp:error',
      '2:start:udp:',
      '2:end:udp:reply',
    ]);
    expect(events[3]!.bytesReceived).toBe(krbErrorDer(CODE_PRINCIPAL_UNKNOWN).length);
    expect(events.every((e) => e.realm === REALM && e.bytesSent === REQ.length)).toBe(true);
    expect(events[1]!.record!.ms).toBeGreaterThanOrEqual(0);
    expect(perSend).toEqual(events);
  });

  it('transportFromKrb5Conf takes the KDCs and udp_preference_limit from krb5.conf', async () => {
    const kdc = await start({});
    const conf = krb5Settings(
      parseKrb5Conf(
        `[libdefaults]\n udp_preference_limit = 1\n dns_lookup_kdc = false\n[realms]\n ${REALM} = {\n  kdc = ${kdc.address}\n }\n`,
      ),
    );
    const t = transportFromKrb5Conf(conf, {});
    expect((await t.sendDetailed(REALM, REQ)).kdc).toEqual({
      host: '127.0.0.1',
      port: kdc.port,
      proto: 'tcp',
    });
    await expect(t.send('OTHER.TEST', REQ)).rejects.toThrow(TransportError);
  });
});

describe('KdcTransport: back-pressure per KDC (queue, not fail)', () => {
  let before: Record<string, number>;
  let fakes: FakeKdc[] = [];
  beforeAll(async () => {
    before = await activeResources();
  });
  afterEach(async () => {
    for (const k of fakes) await k.close();
    fakes = [];
  });
  afterAll(async () => {
    expect(await leakedSince(before)).toEqual({});
  });

  it('50 sends at once to a KDC that drops the first 50 datagrams: each is resent on the same socket and answered', async () => {
    const drops = Array.from({ length: 50 }, (): Fault => ({ kind: 'silence' }));
    const kdc = await startFakeKdc({ udp: [...drops, { kind: 'reply' }] });
    fakes.push(kdc);
    // Real timers, short waits: what is asserted is the order of attempts, not their timing.
    const t = new KdcTransport({
      attemptTimeoutMs: 50,
      maxInFlightPerKdc: 8,
      kdcs: { [REALM]: [`udp/${kdc.address}`] },
    });
    const all = await Promise.all(Array.from({ length: 50 }, () => t.sendDetailed(REALM, REQ)));
    // Which sends' datagrams are among the first 50 depends on the queue; but each dropped datagram is one attempt
    // that timed out and was resent on its socket, and every send ends with a reply.
    for (const r of all) {
      const o = outcomes(r);
      expect(o.at(-1)).toBe('udp:reply');
      expect(o.slice(0, -1).every((x) => x === 'udp:timeout')).toBe(true);
    }
    // At least one timed-out attempt per dropped datagram (more only if a reply came later than a wait on a slow
    // machine), and every attempt is one datagram the KDC received.
    expect(all.reduce((n, r) => n + r.attempts.length - 1, 0)).toBeGreaterThanOrEqual(50);
    expect(kdc.requests).toHaveLength(all.reduce((n, r) => n + r.attempts.length, 0));
    expect(all.some((r) => (r.queuedMs ?? 0) > 0)).toBe(true);
    expect(t.load(kdc.address)).toEqual({ active: 0, waiting: 0 });
  });

  it('above the limit a send waits for a slot; SendResult.queuedMs says how long', async () => {
    const timers = manualTimers();
    const kdc = await startFakeKdc({ udp: [{ kind: 'hold' }, { kind: 'reply' }] });
    fakes.push(kdc);
    const t = new KdcTransport({ timers, maxInFlightPerKdc: 1, kdcs: { [REALM]: [kdc.address] } });
    const a = t.sendDetailed(REALM, REQ);
    const b = t.sendDetailed(REALM, REQ);
    await until(() => kdc.requests.length === 1);
    expect(t.load(kdc.address)).toEqual({ active: 1, waiting: 1 });
    timers.advance(7);
    kdc.release();
    const [ra, rb] = await Promise.all([a, b]);
    expect(kdc.requests).toHaveLength(2);
    expect([ra.queuedMs, rb.queuedMs]).toEqual([0, 7]);
    expect(t.load(kdc.address)).toEqual({ active: 0, waiting: 0 });
  });

  it('a silent KDC gives its slot back after its first wait, so queued sends fail over instead of piling up', async () => {
    const timers = manualTimers();
    const silent = await startFakeKdc({ udp: { kind: 'silence' }, tcp: { kind: 'silence' } });
    const good = await startFakeKdc({});
    fakes.push(silent, good);
    const t = new KdcTransport({
      timers,
      maxInFlightPerKdc: 1,
      passes: 1,
      kdcs: { [REALM]: [`udp/${silent.address}`, good.address] },
    });
    const a = t.sendDetailed(REALM, REQ);
    const b = t.sendDetailed(REALM, REQ);
    await until(() => silent.requests.length === 1);
    expect(t.load(silent.address).waiting).toBe(1);
    timers.fire(1000); // a's wait on the silent KDC ends: a moves on, b gets the slot
    await until(() => silent.requests.length === 2);
    const ra = await a;
    timers.fire(1000);
    const rb = await b;
    expect([ra.kdc.port, rb.kdc.port]).toEqual([good.port, good.port]);
    expect(rb.queuedMs).toBe(1000);
  });

  it('maxInFlightPerKdc: Infinity sends everything at once', async () => {
    const kdc = await startFakeKdc({ udp: { kind: 'hold' } });
    fakes.push(kdc);
    const t = new KdcTransport({
      maxInFlightPerKdc: Number.POSITIVE_INFINITY,
      kdcs: { [REALM]: [kdc.address] },
    });
    const all = Promise.all(Array.from({ length: 50 }, () => t.send(REALM, REQ)));
    await until(() => kdc.requests.length === 50);
    kdc.release();
    expect(await all).toHaveLength(50);
  });
});
