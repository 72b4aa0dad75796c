/**
 * The default Transport: locates the realm's KDCs and sends over UDP, TCP or KKDCP (https:// entries, MS-KKDCP) on
 * MIT's retry schedule (./schedule.ts): passes over the KDCs with growing waits, UDP resent on the same socket, TCP
 * reconnected when closed before its reply, KKDCP POSTed again on a later pass (./kkdcp-channel.ts; a proxy that
 * failed for good, e.g. HTTP 404, is not), earlier attempts listening while later ones start, first reply wins;
 * TCP first for requests above the UDP preference limit, TCP at once on KRB_ERR_RESPONSE_TOO_BIG (RFC 4120 7.2.1);
 * within an overall deadline and the caller's AbortSignal; with at most `maxInFlightPerKdc` requests at one KDC. A UDP
 * socket whose request was sent once and answered once serves a later send (./udp-pool.ts); any other is closed.
 */

import { TransportError } from '../errors.js';
import { sharedTimers } from './coalesced-timers.js';
import {
  DEFAULT_MAX_IN_FLIGHT_PER_KDC,
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_OVERALL_TIMEOUT_MS,
  DEFAULT_PASSES,
  DEFAULT_SEND_WAIT_MS,
  DEFAULT_UDP_PREFERENCE_LIMIT,
  UDP_IDLE_SOCKETS_PER_KDC,
} from './constants.js';
import { KdcLimiter } from './kdc-limiter.js';
import { type ChannelSpec, joinTraces, sendToKdcs } from './kdc-send.js';
import { kkdcpAttemptAddress } from './kkdcp.js';
import { openKkdcpChannel } from './kkdcp-channel.js';
import type { KkdcpPost } from './kkdcp-exchange.js';
import { httpAnchorsFromKrb5Conf, nodeHttpsPost } from './kkdcp-node.js';
import type { Krb5Settings } from './krb5conf.js';
import {
  chainLocators,
  type KdcLocator,
  krb5ConfLocator,
  type SrvResolver,
  staticLocator,
} from './locate.js';
import { openTcpChannel } from './tcp.js';
import type {
  KdcEndpoint,
  ScheduledTransportOptions,
  SendOptions,
  SendResult,
  Transport,
  TransportTimers,
  TransportTraceEvent,
} from './types.js';
import { openUdpChannel } from './udp.js';
import { UdpSocketPool } from './udp-pool.js';

/** Options of {@link KdcTransport}. */
export interface KdcTransportOptions extends ScheduledTransportOptions {
  /** Where to find a realm's KDCs. */
  locator?: KdcLocator;
  /** Explicit KDCs per realm, tried before the locator. */
  kdcs?: Readonly<Record<string, readonly string[]>>;
  /** Requests longer than this go over TCP first (default 1465). */
  udpPreferenceLimit?: number;
  /** Wait after each send before the schedule sends again, in ms (default 1000, as MIT); earlier attempts keep listening. */
  attemptTimeoutMs?: number;
  /**
   * Requests in flight at one KDC before more wait in a queue, counted by the protocol of each send's first attempt
   * there: one number for both, or one each (default: 32 over UDP, 6 over TCP; `Infinity` for no limit).
   */
  maxInFlightPerKdc?: number | { udp: number; tcp: number };
  /** Extra CAs (PEM) trusted for https:// (KKDCP) KDCs, e.g. from krb5.conf http_anchors. */
  httpsCa?: readonly string[];
  /** The HTTPS POST for https:// KDCs (default: node:https trusting the public roots and `httpsCa`). */
  kkdcpPost?: KkdcpPost;
}

/** Sends to the KDCs of a realm over UDP, TCP and KKDCP on MIT's retry schedule, with back-pressure per KDC. */
export class KdcTransport implements Transport {
  private readonly locator: KdcLocator;
  private readonly udpPreferenceLimit: number;
  private readonly attemptTimeoutMs: number;
  private readonly timeoutMs: number;
  private readonly passes: number;
  private readonly maxMessageLength: number;
  private readonly traceHook: ((ev: TransportTraceEvent) => void) | undefined;
  private readonly kkdcpPost: KkdcpPost;
  private readonly timers: TransportTimers;
  private readonly limiters: { udp?: KdcLimiter | undefined; tcp?: KdcLimiter | undefined };
  private readonly udpSockets = new UdpSocketPool(UDP_IDLE_SOCKETS_PER_KDC);

