/**
 * Finding Kerberos by content, on any port: a UDP payload or a TCP record (RFC 4120 7.2.2 length marker) that is one
 * DER element with a KDC message's APPLICATION tag; inside HTTP, the tokens of `Authorization`/`WWW-Authenticate:
 * Negotiate` (RFC 4559 4) and KKDCP bodies (`application/kerberos-session`, MS-KKDCP 2.2.1) over plain HTTP; inside
 * LDAP, the credentials of SASL binds (RFC 4511 4.2, 4.2.2). Only shapes are checked here: the explain layer decodes.
 * Everything buffered is bounded; a stream that fits none of the shapes is left alone.
 */
import { Limits, RECORD_EXTENSION_BIT, RECORD_MARKER_LENGTH } from './constants.js';

/** How a found message travelled. */
export type Carrier = 'kerberos' | 'http-negotiate' | 'kkdcp' | 'ldap-sasl';

/** One message found in a payload or a stream. */
export interface Found {
  readonly carrier: Carrier;
  /** Client → server (an HTTP request, an LDAP bind request) or back; unknown for bare Kerberos. */
  readonly role?: 'request' | 'reply';
  readonly bytes: Uint8Array;
}

/** APPLICATION tags of the messages a KDC exchanges: AS-REQ 10, AS-REP 11, TGS-REQ 12, TGS-REP 13, KRB-ERROR 30. */
const KDC_MESSAGE_TAGS: ReadonlySet<number> = new Set([0x6a, 0x6b, 0x6c, 0x6d, 0x7e]);
/** BER identifiers of LDAP (RFC 4511 4.2, 4.2.2): LDAPMessage, BindRequest, BindResponse, SaslCredentials. */
const Ldap = {
  MESSAGE: 0x30,
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  BIND_REQUEST: 0x60,
  BIND_RESPONSE: 0x61,
  SASL: 0xa3,
  SERVER_SASL_CREDS: 0x87,
} as const;
/** SASL mechanisms whose credentials are GSS-API tokens (RFC 4752, RFC 4178 via GSS-SPNEGO). */
const GSS_MECHANISMS: ReadonlySet<string> = new Set(['GSSAPI', 'GSS-SPNEGO']);
/** Longest DER length field read (4 bytes: lengths up to 2^32 - 1). */
const MAX_LENGTH_OCTETS = 4;
/** Bytes of the first line read to tell HTTP from the rest. */
const MAX_START_LINE = 2048;
/** Bytes of HTTP headers read before a stream is given up as not HTTP. */
const MAX_HTTP_HEAD = 64 * 1024;
const HTTP_METHOD = /^(GET|POST|PUT|HEAD|OPTIONS|DELETE|PATCH|PROPFIND|CONNECT) \S+ HTTP\/1\.[01]\r?$/;
const HTTP_STATUS = /^HTTP\/1\.[01] \d{3}/;
const NEGOTIATE_HEADERS = new Set([
  'authorization',
  'www-authenticate',
  'proxy-authorization',
  'proxy-authenticate',
]);
const KKDCP_TYPE = 'application/kerberos-session';
const CRLF = '\r\n';

/** Header and total length of the DER/BER element at `at`, or undefined if incomplete, indefinite or malformed. */
export function derElement(b: Uint8Array, at = 0): { header: number; total: number } | undefined {
  if (at + 2 > b.length) return undefined;
  const first = b[at + 1]!;
  if (first < 0x80) return { header: 2, total: 2 + first };
  const n = first & 0x7f;
  if (n === 0 || n > MAX_LENGTH_OCTETS || at + 2 + n > b.length) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[at + 2 + i]!;
  return { header: 2 + n, total: 2 + n + len };
}

/** Whether `b` is exactly one DER element with the APPLICATION tag of a KDC message. */
export function isKdcMessageShape(b: Uint8Array): boolean {
  return b.length > 0 && KDC_MESSAGE_TAGS.has(b[0]!) && derElement(b)?.total === b.length;
}

