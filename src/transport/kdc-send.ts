/**
 * One send to a realm's KDCs, carried out on the schedule of ./schedule.ts: channels are opened (UDP requests resent,
 * KKDCP requests POSTed again) step by step, every open channel keeps listening, and the first usable reply wins; then
 * every channel is closed and every timer cleared, on every path (reply, exhausted schedule, overall deadline, the
 * caller's abort).
 *
 * Why sending the same request bytes again is safe (a resend, a second transport, a new connection, another KDC, a
 * second POST that a KKDCP proxy relays as it did the first):
 * - MIT krb5kdc keeps a lookaside cache keyed by the request bytes (kdc/replay.c, checked first in kdc/dispatch.c):
 *   a repeat gets the previous reply again, and a repeat that arrives while the first is still being processed is
 *   dropped (the first copy's reply comes back on its own socket, which is why earlier channels keep listening).
 *   Its TGS path also verifies the TGS-REQ's AP-REQ without a replay cache (kdc_util.c: "Don't use a replay
 *   cache"), so a repeat that misses the lookaside cache (another KDC, an expired entry) is served again.
 * - Heimdal's KDC, which Samba's AD DC runs, verifies the TGS-REQ's AP-REQ with krb5_verify_ap_req2 and no replay
 *   cache (kdc/krb5tgs.c), and keeps no lookaside cache: a repeat is processed afresh, with a fresh reply.
 * - Windows AD's KDC is not checked here (no AD in the lab; Samba stands in for it). MIT's own client resends the same
 *   bytes to every KDC it supports, AD included, which is the behaviour this schedule copies.
 * - In every case the client matches the reply to its request (nonce, checksum of the request body in the
 *   authenticator), so whichever copy's reply arrives first is as good as any other; the others are dropped with
 *   their sockets. A new authenticator is therefore not needed. Shown against both lab KDCs by
 *   test/interop/transport-resend.test.ts (one TGS-REQ sent twice, over UDP and over TCP: two good replies).
 */
import { TransportError } from '../errors.js';
import {
  type AttemptFailure,
  attemptEnder,
  type Channel,
  type ChannelEvents,
  socketFailure,
} from './attempt.js';
import { formatAttemptAddress } from './kdc-address.js';
import type { KdcLimiter, ReleaseSlot } from './kdc-limiter.js';
import { classifyKdcReply } from './krb-error-peek.js';
import { type ScheduleTiming, sendSchedule } from './schedule.js';
import type {
  AttemptRecord,
  KdcAttemptAddress,
  SendResult,
  TransportTimers,
  TransportTraceEvent,
} from './types.js';

/** One channel the send may open: a KDC and a protocol. */
export interface ChannelSpec {
  kdc: KdcAttemptAddress;
  /** Sent to only after every channel of the preferred protocol (MIT's deferred, non-preferred transport). */
  deferred: boolean;
}

/** Everything one send needs. */
export interface KdcSendParams {
  realm: string;
  request: Uint8Array;
  channels: ChannelSpec[];
  timing: ScheduleTiming;
  /** Overall deadline of the send in ms from `startedAt` (KDC lookup and queueing included). */
  timeoutMs: number;
  /** When the send started, on `timers`' clock. */
  startedAt: number;
  timers: TransportTimers;
  /** Back-pressure per KDC, by the protocol of the send's first attempt there (https counts as tcp). */
  limiters: { udp?: KdcLimiter | undefined; tcp?: KdcLimiter | undefined };
  signal: AbortSignal | undefined;
  /** Receives trace events; absent when nobody listens (no event is built). */
  emit: ((ev: TransportTraceEvent) => void) | undefined;
  /** Opens a channel for a spec. */
  open: (spec: ChannelSpec, events: ChannelEvents) => Channel;
}

/**
 * `closed`: a stream closed before its reply, opened again on the next pass; `resting`: failed transiently, opened
 * again on the next pass after the wait between passes; `dead`: failed for good.
 */
type ChannelState = 'new' | 'listening' | 'closed' | 'resting' | 'dead';

