/**
 * KkdcpTransport: Kerberos over HTTPS through MS-KKDCP proxies, with `fetch`, so it runs wherever fetch does
 * (Node, Bun, Deno, browsers, workers). Imports nothing Node-specific; Node with a private CA uses
 * `nodeHttpsPost` from kkdcp-node.ts as the `post` option.
 */
import { TransportError } from '../errors.js';
import { attemptEnder } from './attempt.js';
import {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_OVERALL_TIMEOUT_MS,
  HTTPS_PORT,
  KKDCP_CONTENT_TYPE,
} from './constants.js';
import { type KkdcpPost, kkdcpExchange } from './kkdcp-exchange.js';
import { classifyKdcReply } from './krb-error-peek.js';
import type {
  AttemptRecord,
  KdcAttemptAddress,
  SendOptions,
  SendResult,
  Transport,
  TransportTraceEvent,
} from './types.js';

/** Options of {@link KkdcpTransport}. */
export interface KkdcpTransportOptions {
  /** Proxy URL for every realm not named in `proxies`, e.g. `https://proxy.example.com/KdcProxy`. */
  url?: string;
  /** Proxy URLs per realm, tried in order. */
  proxies?: Readonly<Record<string, readonly string[]>>;
  /** The HTTPS POST (default: `fetch`). */
  post?: KkdcpPost;
  /** Timeout of each POST in ms (default 3000). */
  attemptTimeoutMs?: number;
  /** Timeout of a whole send in ms (default 30000). */
  timeoutMs?: number;
  /** Largest KDC reply accepted (default 1 MiB). */
  maxMessageLength?: number;
  /** Called when each attempt starts and ends. */
  trace?: (ev: TransportTraceEvent) => void;
  /** MS-NRPC DC locator flags sent as dclocator-hint (Windows KDC Proxy Server only; usually left out). */
  dclocatorHint?: number;
}

async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  url: string,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new TransportError(`${url}: reply body above ${maxBytes} bytes`, {
        kdc: url,
        hint: 'the proxy sends more than any KDC reply needs: raise maxMessageLength or check the URL',
      });
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A KkdcpPost over the runtime's `fetch` (or the one given). Trusts what the runtime trusts. */
export function fetchPost(fetchFn?: typeof fetch): KkdcpPost {
  return async (req) => {
    const f = fetchFn ?? globalThis.fetch;
    const res = await f(req.url, {
      method: 'POST',
      headers: { 'content-type': KKDCP_CONTENT_TYPE, accept: KKDCP_CONTENT_TYPE },
      body: new Uint8Array(req.body),
      signal: req.signal,
      // A KDC proxy does not redirect; following one would resend the request somewhere unexpected.
      redirect: 'error',
    });
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (declared > req.maxBytes) {
      await res.body?.cancel();
      throw new TransportError(`${req.url}: reply announces ${declared} bytes, above ${req.maxBytes}`, {
        kdc: req.url,
        hint: 'the proxy sends more than any KDC reply needs: raise maxMessageLength or check the URL',
      });
    }
    const body = await readBounded(res.body, req.maxBytes, req.url);
    return { status: res.status, contentType: res.headers.get('content-type') ?? undefined, body };
  };
}

/** The attempt address of a proxy URL. */
export function kkdcpAttemptAddress(url: string): KdcAttemptAddress {
  let host = url;
  let port = HTTPS_PORT;
  try {
    const u = new URL(url);
    host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    if (u.port) port = Number(u.port);
  } catch {
    // Not a URL: the POST fails with the runtime's own message, which names the bad URL.
  }
  return { host, port, proto: 'https', url };
}

/** Sends to the KDCs of a realm through KKDCP proxies (MS-KKDCP), with timeouts and failover across proxies. */
export class KkdcpTransport implements Transport {
  private readonly url: string | undefined;
  private readonly proxies: Readonly<Record<string, readonly string[]>>;
  private readonly post: KkdcpPost;
  private readonly attemptTimeoutMs: number;
  private readonly timeoutMs: number;
  private readonly maxMessageLength: number;
  private readonly traceHook: ((ev: TransportTraceEvent) => void) | undefined;
  private readonly dclocatorHint: number | undefined;

