/**
 * KkdcpTransport: Kerberos over HTTPS through MS-KKDCP proxies, with `fetch`, so it runs wherever fetch does
 * (Node, Bun, Deno, browsers, workers). Imports nothing Node-specific; Node with a private CA uses
 * `nodeHttpsPost` from kkdcp-node.ts as the `post` option.
 *
 * The proxies of a realm are the channels of KdcTransport's retry schedule (./kdc-send.ts, ./schedule.ts): the first
 * proxy is POSTed the request, the next one after `attemptTimeoutMs` while the first keeps listening, and so on; each
 * later pass, after a wait that doubles, POSTs again to every proxy that has not failed for good; the first reply wins,
 * within the overall deadline and the caller's AbortSignal. Which failures are for good: ./kkdcp-exchange.ts.
 */
import { TransportError } from '../errors.js';
import { sharedTimers } from './coalesced-timers.js';
import {
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_OVERALL_TIMEOUT_MS,
  DEFAULT_PASSES,
  DEFAULT_SEND_WAIT_MS,
  HTTPS_PORT,
  KKDCP_CONTENT_TYPE,
} from './constants.js';
import { joinTraces, sendToKdcs } from './kdc-send.js';
import { openKkdcpChannel } from './kkdcp-channel.js';
import type { KkdcpPost } from './kkdcp-exchange.js';
import type {
  KdcAttemptAddress,
  ScheduledTransportOptions,
  SendOptions,
  SendResult,
  Transport,
  TransportTimers,
  TransportTraceEvent,
} from './types.js';

/** Options of {@link KkdcpTransport}. */
export interface KkdcpTransportOptions extends ScheduledTransportOptions {
  /** Proxy URL for every realm not named in `proxies`, e.g. `https://proxy.example.com/KdcProxy`. */
  url?: string;
  /** Proxy URLs per realm, tried in order. */
  proxies?: Readonly<Record<string, readonly string[]>>;
  /** The HTTPS POST (default: `fetch`). */
  post?: KkdcpPost;
  /**
   * Wait after each POST before the schedule sends again, to the next proxy or (on a later pass) the same one, in ms
   * (default 1000, as MIT); earlier POSTs keep listening until the overall deadline.
   */
  attemptTimeoutMs?: number;
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

/**
 * Sends to the KDCs of a realm through KKDCP proxies (MS-KKDCP), on MIT's retry schedule: passes over the proxies,
 * growing waits, first reply wins; a proxy that failed for good is not POSTed again.
 */
export class KkdcpTransport implements Transport {
  private readonly url: string | undefined;
  private readonly proxies: Readonly<Record<string, readonly string[]>>;
  private readonly post: KkdcpPost;
  private readonly attemptTimeoutMs: number;
  private readonly timeoutMs: number;
  private readonly passes: number;
  private readonly maxMessageLength: number;
  private readonly traceHook: ((ev: TransportTraceEvent) => void) | undefined;
  private readonly dclocatorHint: number | undefined;
  private readonly timers: TransportTimers;

  constructor(o: KkdcpTransportOptions) {
    this.dclocatorHint = o.dclocatorHint;
    this.url = o.url;
    this.proxies = o.proxies ?? {};
    this.post = o.post ?? fetchPost();
    this.attemptTimeoutMs = o.attemptTimeoutMs ?? DEFAULT_SEND_WAIT_MS;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_OVERALL_TIMEOUT_MS;
    this.passes = Math.max(1, o.passes ?? DEFAULT_PASSES);
    this.maxMessageLength = o.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
    this.traceHook = o.trace;
    this.timers = o.timers ?? sharedTimers;
  }

  /** {@inheritDoc Transport.send} */
  async send(realm: string, request: Uint8Array, opts?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, request, opts)).reply;
  }

  /** {@inheritDoc Transport.sendDetailed} */
  async sendDetailed(realm: string, request: Uint8Array, opts: SendOptions = {}): Promise<SendResult> {
    const startedAt = this.timers.now();
    const urls = this.proxies[realm] ?? (this.url === undefined ? [] : [this.url]);
    if (urls.length === 0) {
      throw new TransportError(`no KKDCP proxy known for realm ${realm}`, {
        hint: `pass url or proxies: { '${realm}': ['https://proxy/KdcProxy'] }`,
      });
    }
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const channel = {
      post: this.post,
      maxMessageLength: this.maxMessageLength,
      remainingMs: () => startedAt + timeoutMs - this.timers.now(),
      dclocatorHint: this.dclocatorHint,
    };
    return sendToKdcs({
      realm,
      request,
      channels: urls.map((url) => ({ kdc: kkdcpAttemptAddress(url), deferred: false })),
      timing: { waitMs: opts.attemptTimeoutMs ?? this.attemptTimeoutMs, passes: this.passes },
      timeoutMs,
      startedAt,
      timers: this.timers,
      limiters: {},
      signal: opts.signal,
      emit: joinTraces(this.traceHook, opts.trace),
      open: (spec, events) => openKkdcpChannel(spec.kdc.url ?? '', realm, request, channel, events),
    });
  }
}
