/**
 * KKDCP proxies on KdcTransport's retry schedule (src/transport/kkdcp-channel.ts through KkdcpTransport and
 * KdcTransport) against a scripted fake proxy: a proxy that failed for good (HTTP 4xx, not a KKDCP reply) is POSTed
 * once in the whole send and the next one at once; a transient failure (refused, reset, 502/503/504, no answer) gets
 * another POST on the next pass, after the growing wait; a silent proxy holds up the next by one wait and keeps
 * listening; the deadline and the caller's abort end the send with a TransportError; nothing is left open. The
 * schedule runs on manual timers (the POSTs are real): each test ends the waits by hand, so it proves which waits the
 * schedule asked for and kept, never how long anything took.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { KdcTransport } from '../../src/transport/kdc-transport.js';
import { KkdcpTransport, type KkdcpTransportOptions } from '../../src/transport/kkdcp.js';
import { nodeHttpsPost } from '../../src/transport/kkdcp-node.js';
import type { SendResult } from '../../src/transport/types.js';
import { activeResources, CODE_PRINCIPAL_UNKNOWN, krbErrorDer, leakedSince } from '../helpers/fake-kdc.js';
import { type Act, act, type FakeKkdcpProxy, startFakeKkdcpProxy } from '../helpers/fake-kkdcp-proxy.js';
import { type ManualTimers, manualTimers, until } from '../helpers/manual-timers.js';

const REALM = 'MIT.TEST';
const REQ = new Uint8Array([0x6a, 0x03, 0x02, 0x01, 0x05]);
/** The KDC's answer: a KRB-ERROR is an answer like any other. */
const REPLY = krbErrorDer(CODE_PRINCIPAL_UNKNOWN, 'behind the proxy', REALM);
const KDC_ERR_SVC_UNAVAILABLE = 29;
/** The wait after each POST; the wait that ends pass 1 is twice this, pass 2's four times, pass 3's eight. */
const WAIT = 100;
const DEADLINE = 30_000;

let proxy: FakeKkdcpProxy;
let before: Record<string, number>;
let timers: ManualTimers;
let n = 0;

/** A path of its own for each script, so tests cannot see each other's requests. */
const scripted = (name: string, ...acts: Act[]) => {
  const p = `/${++n}/${name}`;
  proxy.route(p, ...acts);
  return p;
};
const hits = (path: string) => proxy.requests.filter((r) => r.path === path).length;
const outcomes = (r: SendResult) => r.attempts.map((a) => a.outcome);
const transport = (paths: string[], o: Partial<KkdcpTransportOptions> = {}) => {
  timers = manualTimers();
  return new KkdcpTransport({
    proxies: { [REALM]: paths.map((p) => proxy.base + p) },
    post: nodeHttpsPost({ ca: [proxy.cert] }),
    attemptTimeoutMs: WAIT,
    timeoutMs: DEADLINE,
    timers,
    ...o,
  });
};
/** Ends the wait of `ms` once the schedule asks for it. */
const fire = async (ms: number) => {
  await until(() => timers.pending().includes(ms), `a wait of ${ms} ms`);
  timers.fire(ms);
};
/** The schedule's waits that ran to their end (the test ended them). */
const waits = () => timers.fired;
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable('the send should fail'),
    (e: unknown) => e as TransportError,
  );
/** Every POST the client opened is closed (the fake saw each exchange end). */
const allClosed = () => until(() => proxy.open() === 0, 'every POST closed');

beforeAll(async () => {
  proxy = await startFakeKkdcpProxy();
  before = await activeResources();
});

afterAll(async () => {
  await allClosed();
  // Every socket and timer the transports opened is closed on every path.
  expect(await leakedSince(before)).toEqual({});
  await proxy.close();
});

