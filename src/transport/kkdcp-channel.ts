/**
 * A KKDCP proxy as a channel of the send schedule (./kdc-send.ts), for KkdcpTransport and for KdcTransport's https://
 * KDCs alike. Each send on the channel is one POST of the same request (./kkdcp-exchange.ts); HTTP, unlike a TCP
 * stream, carries a second request while the first still waits, so a later pass POSTs again and every earlier POST
 * keeps listening: the first reply wins. Runtime-agnostic, like the exchange.
 */
import type { Channel, ChannelEvents } from './attempt.js';
import { type KkdcpPost, kkdcpExchange } from './kkdcp-exchange.js';

/** How a KKDCP channel POSTs. */
export interface KkdcpChannelOptions {
  post: KkdcpPost;
  maxMessageLength: number;
  /** Time left before the send's deadline, in ms, read at each POST: no POST outlives the send. */
  remainingMs: () => number;
  /** MS-NRPC DC locator flags for a Windows proxy (dclocator-hint), rarely needed. */
  dclocatorHint?: number | undefined;
}

/**
 * Opens a channel to the proxy at `url` and POSTs `request` for `realm` at once. A failure is reported when it ends
 * the channel: a final one (HTTP 404, not a KKDCP reply, TLS) at once; a transient one (refused, 503, no reply by the
 * deadline) only when no earlier POST is still waiting, as `transient`, so the schedule POSTs again on the next pass.
 */
export function openKkdcpChannel(
  url: string,
  realm: string,
  request: Uint8Array,
  o: KkdcpChannelOptions,
  events: ChannelEvents,
): Channel {
  const ctl = new AbortController();
  let waiting = 0;
  const send = (): void => {
    waiting++;
    kkdcpExchange(url, realm, request, {
      timeoutMs: Math.max(1, o.remainingMs()),
      maxMessageLength: o.maxMessageLength,
      signal: ctl.signal,
      post: o.post,
      dclocatorHint: o.dclocatorHint,
    }).then((r) => {
      waiting--;
      if (ctl.signal.aborted) return;
      if (r.ok) {
        events.reply(r.reply);
        return;
      }
      const transient = r.kind === 'transient' || r.kind === 'timeout';
      if (transient && waiting > 0) return;
      ctl.abort();
      events.failure(transient ? { ...r, kind: 'transient' } : r);
    });
  };
  send();
  return { resend: send, close: () => ctl.abort() };
}