interface LiveChannel extends ChannelSpec {
  state: ChannelState;
  channel?: Channel | undefined;
  /** The attempt in progress on this channel: its number, start time and closer. */
  attempt?: { started: number; end: (r: AttemptRecord, bytes?: number) => void } | undefined;
}

/** A channel not opened yet, with every field it will have: one object shape for all, on a path run per request. */
const newChannel = (c: ChannelSpec): LiveChannel => ({
  kdc: c.kdc,
  deferred: c.deferred,
  state: 'new',
  channel: undefined,
  attempt: undefined,
});

/** A transport's trace hook and a send's own as one emitter, or undefined when nobody listens (no event is built). */
export function joinTraces(
  hook: ((ev: TransportTraceEvent) => void) | undefined,
  perSend: ((ev: TransportTraceEvent) => void) | undefined,
): ((ev: TransportTraceEvent) => void) | undefined {
  if (!hook || !perSend) return hook ?? perSend;
  return (ev) => {
    hook(ev);
    perSend(ev);
  };
}

/** How a reply of no use is told, by who sent it: a KDC, or a KKDCP proxy relaying what its KDC said. */
const UNUSABLE_REPLY = {
  kdc: {
    unavailable: 'this KDC cannot serve now; another may',
    garbage: 'reply is not a Kerberos message',
    garbageHint: 'something other than a KDC answers on this port',
  },
  proxy: {
    unavailable: 'the KDC behind this proxy cannot serve now; another may',
    garbage: 'kerb-message is not a Kerberos reply',
    garbageHint:
      'the proxy relayed something that is not a KDC reply: check its KDC configuration for the realm',
  },
} as const;

/** The `host:port` (or URL) a KDC is counted under for back-pressure. */
const kdcKey = (kdc: KdcAttemptAddress): string => kdc.url ?? `${kdc.host}:${kdc.port}`;

