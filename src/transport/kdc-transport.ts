/**
 * The default Transport: locates the realm's KDCs, tries each in turn over UDP, TCP or KKDCP (https:// entries,
 * MS-KKDCP) with per-attempt
 * and overall timeouts, retries UDP, switches to TCP on KRB_ERR_RESPONSE_TOO_BIG (RFC 4120 7.2.1) or for
 * requests above the UDP preference limit, and fails over to the next KDC on silence, errors or garbage.
 */
import { TransportError } from '../errors.js';
import { type AttemptResult, attemptEnder } from './attempt.js';
import {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_OVERALL_TIMEOUT_MS,
  DEFAULT_UDP_ATTEMPTS,
  DEFAULT_UDP_PREFERENCE_LIMIT,
} from './constants.js';
import { formatAttemptAddress } from './kdc-address.js';
import { kkdcpAttemptAddress } from './kkdcp.js';
import { type KkdcpPost, kkdcpExchange } from './kkdcp-exchange.js';
import { httpAnchorsFromKrb5Conf, nodeHttpsPost } from './kkdcp-node.js';
import { classifyKdcReply } from './krb-error-peek.js';
import type { Krb5Settings } from './krb5conf.js';
import {
  chainLocators,
  type KdcLocator,
  krb5ConfLocator,
  type SrvResolver,
  staticLocator,
} from './locate.js';
import { tcpExchange } from './tcp.js';
import type {
  AttemptRecord,
  KdcAttemptAddress,
  KdcEndpoint,
  SendOptions,
  SendResult,
  Transport,
  TransportTraceEvent,
} from './types.js';
import { udpExchange } from './udp.js';

/** Options of {@link KdcTransport}. */
export interface KdcTransportOptions {
  /** Where to find a realm's KDCs. */
  locator?: KdcLocator;
  /** Explicit KDCs per realm, tried before the locator. */
  kdcs?: Readonly<Record<string, readonly string[]>>;
  /** Requests longer than this go over TCP first (default 1465). */
  udpPreferenceLimit?: number;
  /** Timeout of each attempt in ms (default 3000). */
  attemptTimeoutMs?: number;
  /** Timeout of a whole send in ms (default 30000). */
  timeoutMs?: number;
  /** UDP sends to one KDC before moving on (default 2). */
  udpAttempts?: number;
  /** Largest TCP reply accepted (default 1 MiB). */
  maxMessageLength?: number;
  /** Called when each attempt starts and ends. */
  trace?: (ev: TransportTraceEvent) => void;
  /** Extra CAs (PEM) trusted for https:// (KKDCP) KDCs, e.g. from krb5.conf http_anchors. */
  httpsCa?: readonly string[];
  /** The HTTPS POST for https:// KDCs (default: node:https trusting the public roots and `httpsCa`). */
  kkdcpPost?: KkdcpPost;
}

type Proto = 'udp' | 'tcp' | 'https';

/** Sends to the KDCs of a realm over UDP and TCP with retries, timeouts and failover. */
export class KdcTransport implements Transport {
  private readonly locator: KdcLocator;
  private readonly udpPreferenceLimit: number;
  private readonly attemptTimeoutMs: number;
  private readonly timeoutMs: number;
  private readonly udpAttempts: number;
  private readonly maxMessageLength: number;
  private readonly traceHook: ((ev: TransportTraceEvent) => void) | undefined;
  private readonly kkdcpPost: KkdcpPost;

  constructor(o: KdcTransportOptions = {}) {
    this.kkdcpPost = o.kkdcpPost ?? nodeHttpsPost(o.httpsCa ? { ca: o.httpsCa } : {});
    const located = o.locator ?? (async () => []);
    this.locator = o.kdcs ? chainLocators(staticLocator(o.kdcs), located) : located;
    this.udpPreferenceLimit = o.udpPreferenceLimit ?? DEFAULT_UDP_PREFERENCE_LIMIT;
    this.attemptTimeoutMs = o.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_OVERALL_TIMEOUT_MS;
    this.udpAttempts = Math.max(1, o.udpAttempts ?? DEFAULT_UDP_ATTEMPTS);
    this.maxMessageLength = o.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
    this.traceHook = o.trace;
  }

