/**
 * SPNEGO acceptor (RFC 4178 3.2, 5): reads the initiator's NegTokenInit, picks Kerberos (either OID), runs the
 * optimistic token when it is for the picked mechanism, and answers with NegTokenResp (AP-REP, negState,
 * mechListMIC when RFC 4178 5 requires it). Only one-token mechanisms are run: Kerberos needs one AP-REQ.
 */
import { ProtocolError } from '../errors.js';
import { GssMechOid } from './constants.js';
import {
  decodeNegTokenResp,
  decodeSpnegoInitialToken,
  encodeMechTypeList,
  encodeNegotiationToken,
  encodeSpnegoInitialToken,
  NEG_HINTS_IGNORE_NAME,
  NegState,
  type NegStateValue,
  type NegTokenResp,
} from './spnego-codec.js';
import { isKrb5Mech, MechListMic, mechName, type SpnegoMechContext, sameMech } from './spnego-mic.js';

/** What the Kerberos acceptor returns that SPNEGO needs (`acceptSecContext`'s result satisfies it). */
export interface SpnegoAcceptedMech {
  readonly context: SpnegoMechContext;
  /** The AP-REP token, when mutual authentication was asked for. */
  readonly outputToken?: Uint8Array | undefined;
}

/** Options of {@link spnegoAccept}. */
export interface SpnegoAcceptOptions {
  /** Mechanisms this acceptor runs (default both Kerberos OIDs); anything but Kerberos is refused at construction. */
  mechs?: readonly string[];
}

/**
 * A NegTokenResp with negState reject, to send when the Kerberos acceptor refused the token; Windows puts the
 * mechanism's KRB-ERROR token (see makeApErrorToken) in responseToken so that the client learns why.
 */
export function encodeSpnegoReject(mechError?: Uint8Array): Uint8Array {
  return encodeNegotiationToken({
    negTokenResp: {
      negState: NegState.REJECT,
      ...(mechError === undefined ? {} : { responseToken: mechError }),
    },
  });
}

/**
 * The framed NegTokenInit2 a server sends before the client speaks (SMB2 NEGOTIATE, MS-SPNG 3.2.5.2): its
 * mechanisms and the negHints every Windows and Samba server puts there.
 */
export function spnegoServerInit(
  mechs: readonly string[] = [GssMechOid.MS_KRB5, GssMechOid.KRB5],
): Uint8Array {
  return encodeSpnegoInitialToken({
    negTokenInit2: { mechTypes: [...mechs], negHints: { hintName: NEG_HINTS_IGNORE_NAME } },
  });
}

/** SPNEGO refused the initiator: `outputToken` is the reject NegTokenResp to send back before closing. */
export class SpnegoRejectError extends ProtocolError {
  static override readonly code: string = 'ERR_TSKRB_SPNEGO_REJECTED';
  /** The NegTokenResp with negState reject. */
  readonly outputToken: Uint8Array;
  constructor(message: string, options: { check: string; hint?: string; cause?: unknown }) {
    super(message, options);
    this.outputToken = encodeSpnegoReject();
  }
}

/** The state of an SPNEGO acceptor after the initiator's first token. */
export interface SpnegoAcceptor<R extends SpnegoAcceptedMech> {
  /** True when the Kerberos context is established and every mechListMIC owed has been exchanged. */
  readonly established: boolean;
  /** The initiator's OID for the chosen mechanism, echoed as supportedMech. */
  readonly mech: string;
  /** The Kerberos acceptor's result (client, PAC, context...) once it has run. */
  readonly result: R | undefined;
  /**
   * Feeds the initiator's next NegTokenResp; returns the token to send back, if any. Throws SpnegoRejectError
   * (checks `spnego-state`, `spnego-token`, `spnego-reject`, `spnego-mech-list-mic`, `spnego-mech-list-mic-missing`,
   * `spnego-mech-token`) or the Kerberos acceptor's own error.
   */
  step(token: Uint8Array): Uint8Array | undefined;
}

/** The first answer of {@link spnegoAccept}: the token to send back and the acceptor state. */
export interface SpnegoAcceptStart<R extends SpnegoAcceptedMech> {
  /** NegTokenResp to send (always present after the first token). */
  outputToken: Uint8Array;
  acceptor: SpnegoAcceptor<R>;
}

/** RFC 4178 4.2.1: the optimistic token belongs to mechTypes[0]. */
function choose(offered: readonly string[], ours: readonly string[]): number {
  return offered.findIndex((m) => ours.some((o) => sameMech(o, m)));
}

class Acceptor<R extends SpnegoAcceptedMech> implements SpnegoAcceptor<R> {
  result: R | undefined;
  private readonly mic: MechListMic;

  constructor(
    readonly mech: string,
    mechTypes: readonly string[],
    micRequired: boolean,
    private readonly accept: (krb5Token: Uint8Array) => R,
  ) {
    this.mic = new MechListMic(encodeMechTypeList(mechTypes), micRequired, 'initiator');
  }

  get established(): boolean {
    return this.result !== undefined && this.mic.done;
  }

