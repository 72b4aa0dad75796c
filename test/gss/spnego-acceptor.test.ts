/** SPNEGO acceptor (RFC 4178 3.2, 5) against scripted initiator tokens, on the toy mechanism. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors.js';
import { GssMechOid } from '../../src/gss/constants.js';
import { encodeSpnegoReject, SpnegoRejectError, spnegoAccept } from '../../src/gss/spnego-acceptor.js';
import {
  decodeNegotiationToken,
  encodeMechTypeList,
  encodeNegotiationToken,
  encodeSpnegoInitialToken,
  NegState,
  type NegTokenInit,
  type NegTokenResp,
} from '../../src/gss/spnego-codec.js';
import { NEGOEX_OID, NTLMSSP_OID } from '../../src/gss/spnego-mic.js';
import { toHex, utf8 } from '../../src/util/bytes.js';
import { ToyContext, toyMech } from './spnego-fixtures.js';

const { KRB5, MS_KRB5 } = GssMechOid;
const init = (v: NegTokenInit): Uint8Array => encodeSpnegoInitialToken({ negTokenInit: v });
const resp = (r: NegTokenResp): Uint8Array => encodeNegotiationToken({ negTokenResp: r });
const AP_REQ = utf8('AP-REQ#1');
/** The initiator side of the toy mechanism, to make and check MICs. */
const initiatorCtx = () => new ToyContext(true, 0, utf8('toy secret'));

function answer(b: Uint8Array | undefined): NegTokenResp {
  if (b === undefined) throw new Error('no token');
  const t = decodeNegotiationToken(b);
  if (!('negTokenResp' in t)) throw new Error('not a NegTokenResp');
  return t.negTokenResp;
}

function rejection(f: () => unknown): SpnegoRejectError {
  try {
    f();
  } catch (e) {
    if (e instanceof SpnegoRejectError) return e;
    throw e;
  }
  throw new Error('no rejection');
}

describe('Kerberos first (Windows, MIT initiators)', () => {
  it('Windows list with the optimistic AP-REQ: accept-completed, supportedMech echoed, AP-REP, no MIC', () => {
    const mech = toyMech();
    const { outputToken, acceptor } = spnegoAccept(
      init({ mechTypes: [MS_KRB5, KRB5, NEGOEX_OID, NTLMSSP_OID], mechToken: AP_REQ }),
      mech.accept,
    );
    expect(answer(outputToken)).toEqual({
      negState: NegState.ACCEPT_COMPLETED,
      supportedMech: MS_KRB5,
      responseToken: utf8('AP-REP'),
    });
    expect(acceptor.established).toBe(true);
    expect(acceptor.mech).toBe(MS_KRB5);
    expect(acceptor.result?.outputToken).toEqual(utf8('AP-REP'));
    expect(mech.accepted).toEqual([AP_REQ]);
  });

  it('an acceptor configured for KRB5 alone still takes MS_KRB5 (one mechanism, two OIDs)', () => {
    const { outputToken } = spnegoAccept(
      init({ mechTypes: [MS_KRB5], mechToken: AP_REQ }),
      toyMech().accept,
      {
        mechs: [KRB5],
      },
    );
    expect(answer(outputToken).supportedMech).toBe(MS_KRB5);
  });

  it('MIT list, no mutual authentication: accept-completed without a responseToken', () => {
    const { outputToken, acceptor } = spnegoAccept(
      init({ mechTypes: [KRB5], mechToken: AP_REQ }),
      toyMech({ mutual: false }).accept,
    );
    expect(answer(outputToken)).toEqual({ negState: NegState.ACCEPT_COMPLETED, supportedMech: KRB5 });
    expect(acceptor.established).toBe(true);
  });

  it('no optimistic token: accept-incomplete, then the AP-REQ in a NegTokenResp', () => {
    const { outputToken, acceptor } = spnegoAccept(init({ mechTypes: [KRB5] }), toyMech().accept);
    expect(answer(outputToken)).toEqual({ negState: NegState.ACCEPT_INCOMPLETE, supportedMech: KRB5 });
    expect(acceptor.established).toBe(false);
    expect(answer(acceptor.step(resp({ responseToken: AP_REQ })))).toEqual({
      negState: NegState.ACCEPT_COMPLETED,
      responseToken: utf8('AP-REP'),
    });
    expect(acceptor.established).toBe(true);
  });

  it("the initiator's MIC in its NegTokenInit is verified and answered", () => {
    const listDer = encodeMechTypeList([KRB5]);
    const { outputToken, acceptor } = spnegoAccept(
      init({ mechTypes: [KRB5], mechToken: AP_REQ, mechListMIC: initiatorCtx().getMic(listDer) }),
      toyMech({ mutual: false }).accept,
    );
    const a = answer(outputToken);
    expect(a.negState).toBe(NegState.ACCEPT_COMPLETED);
    initiatorCtx().verifyMic(listDer, a.mechListMIC!);
    expect(acceptor.established).toBe(true);
  });
});

