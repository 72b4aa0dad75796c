/**
 * One KKDCP exchange (MS-KKDCP 3.1.5.1): the KDC request, TCP-framed (RFC 4120 7.2.2), goes in the kerb-message of
 * a KDC-PROXY-MESSAGE with target-domain = realm, POSTed as application/kerberos; the reply is a KDC-PROXY-MESSAGE
 * whose kerb-message is the framed KDC reply. Runtime-agnostic: the HTTP POST is a function (fetch by default).
 *
 * MS-KKDCP says only that anything but a Kerberos reply is an error. Which errors are worth another POST on a later
 * pass (`transient`) and which end the proxy for this send (`error`) is ours, from what HTTP and the socket say:
 *
 * | failure                                                             | kind      |
 * |---------------------------------------------------------------------|-----------|
 * | connection refused, reset or unreachable; name server not answering | transient |
 * | no answer yet: the POST keeps listening, the next pass POSTs again  | timeout   |
 * | HTTP 408, 429, 502, 503, 504 (try later; the proxy reached no KDC)  | transient |
 * | POST failed with no detail (a browser's `Failed to fetch`)          | transient |
 * | TLS (certificate not trusted, wrong name); host name unknown        | error     |
 * | any other HTTP status (400, 401, 403, 404, 405, 413, 500, …)        | error     |
 * | 200 that is not a KDC-PROXY-MESSAGE with a framed reply; too large  | error     |
 *
 * A KRB-ERROR inside a valid reply is the KDC's answer: the exchange returns it like any reply.
 */
import { decodeKdcProxyMessage, encodeKdcProxyMessage } from '../asn1/kkdcp.js';
import { TransportError } from '../errors.js';
import { type AttemptOptions, type AttemptResult, abortFailure, timeoutFailure } from './attempt.js';
import { KKDCP_CONTENT_TYPE, KKDCP_ENVELOPE_ALLOWANCE, TCP_LENGTH_PREFIX } from './constants.js';
import { frameTcpMessage } from './framing.js';

/** One HTTP POST as the KKDCP client makes it. */
export interface KkdcpHttpRequest {
  url: string;
  body: Uint8Array;
  /** Aborted on timeout or by the caller; the POST must stop when it fires. */
  signal: AbortSignal;
  /** Largest response body to read; a larger one must be refused, not buffered. */
  maxBytes: number;
}

/** The parts of an HTTP response the KKDCP client looks at. */
export interface KkdcpHttpResponse {
  status: number;
  contentType: string | undefined;
  body: Uint8Array;
}

/** Performs one HTTPS POST; rejects on network or TLS failure (the runtime's error is kept as the cause). */
export type KkdcpPost = (req: KkdcpHttpRequest) => Promise<KkdcpHttpResponse>;

/** Options of one KKDCP attempt. */
export interface KkdcpAttemptOptions extends AttemptOptions {
  post: KkdcpPost;
  /** MS-NRPC DC locator flags for a Windows proxy (dclocator-hint), rarely needed. */
  dclocatorHint?: number | undefined;
}

/** What an HTTP status other than 200 says (RFC 9110 15), and whether a later POST may fare better. */
interface HttpStatusMeaning {
  hint: string;
  retry: boolean;
}

const HTTP_STATUS: Readonly<Record<number, HttpStatusMeaning>> = {
  400: {
    hint: 'the proxy could not parse the request: is this URL a KKDCP proxy, and does it accept this realm?',
    retry: false,
  },
  401: { hint: 'the proxy wants HTTP authentication, which KKDCP does not use: check the URL', retry: false },
  403: { hint: 'the proxy refuses this client or realm', retry: false },
  404: { hint: 'nothing at this path: KKDCP proxies usually serve /KdcProxy', retry: false },
  405: { hint: 'the server does not accept POST here: this URL is not a KKDCP proxy', retry: false },
  408: { hint: 'the proxy gave up waiting for the request: a slow network or a busy proxy', retry: true },
  413: { hint: 'the proxy refuses a request this large (kdcproxy accepts up to 128 KiB)', retry: false },
  429: { hint: 'the proxy is rate-limiting this client', retry: true },
  502: { hint: 'a gateway in front of the proxy could not reach it: is the proxy running?', retry: true },
  503: {
    hint: 'the proxy reached no KDC for this realm: is the realm in its configuration, and is its KDC up?',
    retry: true,
  },
  504: { hint: 'a gateway in front of the proxy timed out waiting for it', retry: true },
};

/** A failed POST: its hint, and whether a later POST may fare better. */
interface PostFailureMeaning {
  /** Matches the error codes (`codes`) or messages (`text`) of the error and its causes. */
  codes?: RegExp;
  text?: RegExp;
  hint: string;
  retry: boolean;
}

/**
 * Failed POSTs: the first row whose `codes` match, else the first whose `text` does (a reset during the handshake
 * says "TLS" in its message but ECONNRESET in its code), else the last row, the POST that failed without saying why.
 */
const POST_FAILURES: readonly PostFailureMeaning[] = [
  {
    codes: /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|HANDSHAKE|ALTNAME/i,
    text: /certificate|\bcert\b|tls|ssl|handshake|UnknownIssuer/i,
    hint: 'TLS failed: the proxy certificate is not trusted or does not name this host; give its CA (ca option, http_anchors in krb5.conf) or fix the certificate',
    retry: false,
  },
  {
    codes: /ENOTFOUND/,
    hint: 'the proxy is not reachable: its host name does not resolve; check the URL',
    retry: false,
  },
  {
    codes:
      /ECONNREFUSED|ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET|ConnectionRefused/i,
    text: /ECONNREFUSED|ECONNRESET|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ConnectionRefused|socket hang up|other side closed/i,
    hint: 'the proxy is not reachable: is it running, and are the host and port of the URL right?',
    retry: true,
  },
  {
    hint: 'the POST failed: proxy down, TLS certificate not trusted, or (in a browser) the proxy is on another origin without CORS',
    retry: true,
  },
];

