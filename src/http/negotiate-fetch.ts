/**
 * An HTTP client for the Negotiate scheme (RFC 4559 4, 5) on the runtime's `fetch`: the request goes out as asked;
 * a 401 with `WWW-Authenticate: Negotiate` is answered by the same request with `Authorization: Negotiate <token>`
 * (a fresh authenticator each time), and the server's token in the final reply is verified (mutual authentication).
 */
import type { Session } from '../client/index.js';
import { IntegrityError, KerberosError, ProtocolError, TransportError } from '../errors.js';
import type { ChannelBindings } from '../gss/channel-bindings.js';
import { formatNegotiateHeader } from '../gss/spnego-http.js';
import type { Credential } from '../messages/credential.js';
import { type CallOptions, callSignal, throwIfAborted } from '../util/abort.js';
import { negotiateChallengeOf } from './negotiate-header.js';
import {
  fetchServerCertificate,
  type ServerCertificateOptions,
  serverEndPointBindings,
} from './tls-binding.js';
import {
  type CredentialTokenOptions,
  credentialTokenSource,
  type NegotiateToken,
  sessionTokenSource,
  type TokenSource,
} from './token-source.js';

/** How the final reply's mutual-authentication token turned out. */
export type MutualStatus =
  /** The server's AP-REP was present and verified. */
  | 'verified'
  /** The request was authenticated but the final reply carried no token. */
  | 'missing'
  /** No Negotiate token was sent (the server did not ask). */
  | 'none';

/** What the Negotiate exchange of a {@link negotiateFetch} call did. */
export interface NegotiateInfo {
  /** The service principal the token was for (`HTTP/host`), when one was sent. */
  readonly spn?: string | undefined;
  /** `spnego` or `krb5`: the token sent. */
  readonly mech?: string | undefined;
  /** Requests sent: 1 (no challenge, or pre-emptive) or 2 (challenge answered). */
  readonly requests: number;
  readonly mutual: MutualStatus;
  /** The final reply refused the token (401 after the token was sent). */
  readonly refused: boolean;
  /** Why, when the refusal carried a token that says (a SPNEGO reject, a KRB-ERROR). */
  readonly refusal?: string | undefined;
}

/** A fetch Response with what the Negotiate exchange did. */
export type NegotiateResponse = Response & { readonly negotiate: NegotiateInfo };

/** Where the token comes from: a service ticket, a session (TGT) that gets one, or a source of the caller's. */
export type NegotiateCredentials =
  | { readonly credential: Credential }
  | { readonly session: Session }
  | { readonly tokenSource: TokenSource };

/**
 * Options of {@link negotiateFetch} beyond RequestInit. RequestInit's `signal` and `timeout` (ms) cancel the whole
 * call: the HTTP requests and the TGS exchange for the ticket (AbortError, TimeoutError).
 */
export interface NegotiateOptions extends CredentialTokenOptions, Pick<CallOptions, 'timeout'> {
  /** The service principal (default `HTTP/<host of the URL>`). */
  readonly spn?: string | undefined;
  /** Maps the URL's host to the name in the SPN, as MIT's `dns_canonicalize_hostname` (default: as written). */
  readonly canonicalizeHost?: ((host: string) => string | Promise<string>) | undefined;
  /** An error (IntegrityError) when the final reply of an authenticated request carries no mutual token. */
  readonly requireMutual?: boolean | undefined;
  /** Send the token with the first request instead of waiting for the 401 (saves a round trip). */
  readonly preemptive?: boolean | undefined;
  /**
   * Channel bindings: given, or `tls-server-end-point` to bind an https:// request to the server's certificate
   * (read by a TLS handshake of its own: Node only).
   */
  readonly channelBindings?: ChannelBindings | 'tls-server-end-point' | undefined;
  /** Trust settings of that handshake. */
  readonly tls?: ServerCertificateOptions | undefined;
  /** The fetch to use (default the global one). */
  readonly fetch?: typeof fetch | undefined;
}

/** The init of {@link negotiateFetch}: a RequestInit, the token's source and the options. */
export type NegotiateFetchInit = RequestInit & NegotiateOptions & NegotiateCredentials;

/** `HTTP/<host>` for a URL (brackets of an IPv6 literal removed), the host mapped by `canonicalize` when given. */
export async function spnForUrl(
  url: URL,
  canonicalize?: (host: string) => string | Promise<string>,
): Promise<string> {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return `HTTP/${canonicalize ? await canonicalize(host) : host}`;
}

function sourceOf(init: NegotiateFetchInit): TokenSource {
  if ('tokenSource' in init && init.tokenSource) return init.tokenSource;
  if ('credential' in init && init.credential) return credentialTokenSource(init.credential, init);
  if ('session' in init && init.session) return sessionTokenSource(init.session, init);
  throw new KerberosError('negotiateFetch: give a credential, a session or a tokenSource');
}

