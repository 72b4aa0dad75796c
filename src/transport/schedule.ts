/**
 * The retry schedule of one send to a realm's KDCs, after MIT krb5's k5_sendto (src/lib/krb5/os/sendto_kdc.c). Pure:
 * it lists steps; the transport carries them out, listening on every channel it has opened all along, so an earlier
 * attempt that answers late still wins.
 *
 * - Pass 1: each channel of the preferred transport in turn gets the request, then a wait of `waitMs` (MIT: 1 s);
 *   then each deferred channel (the other transport of an `auto` KDC: TCP after UDP) the same way; then a wait of
 *   2 × `waitMs`.
 * - Passes 2 … `passes`: each channel again (UDP: the same datagram on the same socket; a stream still open is left
 *   to answer, one closed or reset before its reply gets a new connection), each followed by `waitMs`; then a wait
 *   that doubles every pass (4 × `waitMs`, 8 × `waitMs`, …).
 *
 * With MIT's numbers (1 s, 3 passes) one UDP KDC is sent the request at 0, 1 (TCP), 4 and 9 s and given up at 18 s;
 * an overall deadline ends it sooner. Where MIT waits up to 10 s on a connected stream before the next server, this
 * schedule moves on after `waitMs` and keeps the stream open: the first reply still wins, failover is faster.
 *
 * The transport skips a wait when nothing is listening, except the wait before another pass while a channel waits
 * for that pass after a transient failure (a KKDCP proxy's 503): that retry comes after the growing wait, not at once.
 */

/**
 * One step: send on a channel (by index), or wait for a reply. `nextPass` is set on the wait that ends a pass when
 * another pass follows: the number of that pass.
 */
export type ScheduleStep =
  | { kind: 'send'; channel: number }
  | { kind: 'wait'; ms: number; nextPass?: number };

/** How the schedule is paced. */
export interface ScheduleTiming {
  /** Wait after each send before the next send starts (MIT: 1000 ms). */
  waitMs: number;
  /** Passes over the channels (MIT: 3). */
  passes: number;
}

/**
 * The steps for `channels`, lazily: a channel appended while the schedule runs (TCP after KRB_ERR_RESPONSE_TOO_BIG
 * from a UDP-only KDC) is part of every later pass.
 */
export function* sendSchedule(
  channels: readonly { deferred: boolean }[],
  t: ScheduleTiming,
): Generator<ScheduleStep, void, undefined> {
  for (const deferred of [false, true]) {
    for (let i = 0; i < channels.length; i++) {
      if (channels[i]!.deferred !== deferred) continue;
      yield { kind: 'send', channel: i };
      yield { kind: 'wait', ms: t.waitMs };
    }
  }
  let backoff = 2 * t.waitMs;
  for (let pass = 2; ; pass++) {
    yield pass <= t.passes ? { kind: 'wait', ms: backoff, nextPass: pass } : { kind: 'wait', ms: backoff };
    if (pass > t.passes) return;
    for (let i = 0; i < channels.length; i++) {
      yield { kind: 'send', channel: i };
      yield { kind: 'wait', ms: t.waitMs };
    }
    backoff *= 2;
  }
}
