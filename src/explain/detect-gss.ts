/**
 * GSS-API inputs of `describe`: framed tokens (RFC 2743 3.1: Kerberos context tokens, RFC 4757 tokens, SPNEGO's
 * first token), RFC 4121 4.2 MIC and Wrap tokens (bare), bare SPNEGO NegotiationTokens (RFC 4178 4.2), and
 * `Negotiate <base64>` header lines (RFC 4559 4), alone or several, one a line.
 */
import type { DecodeOptions } from '../asn1/index.js';
import { GssMechOid } from '../gss/constants.js';
import { decodeGssToken } from '../gss/framing.js';
import { decodeNegotiationToken, decodeSpnegoToken, type SpnegoToken } from '../gss/spnego-codec.js';
import { parseNegotiateHeader } from '../gss/spnego-http.js';

/** Kind names of the GSS inputs, as the explain engine knows them. */
export const GssKind = {
  /** A Kerberos mechanism token, or a framed token of another mechanism ({@link GssTokenValue}). */
  TOKEN: 'GSS-API token',
  /** A SPNEGO token, framed or bare (`SpnegoToken` of gss/spnego-codec). */
  SPNEGO: 'SPNEGO',
  /** A bare NTLMSSP message (MS-NLMP), as a client that fell back sends in `Negotiate` ({@link NtlmsspValue}). */
  NTLMSSP: 'NTLMSSP',
  /** Several inputs, one a line ({@link InputLine}[]). */
  LINES: 'lines',
} as const;

/** A GSS-API token: the framed kind (with the mechanism OID) or a bare RFC 4121 MIC/Wrap token. */
export interface GssTokenValue {
  /** The mechanism of a framed token; absent for RFC 4121 MIC and Wrap tokens, which are not framed (4.2.6). */
  readonly mechOid?: string;
  /** TOK_ID (big-endian), or -1 when a framed token of another mechanism has none. */
  readonly tokId: number;
  /** The token as received. */
  readonly token: Uint8Array;
  /** What follows TOK_ID (a framed token of another mechanism: its whole inner token). */
  readonly body: Uint8Array;
}

/** A SPNEGO token as sniffed: the decoded token and its bytes as received (for byte spans). */
export interface SpnegoValue extends SpnegoToken {
  readonly bytes: Uint8Array;
}

/** An NTLMSSP message: what the client sent instead of a Kerberos token. */
export interface NtlmsspValue {
  readonly ntlmssp: Uint8Array;
}

/** The NTLMSSP signature (MS-NLMP 2.2.1). */
export const NTLMSSP_SIGNATURE = Uint8Array.from([...'NTLMSSP\0'].map((c) => c.charCodeAt(0)));

/** Whether `b` starts with the NTLMSSP signature and a message type. */
export function isNtlmssp(b: Uint8Array): boolean {
  return b.length >= NTLMSSP_SIGNATURE.length + 4 && NTLMSSP_SIGNATURE.every((x, i) => b[i] === x);
}

const FRAMED = 0x60;
const NEG_TOKEN_INIT = 0xa0;
const NEG_TOKEN_RESP = 0xa1;
const CFX_HEADER = 16;
const CFX_FLAGS_MAX = 7;
const FILLER = 0xff;
const MIC_ID = [0x04, 0x04] as const;
const WRAP_ID = [0x05, 0x04] as const;

function isKrb5(oid: string): boolean {
  return oid === GssMechOid.KRB5 || oid === GssMechOid.MS_KRB5;
}

/**
 * An RFC 4121 MIC (04 04, five ff fillers) or Wrap token (05 04, one ff filler). A v4 ccache also starts 05 04, but
 * with a header length whose low byte would have to be ff here: ccaches carry 0 or 12.
 */
function isCfxToken(b: Uint8Array): boolean {
  if (b.length < CFX_HEADER || b[2]! > CFX_FLAGS_MAX) return false;
  if (b[0] === MIC_ID[0] && b[1] === MIC_ID[1]) return b.subarray(3, 8).every((x) => x === FILLER);
  return b[0] === WRAP_ID[0] && b[1] === WRAP_ID[1] && b[3] === FILLER;
}