const OWN_KEYS = [
  'credential',
  'session',
  'tokenSource',
  'spn',
  'canonicalizeHost',
  'requireMutual',
  'preemptive',
  'channelBindings',
  'tls',
  'fetch',
  'mech',
  'flags',
  'delegate',
  'clock',
  'random',
  'timeout',
] as const;

/** The RequestInit without our options, its body read once so that it can be sent twice. */
async function replayableInit(init: NegotiateFetchInit): Promise<RequestInit> {
  const plain: Record<string, unknown> = { ...init };
  for (const k of OWN_KEYS) delete plain[k];
  const body = plain['body'];
  if (body instanceof ReadableStream) {
    plain['body'] = new Uint8Array(await new Response(body).arrayBuffer());
    delete plain['duplex'];
  }
  return plain as RequestInit;
}

function withAuthorization(init: RequestInit, value: string): RequestInit {
  const headers = new Headers(init.headers);
  headers.set('Authorization', value);
  return { ...init, headers };
}

async function send(f: typeof fetch, url: URL, init: RequestInit): Promise<Response> {
  try {
    return await f(url, init);
  } catch (e) {
    if (init.signal?.aborted || (e instanceof Error && e.name === 'AbortError')) throw e;
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    throw new TransportError(`HTTP request to ${url.origin} failed${cause}`, { kdc: url.host, cause: e });
  }
}

function annotate(res: Response, info: NegotiateInfo): NegotiateResponse {
  Object.defineProperty(res, 'negotiate', { value: info, enumerable: true });
  return res as NegotiateResponse;
}

/**
 * Checks the final reply: its Negotiate token verified by the token's context (IntegrityError or ProtocolError when
 * bad), a missing one reported (IntegrityError under `requireMutual`).
 */
function finish(
  res: Response,
  tok: NegotiateToken,
  spn: string,
  requests: number,
  o: NegotiateOptions,
): NegotiateResponse {
  const ch = negotiateChallengeOf(res.headers.get('www-authenticate'));
  const base = { spn, mech: tok.mech, requests };
  if (res.status === 401) {
    // A refusal may carry a token (a SPNEGO reject or a KRB-ERROR): the context says what it means.
    let refusal: string | undefined;
    if (ch.token) {
      try {
        tok.verify(ch.token);
      } catch (e) {
        refusal = e instanceof Error ? e.message : String(e);
      }
    }
    return annotate(res, { ...base, mutual: 'none', refused: true, refusal });
  }
  if (ch.token) {
    tok.verify(ch.token);
    return annotate(res, { ...base, mutual: 'verified', refused: false });
  }
  if (o.requireMutual)
    throw new IntegrityError(`${spn}: the reply (${res.status}) carries no mutual-authentication token`, {
      hint: 'the server did not return WWW-Authenticate: Negotiate <token>; drop requireMutual if it never does',
    });
  return annotate(res, { ...base, mutual: 'missing', refused: false });
}

/**
 * fetch with Negotiate authentication (RFC 4559). The token is SPNEGO by default (as browsers send), `mech: 'krb5'`
 * for a bare Kerberos token. The body is buffered when it is a stream so that the retry can send it again.
 */
export async function negotiateFetch(
  input: string | URL,
  init: NegotiateFetchInit,
): Promise<NegotiateResponse> {
  const url = new URL(input);
  const f = init.fetch ?? globalThis.fetch;
  const source = sourceOf(init);
  const signal = callSignal({ signal: init.signal ?? undefined, timeout: init.timeout });
  throwIfAborted(signal);
  const plain = await replayableInit(init);
  if (signal) plain.signal = signal;
  const tokenFor = async (target: URL): Promise<{ tok: NegotiateToken; spn: string }> => {
    const spn = init.spn ?? (await spnForUrl(target, init.canonicalizeHost));
    let cb = init.channelBindings;
    if (cb === 'tls-server-end-point') {
      if (target.protocol !== 'https:')
        throw new ProtocolError(`tls-server-end-point channel bindings need https, not ${target.protocol}`, {
          check: 'channel-bindings',
        });
      cb = serverEndPointBindings(await fetchServerCertificate(target, { ...init.tls, signal }));
    }
    return { tok: await source({ spn, channelBindings: cb, signal }), spn };
  };
  if (init.preemptive) {
    const { tok, spn } = await tokenFor(url);
    const res = await send(f, url, withAuthorization(plain, formatNegotiateHeader(tok.token)));
    return finish(res, tok, spn, 1, init);
  }
  const first = await send(f, url, plain);
  if (first.status !== 401 || !negotiateChallengeOf(first.headers.get('www-authenticate')).offered)
    return annotate(first, { requests: 1, mutual: 'none', refused: false });
  // Drain the 401's body so that its connection goes back to the pool.
  await first.arrayBuffer().catch(() => undefined);
  // After redirects the challenge comes from the final URL: authenticate there, for that host.
  const target = first.redirected && first.url ? new URL(first.url) : url;
  const { tok, spn } = await tokenFor(target);
  const res = await send(f, target, withAuthorization(plain, formatNegotiateHeader(tok.token)));
  return finish(res, tok, spn, 2, init);
}
