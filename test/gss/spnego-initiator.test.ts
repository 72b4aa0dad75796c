/** SPNEGO initiator (RFC 4178 3.2, 5) against scripted acceptor replies, on the toy mechanism. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Asn1DecodeError, KerberosError, ProtocolError } from '../../src/errors.js';
import { GssMechOid } from '../../src/gss/constants.js';
import {
  ContextFlag,
  decodeNegotiationToken,
  decodeSpnegoInitialToken,
  encodeMechTypeList,
  encodeNegotiationToken,
  NegState,
  type NegTokenResp,
} from '../../src/gss/spnego-codec.js';
import { spnegoInit, WINDOWS_KRB5_MECHS } from '../../src/gss/spnego-initiator.js';
import { NTLMSSP_OID } from '../../src/gss/spnego-mic.js';
import { fromUtf8, utf8 } from '../../src/util/bytes.js';
import { checkOf, ToyContext, toyMech } from './spnego-fixtures.js';

const { KRB5, MS_KRB5 } = GssMechOid;
const resp = (r: NegTokenResp): Uint8Array => encodeNegotiationToken({ negTokenResp: r });
const AP_REP = utf8('AP-REP');

function sentResp(b: Uint8Array | undefined): NegTokenResp {
  if (b === undefined) throw new Error('no token');
  const t = decodeNegotiationToken(b);
  if (!('negTokenResp' in t)) throw new Error('not a NegTokenResp');
  return t.negTokenResp;
}

/** The acceptor side of the toy mechanism, to make and check MICs as a real acceptor would. */
const acceptorCtx = () => new ToyContext(false, 0, utf8('toy secret'));

describe('NegTokenInit', () => {
  it('by default lists MS_KRB5 then KRB5, as Windows, with the Kerberos token optimistically', () => {
    const mech = toyMech();
    const { token } = spnegoInit({ start: mech.start });
    const t = decodeSpnegoInitialToken(token);
    expect(t).toEqual({ negTokenInit: { mechTypes: [MS_KRB5, KRB5], mechToken: utf8('AP-REQ#1') } });
    expect(WINDOWS_KRB5_MECHS).toEqual([MS_KRB5, KRB5]);
  });

  it('lists [KRB5] as MIT does, with reqFlags only when asked', () => {
    const { token } = spnegoInit({ mechs: [KRB5], start: toyMech().start, reqFlags: ContextFlag.mutualFlag });
    expect(decodeSpnegoInitialToken(token)).toEqual({
      negTokenInit: { mechTypes: [KRB5], reqFlags: ContextFlag.mutualFlag, mechToken: utf8('AP-REQ#1') },
    });
  });

  it('sends no optimistic token when the first mechanism is not Kerberos', () => {
    const mech = toyMech();
    const { token } = spnegoInit({ mechs: [NTLMSSP_OID, KRB5], start: mech.start });
    expect(decodeSpnegoInitialToken(token)).toEqual({ negTokenInit: { mechTypes: [NTLMSSP_OID, KRB5] } });
    expect(mech.starts).toHaveLength(0);
  });

  it('refuses a list without Kerberos', () => {
    expect(() => spnegoInit({ mechs: [NTLMSSP_OID], start: toyMech().start })).toThrow(KerberosError);
    expect(() => spnegoInit({ mechs: [], start: toyMech().start })).toThrow(KerberosError);
  });
});

