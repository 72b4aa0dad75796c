/**
 * A fault-injecting fake KKDCP proxy: HTTPS on 127.0.0.1 with a throwaway self-signed certificate (openssl), each path
 * answered by a script of acts (HTTP statuses, replies, silence, resets). Like fake-kdc.ts it proves fault handling
 * only; the real proxy is the lab's (test/interop/kkdcp-*.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeKdcProxyMessage } from '../../src/asn1/kkdcp.js';

/** What the fake does with one request. */
export type Act = (res: ServerResponse, req: IncomingMessage) => void;

const KERBEROS = { 'content-type': 'application/kerberos' };

/** A KDC message with the 4-byte length prefix of MS-KKDCP 2.2.2; `announce` overrides the length. */
export function framed(msg: Uint8Array, announce = msg.length): Uint8Array {
  const out = new Uint8Array(4 + msg.length);
  new DataView(out.buffer).setUint32(0, announce);
  out.set(msg, 4);
  return out;
}

/** A KDC-PROXY-MESSAGE around a KDC message, as a proxy answers. */
export const proxyReply = (msg: Uint8Array, announce?: number): Uint8Array =>
  encodeKdcProxyMessage({ kerbMessage: framed(msg, announce) });

/** Answers withheld by `hold` acts, of every fake proxy of the process, until `release()`. */
const held: (() => void)[] = [];

/** The acts a test scripts a path with. */
export const act = {
  /** 200 with a KDC-PROXY-MESSAGE carrying `msg`. */
  relay:
    (msg: Uint8Array): Act =>
    (res) =>
      res.writeHead(200, KERBEROS).end(proxyReply(msg)),
  /** 200 with `body` as it is. */
  body:
    (body: Uint8Array | string, headers: Record<string, string> = KERBEROS): Act =>
    (res) =>
      res.writeHead(200, headers).end(body),
  /** An HTTP status other than 200, with a short text body. */
  status:
    (status: number): Act =>
    (res) =>
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`status ${status}`),
  /** `then`, when the test calls the proxy's `release()`: a slow proxy whose timing the test owns. */
  hold:
    (then: Act): Act =>
    (res, req) => {
      held.push(() => then(res, req));
    },
  /** No answer: the request stays open until the client gives up (or the fake closes). */
  hang: (): Act => () => undefined,
  /** The connection is destroyed after the request arrived, with no response. */
  reset: (): Act => (_res, req) => req.socket.destroy(),
};

/** A request the fake received. */
export interface ProxyRequest {
  path: string;
  type: string | undefined;
  body: Uint8Array;
}

/** A key pair and certificate for 127.0.0.1. */
export interface ProxyTls {
  key: string;
  cert: string;
}

/** A running fake proxy. */
export interface FakeKkdcpProxy {
  /** `https://127.0.0.1:port` */
  base: string;
  port: number;
  /** Its certificate (PEM), to trust. */
  cert: string;
  tls: ProxyTls;
  /** Requests received, in order (a test may empty it). */
  requests: ProxyRequest[];
  /** Requests whose exchange has not closed yet: a hanging one stays until the client aborts it. */
  open(): number;
  /** Sends the answers withheld by `hold` acts (to requests still open), in arrival order. */
  release(): void;
  /** Scripts `path`: request n gets act n, the last act repeats. An unscripted path is 404. */
  route(path: string, ...acts: Act[]): void;
  close(): Promise<void>;
}

let shared: ProxyTls | undefined;

/** A self-signed certificate for IP 127.0.0.1, made once per process. */
export function selfSignedTls(): ProxyTls {
  if (shared) return shared;
  const dir = mkdtempSync(join(tmpdir(), 'tskrb-kkdcp-'));
  try {
    // biome-ignore format: each option next to its value, as on the openssl command line
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    shared = {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return shared;
}

/** Starts a fake proxy on `port` (default: any free one). */
export async function startFakeKkdcpProxy(
  o: { port?: number; tls?: ProxyTls } = {},
): Promise<FakeKkdcpProxy> {
  const tls = o.tls ?? selfSignedTls();
  const scripts = new Map<string, { acts: Act[]; n: number }>();
  const requests: ProxyRequest[] = [];
  let open = 0;
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    open++;
    res.on('close', () => open--);
    const chunks: Uint8Array[] = [];
    req.on('data', (c: Uint8Array) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      requests.push({
        path,
        type: req.headers['content-type'],
        body: new Uint8Array(Buffer.concat(chunks)),
      });
      const script = scripts.get(path);
      if (!script) return act.status(404)(res, req);
      const next = script.acts[Math.min(script.n++, script.acts.length - 1)]!;
      next(res, req);
    });
  });
  await new Promise<void>((r) => server.listen(o.port ?? 0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `https://127.0.0.1:${port}`,
    port,
    cert: tls.cert,
    tls,
    requests,
    open: () => open,
    release() {
      for (const answer of held.splice(0)) answer();
    },
    route(path, ...acts) {
      scripts.set(path, { acts, n: 0 });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
