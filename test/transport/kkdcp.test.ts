// KKDCP client faults against a local HTTPS server (a throwaway self-signed certificate from openssl): HTTP errors,
// non-Kerberos replies, bad kerb-message framing, oversized bodies, silence, TLS distrust, refused connections,
// failover to the next proxy, and https:// selection in KdcTransport. The happy path against a real proxy is
// test/interop/kkdcp-mit.test.ts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKdcProxyMessage, encodeKdcProxyMessage } from '../../src/asn1/kkdcp.js';
import { TransportError } from '../../src/errors.js';
import { KdcTransport } from '../../src/transport/kdc-transport.js';
import { fetchPost, KkdcpTransport } from '../../src/transport/kkdcp.js';
import { nodeHttpsPost } from '../../src/transport/kkdcp-node.js';
import type { TransportTraceEvent } from '../../src/transport/types.js';
import { fromHex } from '../../src/util/bytes.js';
import { act, type FakeKkdcpProxy, proxyReply, startFakeKkdcpProxy } from '../helpers/fake-kkdcp-proxy.js';

const captured = JSON.parse(
  readFileSync(new URL('../vectors/captured-mit.json', import.meta.url), 'utf8'),
) as { items: { kind: string; hex: string }[] };
const REQ = fromHex(captured.items.find((i) => i.kind === 'AS-REQ')!.hex);
const REPLY = fromHex(captured.items.find((i) => i.kind === 'KRB-ERROR')!.hex);
const REALM = 'MIT.TEST';
const KERBEROS = { 'content-type': 'application/kerberos' };

let proxy: FakeKkdcpProxy;
let base: string;
let cert: string;
let seen: FakeKkdcpProxy['requests'];

beforeAll(async () => {
  proxy = await startFakeKkdcpProxy();
  ({ base, cert } = proxy);
  seen = proxy.requests;
  // Path -> behaviour of the fake proxy.
  proxy.route('/ok', act.relay(REPLY));
  proxy.route('/html', act.body('<html>portal</html>', { 'content-type': 'text/html' }));
  proxy.route('/garbage', act.body(new Uint8Array([1, 2, 3, 4, 5])));
  proxy.route('/badlen', act.body(proxyReply(REPLY, REPLY.length + 7)));
  proxy.route('/noprefix', act.body(encodeKdcProxyMessage({ kerbMessage: new Uint8Array([0x7e]) })));
  proxy.route('/notkrb', act.relay(new Uint8Array([0x30, 0x00])));
  proxy.route('/big', (res) =>
    res.writeHead(200, { ...KERBEROS, 'content-length': String(10_000_000) }).end(),
  );
  proxy.route('/bigchunked', (res) => {
    res.writeHead(200, KERBEROS);
    const chunk = new Uint8Array(64 * 1024);
    for (let i = 0; i < 40; i++) res.write(chunk);
    res.end();
  });
  proxy.route('/silent', act.hang());
  proxy.route('/503', act.status(503));
});

afterAll(async () => {
  await proxy.close();
});

const transport = (
  paths: string[],
  extra: { attemptTimeoutMs?: number; trace?: (e: TransportTraceEvent) => void } = {},
) =>
  new KkdcpTransport({
    proxies: { [REALM]: paths.map((p) => base + p) },
    post: nodeHttpsPost({ ca: [cert] }),
    attemptTimeoutMs: extra.attemptTimeoutMs ?? 2000,
    timeoutMs: 10_000,
    ...(extra.trace ? { trace: extra.trace } : {}),
  });
const failure = async (paths: string[], attemptTimeoutMs?: number) =>
  (await transport(paths, attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs })
    .send(REALM, REQ)
    .catch((e: unknown) => e)) as TransportError;