  constructor(o: KdcTransportOptions = {}) {
    this.kkdcpPost = o.kkdcpPost ?? nodeHttpsPost(o.httpsCa ? { ca: o.httpsCa } : {});
    const located = o.locator ?? (async () => []);
    this.locator = o.kdcs ? chainLocators(staticLocator(o.kdcs), located) : located;
    this.udpPreferenceLimit = o.udpPreferenceLimit ?? DEFAULT_UDP_PREFERENCE_LIMIT;
    this.attemptTimeoutMs = o.attemptTimeoutMs ?? DEFAULT_SEND_WAIT_MS;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_OVERALL_TIMEOUT_MS;
    this.passes = Math.max(1, o.passes ?? DEFAULT_PASSES);
    this.maxMessageLength = o.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
    this.traceHook = o.trace;
    this.timers = o.timers ?? sharedTimers;
    const limit = o.maxInFlightPerKdc ?? DEFAULT_MAX_IN_FLIGHT_PER_KDC;
    const limiter = (n: number) => (Number.isFinite(n) ? new KdcLimiter(Math.max(1, n)) : undefined);
    this.limiters =
      typeof limit === 'number'
        ? { udp: limiter(limit), tcp: limiter(limit) }
        : { udp: limiter(limit.udp), tcp: limiter(limit.tcp) };
  }

  /** {@inheritDoc Transport.send} */
  async send(realm: string, request: Uint8Array, opts?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, request, opts)).reply;
  }

  /**
   * Closes the UDP sockets kept for reuse (sends in flight keep theirs until they end). Optional: idle sockets do not
   * keep the process alive and close themselves after a while unused.
   */
  close(): void {
    this.udpSockets.close();
  }

  /** Sends of this transport in flight at a KDC (`host:port`) and waiting for a slot there, UDP and TCP together. */
  load(kdc: string): { active: number; waiting: number } {
    const u = this.limiters.udp?.load(kdc) ?? { active: 0, waiting: 0 };
    const t = this.limiters.tcp?.load(kdc) ?? { active: 0, waiting: 0 };
    return { active: u.active + t.active, waiting: u.waiting + t.waiting };
  }

  /** The channels of one endpoint, in MIT's order: the preferred protocol first, the other deferred. */
  private channelsOf(ep: KdcEndpoint, size: number, forced: 'udp' | 'tcp' | undefined): ChannelSpec[] {
    if (ep.protocol === 'https') return [{ kdc: kkdcpAttemptAddress(ep.url ?? ''), deferred: false }];
    const at = (proto: 'udp' | 'tcp', deferred: boolean): ChannelSpec => ({
      kdc: { host: ep.host, port: ep.port, proto },
      deferred,
    });
    if (forced === 'tcp' || ep.protocol === 'tcp') return [at('tcp', false)];
    if (forced === 'udp' || ep.protocol === 'udp') return [at('udp', false)];
    // MIT: above udp_preference_limit TCP before UDP; otherwise UDP first, TCP deferred.
    return size > this.udpPreferenceLimit
      ? [at('tcp', false), at('udp', true)]
      : [at('udp', false), at('tcp', true)];
  }

  /** {@inheritDoc Transport.sendDetailed} */
  async sendDetailed(realm: string, request: Uint8Array, opts: SendOptions = {}): Promise<SendResult> {
    const started = this.timers.now();
    const endpoints = await this.locator(realm);
    if (endpoints.length === 0) {
      throw new TransportError(`no KDC known for realm ${realm}`, {
        hint: `add "kdc = host:port" (or https://proxy/KdcProxy) under [realms] ${realm} in krb5.conf, pass kdcs, or enable dns_lookup_kdc`,
      });
    }
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const deadline = started + timeoutMs;
    return sendToKdcs({
      realm,
      request,
      channels: endpoints.flatMap((ep) => this.channelsOf(ep, request.length, opts.protocol)),
      timing: { waitMs: opts.attemptTimeoutMs ?? this.attemptTimeoutMs, passes: this.passes },
      timeoutMs,
      startedAt: started,
      timers: this.timers,
      limiters: this.limiters,
      signal: opts.signal,
      emit: joinTraces(this.traceHook, opts.trace),
      open: (spec, events) => {
        if (spec.kdc.proto === 'udp') return openUdpChannel(spec.kdc, request, events, this.udpSockets);
        if (spec.kdc.proto === 'tcp') return openTcpChannel(spec.kdc, request, this.maxMessageLength, events);
        return openKkdcpChannel(
          spec.kdc.url ?? '',
          realm,
          request,
          {
            post: this.kkdcpPost,
            maxMessageLength: this.maxMessageLength,
            remainingMs: () => deadline - this.timers.now(),
          },
          events,
        );
      },
    });
  }
}

/**
 * A transport configured from krb5.conf: its [realms] KDCs (https:// ones through KKDCP, trusting the realms'
 * http_anchors), DNS SRV when enabled, and udp_preference_limit.
 */
export function transportFromKrb5Conf(
  settings: Krb5Settings,
  o: Omit<KdcTransportOptions, 'locator'> & { resolver?: SrvResolver } = {},
): KdcTransport {
  const { resolver, ...rest } = o;
  const anchors = httpAnchorsFromKrb5Conf(settings);
  return new KdcTransport({
    udpPreferenceLimit: settings.udpPreferenceLimit,
    ...rest,
    ...(anchors.length > 0 ? { httpsCa: [...(rest.httpsCa ?? []), ...anchors] } : {}),
    locator: krb5ConfLocator(settings, resolver),
  });
}