describe('the optimistic path (Windows and MIT acceptors)', () => {
  it('accept-completed with the AP-REP: established, nothing more to send', () => {
    const mech = toyMech();
    const { initiator } = spnegoInit({ start: mech.start });
    expect(initiator.established).toBe(false);
    const out = initiator.step(
      resp({ negState: NegState.ACCEPT_COMPLETED, supportedMech: MS_KRB5, responseToken: AP_REP }),
    );
    expect(out).toBeUndefined();
    expect(initiator.established).toBe(true);
    expect(initiator.mech).toBe(MS_KRB5);
    expect(mech.starts[0]!.stepInputs.map(fromUtf8)).toEqual(['AP-REP']);
    expect(initiator.context).toBe(mech.starts[0]);
  });

  it('the acceptor answering KRB5 to our MS_KRB5-first list is still our first mechanism: no MIC owed', () => {
    const { initiator } = spnegoInit({ start: toyMech().start });
    expect(
      initiator.step(
        resp({ negState: NegState.ACCEPT_COMPLETED, supportedMech: KRB5, responseToken: AP_REP }),
      ),
    ).toBeUndefined();
    expect(initiator.established).toBe(true);
  });

  it('without mutual authentication the context is complete on the first reply', () => {
    const { initiator } = spnegoInit({ mechs: [KRB5], start: toyMech({ mutual: false }).start });
    expect(
      initiator.step(resp({ negState: NegState.ACCEPT_COMPLETED, supportedMech: KRB5 })),
    ).toBeUndefined();
    expect(initiator.established).toBe(true);
  });

  it('an unrequested acceptor MIC is verified and answered with ours, over the DER of the list we sent', () => {
    const mech = toyMech();
    const { initiator } = spnegoInit({ start: mech.start });
    const listDer = encodeMechTypeList([MS_KRB5, KRB5]);
    const out = initiator.step(
      resp({
        negState: NegState.ACCEPT_COMPLETED,
        supportedMech: MS_KRB5,
        responseToken: AP_REP,
        mechListMIC: acceptorCtx().getMic(listDer),
      }),
    );
    const r = sentResp(out);
    expect(r.responseToken).toBeUndefined();
    acceptorCtx().verifyMic(listDer, r.mechListMIC!);
    expect(mech.starts[0]!.micInputs).toEqual([listDer]);
    expect(initiator.established).toBe(true);
  });
});

describe('when the acceptor chose otherwise (RFC 4178 5: MICs required)', () => {
  it('request-mic without a token: a fresh context, its token, then both MICs', () => {
    const mech = toyMech();
    const { initiator } = spnegoInit({ start: mech.start });
    const out1 = sentResp(initiator.step(resp({ negState: NegState.REQUEST_MIC, supportedMech: KRB5 })));
    expect(fromUtf8(out1.responseToken!)).toBe('AP-REQ#2');
    expect(out1.mechListMIC).toBeUndefined(); // mutual: our context is not established yet
    const listDer = encodeMechTypeList([MS_KRB5, KRB5]);
    const out2 = sentResp(
      initiator.step(
        resp({
          negState: NegState.ACCEPT_INCOMPLETE,
          responseToken: AP_REP,
          mechListMIC: acceptorCtx().getMic(listDer),
        }),
      ),
    );
    acceptorCtx().verifyMic(listDer, out2.mechListMIC!);
    expect(initiator.established).toBe(true);
    expect(initiator.context).toBe(mech.starts[1]);
  });

  it('[NTLM, KRB5]: starts Kerberos when the acceptor picks it, sends AP-REQ and MIC together when not mutual', () => {
    const mech = toyMech({ mutual: false });
    const { initiator } = spnegoInit({ mechs: [NTLMSSP_OID, KRB5], start: mech.start });
    const out = sentResp(initiator.step(resp({ negState: NegState.REQUEST_MIC, supportedMech: KRB5 })));
    const listDer = encodeMechTypeList([NTLMSSP_OID, KRB5]);
    expect(fromUtf8(out.responseToken!)).toBe('AP-REQ#1');
    acceptorCtx().verifyMic(listDer, out.mechListMIC!);
    expect(initiator.established).toBe(false);
    expect(
      initiator.step(
        resp({ negState: NegState.ACCEPT_COMPLETED, mechListMIC: acceptorCtx().getMic(listDer) }),
      ),
    ).toBeUndefined();
    expect(initiator.established).toBe(true);
  });

  it('accept-completed without the required MIC: spnego-mech-list-mic-missing', () => {
    const { initiator } = spnegoInit({ mechs: [NTLMSSP_OID, KRB5], start: toyMech().start });
    initiator.step(resp({ negState: NegState.REQUEST_MIC, supportedMech: KRB5 }));
    expect(
      checkOf(() => initiator.step(resp({ negState: NegState.ACCEPT_COMPLETED, responseToken: AP_REP }))),
    ).toBe('spnego-mech-list-mic-missing');
  });
});

