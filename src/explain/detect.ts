/**
 * What an input file is: hex or base64 text is decoded first, then the bytes are sniffed in order: a GSS-API or
 * SPNEGO token, keytab, ccache, a Kerberos message or encrypted-part plaintext by its APPLICATION tag, a TCP length
 * prefix, a KDC-PROXY-MESSAGE, a raw PAC. `Negotiate <base64>` header lines, and text with one input a line that
 * does not decode as a whole, become several inputs.
 */
import {
  ApplicationTag,
  type DecodeOptions,
  decodeAuthenticator,
  decodeEncApRepPart,
  decodeEncKdcRepPart,
  decodeEncKrbCredPart,
  decodeEncTicketPart,
  decodeKdcProxyMessage,
  decodeKerberosMessage,
  decodeTicket,
} from '../asn1/index.js';
import { CcacheVersion, KeytabVersion, parseCcache, parseKeytab } from '../creds/index.js';
import { FormatError, KerberosError } from '../errors.js';
import { decodePac } from '../pac/index.js';
import { fromBase64, fromHex, toHex, utf8 } from '../util/bytes.js';
import { GssKind, type InputLine, sniffGss, type TextLine, textLines } from './detect-gss.js';
import { MESSAGE_TYPES } from './names.js';

/** How the input was written. */
export type InputEncoding = 'binary' | 'hex' | 'base64' | 'negotiate';

/** A recognised input: the explain kind name, the decoded value, and what wrapped it. */
export interface Detected {
  /** `Ccache`, `Keytab`, a message name (`TGS-REP`), `Ticket`, …, `PAC`, `KDC-PROXY-MESSAGE`, or a {@link GssKind}. */
  readonly name: string;
  readonly value: unknown;
  readonly encoding: InputEncoding;
  /** The bytes had a 4-byte TCP length prefix (RFC 4120 7.2.2). */
  readonly framed: boolean;
  /** The message inside a KDC-PROXY-MESSAGE. */
  readonly inner?: Detected;
}

const CONSTRUCTED_APPLICATION = 0x60;
const TAG_CLASS_MASK = 0xe0;
const TAG_NUMBER_MASK = 0x1f;
const SEQUENCE = 0x30;
const FILE_MAGIC = 0x05;
const TCP_PREFIX = 4;
const PAC_MAX_BUFFERS = 1000;

/** Plaintext types by APPLICATION tag (RFC 4120 5.10), beside the messages. */
const PART_TAGS: ReadonlyMap<number, readonly [string, (b: Uint8Array, opts?: DecodeOptions) => unknown]> =
  new Map([
    [ApplicationTag.Ticket, ['Ticket', decodeTicket]],
    [ApplicationTag.Authenticator, ['Authenticator', decodeAuthenticator]],
    [ApplicationTag.EncTicketPart, ['EncTicketPart', decodeEncTicketPart]],
    [ApplicationTag.EncAsRepPart, ['EncKdcRepPart', decodeEncKdcRepPart]],
    [ApplicationTag.EncTgsRepPart, ['EncKdcRepPart', decodeEncKdcRepPart]],
    [ApplicationTag.EncApRepPart, ['EncApRepPart', decodeEncApRepPart]],
    [ApplicationTag.EncKrbCredPart, ['EncKrbCredPart', decodeEncKrbCredPart]],
  ]);

function fileVersion(b: Uint8Array): number | undefined {
  return b.length >= 2 && b[0] === FILE_MAGIC ? (b[0] << 8) | b[1]! : undefined;
}

function u32(b: Uint8Array, at: number, little: boolean): number {
  return new DataView(b.buffer, b.byteOffset + at, 4).getUint32(0, little);
}

function looksLikePac(b: Uint8Array): boolean {
  if (b.length < 8) return false;
  const count = u32(b, 0, true);
  return count > 0 && count <= PAC_MAX_BUFFERS && u32(b, 4, true) === 0;
}

