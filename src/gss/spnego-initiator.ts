/**
 * SPNEGO initiator (RFC 4178 3.2, 5): NegTokenInit with an optimistic Kerberos token, then the acceptor's
 * NegTokenResp (supportedMech, the AP-REP, negState, mechListMIC) until both the Kerberos context and the
 * mechListMIC exchange are complete.
 */
import { KerberosError, ProtocolError } from '../errors.js';
import { GssMechOid } from './constants.js';
import {
  decodeNegTokenResp,
  encodeMechTypeList,
  encodeNegotiationToken,
  encodeSpnegoInitialToken,
  NegState,
} from './spnego-codec.js';
import { isKrb5Mech, MechListMic, mechName, type SpnegoMechContext, sameMech } from './spnego-mic.js';

/** The Kerberos initiator context as SPNEGO drives it (`initSecContext`'s context satisfies it). */
export interface SpnegoInitiatorMech extends SpnegoMechContext {
  /** Consumes the acceptor's mechanism token (the AP-REP, or a KRB-ERROR token, which throws). */
  step(replyToken: Uint8Array): unknown;
}

/** A fresh Kerberos context and its first token, as `initSecContext` returns them. */
export interface SpnegoMechStart<C extends SpnegoInitiatorMech> {
  token: Uint8Array;
  context: C;
}

/** The mechanism list Windows sends for Kerberos: the Microsoft OID first, then the IETF one. */
export const WINDOWS_KRB5_MECHS: readonly string[] = [GssMechOid.MS_KRB5, GssMechOid.KRB5];

/** Options of {@link spnegoInit}. */
export interface SpnegoInitOptions<C extends SpnegoInitiatorMech> {
  /**
   * MechTypeList to offer, most preferred first (default {@link WINDOWS_KRB5_MECHS}; `[GssMechOid.KRB5]` as MIT
   * sends). When the first is a Kerberos OID its token goes along optimistically; other OIDs may be listed, but an
   * acceptor that picks one is refused (check `spnego-supported-mech`).
   */
  mechs?: readonly string[];
  /** Starts a Kerberos context, e.g. `() => initSecContext({ credential })`; called again if the acceptor drops the optimistic token. */
  start: () => SpnegoMechStart<C>;
  /** reqFlags to send as {@link ContextFlag} bits; RFC 4178 4.2.1 says to leave it out, and by default it is. */
  reqFlags?: number;
}

/** The state of an SPNEGO initiator after its first token. */
export interface SpnegoInitiator<C extends SpnegoInitiatorMech> {
  /** True when the Kerberos context is established and no mechListMIC is owed. */
  readonly established: boolean;
  /** The acceptor's supportedMech, once it has answered. */
  readonly mech: string | undefined;
  /** The Kerberos context (Wrap, MIC, flags, peer), undefined until started. */
  readonly context: C | undefined;
  /**
   * Feeds the acceptor's NegTokenResp; returns the next token to send (a bare NegTokenResp), if any. ProtocolError
   * checks: `spnego-state`, `spnego-token`, `spnego-reject`, `spnego-supported-mech`, `spnego-mech-list-mic`,
   * `spnego-mech-list-mic-missing`, `spnego-incomplete`; a KRB-ERROR in the responseToken throws its own error.
   */
  step(responseToken: Uint8Array): Uint8Array | undefined;
}

class Initiator<C extends SpnegoInitiatorMech> implements SpnegoInitiator<C> {
  mech: string | undefined;
  context: C | undefined;
  private readonly mic: MechListMic;
  private finished = false;

  constructor(
    private readonly mechs: readonly string[],
    private readonly start: () => SpnegoMechStart<C>,
    started: SpnegoMechStart<C> | undefined,
  ) {
    this.mic = new MechListMic(encodeMechTypeList(mechs), false, 'acceptor');
    this.context = started?.context;
  }

  get established(): boolean {
    return this.finished;
  }

