// RFC 4121 / RFC 4757 contexts end to end: initiator token -> acceptor -> AP-REP -> Wrap/MIC both ways.
import { describe, expect, it } from 'vitest';
import { type AcceptorOptions, acceptSecContext } from '../../src/gss/acceptor.js';
import { GssFlag, TokenFlag } from '../../src/gss/constants.js';
import { initSecContext } from '../../src/gss/initiator.js';
import { MemoryReplayCache } from '../../src/gss/replay-cache.js';
import { utf8 } from '../../src/util/bytes.js';
import { testClock } from '../helpers/clock.js';
import { ETYPES, issue, SERVICE, seededRandom, serviceKey } from './fixtures.js';

function pair(etype: number, flags?: number, acceptor: Partial<AcceptorOptions> = {}) {
  const clock = testClock();
  const credential = issue(etype);
  const init = initSecContext({
    credential,
    clock,
    random: seededRandom(etype),
    // The context key then has the session key's enctype, so that etype 23 runs RFC 4757 tokens.
    etypeNegotiation: false,
    ...(flags === undefined ? {} : { flags }),
  });
  const accepted = acceptSecContext(init.token, {
    keys: [serviceKey(etype)],
    service: SERVICE,
    clock,
    replayCache: new MemoryReplayCache({ clock }),
    ...acceptor,
  });
  if (accepted.outputToken) init.context.step(accepted.outputToken);
  return { init, accepted, initiator: init.context, acceptor: accepted.context };
}

describe.each(ETYPES)('etype %i', (etype) => {
  it('establishes with mutual authentication and agrees on the client', () => {
    const { initiator, acceptor, accepted } = pair(etype);
    expect(initiator.established).toBe(true);
    expect(acceptor.established).toBe(true);
    expect(accepted.client.name.nameString).toEqual(['alice']);
    expect(accepted.flags & GssFlag.MUTUAL).toBe(GssFlag.MUTUAL);
    expect(accepted.outputToken).toBeDefined();
    expect(accepted.evidence.ticketBytes.length).toBeGreaterThan(0);
  });

  it.each([true, false])('Wrap both directions (conf %s)', (conf) => {
    const { initiator, acceptor } = pair(etype);
    for (let i = 0; i < 3; i++) {
      const m = utf8(`message ${i} from the initiator`);
      expect(acceptor.unwrap(initiator.wrap(m, { conf }))).toEqual({ message: m, conf });
      const r = utf8(`reply ${i}`);
      expect(initiator.unwrap(acceptor.wrap(r, { conf }))).toEqual({ message: r, conf });
    }
  });

  it('MIC both directions', () => {
    const { initiator, acceptor } = pair(etype);
    const m = utf8('signed');
    acceptor.verifyMic(m, initiator.getMic(m));
    initiator.verifyMic(m, acceptor.getMic(m));
    expect(() => acceptor.verifyMic(utf8('signeD'), initiator.getMic(m))).toThrow();
  });

  it('without MUTUAL: no AP-REP, both sides established, sequence numbers agree', () => {
    const { accepted, initiator, acceptor } = pair(etype, GssFlag.REPLAY | GssFlag.SEQUENCE | GssFlag.INTEG);
    expect(accepted.outputToken).toBeUndefined();
    const m = utf8('x');
    acceptor.verifyMic(m, initiator.getMic(m));
    initiator.verifyMic(m, acceptor.getMic(m));
  });

  it('empty message and 1 KiB message', () => {
    const { initiator, acceptor } = pair(etype);
    for (const m of [new Uint8Array(0), new Uint8Array(1024).fill(7)]) {
      expect(acceptor.unwrap(initiator.wrap(m)).message).toEqual(m);
      acceptor.verifyMic(m, initiator.getMic(m));
    }
  });

  it('without an acceptor subkey the initiator subkey is the context key', () => {
    const { initiator, acceptor } = pair(etype, undefined, { acceptorSubkey: false });
    const tok = initiator.wrap(utf8('a'), { conf: false });
    if (etype !== 23) expect(tok[2]! & TokenFlag.ACCEPTOR_SUBKEY).toBe(0);
    expect(acceptor.unwrap(tok).message).toEqual(utf8('a'));
    expect(initiator.unwrap(acceptor.wrap(utf8('b'))).message).toEqual(utf8('b'));
  });
});

describe('RFC 4537 enctype negotiation', () => {
  it('an rc4 session key gets an acceptor subkey of the first offered enctype, and RFC 4121 tokens', () => {
    const clock = testClock();
    const init = initSecContext({ credential: issue(23), clock, etypeNegotiation: [18, 17, 23] });
    const accepted = acceptSecContext(init.token, {
      keys: [serviceKey(23)],
      clock,
      replayCache: new MemoryReplayCache({ clock }),
    });
    init.context.step(accepted.outputToken!);
    const t = init.context.wrap(utf8('up'));
    expect([t[0], t[1], t[2]]).toEqual([0x05, 0x04, TokenFlag.SEALED | TokenFlag.ACCEPTOR_SUBKEY]);
    expect(accepted.context.unwrap(t).message).toEqual(utf8('up'));
  });

  it('nothing is offered when the session key already has the preferred enctype', () => {
    const clock = testClock();
    const init = initSecContext({ credential: issue(18), clock, etypeNegotiation: [18, 17] });
    const accepted = acceptSecContext(init.token, {
      keys: [serviceKey(18)],
      clock,
      replayCache: new MemoryReplayCache({ clock }),
    });
    expect(accepted.authenticator.authorizationData).toBeUndefined();
  });
});
