/**
 * Faulty replies end to end (issue 9): a KdcClient login whose first KDC is a fault-injecting fake (oversized,
 * truncated, slow, garbage, reset, RESPONSE_TOO_BIG) and whose second is the real MIT lab KDC. The client must fail
 * over and log in, or, with only the fake, fail with a TransportError; no socket or timer may outlive a test.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KdcClient } from '../../src/client/index.js';
import { TransportError } from '../../src/errors.js';
import { KdcTransport } from '../../src/transport/index.js';
import { activeResources, type FakeKdc, type Fault, leakedSince, startFakeKdc } from '../helpers/fake-kdc.js';
import { labKeys, mitLab } from '../helpers/lab.js';

const lab = mitLab;
const TIMEOUTS = { attemptTimeoutMs: 300, timeoutMs: 4000, passes: 1 };

/** Faults on both protocols, named for the test title. */
const FAULTS: [string, Fault][] = [
  ['announces a 4 GiB TCP frame', { kind: 'length', value: 0xffffffff }],
  ['announces 2^31-1 bytes', { kind: 'length', value: 0x7fffffff }],
  ['sends half a frame and closes', { kind: 'half-frame' }],
  ['sends two bytes of the length prefix', { kind: 'prefix-only' }],
  [
    'drips one byte every 200 ms (slower than the attempt timeout)',
    { kind: 'chunked', chunk: 1, gapMs: 200 },
  ],
  ['answers garbage (an HTTP error)', { kind: 'garbage' }],
  ['resets the connection', { kind: 'reset' }],
  ['never answers', { kind: 'silence' }],
];

describe.skipIf(!lab)('faulty KDC replies, then failover to the MIT lab KDC (lab not running)', () => {
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

  const alice = () => lab!.principals['alice']!;
  const clientFor = (kdcs: string[]) =>
    new KdcClient({
      realm: lab!.realm,
      transport: new KdcTransport({ kdcs: { [lab!.realm]: kdcs }, ...TIMEOUTS }),
    });

  it.each(FAULTS)('a KDC that %s: the login fails over to the next KDC', async (_, fault) => {
    const fake = await startFakeKdc({
      udp: fault.kind === 'length' ? { kind: 'garbage' } : fault,
      tcp: fault,
    });
    fakes.push(fake);
    const s = await clientFor([`tcp/${fake.address}`, ...lab!.kdcs]).login({
      principal: alice().principal,
      keys: labKeys(alice()),
    });
    expect(s.tgt.client.name.nameString).toEqual(['alice']);
    expect(fake.requests.length).toBeGreaterThan(0);
  });

  it.each(FAULTS)('the only KDC %s: TransportError, in bounded time', async (_, fault) => {
    const fake = await startFakeKdc({ udp: fault, tcp: fault });
    fakes.push(fake);
    const t0 = performance.now();
    const e = await clientFor([`tcp/${fake.address}`])
      .login({ principal: alice().principal, keys: labKeys(alice()) })
      .then(
        () => undefined,
        (x: unknown) => x,
      );
    expect(e).toBeInstanceOf(TransportError);
    expect(performance.now() - t0).toBeLessThan(TIMEOUTS.timeoutMs + 1000);
  });

  it('UDP KRB_ERR_RESPONSE_TOO_BIG from a relay of the lab: the client retries over TCP and logs in', async () => {
    const [host, port] = lab!.kdcs[0]!.split(':') as [string, string];
    const fake = await startFakeKdc({
      udp: { kind: 'too-big' },
      tcp: { kind: 'proxy', host, port: Number(port) },
    });
    fakes.push(fake);
    const s = await clientFor([fake.address]).login({ principal: alice().principal, keys: labKeys(alice()) });
    expect(s.tgt.client.name.nameString).toEqual(['alice']);
    expect(fake.requests.map((r) => r.proto)).toContain('tcp');
  });
});