describe('Kerberos not first (RFC 4178 5: MICs required)', () => {
  const list = [NTLMSSP_OID, KRB5];
  const listDer = encodeMechTypeList(list);

  function negotiate() {
    const mech = toyMech();
    const first = spnegoAccept(init({ mechTypes: list, mechToken: utf8('NTLMSSP NEGOTIATE') }), mech.accept);
    return { mech, ...first };
  }

  it('request-mic and supportedMech without running the NTLM token; then AP-REP and our MIC; then theirs', () => {
    const { mech, outputToken, acceptor } = negotiate();
    expect(answer(outputToken)).toEqual({ negState: NegState.REQUEST_MIC, supportedMech: KRB5 });
    expect(mech.accepted).toHaveLength(0);
    const a2 = answer(acceptor.step(resp({ responseToken: AP_REQ })));
    expect(a2.negState).toBe(NegState.ACCEPT_INCOMPLETE);
    expect(a2.responseToken).toEqual(utf8('AP-REP'));
    initiatorCtx().verifyMic(listDer, a2.mechListMIC!);
    expect(acceptor.established).toBe(false);
    expect(
      acceptor.step(
        resp({ negState: NegState.ACCEPT_COMPLETED, mechListMIC: initiatorCtx().getMic(listDer) }),
      ),
    ).toBeUndefined();
    expect(acceptor.established).toBe(true);
  });

  it("the initiator's last token without its MIC: spnego-mech-list-mic-missing", () => {
    const { acceptor } = negotiate();
    acceptor.step(resp({ responseToken: AP_REQ }));
    expect(rejection(() => acceptor.step(resp({}))).check).toBe('spnego-mech-list-mic-missing');
  });

  it('a MIC over another list (downgrade): spnego-mech-list-mic, with a reject to send', () => {
    const { acceptor } = negotiate();
    acceptor.step(resp({ responseToken: AP_REQ }));
    const e = rejection(() =>
      acceptor.step(resp({ mechListMIC: initiatorCtx().getMic(encodeMechTypeList([KRB5, NTLMSSP_OID])) })),
    );
    expect(e.check).toBe('spnego-mech-list-mic');
    expect(answer(e.outputToken)).toEqual({ negState: NegState.REJECT });
  });

  it('a mechanism token after the context: spnego-state', () => {
    const { acceptor } = negotiate();
    acceptor.step(resp({ responseToken: AP_REQ }));
    expect(rejection(() => acceptor.step(resp({ responseToken: AP_REQ }))).check).toBe('spnego-state');
  });
});

describe('refusals', () => {
  it('no common mechanism: spnego-no-common-mech, reject token a1073005a0030a0102', () => {
    const e = rejection(() =>
      spnegoAccept(init({ mechTypes: [NTLMSSP_OID], mechToken: utf8('x') }), toyMech().accept),
    );
    expect(e.check).toBe('spnego-no-common-mech');
    expect(e.message).toContain('NTLM');
    expect(toHex(e.outputToken)).toBe('a1073005a0030a0102');
    expect(toHex(encodeSpnegoReject())).toBe('a1073005a0030a0102');
    expect(toHex(encodeSpnegoReject(Uint8Array.of(0x60, 0)))).toBe('a10d300ba0030a0102a20404026000');
    expect(rejection(() => spnegoAccept(init({ mechTypes: [] }), toyMech().accept)).check).toBe(
      'spnego-no-common-mech',
    );
  });

  it.each([
    ['a bare NegTokenInit (unframed)', encodeNegotiationToken({ negTokenInit: { mechTypes: [KRB5] } })],
    ['a NegTokenResp', encodeSpnegoInitialToken({ negTokenResp: { negState: 0 } })],
    ['a NegTokenInit2', encodeSpnegoInitialToken({ negTokenInit2: { negHints: { hintName: 'x' } } })],
    ['a raw Kerberos token', utf8('`\u0000')],
    ['nothing', new Uint8Array(0)],
  ])('%s as first token: spnego-token', (_, token) => {
    expect(rejection(() => spnegoAccept(token, toyMech().accept)).check).toBe('spnego-token');
  });

  it('an initiator reject, or garbage, in a later token', () => {
    const { acceptor } = spnegoAccept(init({ mechTypes: [KRB5] }), toyMech().accept);
    expect(rejection(() => acceptor.step(resp({ negState: NegState.REJECT }))).check).toBe('spnego-reject');
    expect(rejection(() => acceptor.step(utf8('junk'))).check).toBe('spnego-token');
    expect(rejection(() => acceptor.step(resp({}))).check).toBe('spnego-mech-token');
  });

  it('a step after completion: spnego-state', () => {
    const { acceptor } = spnegoAccept(init({ mechTypes: [KRB5], mechToken: AP_REQ }), toyMech().accept);
    expect(rejection(() => acceptor.step(resp({}))).check).toBe('spnego-state');
  });

  it("the Kerberos acceptor's own error passes through typed", () => {
    let err: unknown;
    try {
      spnegoAccept(init({ mechTypes: [KRB5], mechToken: utf8('not a token') }), toyMech().accept);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).check).toBe('toy');
  });

  it('a mechanism that is not established after one token: spnego-mech-token', () => {
    const accept = () => ({
      context: Object.assign(new ToyContext(false, 0, utf8('k')), { established: false }),
    });
    expect(rejection(() => spnegoAccept(init({ mechTypes: [KRB5], mechToken: AP_REQ }), accept)).check).toBe(
      'spnego-mech-token',
    );
  });

  it('an acceptor configured for anything but Kerberos is a programming error', () => {
    expect(() =>
      spnegoAccept(init({ mechTypes: [KRB5] }), toyMech().accept, { mechs: [NTLMSSP_OID] }),
    ).toThrow(ProtocolError);
  });
});

describe('properties', () => {
  it('mutated NegTokenInits and random follow-ups: an answer or a typed refusal, never a crash', () => {
    const base = init({
      mechTypes: [NTLMSSP_OID, MS_KRB5, KRB5],
      mechToken: AP_REQ,
      mechListMIC: utf8('mic'),
    });
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 24 }),
        (at, v, next) => {
          const m = base.slice();
          m[at % m.length] = v;
          try {
            const { outputToken, acceptor } = spnegoAccept(m, toyMech().accept);
            expect(decodeNegotiationToken(outputToken)).toHaveProperty('negTokenResp');
            acceptor.step(next);
          } catch (e) {
            expect(e).toBeInstanceOf(ProtocolError);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});
