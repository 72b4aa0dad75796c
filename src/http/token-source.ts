/**
 * Where a Negotiate client's token comes from: a service ticket turned into a GSS context (SPNEGO-wrapped or bare
 * krb5), a session that first gets the ticket for the SPN, or any source of the caller's (`TokenSource`).
 */
import type { Session } from '../client/index.js';
import { ProtocolError } from '../errors.js';
import type { ChannelBindings } from '../gss/channel-bindings.js';
import { GssMechOid } from '../gss/constants.js';
import { type InitiatorOptions, initSecContext } from '../gss/initiator.js';
import { formatNegotiateHeader } from '../gss/spnego-http.js';
import { spnegoInit } from '../gss/spnego-initiator.js';
import type { Credential } from '../messages/credential.js';
import { throwIfAborted } from '../util/abort.js';
import { FlightHolds } from '../util/flight-holds.js';
import { negotiateChallengeOf } from './negotiate-header.js';

/** The token of one request, and the check of the server's token in the final reply. */
export interface NegotiateToken {
  /** What goes after `Negotiate ` (before base64). */
  readonly token: Uint8Array;
  /** `spnego` or `krb5` (or the caller's own name). */
  readonly mech: string;
  /** Verifies the server's token (AP-REP, in a NegTokenResp for SPNEGO); throws a typed error when it is bad. */
  verify(reply: Uint8Array): void;
}

/** What a request needs a token for. */
export interface TokenRequest {
  /** `HTTP/host` (or the caller's `spn`). */
  readonly spn: string;
  readonly channelBindings?: ChannelBindings | undefined;
  /** The request's signal: a source that asks a KDC for the ticket stops when it aborts. */
  readonly signal?: AbortSignal | undefined;
}

/** A source of Negotiate tokens: one fresh token per call. */
export type TokenSource = (req: TokenRequest) => Promise<NegotiateToken>;

/** How a token is built from a ticket. */
export interface CredentialTokenOptions
  extends Pick<InitiatorOptions, 'flags' | 'delegate' | 'clock' | 'random'> {
  /** `spnego` (default, as browsers send) or `krb5` (a bare RFC 4121 token, which most servers also take). */
  readonly mech?: 'spnego' | 'krb5' | undefined;
}

/** A Negotiate token from a service ticket: a new GSS context (fresh authenticator) for the request. */
export function credentialToken(
  credential: Credential,
  channelBindings: ChannelBindings | undefined,
  o: CredentialTokenOptions = {},
): NegotiateToken {
  const start = () =>
    initSecContext({
      credential,
      ...(o.flags === undefined ? {} : { flags: o.flags }),
      ...(o.delegate === undefined ? {} : { delegate: o.delegate }),
      ...(o.clock === undefined ? {} : { clock: o.clock }),
      ...(o.random === undefined ? {} : { random: o.random }),
      ...(channelBindings === undefined ? {} : { channelBindings }),
    });
  if (o.mech === 'krb5') {
    const { token, context } = start();
    return { token, mech: 'krb5', verify: (reply) => void context.step(reply) };
  }
  // MIT's mechanism list (krb5 only): Apache, curl and Chromium on Linux all speak it.
  const { token, initiator } = spnegoInit({ start, mechs: [GssMechOid.KRB5] });
  return {
    token,
    mech: 'spnego',
    verify: (reply) => {
      initiator.step(reply);
      if (!initiator.context?.established)
        throw new ProtocolError('the server’s SPNEGO reply did not complete the Kerberos context', {
          check: 'spnego-incomplete',
        });
    },
  };
}

/** A TokenSource that uses one ticket for every request (its server should be the SPN). */
export function credentialTokenSource(credential: Credential, o: CredentialTokenOptions = {}): TokenSource {
  return async (req) => credentialToken(credential, req.channelBindings, o);
}

/** A ticket is fetched again when it has less than this left. */
const RENEW_BEFORE_MS = 60_000;

/** Service tickets got through each session, by SPN (kept with the session, dropped with it), and their waiters. */
const SESSION_TICKETS = new WeakMap<
  Session,
  { readonly tickets: Map<string, Promise<Credential>>; readonly holds: FlightHolds }
>();

/**
 * A TokenSource that gets the ticket for each request's SPN from the session's TGT (TGS exchange); the ticket is kept
 * with the session for later requests to that SPN (by any source of the same session) while it is valid. A request
 * whose signal aborts stops waiting at once; the TGS exchange stops when no request waits on it any more.
 */
export function sessionTokenSource(session: Session, o: CredentialTokenOptions = {}): TokenSource {
  let kept = SESSION_TICKETS.get(session);
  if (kept === undefined) {
    kept = { tickets: new Map(), holds: new FlightHolds() };
    SESSION_TICKETS.set(session, kept);
  }
  const { tickets: cache, holds } = kept;
  return async (req) => {
    const p = cache.get(req.spn);
    const held =
      p &&
      (await holds.wait(req.spn, p, req.signal).catch((e: unknown) => {
        if (req.signal?.aborted) throw e;
        return undefined;
      }));
    if (held && held.endtime.getTime() - session.client.now().getTime() >= RENEW_BEFORE_MS)
      return credentialToken(held, req.channelBindings, o);
    throwIfAborted(req.signal);
    const stop = holds.begin(req.spn);
    const got = session.getServiceTicket(req.spn, { signal: stop });
    cache.set(req.spn, got);
    got.then(
      () => holds.end(req.spn, stop),
      () => {
        holds.end(req.spn, stop);
        if (cache.get(req.spn) === got) cache.delete(req.spn);
      },
    );
    return credentialToken(await holds.wait(req.spn, got, req.signal), req.channelBindings, o);
  };
}

/** A ready `Authorization` value and the check of the reply, for callers that send the request themselves. */
export interface NegotiateHeader {
  /** `Negotiate <base64>`: the Authorization header value (one use: a fresh authenticator). */
  readonly authorization: string;
  readonly mech: string;
  /**
   * Checks the reply's WWW-Authenticate: `verified` when it carries a good token, `missing` without one; throws a
   * typed error when the token is bad.
   */
  verifyReply(wwwAuthenticate: string | null | undefined): 'verified' | 'missing';
}

/** The header form of a token. */
export function negotiateHeaderOf(tok: NegotiateToken): NegotiateHeader {
  return {
    authorization: formatNegotiateHeader(tok.token),
    mech: tok.mech,
    verifyReply: (h) => {
      const reply = negotiateChallengeOf(h).token;
      if (reply === undefined) return 'missing';
      tok.verify(reply);
      return 'verified';
    },
  };
}