  /** Runs the mechanism token and the MIC logic; returns the NegTokenResp fields to send. */
  run(mechToken: Uint8Array | undefined, micIn: Uint8Array | undefined): NegTokenResp | undefined {
    let responseToken: Uint8Array | undefined;
    if (this.result === undefined) {
      if (mechToken === undefined)
        throw new SpnegoRejectError('initiator sent no mechanism token', { check: 'spnego-mech-token' });
      const r = this.accept(mechToken);
      if (!r.context.established)
        throw new SpnegoRejectError(
          'the mechanism needs more than one token, which this acceptor does not run',
          {
            check: 'spnego-mech-token',
          },
        );
      this.result = r;
      responseToken = r.outputToken;
    } else if (mechToken !== undefined) {
      throw new SpnegoRejectError('initiator sent a mechanism token after the context was established', {
        check: 'spnego-state',
      });
    }
    const context = this.result.context;
    if (micIn !== undefined) this.verify(context, micIn);
    else if (this.mic.sent && !this.mic.received)
      throw new SpnegoRejectError('initiator did not send the mechListMIC that RFC 4178 5 requires', {
        check: 'spnego-mech-list-mic-missing',
      });
    const mechListMIC = this.mic.take(context);
    // We owe nothing and the initiator's MIC was the last message: nothing to answer (as MIT's acceptor).
    if (responseToken === undefined && mechListMIC === undefined && this.mic.done && this.mic.received)
      return undefined;
    const negState: NegStateValue = this.mic.done ? NegState.ACCEPT_COMPLETED : NegState.ACCEPT_INCOMPLETE;
    return {
      negState,
      ...(responseToken === undefined ? {} : { responseToken }),
      ...(mechListMIC === undefined ? {} : { mechListMIC }),
    };
  }

  step(bytes: Uint8Array): Uint8Array | undefined {
    if (this.established)
      throw new SpnegoRejectError('SPNEGO context is already established', { check: 'spnego-state' });
    let resp: NegTokenResp;
    try {
      resp = decodeNegTokenResp(bytes, 'initiator');
    } catch (e) {
      throw new SpnegoRejectError('initiator sent a malformed NegTokenResp', {
        check: 'spnego-token',
        cause: e,
      });
    }
    if (resp.negState === NegState.REJECT)
      throw new SpnegoRejectError('initiator rejected the negotiation', { check: 'spnego-reject' });
    const out = this.run(resp.responseToken, resp.mechListMIC);
    return out === undefined ? undefined : encodeNegotiationToken({ negTokenResp: out });
  }

  private verify(context: SpnegoMechContext, mic: Uint8Array): void {
    try {
      this.mic.verify(context, mic);
    } catch (e) {
      const p = e as ProtocolError;
      throw new SpnegoRejectError(p.message, { check: p.check ?? 'spnego-mech-list-mic', cause: p.cause });
    }
  }
}

/**
 * Accepts the initiator's first SPNEGO token (framed NegTokenInit). `acceptKrb5` runs the Kerberos token, e.g.
 * `(t) => acceptSecContext(t, { keys })`. Throws SpnegoRejectError (its `outputToken` is the reject to send):
 * checks `spnego-token`, `spnego-no-common-mech`, `spnego-mech-token`, `spnego-mech-list-mic`.
 */
export function spnegoAccept<R extends SpnegoAcceptedMech>(
  token: Uint8Array,
  acceptKrb5: (krb5Token: Uint8Array) => R,
  o: SpnegoAcceptOptions = {},
): SpnegoAcceptStart<R> {
  const ours = o.mechs ?? [GssMechOid.KRB5, GssMechOid.MS_KRB5];
  if (!ours.every(isKrb5Mech))
    throw new ProtocolError('this SPNEGO acceptor runs Kerberos only', { check: 'mech' });
  let init: { mechTypes: string[]; mechToken?: Uint8Array; mechListMIC?: Uint8Array };
  try {
    const t = decodeSpnegoInitialToken(token);
    if (!('negTokenInit' in t))
      throw new ProtocolError('first SPNEGO token is not a NegTokenInit', { check: 'spnego-token' });
    init = t.negTokenInit;
  } catch (e) {
    throw new SpnegoRejectError('initiator sent a malformed SPNEGO NegTokenInit', {
      check: 'spnego-token',
      cause: e,
    });
  }
  const i = choose(init.mechTypes, ours);
  if (i < 0)
    throw new SpnegoRejectError(
      `no common mechanism: initiator offered ${init.mechTypes.map(mechName).join(', ') || 'nothing'}`,
      { check: 'spnego-no-common-mech', hint: 'this acceptor runs Kerberos only (no NTLM)' },
    );
  // supportedMech echoes the initiator's own OID for Kerberos: a Windows client that listed MS_KRB5 first gets
  // MS_KRB5 back (as from Windows and MIT acceptors), while its mechToken is framed with the IETF OID either way.
  const mech = init.mechTypes[i]!;
  // RFC 4178 5: a mechanism other than the initiator's first makes the MIC exchange mandatory, and its
  // optimistic token (for mechTypes[0]) cannot be used: answer request-mic and wait for a token.
  const preferred = sameMech(mech, init.mechTypes[0]!);
  const acceptor = new Acceptor(mech, init.mechTypes, !preferred, acceptKrb5);
  if (!preferred || init.mechToken === undefined) {
    const negState = preferred ? NegState.ACCEPT_INCOMPLETE : NegState.REQUEST_MIC;
    return {
      outputToken: encodeNegotiationToken({ negTokenResp: { negState, supportedMech: mech } }),
      acceptor,
    };
  }
  const out = acceptor.run(init.mechToken, init.mechListMIC)!;
  return { outputToken: encodeNegotiationToken({ negTokenResp: { ...out, supportedMech: mech } }), acceptor };
}