/** Sends `request` on the schedule and resolves with the first usable reply; rejects with a TransportError. */
export function sendToKdcs(p: KdcSendParams): Promise<SendResult> {
  const { realm, request, timers } = p;
  if (p.signal?.aborted)
    return Promise.reject(new TransportError(`send to realm ${realm} aborted`, { cause: p.signal.reason }));
  return new Promise<SendResult>((resolve, reject) => {
    const t0 = p.startedAt;
    const live: LiveChannel[] = p.channels.map(newChannel);
    const steps = sendSchedule(live, p.timing);
    const attempts: AttemptRecord[] = [];
    const slots = new Map<string, ReleaseSlot>();
    const contacted = new Set<string>();
    let attemptCount = 0;
    let queuedMs = 0;
    let last: TransportError | undefined;
    let finished = false;
    let skipWait = false;
    let waitTimer: unknown;
    /** The running wait ends a pass and another follows: kept while a resting channel waits for that pass. */
    let waitEndsPass = false;
    let leaveQueue: (() => void) | undefined;
    /** The KDC first contacted by the last send: its slot is given back when the wait after that send ends. */
    let firstContact: string | undefined;

    const deadlineTimer = timers.setTimeout(
      () => {
        fail(
          new TransportError(
            `overall timeout of ${p.timeoutMs} ms for realm ${realm} after ${attemptCount} attempts${last ? `; last: ${last.message}` : ''}`,
            {
              ...(last?.kdc ? { kdc: last.kdc } : {}),
              hint: 'every KDC tried was slow or silent; check the KDCs or raise timeoutMs',
              cause: last,
            },
          ),
          'timeout',
        );
      },
      Math.max(0, p.timeoutMs - (timers.now() - t0)),
    );
    const onAbort = () =>
      fail(new TransportError(`send to realm ${realm} aborted`, { cause: p.signal?.reason }), 'error');
    p.signal?.addEventListener('abort', onAbort, { once: true });

    const listening = () => live.some((l) => l.state === 'listening');
    const resting = () => live.some((l) => l.state === 'resting');

    function begin(l: LiveChannel): void {
      const attempt = ++attemptCount;
      p.emit?.({ realm, phase: 'start', attempt, kdc: l.kdc, bytesSent: request.length });
      l.attempt = {
        started: timers.now(),
        end: attemptEnder(attempts, p.emit, { realm, attempt, kdc: l.kdc, bytesSent: request.length }),
      };
    }

    function end(l: LiveChannel, outcome: AttemptRecord['outcome'], error?: string, bytes?: number): void {
      const a = l.attempt;
      if (!a) return;
      l.attempt = undefined;
      const ms = timers.now() - a.started;
      const text =
        outcome === 'timeout'
          ? `${formatAttemptAddress(l.kdc)}: no reply within ${Math.round(ms)} ms`
          : error;
      if (outcome === 'timeout' && text !== undefined)
        last = new TransportError(text, {
          kdc: formatAttemptAddress(l.kdc),
          hint: 'the KDC is silent: is it running, is a firewall dropping packets, is it overloaded?',
        });
      a.end(
        text === undefined ? { kdc: l.kdc, outcome, ms } : { kdc: l.kdc, outcome, ms, error: text },
        bytes,
      );
    }

    function drop(l: LiveChannel, state: 'closed' | 'resting' | 'dead'): void {
      l.channel?.close();
      l.channel = undefined;
      l.state = state;
    }

    /** Sends on a channel: opens it (again, after a stream closed or a transient failure), or sends on it again. */
    function start(l: LiveChannel): void {
      if (l.state === 'listening') {
        end(l, 'timeout');
        begin(l);
        l.channel?.resend();
        return;
      }
      l.state = 'listening';
      begin(l);
      const events: ChannelEvents = { reply: (b) => onReply(l, b), failure: (f) => onFailure(l, f) };
      try {
        l.channel = p.open(l, events);
      } catch (e) {
        // Node throws at once for some bad addresses (a port out of range): a failed attempt like any other.
        onFailure(l, socketFailure(formatAttemptAddress(l.kdc), e));
      }
    }

    /** A channel not yet open, or to open again, or (UDP's datagram, KKDCP's POST) to send on again while it listens. */
    function canSend(l: LiveChannel): boolean {
      if (l.state === 'listening') return l.kdc.proto !== 'tcp';
      return l.state === 'new' || l.state === 'closed' || l.state === 'resting';
    }

    function onReply(l: LiveChannel, bytes: Uint8Array): void {
      if (finished) return;
      const verdict = classifyKdcReply(bytes);
      if (verdict === 'reply' || (verdict === 'too-big' && l.kdc.proto !== 'udp')) {
        end(l, 'reply', undefined, bytes.length);
        succeed(l, bytes);
        return;
      }
      const where = formatAttemptAddress(l.kdc);
      if (verdict === 'too-big') {
        // RFC 4120 7.2.1: the reply does not fit a datagram; ask the same KDC over TCP now.
        end(l, 'too-big', 'KRB_ERR_RESPONSE_TOO_BIG', bytes.length);
        drop(l, 'dead');
        let stream = live.find(
          (x) => x.kdc.proto === 'tcp' && x.kdc.host === l.kdc.host && x.kdc.port === l.kdc.port,
        );
        if (!stream) {
          stream = newChannel({ kdc: { host: l.kdc.host, port: l.kdc.port, proto: 'tcp' }, deferred: false });
          live.push(stream);
        }
        if (stream.state === 'new' || stream.state === 'closed') start(stream);
        return;
      }
      const words = UNUSABLE_REPLY[l.kdc.proto === 'https' ? 'proxy' : 'kdc'];
      last =
        verdict === 'unavailable'
          ? new TransportError(`${where}: KDC_ERR_SVC_UNAVAILABLE`, { kdc: where, hint: words.unavailable })
          : new TransportError(`${where}: ${words.garbage} (first byte 0x${(bytes[0] ?? 0).toString(16)})`, {
              kdc: where,
              hint: words.garbageHint,
            });
      end(l, verdict === 'unavailable' ? 'unavailable' : 'error', last.message, bytes.length);
      drop(l, 'dead');
      if (!listening()) wake();
    }

    function onFailure(l: LiveChannel, f: AttemptFailure): void {
      if (finished) return;
      last = f.error;
      end(l, 'error', f.error.message);
      // A stream closed or reset before its reply gets a new connection on the next pass, a transient failure a new
      // attempt after the wait that ends this pass; other failures are final.
      drop(l, f.kind === 'closed' ? 'closed' : f.kind === 'transient' ? 'resting' : 'dead');
      if (!listening()) wake();
    }

    /** Nothing is listening any more: the current wait cannot end in a reply, so move on now (unless a retry waits). */
    function wake(): void {
      if (waitTimer === undefined || (waitEndsPass && resting())) return;
      timers.clearTimeout(waitTimer);
      waitTimer = undefined;
      waitEnded();
      advance();
    }

    function waitEnded(): void {
      if (firstContact === undefined) return;
      // The KDC had its first wait: whether slow or dead, it no longer holds back other sends' first attempts.
      slots.get(firstContact)?.();
      slots.delete(firstContact);
      firstContact = undefined;
    }

    function advance(): void {
      for (;;) {
        if (finished) return;
        const step = steps.next();
        if (step.done) {
          closeOpen('timeout');
          fail(
            new TransportError(
              `no KDC of realm ${realm} answered after ${attemptCount} attempts; last: ${last?.message ?? 'none'}`,
              {
                ...(last?.kdc ? { kdc: last.kdc } : {}),
                hint: last?.hint ?? 'check the KDC list for the realm',
                cause: last,
              },
            ),
            'timeout',
          );
          return;
        }
        const s = step.value;
        if (s.kind === 'send') {
          const l = live[s.channel]!;
          // MIT's maybe_send: nothing to send on this channel, so no wait for it either.
          if (!canSend(l)) {
            skipWait = true;
            continue;
          }
          const key = kdcKey(l.kdc);
          const limiter = p.limiters[l.kdc.proto === 'udp' ? 'udp' : 'tcp'];
          if (limiter && !contacted.has(key)) {
            contacted.add(key);
            const release = limiter.tryAcquire(key);
            if (!release) {
              const queuedAt = timers.now();
              leaveQueue = limiter.wait(key, (granted) => {
                leaveQueue = undefined;
                queuedMs += timers.now() - queuedAt;
                if (finished) return granted();
                slots.set(key, granted);
                firstContact = key;
                start(l);
                advance();
              });
              return;
            }
            slots.set(key, release);
            firstContact = key;
          }
          start(l);
          continue;
        }
        waitEndsPass = s.nextPass !== undefined;
        if (skipWait || (!listening() && !(waitEndsPass && resting()))) {
          skipWait = false;
          waitEnded();
          continue;
        }
        waitTimer = timers.setTimeout(() => {
          waitTimer = undefined;
          waitEnded();
          advance();
        }, s.ms);
        return;
      }
    }

    /** Ends the attempts still waiting: `timeout` (no reply by now) or `error` (aborted). */
    function closeOpen(outcome: 'timeout' | 'error'): void {
      for (const l of live) {
        if (l.state !== 'listening') continue;
        end(l, outcome, outcome === 'error' ? 'aborted' : undefined);
        drop(l, 'dead');
      }
    }

    function cleanup(outcome: 'timeout' | 'error'): void {
      finished = true;
      timers.clearTimeout(deadlineTimer);
      if (waitTimer !== undefined) timers.clearTimeout(waitTimer);
      waitTimer = undefined;
      leaveQueue?.();
      p.signal?.removeEventListener('abort', onAbort);
      closeOpen(outcome);
      for (const release of slots.values()) release();
      slots.clear();
    }

    function succeed(l: LiveChannel, reply: Uint8Array): void {
      cleanup('timeout');
      resolve({ reply, kdc: l.kdc, attempts, ms: timers.now() - t0, queuedMs });
    }

    function fail(e: TransportError, outcome: 'timeout' | 'error'): void {
      if (finished) return;
      cleanup(outcome);
      reject(e);
    }

    advance();
  });
}