describe('KKDCP client (MS-KKDCP 2.2.2, 3.1.5.1) against a local HTTPS server', () => {
  it('POSTs application/kerberos: a KDC-PROXY-MESSAGE with the length-prefixed request and target-domain', async () => {
    seen.length = 0;
    const reply = await transport(['/ok']).send(REALM, REQ);
    expect(reply).toEqual(REPLY);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.type).toBe('application/kerberos');
    const msg = decodeKdcProxyMessage(seen[0]!.body);
    expect(msg.targetDomain).toBe(REALM);
    expect(new DataView(msg.kerbMessage.buffer, msg.kerbMessage.byteOffset).getUint32(0)).toBe(REQ.length);
    expect(msg.kerbMessage.subarray(4)).toEqual(REQ);
    expect(msg.dclocatorHint).toBeUndefined();
  });

  it('sends dclocator-hint when configured (MS-KKDCP 2.2.2)', async () => {
    seen.length = 0;
    const t = new KkdcpTransport({
      url: `${base}/ok`,
      post: nodeHttpsPost({ ca: [cert] }),
      dclocatorHint: 0x40001000,
    });
    await t.send(REALM, REQ);
    expect(decodeKdcProxyMessage(seen[0]!.body).dclocatorHint).toBe(0x40001000);
  });

  it.each([
    ['/503', /HTTP 503/, /realm/],
    ['/404', /HTTP 404/, /KdcProxy/],
    ['/html', /text\/html/, /web page/],
    ['/garbage', /not a KDC-PROXY-MESSAGE/, /URL path/],
    ['/badlen', /announces \d+ bytes but holds \d+/, /length prefix/],
    ['/noprefix', /no length prefix/, /truncated/],
    ['/notkrb', /not a Kerberos reply/, /proxy/],
    ['/big', /above \d+ bytes/, /maxMessageLength/],
    ['/bigchunked', /above \d+ bytes/, /maxMessageLength/],
  ])('%s is a TransportError naming the fault, with a hint', async (path, message, hint) => {
    // Short waits: a 503 is POSTed again on each pass (test/transport/kkdcp-channel.test.ts).
    const err = await failure([path], 20);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(message);
    expect(err.hint).toMatch(hint);
    expect(err.kdc).toBe(base + path);
    expect(err.message.split(base + path)).toHaveLength(2);
  });

  it('a silent proxy: the next proxy is asked after the wait and answers; the trace names both URLs', async () => {
    const events: TransportTraceEvent[] = [];
    const t = transport(['/silent', '/ok'], { attemptTimeoutMs: 300, trace: (e) => events.push(e) });
    const r = await t.sendDetailed(REALM, REQ);
    expect(r.reply).toEqual(REPLY);
    // The silent POST listened until the reply came, then ended as a timeout.
    expect(r.attempts.map((a) => a.outcome)).toEqual(['reply', 'timeout']);
    expect(events.filter((e) => e.phase === 'start').map((e) => e.kdc.url)).toEqual([
      `${base}/silent`,
      `${base}/ok`,
    ]);
    expect(r.kdc).toMatchObject({ proto: 'https', url: `${base}/ok` });
  });

  it('an untrusted certificate is a TLS failure with a hint to give the CA', async () => {
    const t = new KkdcpTransport({ url: `${base}/ok`, post: nodeHttpsPost() });
    const err = (await t.send(REALM, REQ).catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.hint).toMatch(/TLS.*CA/);
  });

  it('a refused connection says the proxy is not reachable', async () => {
    const t = new KkdcpTransport({
      url: 'https://127.0.0.1:1/KdcProxy',
      post: nodeHttpsPost({ ca: [cert] }),
      attemptTimeoutMs: 20,
    });
    const err = (await t.send(REALM, REQ).catch((e: unknown) => e)) as TransportError;
    expect(err.hint).toMatch(/not reachable/);
  });

  it('an aborted send rejects at once', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = (await transport(['/silent', '/ok'])
      .send(REALM, REQ, { signal: ac.signal })
      .catch((e: unknown) => e)) as TransportError;
    expect(err.message).toMatch(/aborted/);
  });

  it('a realm without a proxy is a TransportError with a hint', async () => {
    const err = (await transport(['/ok'])
      .send('OTHER.TEST', REQ)
      .catch((e: unknown) => e)) as TransportError;
    expect(err.message).toMatch(/no KKDCP proxy known for realm OTHER.TEST/);
    expect(err.hint).toMatch(/proxies/);
  });

  it('KdcTransport sends https:// KDCs through KKDCP, trusting httpsCa', async () => {
    const t = new KdcTransport({ kdcs: { [REALM]: [`${base}/ok`] }, httpsCa: [cert] });
    const r = await t.sendDetailed(REALM, REQ);
    expect(r.reply).toEqual(REPLY);
    expect(r.kdc).toMatchObject({ proto: 'https', port: Number(new URL(base).port) });
  });

  it('KdcTransport fails over from a faulty https:// KDC to the next one', async () => {
    const t = new KdcTransport({ kdcs: { [REALM]: [`${base}/503`, `${base}/ok`] }, httpsCa: [cert] });
    const r = await t.sendDetailed(REALM, REQ);
    expect(r.attempts.map((a) => a.outcome)).toEqual(['error', 'reply']);
  });
});

describe('fetchPost: bounds and errors with an injected fetch', () => {
  const post = (make: () => Response) =>
    new KkdcpTransport({
      url: 'https://proxy.invalid/KdcProxy',
      post: fetchPost(async () => make()),
      maxMessageLength: 4096,
    });

  it('reads a Kerberos reply from the Response', async () => {
    expect(
      await post(() => new Response(new Uint8Array(proxyReply(REPLY)), { headers: KERBEROS })).send(
        REALM,
        REQ,
      ),
    ).toEqual(REPLY);
  });

  it('refuses a body that streams past the bound without a content-length', async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new Uint8Array(2048));
      },
    });
    const err = (await post(() => new Response(stream, { headers: KERBEROS }))
      .send(REALM, REQ)
      .catch((e: unknown) => e)) as TransportError;
    expect(err.message).toMatch(/above \d+ bytes/);
  });

  it('turns a fetch TypeError with a certificate cause into a TLS hint', async () => {
    const t = new KkdcpTransport({
      url: 'https://proxy.invalid/KdcProxy',
      post: fetchPost(async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
        });
      }),
    });
    const err = (await t.send(REALM, REQ).catch((e: unknown) => e)) as TransportError;
    expect(err.message).toMatch(/fetch failed: self-signed certificate/);
    expect(err.hint).toMatch(/TLS/);
  });

  it('a bare browser-style TypeError gets a hint that also names CORS', async () => {
    const t = new KkdcpTransport({
      url: 'https://proxy.invalid/KdcProxy',
      post: fetchPost(async () => {
        throw new TypeError('Failed to fetch');
      }),
      attemptTimeoutMs: 10,
    });
    const err = (await t.send(REALM, REQ).catch((e: unknown) => e)) as TransportError;
    expect(err.hint).toMatch(/CORS/);
  });
});