/**
 * The GSS kind and value of `b`, or undefined when it is not a GSS token; Asn1DecodeError for bad framing. `opts` go
 * to the SPNEGO decoder. A token's body is a view of `b`, so what it decodes to can be placed in `b`.
 */
export function sniffGss(b: Uint8Array, opts?: DecodeOptions): { name: string; value: unknown } | undefined {
  if (b[0] === FRAMED) {
    const { mechOid, inner } = decodeGssToken(b);
    // The inner token runs to the end of the framing, which decodeGssToken checked spans all of `b`.
    const innerAt = b.length - inner.length;
    if (mechOid === GssMechOid.SPNEGO) {
      const value: SpnegoValue = {
        framed: true,
        token: decodeNegotiationToken(b.subarray(innerAt), opts),
        bytes: b,
      };
      return { name: GssKind.SPNEGO, value };
    }
    const withId = isKrb5(mechOid) && inner.length >= 2;
    const value: GssTokenValue = {
      mechOid,
      tokId: withId ? (inner[0]! << 8) | inner[1]! : -1,
      token: b,
      body: b.subarray(withId ? innerAt + 2 : innerAt),
    };
    return { name: GssKind.TOKEN, value };
  }
  if (isCfxToken(b)) {
    const value: GssTokenValue = { tokId: (b[0]! << 8) | b[1]!, token: b, body: b.subarray(2) };
    return { name: GssKind.TOKEN, value };
  }
  if (isNtlmssp(b)) {
    const value: NtlmsspValue = { ntlmssp: b };
    return { name: GssKind.NTLMSSP, value };
  }
  // A bare NegotiationToken: [0] NegTokenInit or [1] NegTokenResp, never of length 0.
  if ((b[0] === NEG_TOKEN_INIT || b[0] === NEG_TOKEN_RESP) && b.length > 2 && b[1] !== 0)
    return { name: GssKind.SPNEGO, value: { ...decodeSpnegoToken(b, opts), bytes: b } satisfies SpnegoValue };
  return undefined;
}

/** One line of a several-line input: its text, and for a Negotiate header line the header and the token. */
export interface TextLine {
  /** 1-based line number in the input. */
  readonly line: number;
  readonly text: string;
  /** `Authorization`, `WWW-Authenticate`, … or `Negotiate` for a bare header value. */
  readonly header?: string;
  /** The token of a Negotiate header line (absent for a bare `Negotiate` challenge). */
  readonly token?: Uint8Array;
}

/** One input of a several-line input, detected, or why it was not. */
export interface InputLine<D> {
  readonly line: number;
  readonly header?: string;
  readonly detected?: D;
  /** Why the line is nothing `describe` knows; its bytes may still be a message a MIC covers. */
  readonly error?: string;
  readonly bytes?: Uint8Array;
}

const TEXT = /^[\t\n\r\x20-\x7e]*$/;
const HEADER_LINE = /^(?:([A-Za-z][\w-]*)[ \t]*:[ \t]*)?(negotiate(?:[ \t].*)?)$/i;

/**
 * The non-empty lines of a text input (lines starting with # are comments), Negotiate header lines parsed; undefined
 * for binary input. ProtocolError check `negotiate-header` for a Negotiate line whose token is not base64.
 */
export function textLines(raw: Uint8Array): TextLine[] | undefined {
  const text = new TextDecoder('latin1').decode(raw);
  if (!TEXT.test(text)) return undefined;
  return text.split(/\r?\n/).flatMap((l, i): TextLine[] => {
    const t = l.trim();
    if (t === '' || t.startsWith('#')) return [];
    const m = HEADER_LINE.exec(t);
    if (m === null) return [{ line: i + 1, text: t }];
    const token = parseNegotiateHeader(m[2]!);
    return [{ line: i + 1, text: t, header: m[1] ?? 'Negotiate', ...(token ? { token } : {}) }];
  });
}