/** What a UDP payload carries, if it is a bare KDC message. */
export function scanDatagram(payload: Uint8Array): Found[] {
  return isKdcMessageShape(payload) ? [{ carrier: 'kerberos', bytes: payload }] : [];
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

/** Base64 text to bytes; undefined when it is not base64. */
function base64Bytes(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const c of clean) {
    acc = (acc << 6) | alphabet.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

type Mode = 'unknown' | 'kerberos' | 'http' | 'ldap' | 'other';

/**
 * One direction of a TCP connection on a port not known to carry Kerberos: its first bytes decide what it is
 * (Kerberos records, HTTP, LDAP, or something else, then ignored), and each message found is returned as it
 * completes. Feed in-order bytes only (the TCP reassembler's stream mode).
 */
export class StreamScanner {
  #mode: Mode = 'unknown';
  #buf = new Uint8Array(0);
  /**
   * The HTTP body being read: bytes still to skip or collect (a KKDCP body is collected), and for a chunked body
   * (RFC 9112 7.1) whether the next thing is a chunk-size line, chunk data, or the trailer section.
   */
  #body:
    | {
        left: number;
        role: 'request' | 'reply';
        kkdcp: boolean;
        parts: Uint8Array[];
        chunked?: 'size' | 'data' | 'trailer' | 'done';
      }
    | undefined;

  /** What the stream turned out to be. */
  get mode(): Mode {
    return this.#mode;
  }

  push(data: Uint8Array): Found[] {
    if (this.#mode === 'other' || data.length === 0) return [];
    const joined = new Uint8Array(this.#buf.length + data.length);
    joined.set(this.#buf);
    joined.set(data, this.#buf.length);
    this.#buf = joined;
    if (this.#mode === 'unknown') this.#mode = this.#sniff();
    const found: Found[] = [];
    if (this.#mode === 'kerberos') this.#records(found);
    else if (this.#mode === 'http') this.#http(found);
    else if (this.#mode === 'ldap') this.#ldap(found);
    if (this.#buf.length > Limits.MAX_RECORD) this.#stop();
    return found;
  }

  #stop(): void {
    this.#mode = 'other';
    this.#buf = new Uint8Array(0);
    this.#body = undefined;
  }

  #sniff(): Mode {
    const b = this.#buf;
    if (b.length < 6) return 'unknown';
    const len = new DataView(b.buffer, b.byteOffset).getUint32(0);
    if ((len & RECORD_EXTENSION_BIT) === 0 && len <= Limits.MAX_RECORD && KDC_MESSAGE_TAGS.has(b[4]!)) {
      const e = derElement(b, RECORD_MARKER_LENGTH);
      if (e === undefined || e.total === len) return 'kerberos';
    }
    const e = b[0] === Ldap.MESSAGE ? derElement(b) : undefined;
    if (e !== undefined && b[e.header] === Ldap.INTEGER) return 'ldap';
    const newline = b.subarray(0, MAX_START_LINE).indexOf(0x0a);
    if (newline < 0)
      return b.length < MAX_START_LINE && /^[A-Z]/.test(latin1(b.subarray(0, 1))) ? 'unknown' : 'other';
    const line = latin1(b.subarray(0, newline));
    return HTTP_STATUS.test(line) || HTTP_METHOD.test(line) ? 'http' : 'other';
  }

  /** RFC 4120 7.2.2 records. */
  #records(found: Found[]): void {
    for (;;) {
      const b = this.#buf;
      if (b.length < RECORD_MARKER_LENGTH) return;
      const len = new DataView(b.buffer, b.byteOffset).getUint32(0);
      if ((len & RECORD_EXTENSION_BIT) !== 0 || len > Limits.MAX_RECORD) {
        this.#stop();
        return;
      }
      if (b.length < RECORD_MARKER_LENGTH + len) return;
      const rec = b.slice(RECORD_MARKER_LENGTH, RECORD_MARKER_LENGTH + len);
      this.#buf = b.subarray(RECORD_MARKER_LENGTH + len);
      if (isKdcMessageShape(rec)) found.push({ carrier: 'kerberos', bytes: rec });
    }
  }

  /** HTTP/1.x messages: Negotiate tokens from the headers, KKDCP bodies by content type and length. */
  #http(found: Found[]): void {
    for (;;) {
      const body = this.#body;
      if (body?.chunked === 'size' || body?.chunked === 'trailer') {
        const line = this.#line();
        if (line === undefined) return;
        if (body.chunked === 'trailer') {
          if (line === '') body.chunked = 'done';
          continue;
        }
        const size = /^[0-9a-fA-F]{1,8}/.exec(line);
        const n = size === null ? Number.NaN : Number.parseInt(size[0], 16);
        const collected = body.parts.reduce((k, p) => k + p.length, 0);
        if (Number.isNaN(n) || (body.kkdcp && collected + n > Limits.MAX_RECORD)) {
          this.#stop();
          return;
        }
        if (n === 0) body.chunked = 'trailer';
        else [body.chunked, body.left] = ['data', n + CRLF.length];
        continue;
      }
      if (body?.chunked === 'done') {
        this.#body = undefined;
        this.#found(body, found);
        continue;
      }
      if (body !== undefined) {
        const take = Math.min(body.left, this.#buf.length);
        // Chunk data ends with CRLF, which is not part of the body.
        const data = body.chunked === 'data' ? Math.min(take, body.left - CRLF.length) : take;
        if (body.kkdcp && data > 0) body.parts.push(this.#buf.slice(0, data));
        this.#buf = this.#buf.subarray(take);
        body.left -= take;
        if (body.left > 0) return;
        if (body.chunked === 'data') {
          body.chunked = 'size';
          continue;
        }
        this.#body = undefined;
        this.#found(body, found);
      }
      const end = this.#headEnd();
      if (end === undefined) {
        if (this.#buf.length > MAX_HTTP_HEAD) this.#stop();
        return;
      }
      const head = latin1(this.#buf.subarray(0, end.at)).split(/\r?\n/);
      this.#buf = this.#buf.subarray(end.at + end.length);
      const start = head[0] ?? '';
      if (!HTTP_STATUS.test(start) && !HTTP_METHOD.test(start)) {
        this.#stop();
        return;
      }
      const role = HTTP_STATUS.test(start) ? 'reply' : 'request';
      let length = 0;
      let kkdcp = false;
      let chunked = false;
      for (const h of head.slice(1)) {
        const colon = h.indexOf(':');
        if (colon <= 0) continue;
        const name = h.slice(0, colon).trim().toLowerCase();
        const value = h.slice(colon + 1).trim();
        if (NEGOTIATE_HEADERS.has(name)) {
          for (const part of value.split(',')) {
            const m = /^\s*Negotiate\s+([A-Za-z0-9+/=]+)\s*$/i.exec(part);
            const bytes = m?.[1] === undefined ? undefined : base64Bytes(m[1]);
            if (bytes !== undefined && bytes.length > 0)
              found.push({ carrier: 'http-negotiate', role, bytes });
          }
        } else if (name === 'content-length' && /^\d+$/.test(value)) length = Number(value);
        else if (name === 'content-type') kkdcp = value.toLowerCase().startsWith(KKDCP_TYPE);
        else if (name === 'transfer-encoding') chunked = /(^|,)\s*chunked\s*$/i.test(value);
      }
      if (kkdcp && length > Limits.MAX_RECORD) {
        this.#stop();
        return;
      }
      if (chunked) this.#body = { left: 0, role, kkdcp, parts: [], chunked: 'size' };
      else if (length > 0) this.#body = { left: length, role, kkdcp, parts: [] };
    }
  }

  /** A finished body: a KKDCP message when its content type said so. */
  #found(body: { role: 'request' | 'reply'; kkdcp: boolean; parts: Uint8Array[] }, found: Found[]): void {
    if (!body.kkdcp) return;
    const bytes = new Uint8Array(body.parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of body.parts) {
      bytes.set(p, o);
      o += p.length;
    }
    found.push({ carrier: 'kkdcp', role: body.role, bytes });
  }

  /** The next line (without CR LF), consumed; undefined until a whole one is buffered (a long one stops the stream). */
  #line(): string | undefined {
    const nl = this.#buf.indexOf(0x0a);
    if (nl < 0) {
      if (this.#buf.length > MAX_START_LINE) this.#stop();
      return undefined;
    }
    const line = latin1(this.#buf.subarray(0, nl)).replace(/\r$/, '');
    this.#buf = this.#buf.subarray(nl + 1);
    return line;
  }

  #headEnd(): { at: number; length: number } | undefined {
    const b = this.#buf;
    for (let i = 0; i + 1 < b.length; i++) {
      if (b[i] !== 0x0a) continue;
      if (b[i + 1] === 0x0a) return { at: i, length: 2 };
      if (b[i + 1] === 0x0d && b[i + 2] === 0x0a) return { at: i, length: 3 };
    }
    return undefined;
  }

  /** LDAPMessages: the SASL credentials of bind requests and the server SASL credentials of bind responses. */
  #ldap(found: Found[]): void {
    for (;;) {
      const b = this.#buf;
      if (b.length === 0) return;
      if (b[0] !== Ldap.MESSAGE) {
        this.#stop();
        return;
      }
      const e = derElement(b);
      if (e === undefined) {
        // Incomplete, or a length form LDAP never uses (indefinite, or longer than 4 octets).
        const n = (b[1] ?? 0x81) & 0x7f;
        if (b.length >= 2 && b[1]! >= 0x80 && (n === 0 || n > MAX_LENGTH_OCTETS)) this.#stop();
        return;
      }
      if (e.total > Limits.MAX_RECORD) {
        this.#stop();
        return;
      }
      if (b.length < e.total) return;
      const msg = b.subarray(0, e.total);
      this.#buf = b.subarray(e.total);
      const creds = saslCredentials(msg, e.header);
      if (creds !== undefined) found.push({ carrier: 'ldap-sasl', ...creds });
    }
  }
}

/** The children of the BER element `b[at…]`'s contents, as [tag, contents] pairs; undefined if malformed. */
function children(b: Uint8Array, from: number, to: number): Array<[number, Uint8Array]> | undefined {
  const out: Array<[number, Uint8Array]> = [];
  let at = from;
  while (at < to) {
    const e = derElement(b, at);
    if (e === undefined || at + e.total > to) return undefined;
    out.push([b[at]!, b.subarray(at + e.header, at + e.total)]);
    at += e.total;
  }
  return out;
}

/** SASL credentials of a BindRequest or a BindResponse (RFC 4511 4.2, 4.2.2), if `msg` is one and has them. */
function saslCredentials(
  msg: Uint8Array,
  header: number,
): { role: 'request' | 'reply'; bytes: Uint8Array } | undefined {
  const parts = children(msg, header, msg.length);
  const op = parts?.[1];
  if (op === undefined) return undefined;
  const [tag, body] = op;
  const fields = children(body, 0, body.length);
  if (fields === undefined) return undefined;
  if (tag === Ldap.BIND_REQUEST) {
    const sasl = fields.find(([t]) => t === Ldap.SASL);
    const inner = sasl === undefined ? undefined : children(sasl[1], 0, sasl[1].length);
    const mechanism = inner?.[0];
    if (mechanism === undefined || !GSS_MECHANISMS.has(latin1(mechanism[1]))) return undefined;
    // The steps after the context is made carry no token (RFC 4752 3.1): kept, so that replies pair.
    const creds = inner?.[1];
    return {
      role: 'request',
      bytes: creds?.[0] === Ldap.OCTET_STRING ? creds[1].slice() : new Uint8Array(0),
    };
  }
  if (tag === Ldap.BIND_RESPONSE) {
    const creds = fields.find(([t]) => t === Ldap.SERVER_SASL_CREDS);
    return { role: 'reply', bytes: creds === undefined ? new Uint8Array(0) : creds[1].slice() };
  }
  return undefined;
}
