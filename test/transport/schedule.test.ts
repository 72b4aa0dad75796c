import { describe, expect, it } from 'vitest';
import { type ScheduleStep, sendSchedule } from '../../src/transport/schedule.js';

const MIT = { waitMs: 1000, passes: 3 };
const fmt = (s: ScheduleStep) => (s.kind === 'send' ? `send ${s.channel}` : `wait ${s.ms}`);

describe('sendSchedule (MIT krb5 sendto_kdc.c k5_sendto)', () => {
  it('one auto KDC (UDP, TCP deferred): three passes, 1 s after each send, 2, 4 and 8 s after each pass', () => {
    const steps = [...sendSchedule([{ deferred: false }, { deferred: true }], MIT)].map(fmt);
    expect(steps).toEqual([
      'send 0',
      'wait 1000',
      'send 1',
      'wait 1000',
      'wait 2000',
      'send 0',
      'wait 1000',
      'send 1',
      'wait 1000',
      'wait 4000',
      'send 0',
      'wait 1000',
      'send 1',
      'wait 1000',
      'wait 8000',
    ]);
  });

  it('two auto KDCs: the first pass sends UDP to both before deferred TCP to either', () => {
    const steps = [
      ...sendSchedule([{ deferred: false }, { deferred: false }, { deferred: true }, { deferred: true }], {
        waitMs: 10,
        passes: 1,
      }),
    ].map(fmt);
    expect(steps).toEqual([
      'send 0',
      'wait 10',
      'send 1',
      'wait 10',
      'send 2',
      'wait 10',
      'send 3',
      'wait 10',
      'wait 20',
    ]);
  });

  it('a channel appended while the schedule runs joins the later passes', () => {
    const channels = [{ deferred: false }];
    const it = sendSchedule(channels, { waitMs: 1, passes: 2 });
    expect([it.next().value, it.next().value, it.next().value].map((s) => fmt(s as ScheduleStep))).toEqual([
      'send 0',
      'wait 1',
      'wait 2',
    ]);
    channels.push({ deferred: false });
    expect([...it].map(fmt)).toEqual(['send 0', 'wait 1', 'send 1', 'wait 1', 'wait 4']);
  });

  it('the wait that ends a pass names the pass that follows (a transient failure is retried then); the last names none', () => {
    const waits = [...sendSchedule([{ deferred: false }], { waitMs: 1, passes: 3 })].filter(
      (s) => s.kind === 'wait',
    );
    expect(waits).toEqual([
      { kind: 'wait', ms: 1 },
      { kind: 'wait', ms: 2, nextPass: 2 },
      { kind: 'wait', ms: 1 },
      { kind: 'wait', ms: 4, nextPass: 3 },
      { kind: 'wait', ms: 1 },
      { kind: 'wait', ms: 8 },
    ]);
  });

  it('the worst case for one UDP KDC adds up as MIT documents (3 passes: 3 × U + T + 14 s)', () => {
    const total = [...sendSchedule([{ deferred: false }, { deferred: true }], MIT)]
      .filter((s) => s.kind === 'wait')
      .reduce((n, s) => n + (s.kind === 'wait' ? s.ms : 0), 0);
    // Here the TCP channel gets its 1 s wait on every pass (MIT skips it while the stream is open): 3 + 3 + 14.
    expect(total).toBe(20_000);
  });
});