describe('refusals', () => {
  const started = () => spnegoInit({ start: toyMech().start }).initiator;

  it('reject names the acceptor choice: spnego-reject', () => {
    let err: unknown;
    try {
      started().step(resp({ negState: NegState.REJECT, supportedMech: NTLMSSP_OID }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).check).toBe('spnego-reject');
    expect((err as ProtocolError).message).toContain('NTLM (1.3.6.1.4.1.311.2.2.10)');
  });

  it("reject carrying the mechanism's KRB-ERROR token throws the mechanism's error", () => {
    expect(
      checkOf(() => started().step(resp({ negState: NegState.REJECT, responseToken: utf8('KRB-ERROR') }))),
    ).toBe('toy-error');
  });

  it.each([
    ['supportedMech we did not offer', { negState: NegState.ACCEPT_INCOMPLETE, supportedMech: NTLMSSP_OID }],
    ['no supportedMech in the first reply', { negState: NegState.ACCEPT_COMPLETED, responseToken: AP_REP }],
  ])('%s: spnego-supported-mech', (_, r) => {
    expect(checkOf(() => started().step(resp(r)))).toBe('spnego-supported-mech');
  });

  it('an NTLM pick from a list where we named NTLM is refused too (we cannot run it)', () => {
    const { initiator } = spnegoInit({ mechs: [KRB5, NTLMSSP_OID], start: toyMech().start });
    expect(checkOf(() => initiator.step(resp({ negState: 1, supportedMech: NTLMSSP_OID })))).toBe(
      'spnego-supported-mech',
    );
  });

  it('accept-completed without the AP-REP under mutual authentication: spnego-incomplete', () => {
    expect(
      checkOf(() => started().step(resp({ negState: NegState.ACCEPT_COMPLETED, supportedMech: MS_KRB5 }))),
    ).toBe('spnego-incomplete');
  });

  it('a mechListMIC that does not verify: spnego-mech-list-mic', () => {
    const r = { negState: NegState.ACCEPT_COMPLETED, supportedMech: MS_KRB5, responseToken: AP_REP };
    expect(checkOf(() => started().step(resp({ ...r, mechListMIC: new Uint8Array(32) })))).toBe(
      'spnego-mech-list-mic',
    );
    // A MIC over another list (a downgrade in transit) fails the same way.
    const other = acceptorCtx().getMic(encodeMechTypeList([KRB5]));
    expect(checkOf(() => started().step(resp({ ...r, mechListMIC: other })))).toBe('spnego-mech-list-mic');
  });

  it('a MIC before the context is established: spnego-mech-list-mic', () => {
    expect(
      checkOf(() =>
        started().step(
          resp({
            negState: NegState.ACCEPT_INCOMPLETE,
            supportedMech: MS_KRB5,
            mechListMIC: new Uint8Array(4),
          }),
        ),
      ),
    ).toBe('spnego-mech-list-mic');
  });

  it('a later reply that changes supportedMech: spnego-supported-mech', () => {
    const { initiator } = spnegoInit({ start: toyMech().start });
    initiator.step(resp({ negState: NegState.REQUEST_MIC, supportedMech: KRB5 }));
    expect(checkOf(() => initiator.step(resp({ supportedMech: MS_KRB5, responseToken: AP_REP })))).toBe(
      'spnego-supported-mech',
    );
  });

  it('a step after completion: spnego-state', () => {
    const i = started();
    i.step(resp({ negState: NegState.ACCEPT_COMPLETED, supportedMech: MS_KRB5, responseToken: AP_REP }));
    expect(checkOf(() => i.step(resp({ negState: NegState.ACCEPT_COMPLETED })))).toBe('spnego-state');
  });

  it('a NegTokenInit as reply: spnego-token; bytes that are not DER: Asn1DecodeError', () => {
    const init = encodeNegotiationToken({ negTokenInit: { mechTypes: [KRB5] } });
    expect(checkOf(() => started().step(init))).toBe('spnego-token');
    expect(() => started().step(utf8('HTTP/1.1 401'))).toThrow(Asn1DecodeError);
  });
});

describe('properties', () => {
  it('mutated acceptor replies: progress or a typed error, never a crash', () => {
    const base = resp({ negState: NegState.ACCEPT_COMPLETED, supportedMech: MS_KRB5, responseToken: AP_REP });
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), (at, v) => {
        const m = base.slice();
        m[at % m.length] = v;
        try {
          spnegoInit({ start: toyMech().start }).initiator.step(m);
        } catch (e) {
          expect(e instanceof ProtocolError || e instanceof Asn1DecodeError).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