/** Code and message of an error and of its causes (fetch wraps the socket error: TypeError → cause). */
function describeChain(e: unknown): { codes: string; text: string } {
  const codes: string[] = [];
  const texts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur !== undefined && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    texts.push(cur instanceof Error ? cur.message : String(cur));
    cur = (cur as { cause?: unknown }).cause;
  }
  return { codes: codes.join(' '), text: texts.join(': ') };
}

/** What a failed POST means: TLS trust, a name that does not resolve, a proxy not reachable now, or unknown. */
function postFailure(e: unknown): PostFailureMeaning {
  const { codes, text } = describeChain(e);
  const rows = POST_FAILURES;
  return (
    rows.find((r) => r.codes?.test(codes)) ?? rows.find((r) => r.text?.test(text)) ?? rows[rows.length - 1]!
  );
}

function failure(
  where: string,
  message: string,
  hint: string,
  retry: boolean,
  cause?: unknown,
): AttemptResult {
  return {
    ok: false,
    kind: retry ? 'transient' : 'error',
    error: new TransportError(`${where}: ${message}`, { kdc: where, hint, cause }),
  };
}

/** The KDC-PROXY-MESSAGE body of a request for `realm`. */
export function encodeKkdcpRequest(request: Uint8Array, realm: string, dclocatorHint?: number): Uint8Array {
  return encodeKdcProxyMessage({
    kerbMessage: frameTcpMessage(request),
    targetDomain: realm,
    ...(dclocatorHint === undefined ? {} : { dclocatorHint }),
  });
}

/** The KDC reply inside a KKDCP response body; throws TransportError when the body is not one. */
export function decodeKkdcpReply(body: Uint8Array, where: string, maxMessageLength: number): Uint8Array {
  let framed: Uint8Array;
  try {
    framed = decodeKdcProxyMessage(body).kerbMessage;
  } catch (e) {
    throw new TransportError(`${where}: reply is not a KDC-PROXY-MESSAGE (${body.length} bytes)`, {
      kdc: where,
      hint: 'a web server answered, not a KKDCP proxy: check the URL path',
      cause: e,
    });
  }
  if (framed.length < TCP_LENGTH_PREFIX) {
    throw new TransportError(`${where}: kerb-message of ${framed.length} bytes has no length prefix`, {
      kdc: where,
      hint: 'the proxy sent an empty or truncated KDC reply',
    });
  }
  const announced = new DataView(framed.buffer, framed.byteOffset, framed.byteLength).getUint32(0);
  const actual = framed.length - TCP_LENGTH_PREFIX;
  if (announced !== actual || actual > maxMessageLength) {
    throw new TransportError(`${where}: kerb-message announces ${announced} bytes but holds ${actual}`, {
      kdc: where,
      hint:
        actual > maxMessageLength
          ? 'the KDC reply is above maxMessageLength'
          : 'the proxy relayed a truncated or padded KDC reply (MS-KKDCP 2.2.2 wants the 4-byte length prefix)',
    });
  }
  return framed.slice(TCP_LENGTH_PREFIX);
}

/** A caller's signal and a timeout as one AbortSignal, with a way to tell which fired and to release the timer. */
function linkedSignal(timeoutMs: number, outer: AbortSignal | undefined) {
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort(new TransportError(`no reply within ${timeoutMs} ms`));
  }, timeoutMs);
  const onAbort = () => ctl.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: ctl.signal,
    timedOut: () => timedOut,
    release: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/** POSTs one request to a KKDCP proxy and returns the KDC reply. Never rejects: failures are results. */
export async function kkdcpExchange(
  url: string,
  realm: string,
  request: Uint8Array,
  o: KkdcpAttemptOptions,
): Promise<AttemptResult> {
  const where = url;
  if (o.signal?.aborted) return abortFailure(where, o.signal.reason);
  const body = encodeKkdcpRequest(request, realm, o.dclocatorHint);
  const link = linkedSignal(o.timeoutMs, o.signal);
  let res: KkdcpHttpResponse;
  try {
    res = await o.post({
      url,
      body,
      signal: link.signal,
      maxBytes: o.maxMessageLength + KKDCP_ENVELOPE_ALLOWANCE,
    });
  } catch (e) {
    if (link.timedOut()) return timeoutFailure(where, o.timeoutMs);
    if (o.signal?.aborted) return abortFailure(where, o.signal.reason);
    // The POST's own refusals (size bounds) already name the URL and the cause.
    if (e instanceof TransportError) return { ok: false, kind: 'error', error: e };
    const meaning = postFailure(e);
    return failure(where, describeChain(e).text, meaning.hint, meaning.retry, e);
  } finally {
    link.release();
  }
  if (res.status !== 200) {
    const meaning = HTTP_STATUS[res.status];
    const hint = meaning?.hint ?? `the proxy answered HTTP ${res.status} instead of a Kerberos reply`;
    return failure(where, `HTTP ${res.status}`, hint, meaning?.retry ?? false);
  }
  const type = res.contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== undefined && type !== KKDCP_CONTENT_TYPE && !type.startsWith('application/')) {
    return failure(
      where,
      `reply is ${type}, not ${KKDCP_CONTENT_TYPE} (${res.body.length} bytes)`,
      'a web page answered, not a KKDCP proxy: check the URL path',
      false,
    );
  }
  try {
    return { ok: true, reply: decodeKkdcpReply(res.body, where, o.maxMessageLength) };
  } catch (e) {
    const err = e as TransportError;
    return { ok: false, kind: 'error', error: err };
  }
}