describe('KKDCP on the retry schedule: a proxy that failed for good is not POSTed again', () => {
  it.each<[string, Act, RegExp]>([
    ['HTTP 400', act.status(400), /HTTP 400/],
    ['HTTP 401', act.status(401), /HTTP 401/],
    ['HTTP 403', act.status(403), /HTTP 403/],
    ['HTTP 404', act.status(404), /HTTP 404/],
    ['a web page', act.body('<html>portal</html>', { 'content-type': 'text/html' }), /text\/html/],
    [
      'a body that is not a KDC-PROXY-MESSAGE',
      act.body(new Uint8Array([1, 2, 3])),
      /not a KDC-PROXY-MESSAGE/,
    ],
    ['a kerb-message that is not Kerberos', act.relay(new Uint8Array([0x30, 0x00])), /not a Kerberos reply/],
  ])(
    '%s: POSTed once in the whole send; the next proxy, 503 once, answers on pass 2',
    async (_, fault, message) => {
      const bad = scripted('bad', fault);
      const flaky = scripted('flaky', act.status(503), act.relay(REPLY));
      const sending = transport([bad, flaky]).sendDetailed(REALM, REQ);
      await fire(2 * WAIT);
      const r = await sending;
      expect(r.reply).toEqual(REPLY);
      expect(waits()).toEqual([2 * WAIT]);
      expect([hits(bad), hits(flaky)]).toEqual([1, 2]);
      expect(outcomes(r)).toEqual(['error', 'error', 'reply']);
      expect(r.attempts[0]!.error).toMatch(message);
      expect(r.kdc.url).toBe(proxy.base + flaky);
    },
  );

  it('a 404 proxy: the next proxy is asked at once, with no wait', async () => {
    const bad = scripted('bad', act.status(404));
    const ok = scripted('ok', act.relay(REPLY));
    const r = await transport([bad, ok]).sendDetailed(REALM, REQ);
    expect(r.reply).toEqual(REPLY);
    expect(waits()).toEqual([]);
    expect(outcomes(r)).toEqual(['error', 'reply']);
  });

  it('a KRB-ERROR inside a valid KKDCP reply is the answer: returned, the next proxy never asked', async () => {
    const first = scripted('krb-error', act.relay(REPLY));
    const second = scripted('second', act.relay(krbErrorDer(CODE_PRINCIPAL_UNKNOWN, 'second')));
    const r = await transport([first, second]).sendDetailed(REALM, REQ);
    expect(r.reply).toEqual(REPLY);
    expect(outcomes(r)).toEqual(['reply']);
    expect(hits(second)).toBe(0);
  });

  it('KDC_ERR_SVC_UNAVAILABLE relayed by a proxy: the next proxy is asked, the first not again', async () => {
    const busy = scripted('busy', act.relay(krbErrorDer(KDC_ERR_SVC_UNAVAILABLE, 'busy', REALM)));
    const flaky = scripted('flaky', act.status(503), act.relay(REPLY));
    const sending = transport([busy, flaky]).sendDetailed(REALM, REQ);
    await fire(2 * WAIT);
    const r = await sending;
    expect(r.reply).toEqual(REPLY);
    expect(outcomes(r)).toEqual(['unavailable', 'error', 'reply']);
    expect(r.attempts[0]!.error).toMatch(/KDC_ERR_SVC_UNAVAILABLE/);
    expect([hits(busy), hits(flaky)]).toEqual([1, 2]);
  });
});

describe('KKDCP on the retry schedule: a transient failure is POSTed again after the growing wait', () => {
  it.each<[string, Act]>([
    ['HTTP 502', act.status(502)],
    ['HTTP 503', act.status(503)],
    ['HTTP 504', act.status(504)],
    ['a connection reset before the response', act.reset()],
  ])('%s: POSTed again on pass 2, only once the wait that ends pass 1 is over', async (_, fault) => {
    const flaky = scripted('flaky', fault, act.relay(REPLY));
    const sending = transport([flaky]).sendDetailed(REALM, REQ);
    // Nothing listens after the failure, yet the wait before pass 2 is kept, and nothing is sent during it.
    await until(() => timers.pending().includes(2 * WAIT), 'the wait before pass 2');
    expect(hits(flaky)).toBe(1);
    timers.fire(2 * WAIT);
    const r = await sending;
    expect(r.reply).toEqual(REPLY);
    expect(waits()).toEqual([2 * WAIT]);
    expect(hits(flaky)).toBe(2);
    expect(outcomes(r)).toEqual(['error', 'reply']);
  });

  it('a proxy that refuses connections (down, restarting) is POSTed again on pass 2 and answers once it is up', async () => {
    const spare = await startFakeKkdcpProxy({ tls: proxy.tls });
    const port = spare.port;
    await spare.close();
    timers = manualTimers();
    const t = new KkdcpTransport({
      url: `https://127.0.0.1:${port}/KdcProxy`,
      post: nodeHttpsPost({ ca: [proxy.cert] }),
      attemptTimeoutMs: WAIT,
      timers,
    });
    const sending = t.sendDetailed(REALM, REQ);
    await until(() => timers.pending().includes(2 * WAIT), 'the wait before pass 2');
    const up = await startFakeKkdcpProxy({ port, tls: proxy.tls });
    try {
      up.route('/KdcProxy', act.relay(REPLY));
      timers.fire(2 * WAIT);
      const r = await sending;
      expect(r.reply).toEqual(REPLY);
      expect(outcomes(r)).toEqual(['error', 'reply']);
      expect(r.attempts[0]!.error).toMatch(/ECONNREFUSED/);
      expect(up.requests).toHaveLength(1);
    } finally {
      await up.close();
    }
  });

  it('a POST that gets no answer is POSTed again on pass 2; the new one answers, the silent one is closed', async () => {
    const slow = scripted('silent-once', act.hang(), act.relay(REPLY));
    const sending = transport([slow]).sendDetailed(REALM, REQ);
    await fire(WAIT);
    await fire(2 * WAIT);
    const r = await sending;
    expect(r.reply).toEqual(REPLY);
    expect(waits()).toEqual([WAIT, 2 * WAIT]);
    expect(hits(slow)).toBe(2);
    // The first POST ended as a timeout when the second was sent.
    expect(outcomes(r)).toEqual(['timeout', 'reply']);
    await allClosed();
  });

  it('503 every time: three passes, waits 2 × and 4 × WAIT, then the last error; no wait after the last pass', async () => {
    const down = scripted('down', act.status(503));
    const sending = rejection(transport([down]).send(REALM, REQ));
    await fire(2 * WAIT);
    await fire(4 * WAIT);
    const err = await sending;
    expect(waits()).toEqual([2 * WAIT, 4 * WAIT]);
    expect(timers.asked).not.toContain(8 * WAIT);
    expect(timers.pending()).toEqual([]);
    expect(hits(down)).toBe(3);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/^no KDC of realm MIT.TEST answered after 3 attempts; last: .*HTTP 503/);
    expect(err.hint).toMatch(/realm/);
  });

  it('passes: 1 tries each proxy once, as KkdcpTransport did before it ran on the schedule', async () => {
    const down = scripted('down', act.status(503));
    const err = await rejection(transport([down], { passes: 1 }).send(REALM, REQ));
    expect(waits()).toEqual([]);
    expect(hits(down)).toBe(1);
    expect(err.message).toMatch(/after 1 attempts; last: .*HTTP 503/);
  });
});