  step(bytes: Uint8Array): Uint8Array | undefined {
    if (this.finished)
      throw new ProtocolError('SPNEGO context is already established', { check: 'spnego-state' });
    const resp = decodeNegTokenResp(bytes, 'acceptor');
    if (resp.negState === NegState.REJECT) this.rejected(resp.supportedMech, resp.responseToken);
    const first = this.mech === undefined;
    if (first) this.choose(resp.supportedMech, resp.negState);
    else if (resp.supportedMech !== undefined && resp.supportedMech !== this.mech)
      throw new ProtocolError(`acceptor changed supportedMech to ${mechName(resp.supportedMech)}`, {
        check: 'spnego-supported-mech',
      });

    // The acceptor did not run our optimistic token (or we sent none): start and send the first token now.
    let mechTokenOut: Uint8Array | undefined;
    if (first && resp.responseToken === undefined && resp.negState !== NegState.ACCEPT_COMPLETED) {
      const s = this.start();
      this.context = s.context;
      mechTokenOut = s.token;
    } else if (resp.responseToken !== undefined) {
      if (this.context === undefined || this.context.established)
        throw new ProtocolError('acceptor sent a mechanism token the Kerberos context does not expect', {
          check: 'spnego-state',
        });
      this.context.step(resp.responseToken);
    }
    const context = this.context;
    if (context === undefined)
      throw new ProtocolError('acceptor answered without running a Kerberos token', {
        check: 'spnego-state',
      });

    if (!context.established) {
      if (resp.negState === NegState.ACCEPT_COMPLETED)
        throw new ProtocolError('acceptor completed SPNEGO but the Kerberos context is not established', {
          check: 'spnego-incomplete',
          hint: 'mutual authentication was requested and the acceptor sent no AP-REP',
        });
      if (resp.mechListMIC !== undefined)
        throw new ProtocolError('acceptor sent a mechListMIC before the Kerberos context was established', {
          check: 'spnego-mech-list-mic',
        });
      return mechTokenOut === undefined ? undefined : this.reply(mechTokenOut, undefined);
    }

    if (resp.mechListMIC !== undefined) this.mic.verify(context, resp.mechListMIC);
    const micOut = this.mic.take(context);
    if (this.mic.done) {
      this.finished = true;
    } else if (
      !this.mic.received &&
      mechTokenOut === undefined &&
      resp.negState === NegState.ACCEPT_COMPLETED
    ) {
      throw new ProtocolError('acceptor completed without the mechListMIC that RFC 4178 5 requires here', {
        check: 'spnego-mech-list-mic-missing',
        hint: 'the acceptor chose a mechanism other than our first, so both sides must send a mechListMIC',
      });
    }
    return mechTokenOut === undefined && micOut === undefined ? undefined : this.reply(mechTokenOut, micOut);
  }

  private choose(supportedMech: string | undefined, negState: number | undefined): void {
    if (supportedMech === undefined)
      throw new ProtocolError("acceptor's first NegTokenResp has no supportedMech", {
        check: 'spnego-supported-mech',
      });
    if (!this.mechs.includes(supportedMech) || !isKrb5Mech(supportedMech))
      throw new ProtocolError(
        `acceptor chose ${mechName(supportedMech)}, which we did not offer or cannot run`,
        {
          check: 'spnego-supported-mech',
        },
      );
    this.mech = supportedMech;
    // RFC 4178 5: the MIC exchange is required unless the acceptor chose our first mechanism (MS_KRB5 and KRB5
    // count as one, see sameMech) or when it says request-mic.
    this.mic.required = !sameMech(supportedMech, this.mechs[0]!) || negState === NegState.REQUEST_MIC;
  }

  private rejected(supportedMech: string | undefined, responseToken: Uint8Array | undefined): never {
    // Windows puts the Kerberos mechanism's KRB-ERROR token in a reject; the context turns it into a typed error.
    if (responseToken !== undefined && this.context !== undefined && !this.context.established)
      this.context.step(responseToken);
    const named = supportedMech === undefined ? '' : ` (its supportedMech: ${mechName(supportedMech)})`;
    throw new ProtocolError(`SPNEGO acceptor rejected the negotiation${named}`, {
      check: 'spnego-reject',
      hint: `we offered ${this.mechs.map(mechName).join(', ')}`,
    });
  }

  private reply(responseToken: Uint8Array | undefined, mechListMIC: Uint8Array | undefined): Uint8Array {
    return encodeNegotiationToken({
      negTokenResp: {
        ...(responseToken === undefined ? {} : { responseToken }),
        ...(mechListMIC === undefined ? {} : { mechListMIC }),
      },
    });
  }
}

/**
 * Starts an SPNEGO initiator: the framed NegTokenInit to send (with the Kerberos token when the first mechanism
 * is Kerberos) and the state that consumes the acceptor's answers.
 */
export function spnegoInit<C extends SpnegoInitiatorMech>(
  o: SpnegoInitOptions<C>,
): { token: Uint8Array; initiator: SpnegoInitiator<C> } {
  const mechs = o.mechs ?? WINDOWS_KRB5_MECHS;
  if (mechs.length === 0 || !mechs.some(isKrb5Mech))
    throw new KerberosError(
      'SPNEGO mechanism list must name Kerberos (1.2.840.113554.1.2.2 or 1.2.840.48018.1.2.2)',
    );
  const started = isKrb5Mech(mechs[0]!) ? o.start() : undefined;
  const token = encodeSpnegoInitialToken({
    negTokenInit: {
      mechTypes: [...mechs],
      ...(o.reqFlags === undefined ? {} : { reqFlags: o.reqFlags }),
      ...(started === undefined ? {} : { mechToken: started.token }),
    },
  });
  return { token, initiator: new Initiator(mechs, o.start, started) };
}
