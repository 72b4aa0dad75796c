// Per-message protection on established contexts: tamper, direction, sequence, RRC/EC, keys (RFC 4121 4.2, RFC 4757).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntegrityError, KerberosError, ProtocolError } from '../../src/errors.js';
import { acceptSecContext } from '../../src/gss/acceptor.js';
import { GssFlag } from '../../src/gss/constants.js';
import type { WrapTokenOptions } from '../../src/gss/context.js';
import { initSecContext } from '../../src/gss/initiator.js';
import { MemoryReplayCache } from '../../src/gss/replay-cache.js';
import { utf8 } from '../../src/util/bytes.js';
import { testClock } from '../helpers/clock.js';
import { ETYPES, issue, seededRandom, serviceKey } from './fixtures.js';

function pair(etype: number, o: { flags?: number; wrapTokens?: WrapTokenOptions } = {}) {
  const clock = testClock();
  const init = initSecContext({
    credential: issue(etype),
    clock,
    random: seededRandom(etype + 100),
    etypeNegotiation: false,
    ...(o.flags === undefined ? {} : { flags: o.flags }),
    ...(o.wrapTokens ? { wrapTokens: o.wrapTokens } : {}),
  });
  const acc = acceptSecContext(init.token, {
    keys: [serviceKey(etype)],
    clock,
    replayCache: new MemoryReplayCache({ clock }),
    ...(o.wrapTokens ? { wrapTokens: o.wrapTokens } : {}),
  });
  if (acc.outputToken) init.context.step(acc.outputToken);
  return { initiator: init.context, acceptor: acc.context };
}

function check(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e.check;
    if (e instanceof IntegrityError) return 'integrity';
    if (e instanceof KerberosError) return 'malformed';
    throw e;
  }
  return 'accepted';
}

describe.each(ETYPES)('etype %i', (etype) => {
  it('refuses a reflected token (wrong direction)', () => {
    const { initiator } = pair(etype);
    const m = utf8('m');
    expect(check(() => initiator.unwrap(initiator.wrap(m)))).toBe('direction');
    expect(check(() => initiator.verifyMic(m, initiator.getMic(m)))).toBe('direction');
  });

  it('refuses a reused sequence number (replay) and a gap or reordering (SEQUENCE)', () => {
    const { initiator, acceptor } = pair(etype);
    const m = utf8('m');
    const t1 = initiator.wrap(m);
    const t2 = initiator.wrap(m);
    const t3 = initiator.wrap(m);
    acceptor.unwrap(t1);
    expect(check(() => acceptor.unwrap(t1))).toBe('replay');
    expect(check(() => acceptor.unwrap(t3))).toBe('sequence');
    expect(check(() => acceptor.unwrap(t2))).toBe('sequence');
    expect(check(() => acceptor.unwrap(t2))).toBe('replay');
  });

  it('with REPLAY only, out-of-order tokens are accepted once', () => {
    const { initiator, acceptor } = pair(etype, {
      flags: GssFlag.MUTUAL | GssFlag.REPLAY | GssFlag.CONF | GssFlag.INTEG,
    });
    const m = utf8('m');
    const mics = [0, 1, 2].map(() => initiator.getMic(m));
    acceptor.verifyMic(m, mics[2]!);
    acceptor.verifyMic(m, mics[0]!);
    acceptor.verifyMic(m, mics[1]!);
    expect(check(() => acceptor.verifyMic(m, mics[1]!))).toBe('replay');
  });

  it('without REPLAY or SEQUENCE, a repeated token is accepted', () => {
    const { initiator, acceptor } = pair(etype, { flags: GssFlag.MUTUAL | GssFlag.INTEG });
    const t = initiator.getMic(utf8('m'));
    acceptor.verifyMic(utf8('m'), t);
    acceptor.verifyMic(utf8('m'), t);
  });

  it('any flipped bit of a token is refused (fast-check)', () => {
    const { initiator, acceptor } = pair(etype, { flags: GssFlag.MUTUAL | GssFlag.CONF | GssFlag.INTEG });
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.boolean(),
        fc.boolean(),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (msg, conf, mic, at, bit) => {
          const token = mic ? initiator.getMic(msg) : initiator.wrap(msg, { conf });
          const bad = token.slice();
          const i = at % bad.length;
          // RFC 4757 leaves SND_SEQ (after 13 bytes of framing and 8 of header) out of the checksum: without
          // REPLAY or SEQUENCE a changed sequence number goes unnoticed, as in MIT and Windows.
          if (etype === 23 && i >= 21 && i < 29) return;
          // RRC is outside the checksum: a count that rotates by a multiple of the length changes nothing.
          if (etype !== 23 && (i === 6 || i === 7) && (bad[6]! * 256 + bad[7]!) % (bad.length - 16) === 0)
            return;
          // One bit turns the krb5 OID of the framing into Microsoft's krb5 OID, which is accepted.
          if (etype === 23 && i === 7 && bit === 2) return;
          bad[i]! ^= 1 << bit;
          const r = check(() => (mic ? acceptor.verifyMic(msg, bad) : acceptor.unwrap(bad)));
          // RRC is not covered by the MAC but a changed rotation breaks decryption or the checksum.
          expect(r).not.toBe('accepted');
          // The good token still verifies (the window did not move on failures).
          if (mic) acceptor.verifyMic(msg, token);
          else expect(acceptor.unwrap(token).message).toEqual(msg);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('RFC 4121 Wrap: RRC and EC', () => {
  it.each([17, 18, 19, 20])('etype %i: tokens with RRC 28 and EC 16 (as Windows sends) unwrap', (etype) => {
    const { initiator, acceptor } = pair(etype, { wrapTokens: { rrc: 28, ec: 16 } });
    for (const conf of [true, false]) {
      const m = utf8('rotated');
      const t = initiator.wrap(m, { conf });
      expect(t[6]! * 256 + t[7]!).toBe(28);
      expect(acceptor.unwrap(t)).toEqual({ message: m, conf });
      expect(initiator.unwrap(acceptor.wrap(m, { conf }))).toEqual({ message: m, conf });
    }
  });

  it('RRC larger than the payload still unwraps', () => {
    const { initiator, acceptor } = pair(18, { wrapTokens: { rrc: 1000 } });
    expect(acceptor.unwrap(initiator.wrap(utf8('x'))).message).toEqual(utf8('x'));
  });

  it('a context is unusable before the AP-REP', () => {
    const clock = testClock();
    const { context } = initSecContext({ credential: issue(18), clock });
    expect(context.established).toBe(false);
    expect(check(() => context.wrap(utf8('x')))).toBe('established');
  });
});
