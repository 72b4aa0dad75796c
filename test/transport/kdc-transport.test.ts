import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { KdcTransport, transportFromKrb5Conf } from '../../src/transport/kdc-transport.js';
import { krb5Settings, parseKrb5Conf } from '../../src/transport/krb5conf.js';
import type { TransportTraceEvent } from '../../src/transport/types.js';
import {
  activeResources,
  CODE_PRINCIPAL_UNKNOWN,
  type FakeKdc,
  type FakeKdcOptions,
  krbErrorDer,
  leakedSince,
  startFakeKdc,
} from '../helpers/fake-kdc.js';

const REALM = 'FAKE.TEST';
const REQ = new Uint8Array([0x6a, 0x03, 0x02, 0x01, 0x05]);
const fast = { attemptTimeoutMs: 250, timeoutMs: 5000 };

describe('KdcTransport: faults, retries and failover (fake KDCs)', () => {
  let before: Record<string, number>;
  let fakes: FakeKdc[] = [];
  const start = async (o: FakeKdcOptions) => {
    const k = await startFakeKdc(o);
    fakes.push(k);
    return k;
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

  it.each<[string, FakeKdcOptions, string[]]>([
    [
      'silence past the timeout (UDP and TCP)',
      { udp: { kind: 'silence' }, tcp: { kind: 'silence' } },
      ['timeout', 'timeout', 'timeout', 'reply'],
    ],
    ['connection reset (TCP-only KDC)', { tcp: { kind: 'reset' } }, ['error', 'reply']],
    ['truncated frame', { tcp: { kind: 'half-frame' } }, ['error', 'reply']],
    ['oversized length prefix', { tcp: { kind: 'length', value: 0x7ffffff0 } }, ['error', 'reply']],
    ['garbage', { udp: { kind: 'garbage' } }, ['error', 'reply']],
    ['KDC_ERR_SVC_UNAVAILABLE', { udp: { kind: 'unavailable' } }, ['unavailable', 'reply']],
  ])('%s on the first KDC: fails over to the second', async (name, faults, outcomes) => {
    const bad = await start({ ...faults, name: 'bad' });
    const good = await start({ name: 'good' });
    const tcpOnly = name.includes('TCP-only') || name.includes('frame') || name.includes('prefix');
    const t = new KdcTransport({
      ...fast,
      kdcs: { [REALM]: [`${tcpOnly ? 'tcp/' : ''}${bad.address}`, good.address] },
    });
    const res = await t.sendDetailed(REALM, REQ);
    expect(res.reply).toEqual(krbErrorDer(CODE_PRINCIPAL_UNKNOWN, 'good'));
    expect(res.kdc).toEqual({ host: '127.0.0.1', port: good.port, proto: 'udp' });
    expect(res.attempts.map((a) => a.outcome)).toEqual(outcomes);
    expect(res.attempts.slice(0, -1).every((a) => a.kdc.port === bad.port && a.error)).toBe(true);
    expect(good.requests).toEqual([{ proto: 'udp', bytes: REQ }]);
  });

  it('KRB_ERR_RESPONSE_TOO_BIG over UDP: retries the same KDC over TCP', async () => {
    const kdc = await start({ udp: { kind: 'too-big' } });
    const res = await new KdcTransport({ ...fast, kdcs: { [REALM]: [kdc.address] } }).sendDetailed(
      REALM,
      REQ,
    );
    expect(res.kdc.proto).toBe('tcp');
    expect(res.attempts.map((a) => `${a.kdc.proto}:${a.outcome}`)).toEqual(['udp:too-big', 'tcp:reply']);
    expect(kdc.requests.map((r) => r.proto)).toEqual(['udp', 'tcp']);
  });

  it('KRB_ERR_RESPONSE_TOO_BIG also moves a udp/-only KDC to TCP', async () => {
    const kdc = await start({ udp: { kind: 'too-big' } });
    const res = await new KdcTransport({ ...fast, kdcs: { [REALM]: [`udp/${kdc.address}`] } }).sendDetailed(
      REALM,
      REQ,
    );
    expect(res.kdc.proto).toBe('tcp');
  });

  it('a request above udp_preference_limit goes over TCP first', async () => {
    const kdc = await start({});
    const big = new Uint8Array(2000).fill(0x30);
    const res = await new KdcTransport({ ...fast, kdcs: { [REALM]: [kdc.address] } }).sendDetailed(
      REALM,
      big,
    );
    expect(res.kdc.proto).toBe('tcp');
    expect(kdc.requests).toEqual([{ proto: 'tcp', bytes: big }]);
    const low = new KdcTransport({ ...fast, udpPreferenceLimit: 1, kdcs: { [REALM]: [kdc.address] } });
    expect((await low.sendDetailed(REALM, REQ)).kdc.proto).toBe('tcp');
  });

  it('retries UDP on silence before trying TCP on the same KDC', async () => {
    const kdc = await start({ udp: [{ kind: 'silence' }, { kind: 'reply' }] });
    const res = await new KdcTransport({ ...fast, kdcs: { [REALM]: [kdc.address] } }).sendDetailed(
      REALM,
      REQ,
    );
    expect(res.attempts.map((a) => `${a.kdc.proto}:${a.outcome}`)).toEqual(['udp:timeout', 'udp:reply']);
  });

  it('a UDP reply from the wrong port is ignored; TCP then answers', async () => {
    const kdc = await start({ udp: { kind: 'wrong-port' } });
    const res = await new KdcTransport({ ...fast, kdcs: { [REALM]: [kdc.address] } }).sendDetailed(
      REALM,
      REQ,
    );
    expect(res.attempts.map((a) => `${a.kdc.proto}:${a.outcome}`)).toEqual([
      'udp:timeout',
      'udp:timeout',
      'tcp:reply',
    ]);
  });

  it('forced protocol and per-send options', async () => {
    const kdc = await start({});
    const t = new KdcTransport({ ...fast, kdcs: { [REALM]: [kdc.address] } });
    expect((await t.sendDetailed(REALM, REQ, { protocol: 'tcp' })).kdc.proto).toBe('tcp');
    expect(await t.send(REALM, REQ, { protocol: 'udp' })).toEqual(krbErrorDer(CODE_PRINCIPAL_UNKNOWN));
  });

  it('when every KDC fails: a TransportError naming the last KDC, with its hint', async () => {
    const a = await start({ udp: { kind: 'garbage' } });
    const b = await start({ tcp: { kind: 'reset' } });
    const t = new KdcTransport({ ...fast, kdcs: { [REALM]: [a.address, `tcp/${b.address}`] } });
    const err = await t.send(REALM, REQ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).message).toMatch(/no KDC of realm FAKE.TEST answered after 2 attempts/);
    expect((err as TransportError).kdc).toBe(`tcp/${b.address}`);
    expect((err as TransportError).hint).toMatch(/dropped the connection/);
  });

  it('the overall timeout bounds the whole send', async () => {
    const a = await start({ udp: { kind: 'silence' }, tcp: { kind: 'silence' } });
    const t = new KdcTransport({
      attemptTimeoutMs: 200,
      timeoutMs: 500,
      kdcs: { [REALM]: [a.address, a.address] },
    });
    const t0 = performance.now();
    const err = await t.send(REALM, REQ).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(900);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).message).toMatch(/overall timeout of 500 ms/);
  });

  it('an abort rejects at once', async () => {
    const a = await start({ udp: { kind: 'silence' }, tcp: { kind: 'silence' } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const err = await new KdcTransport({ kdcs: { [REALM]: [a.address] } })
      .send(REALM, REQ, { signal: ac.signal })
      .catch((e: unknown) => e);
    expect((err as TransportError).message).toMatch(/aborted/);
  });

  it('an unknown realm is a TransportError with a hint (https:// KDCs are KKDCP: test/transport/kkdcp.test.ts)', async () => {
    const t = new KdcTransport({ kdcs: { KKDCP: ['https://proxy.example/KdcProxy'] } });
    const err = (await t.send('NOPE', REQ).catch((e: unknown) => e)) as TransportError;
    expect(err.message).toMatch(/no KDC known for realm NOPE/);
    expect(err.hint).toMatch(/krb5\.conf/);
  });

  it('traces each attempt: start and end, with outcome, sizes and timings', async () => {
    const bad = await start({ tcp: { kind: 'reset' } });
    const good = await start({});
    const events: TransportTraceEvent[] = [];
    const perSend: TransportTraceEvent[] = [];
    const t = new KdcTransport({
      ...fast,
      trace: (e) => events.push(e),
      kdcs: { [REALM]: [`tcp/${bad.address}`, good.address] },
    });
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
    const t = transportFromKrb5Conf(conf, fast);
    expect((await t.sendDetailed(REALM, REQ)).kdc).toEqual({
      host: '127.0.0.1',
      port: kdc.port,
      proto: 'tcp',
    });
    await expect(t.send('OTHER.TEST', REQ)).rejects.toThrow(TransportError);
  });
});
