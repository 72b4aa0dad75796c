/**
 * Just enough DER to read the error-code of a KRB-ERROR reply, without the ASN.1 layer (the transport
 * depends on nothing of ours). KRB-ERROR ::= [APPLICATION 30] SEQUENCE { ... error-code [6] Int32 ... },
 * RFC 4120 5.9.1. Returns undefined for anything that is not a well-formed prefix of one.
 */
import { KdcReplyTag, TransportErrorCode } from './constants.js';

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const CONTEXT_CONSTRUCTED = 0xa0;
const ERROR_CODE_FIELD = 6;

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function readTlv(b: Uint8Array, at: number, limit: number): Tlv | undefined {
  if (at + 2 > limit) return undefined;
  const tag = b[at]!;
  if ((tag & 0x1f) === 0x1f) return undefined;
  let len = b[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  const end = start + len;
  return end > limit ? undefined : { tag, start, end };
}

/** The error-code of a KRB-ERROR, or undefined when `reply` is not one. */
export function peekKrbErrorCode(reply: Uint8Array): number | undefined {
  const outer = readTlv(reply, 0, reply.length);
  if (!outer || outer.tag !== KdcReplyTag.KrbError) return undefined;
  const seq = readTlv(reply, outer.start, outer.end);
  if (!seq || seq.tag !== SEQUENCE) return undefined;
  let at = seq.start;
  while (at < seq.end) {
    const field = readTlv(reply, at, seq.end);
    if (!field) return undefined;
    if (field.tag === (CONTEXT_CONSTRUCTED | ERROR_CODE_FIELD)) {
      const int = readTlv(reply, field.start, field.end);
      if (!int || int.tag !== INTEGER || int.end - int.start < 1 || int.end - int.start > 4) return undefined;
      let v = reply[int.start]! & 0x80 ? -1 : 0;
      for (let i = int.start; i < int.end; i++) v = v * 256 + reply[i]!;
      return v;
    }
    if (field.tag > (CONTEXT_CONSTRUCTED | ERROR_CODE_FIELD)) return undefined;
    at = field.end;
  }
  return undefined;
}

/** What a transport does with a reply: return it, retry over TCP, try another KDC, or call it garbage. */
export type ReplyVerdict = 'reply' | 'too-big' | 'unavailable' | 'garbage';

const REPLY_TAGS: ReadonlySet<number> = new Set(Object.values(KdcReplyTag));

/** Sorts a reply by its first octet and, for a KRB-ERROR, the codes a transport reacts to. */
export function classifyKdcReply(reply: Uint8Array): ReplyVerdict {
  if (reply.length === 0 || !REPLY_TAGS.has(reply[0]!)) return 'garbage';
  const code = peekKrbErrorCode(reply);
  if (code === TransportErrorCode.KrbErrResponseTooBig) return 'too-big';
  if (code === TransportErrorCode.KdcErrSvcUnavailable) return 'unavailable';
  return 'reply';
}