  /** {@inheritDoc Transport.send} */
  async send(realm: string, request: Uint8Array, opts?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, request, opts)).reply;
  }

  /** The protocols to try against one endpoint, in order. */
  private plan(ep: KdcEndpoint, size: number, forced: Proto | undefined): Proto[] {
    if (ep.protocol === 'https') return ['https'];
    const udp: Proto[] = Array.from({ length: this.udpAttempts }, () => 'udp');
    if (forced === 'tcp' || ep.protocol === 'tcp') return ['tcp'];
    if (forced === 'udp' || ep.protocol === 'udp') return udp;
    // MIT: above udp_preference_limit try TCP before UDP; otherwise UDP first, TCP if UDP gets nowhere.
    return size > this.udpPreferenceLimit ? ['tcp', 'udp'] : [...udp, 'tcp'];
  }

  /** {@inheritDoc Transport.sendDetailed} */
  async sendDetailed(realm: string, request: Uint8Array, opts: SendOptions = {}): Promise<SendResult> {
    const t0 = performance.now();
    const overall = opts.timeoutMs ?? this.timeoutMs;
    const deadline = t0 + overall;
    const endpoints = await this.locator(realm);
    if (endpoints.length === 0) {
      throw new TransportError(`no KDC known for realm ${realm}`, {
        hint: `add "kdc = host:port" (or https://proxy/KdcProxy) under [realms] ${realm} in krb5.conf, pass kdcs, or enable dns_lookup_kdc`,
      });
    }
    const attempts: AttemptRecord[] = [];
    let last: TransportError | undefined;
    const emit = (ev: TransportTraceEvent) => {
      this.traceHook?.(ev);
      opts.trace?.(ev);
    };
    for (const ep of endpoints) {
      let protos = this.plan(ep, request.length, opts.protocol);
      for (let i = 0; i < protos.length; i++) {
        const proto = protos[i]!;
        const remaining = deadline - performance.now();
        if (remaining <= 0) {
          throw new TransportError(
            `overall timeout of ${overall} ms for realm ${realm} after ${attempts.length} attempts`,
            {
              kdc: last?.kdc,
              hint: 'every KDC tried was slow or silent; check the KDCs or raise timeoutMs',
              cause: last,
            },
          );
        }
        const kdc: KdcAttemptAddress =
          proto === 'https' ? kkdcpAttemptAddress(ep.url ?? '') : { host: ep.host, port: ep.port, proto };
        const attempt = attempts.length + 1;
        emit({ realm, phase: 'start', attempt, kdc, bytesSent: request.length });
        const started = performance.now();
        const o = {
          timeoutMs: Math.max(1, Math.min(opts.attemptTimeoutMs ?? this.attemptTimeoutMs, remaining)),
          maxMessageLength: this.maxMessageLength,
          signal: opts.signal,
        };
        const r: AttemptResult = await (proto === 'https'
          ? kkdcpExchange(ep.url ?? '', realm, request, { ...o, post: this.kkdcpPost })
          : proto === 'udp'
            ? udpExchange(ep, request, o)
            : tcpExchange(ep, request, o));
        const ms = performance.now() - started;
        const done = attemptEnder(attempts, emit, { realm, attempt, kdc, bytesSent: request.length });
        if (!r.ok) {
          last = r.error;
          done({ kdc, outcome: r.kind === 'timeout' ? 'timeout' : 'error', ms, error: r.error.message });
          if (r.kind === 'aborted') throw r.error;
          // An error (not silence) on UDP will not go away by resending: go to TCP, if planned.
          if (proto === 'udp' && r.kind === 'error')
            protos = [...protos.slice(0, i + 1), ...protos.slice(i + 1).filter((p) => p === 'tcp')];
          continue;
        }
        const verdict = classifyKdcReply(r.reply);
        if (verdict === 'reply' || (verdict === 'too-big' && proto !== 'udp')) {
          done({ kdc, outcome: 'reply', ms }, r.reply.length);
          return { reply: r.reply, kdc, attempts, ms: performance.now() - t0 };
        }
        const where = formatAttemptAddress(kdc);
        if (verdict === 'too-big') {
          done({ kdc, outcome: 'too-big', ms, error: 'KRB_ERR_RESPONSE_TOO_BIG' }, r.reply.length);
          protos = [...protos.slice(0, i + 1), 'tcp'];
          continue;
        }
        last =
          verdict === 'unavailable'
            ? new TransportError(`${where}: KDC_ERR_SVC_UNAVAILABLE`, {
                kdc: where,
                hint: 'this KDC cannot serve now; another may',
              })
            : new TransportError(
                `${where}: reply is not a Kerberos message (first byte 0x${(r.reply[0] ?? 0).toString(16)})`,
                {
                  kdc: where,
                  hint: 'something other than a KDC answers on this port',
                },
              );
        done(
          { kdc, outcome: verdict === 'unavailable' ? 'unavailable' : 'error', ms, error: last.message },
          r.reply.length,
        );
        break;
      }
    }
    throw new TransportError(
      `no KDC of realm ${realm} answered after ${attempts.length} attempts; last: ${last?.message ?? 'none'}`,
      {
        kdc: last?.kdc,
        hint: last?.hint ?? 'check the KDC list for the realm',
        cause: last,
      },
    );
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