  constructor(o: KkdcpTransportOptions) {
    this.dclocatorHint = o.dclocatorHint;
    this.url = o.url;
    this.proxies = o.proxies ?? {};
    this.post = o.post ?? fetchPost();
    this.attemptTimeoutMs = o.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_OVERALL_TIMEOUT_MS;
    this.maxMessageLength = o.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
    this.traceHook = o.trace;
  }

  /** {@inheritDoc Transport.send} */
  async send(realm: string, request: Uint8Array, opts?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, request, opts)).reply;
  }

  /** {@inheritDoc Transport.sendDetailed} */
  async sendDetailed(realm: string, request: Uint8Array, opts: SendOptions = {}): Promise<SendResult> {
    const t0 = performance.now();
    const overall = opts.timeoutMs ?? this.timeoutMs;
    const deadline = t0 + overall;
    const urls = this.proxies[realm] ?? (this.url === undefined ? [] : [this.url]);
    if (urls.length === 0) {
      throw new TransportError(`no KKDCP proxy known for realm ${realm}`, {
        hint: `pass url or proxies: { '${realm}': ['https://proxy/KdcProxy'] }`,
      });
    }
    const attempts: AttemptRecord[] = [];
    let last: TransportError | undefined;
    for (const url of urls) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        throw new TransportError(`overall timeout of ${overall} ms for realm ${realm}`, {
          kdc: last?.kdc,
          hint: 'every proxy tried was slow or silent; check the proxies or raise timeoutMs',
          cause: last,
        });
      }
      const kdc = kkdcpAttemptAddress(url);
      const attempt = attempts.length + 1;
      const emit = (ev: TransportTraceEvent) => {
        this.traceHook?.(ev);
        opts.trace?.(ev);
      };
      emit({ realm, phase: 'start', attempt, kdc, bytesSent: request.length });
      const started = performance.now();
      const r = await kkdcpExchange(url, realm, request, {
        timeoutMs: Math.max(1, Math.min(opts.attemptTimeoutMs ?? this.attemptTimeoutMs, remaining)),
        maxMessageLength: this.maxMessageLength,
        signal: opts.signal,
        post: this.post,
        dclocatorHint: this.dclocatorHint,
      });
      const ms = performance.now() - started;
      const end = attemptEnder(attempts, emit, { realm, attempt, kdc, bytesSent: request.length });
      if (!r.ok) {
        last = r.error;
        end({ kdc, outcome: r.kind === 'timeout' ? 'timeout' : 'error', ms, error: r.error.message });
        if (r.kind === 'aborted') throw r.error;
        continue;
      }
      const verdict = classifyKdcReply(r.reply);
      // The proxy speaks TCP to the KDC: RESPONSE_TOO_BIG cannot be cured by a retry, so it is the reply.
      if (verdict === 'reply' || verdict === 'too-big') {
        end({ kdc, outcome: 'reply', ms }, r.reply.length);
        return { reply: r.reply, kdc, attempts, ms: performance.now() - t0 };
      }
      last =
        verdict === 'unavailable'
          ? new TransportError(`${url}: KDC_ERR_SVC_UNAVAILABLE`, {
              kdc: url,
              hint: 'the KDC behind this proxy cannot serve now; another may',
            })
          : new TransportError(
              `${url}: kerb-message is not a Kerberos reply (first byte 0x${(r.reply[0] ?? 0).toString(16)})`,
              {
                kdc: url,
                hint: 'the proxy relayed something that is not a KDC reply: check its KDC configuration for the realm',
              },
            );
      end(
        { kdc, outcome: verdict === 'unavailable' ? 'unavailable' : 'error', ms, error: last.message },
        r.reply.length,
      );
    }
    throw new TransportError(
      `no KKDCP proxy of realm ${realm} answered after ${attempts.length} attempts; last: ${last?.message ?? 'none'}`,
      { kdc: last?.kdc, hint: last?.hint ?? 'check the proxy URLs for the realm', cause: last },
    );
  }
}