describe('KKDCP on the retry schedule: a silent proxy, the deadline, the abort', () => {
  it('a silent proxy holds up the next one by one wait only, and keeps listening: its late answer wins', async () => {
    const late = scripted('late', act.hold(act.relay(REPLY)));
    const other = scripted('other', act.hang());
    const sending = transport([late, other]).sendDetailed(REALM, REQ);
    await until(() => hits(late) === 1, 'the first POST');
    expect(hits(other)).toBe(0);
    await fire(WAIT);
    await until(() => hits(other) === 1, 'the second POST, after the first wait');
    proxy.release();
    const r = await sending;
    expect(r.reply).toEqual(REPLY);
    expect(r.kdc.url).toBe(proxy.base + late);
    expect(waits()).toEqual([WAIT]);
    expect(outcomes(r)).toEqual(['reply', 'timeout']);
    await allClosed();
  });

  it('the overall deadline ends a send to a silent proxy with a TransportError; the POST is closed', async () => {
    const silent = scripted('silent', act.hang());
    const sending = rejection(
      transport([silent], { timeoutMs: 250, attemptTimeoutMs: 1000 }).send(REALM, REQ),
    );
    await until(() => hits(silent) === 1, 'the POST');
    await fire(250);
    const err = await sending;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('ERR_TSKRB_TRANSPORT');
    expect(err.message).toMatch(/^overall timeout of 250 ms for realm MIT.TEST after 1 attempts/);
    expect(timers.pending()).toEqual([]);
    await allClosed();
  });

  it('the deadline during the wait before a retry names the last failure', async () => {
    const down = scripted('down', act.status(503));
    const sending = rejection(transport([down], { timeoutMs: 350 }).send(REALM, REQ));
    await fire(2 * WAIT);
    await until(() => timers.pending().includes(4 * WAIT), 'the wait before pass 3');
    timers.fire(350);
    const err = await sending;
    expect(hits(down)).toBe(2);
    expect(err.message).toMatch(
      /^overall timeout of 350 ms for realm MIT.TEST after 2 attempts; last: .*HTTP 503/,
    );
    expect(timers.pending()).toEqual([]);
  });

  it("the caller's abort ends the send at once with a TransportError; every POST is closed", async () => {
    const a = scripted('silent-a', act.hang());
    const b = scripted('silent-b', act.hang());
    const ac = new AbortController();
    const reason = new Error('user went away');
    const sending = rejection(transport([a, b]).send(REALM, REQ, { signal: ac.signal }));
    await fire(WAIT);
    await until(() => hits(b) === 1, 'both proxies POSTed');
    ac.abort(reason);
    const err = await sending;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toBe('send to realm MIT.TEST aborted');
    expect(err.cause).toBe(reason);
    expect(timers.pending()).toEqual([]);
    await allClosed();
  });

  it('an aborted signal sends nothing', async () => {
    const ok = scripted('ok', act.relay(REPLY));
    const err = await rejection(transport([ok]).send(REALM, REQ, { signal: AbortSignal.abort() }));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/aborted/);
    expect(hits(ok)).toBe(0);
  });
});

describe('KdcTransport: https:// KDCs get the same classification', () => {
  it('a 404 proxy is POSTed once; a 503 proxy again on pass 2, which answers', async () => {
    const bad = scripted('bad', act.status(404));
    const flaky = scripted('flaky', act.status(503), act.relay(REPLY));
    timers = manualTimers();
    const t = new KdcTransport({
      kdcs: { [REALM]: [proxy.base + bad, proxy.base + flaky] },
      kkdcpPost: nodeHttpsPost({ ca: [proxy.cert] }),
      attemptTimeoutMs: WAIT,
      timers,
    });
    const sending = t.sendDetailed(REALM, REQ);
    await fire(2 * WAIT);
    const r = await sending;
    expect(r.reply).toEqual(REPLY);
    expect(outcomes(r)).toEqual(['error', 'error', 'reply']);
    expect([hits(bad), hits(flaky)]).toEqual([1, 2]);
  });
});
