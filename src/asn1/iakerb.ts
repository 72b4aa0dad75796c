/** IAKERB messages (draft-ietf-kitten-iakerb, MIT krb5): IAKERB-HEADER and IAKERB-FINISHED. */
import { type Checksum, readChecksum, writeChecksum } from './basic.js';
import { type DecodeOptions, decodeTop, prune, type Read, readOctets } from './der.js';
import { ctx, DerNode, encOctets, encSeq, optCtx, toDer } from './der-write.js';

/** Identifier octet of UTF8String. */
export const UTF8_STRING_TAG = 0x0c;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** UTF8String as a string (invalid UTF-8 is an error). */
export const readUtf8String: Read<string> = (r) => {
  const { bytes, offset } = r.primitive(UTF8_STRING_TAG, 'UTF8String');
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return r.fail('UTF8String is not valid UTF-8', offset);
  }
};

/** UTF8String node of a string. */
export const encUtf8String = (s: string): DerNode =>
  DerNode.primitive(UTF8_STRING_TAG, utf8Encoder.encode(s));

/** IAKERB-HEADER ::= SEQUENCE { target-realm [1] UTF8String, cookie [2] OCTET STRING OPTIONAL, ... }. */
export interface IakerbHeader {
  targetRealm: string;
  cookie?: Uint8Array;
}

/** IAKERB-FINISHED ::= SEQUENCE { checksum [1] Checksum, ... }. */
export interface IakerbFinished {
  checksum: Checksum;
}

/** Reads an IAKERB-HEADER element. */
export const readIakerbHeader: Read<IakerbHeader> = (r) =>
  r.seq((s) =>
    prune<IakerbHeader>({
      targetRealm: s.field(1, 'target-realm', readUtf8String),
      cookie: s.opt(2, 'cookie', readOctets),
    }),
  );

/** DER of an IAKERB-HEADER. */
export function encodeIakerbHeader(v: IakerbHeader): Uint8Array {
  return toDer(encSeq(ctx(1, encUtf8String(v.targetRealm)), optCtx(2, v.cookie, encOctets)));
}

/** IAKERB-HEADER from DER. */
export function decodeIakerbHeader(b: Uint8Array, opts?: DecodeOptions): IakerbHeader {
  return decodeTop(b, 'IAKERB-HEADER', readIakerbHeader, opts);
}

/** Reads an IAKERB-FINISHED element. */
export const readIakerbFinished: Read<IakerbFinished> = (r) =>
  r.seq((s) => ({ checksum: s.field(1, 'checksum', readChecksum) }));

/** DER of an IAKERB-FINISHED. */
export function encodeIakerbFinished(v: IakerbFinished): Uint8Array {
  return toDer(encSeq(ctx(1, writeChecksum(v.checksum))));
}

/** IAKERB-FINISHED from DER. */
export function decodeIakerbFinished(b: Uint8Array, opts?: DecodeOptions): IakerbFinished {
  return decodeTop(b, 'IAKERB-FINISHED', readIakerbFinished, opts);
}