function sniff(b: Uint8Array, encoding: InputEncoding, framed: boolean, opts?: DecodeOptions): Detected {
  const base = { encoding, framed };
  const gss = sniffGss(b, opts);
  if (gss !== undefined) return { ...base, ...gss };
  const version = fileVersion(b);
  if (version === KeytabVersion.V2 || version === KeytabVersion.V1)
    return { ...base, name: 'Keytab', value: parseKeytab(b) };
  if (version === CcacheVersion.V4 || version === CcacheVersion.V3)
    return { ...base, name: 'Ccache', value: parseCcache(b) };
  const id = b[0] ?? 0;
  if ((id & TAG_CLASS_MASK) === CONSTRUCTED_APPLICATION) {
    const tag = id & TAG_NUMBER_MASK;
    if (MESSAGE_TYPES.has(tag)) {
      const m = decodeKerberosMessage(b, opts);
      return { ...base, name: m.type, value: m.value };
    }
    const part = PART_TAGS.get(tag);
    if (part !== undefined) return { ...base, name: part[0], value: part[1](b, opts) };
  }
  if (!framed && b.length > TCP_PREFIX && u32(b, 0, false) === b.length - TCP_PREFIX) {
    return sniff(b.subarray(TCP_PREFIX), encoding, true, opts);
  }
  if (id === SEQUENCE) {
    const value = decodeKdcProxyMessage(b, opts);
    return {
      ...base,
      name: 'KDC-PROXY-MESSAGE',
      value,
      inner: sniff(value.kerbMessage, 'binary', false, opts),
    };
  }
  if (looksLikePac(b)) return { ...base, name: 'PAC', value: decodePac(b) };
  throw new FormatError(
    `not a keytab, ccache, Kerberos message, KDC-PROXY-MESSAGE or PAC, nor a GSS-API or SPNEGO token (starts ${toHex(b.subarray(0, 8))})`,
    {
      hint: 'describe reads binary files, or the same bytes as hex or base64 text',
    },
  );
}

const TEXT = /^[\t\n\r\x20-\x7e]*$/;
const HEX = /^(0x)?([0-9a-fA-F]{2})+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** The bytes an input holds: hex or base64 text decoded, binary as is. */
export function decodeInputText(raw: Uint8Array): { bytes: Uint8Array; encoding: InputEncoding } {
  if (raw.length === 0) throw new FormatError('the input is empty');
  if (fileVersion(raw) !== undefined || !TEXT.test(new TextDecoder('latin1').decode(raw)))
    return { bytes: raw, encoding: 'binary' };
  const text = new TextDecoder('latin1').decode(raw).replace(/\s+/g, '');
  if (HEX.test(text)) return { bytes: fromHex(text.replace(/^0x/, '')), encoding: 'hex' };
  if (BASE64.test(text)) {
    try {
      return { bytes: fromBase64(text), encoding: 'base64' };
    } catch (e) {
      if (!(e instanceof KerberosError)) throw e;
    }
  }
  throw new FormatError('the input is text, but neither hex nor base64');
}

/**
 * Each line as one input; undefined when a line is neither a Negotiate header nor hex or base64, or (`oneKnown`)
 * when no line is anything `describe` knows.
 */
function detectLines(
  lines: readonly TextLine[],
  oneKnown: boolean,
  opts: DecodeOptions | undefined,
): Detected | undefined {
  const inputs: InputLine<Detected>[] = [];
  for (const l of lines) {
    const at = { line: l.line, ...(l.header === undefined ? {} : { header: l.header }) };
    let decoded: { bytes: Uint8Array; encoding: InputEncoding } | undefined;
    if (l.token !== undefined) decoded = { bytes: l.token, encoding: 'negotiate' };
    else if (l.header === undefined) {
      try {
        decoded = decodeInputText(utf8(l.text));
      } catch (e) {
        if (e instanceof KerberosError) return undefined;
        throw e;
      }
    }
    if (decoded === undefined) {
      inputs.push(at);
      continue;
    }
    try {
      inputs.push({ ...at, detected: sniff(decoded.bytes, decoded.encoding, false, opts) });
    } catch (e) {
      if (!(e instanceof KerberosError)) throw e;
      inputs.push({ ...at, error: e.message, bytes: decoded.bytes });
    }
  }
  if (oneKnown && !inputs.some((i) => i.detected !== undefined)) return undefined;
  return { name: GssKind.LINES, value: inputs, encoding: 'binary', framed: false };
}

/**
 * Detects and decodes any input `describe` accepts; FormatError, Asn1DecodeError or PacDecodeError otherwise. `opts`
 * go to the DER decoders (`{ spans }` to explain with byte spans).
 */
export function detectInput(raw: Uint8Array, opts?: DecodeOptions): Detected {
  const lines = textLines(raw);
  if (lines?.some((l) => l.header !== undefined)) {
    const [only] = lines;
    if (lines.length === 1 && only?.token !== undefined) return sniff(only.token, 'negotiate', false, opts);
    const several = detectLines(lines, false, opts);
    if (several !== undefined) return several;
  }
  try {
    const { bytes, encoding } = decodeInputText(raw);
    return sniff(bytes, encoding, false, opts);
  } catch (e) {
    // Several tokens, one a line (an AP-REQ, its AP-REP, then Wrap and MIC tokens) do not decode as a whole.
    const several =
      lines !== undefined && lines.length > 1 && e instanceof KerberosError
        ? detectLines(lines, true, opts)
        : undefined;
    if (several === undefined) throw e;
    return several;
  }
}
