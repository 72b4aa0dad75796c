/** RFC 8636 PKINIT KDF inputs: the SP 800-56A OtherInfo and PkinitSuppPubInfo. */
import { type DecodeOptions, decodeTop, prune, type Read, readInt32, readOctets, Tag } from './der.js';
import { ctx, type DerNode, encInt32, encOctets, encRaw, encSeq, optCtx, toDer } from './der-write.js';

/** OtherInfo ::= SEQUENCE { algorithmID AlgorithmIdentifier, partyUInfo [0], partyVInfo [1], suppPubInfo [2] OPTIONAL, suppPrivInfo [3] OPTIONAL } (OCTET STRINGs). */
export interface Sp80056aOtherInfo {
  /** DER of the AlgorithmIdentifier. */
  algorithmId: Uint8Array;
  partyUInfo: Uint8Array;
  partyVInfo: Uint8Array;
  suppPubInfo?: Uint8Array;
  suppPrivInfo?: Uint8Array;
}

/** PkinitSuppPubInfo ::= SEQUENCE { enctype [0] Int32, as-REQ [1] OCTET STRING, pk-as-rep [2] OCTET STRING }. */
export interface PkinitSuppPubInfo {
  enctype: number;
  asReq: Uint8Array;
  pkAsRep: Uint8Array;
}

/** Reads an OtherInfo element. */
export const readSp80056aOtherInfo: Read<Sp80056aOtherInfo> = (r) =>
  r.seq((s) =>
    prune<Sp80056aOtherInfo>({
      algorithmId: s.raw('AlgorithmIdentifier', Tag.Sequence),
      partyUInfo: s.field(0, 'partyUInfo', readOctets),
      partyVInfo: s.field(1, 'partyVInfo', readOctets),
      suppPubInfo: s.opt(2, 'suppPubInfo', readOctets),
      suppPrivInfo: s.opt(3, 'suppPrivInfo', readOctets),
    }),
  );

/** DER node of an OtherInfo. */
export function writeSp80056aOtherInfo(v: Sp80056aOtherInfo): DerNode {
  return encSeq(
    encRaw(v.algorithmId),
    ctx(0, encOctets(v.partyUInfo)),
    ctx(1, encOctets(v.partyVInfo)),
    optCtx(2, v.suppPubInfo, encOctets),
    optCtx(3, v.suppPrivInfo, encOctets),
  );
}

/** DER of an OtherInfo (the KDF's OtherInfo input). */
export function encodeSp80056aOtherInfo(v: Sp80056aOtherInfo): Uint8Array {
  return toDer(writeSp80056aOtherInfo(v));
}

/** OtherInfo from DER. */
export function decodeSp80056aOtherInfo(b: Uint8Array, opts?: DecodeOptions): Sp80056aOtherInfo {
  return decodeTop(b, 'OtherInfo', readSp80056aOtherInfo, opts);
}

/** Reads a PkinitSuppPubInfo element. */
export const readPkinitSuppPubInfo: Read<PkinitSuppPubInfo> = (r) =>
  r.seq((s) => ({
    enctype: s.field(0, 'enctype', readInt32),
    asReq: s.field(1, 'as-REQ', readOctets),
    pkAsRep: s.field(2, 'pk-as-rep', readOctets),
  }));

/** DER of a PkinitSuppPubInfo. */
export function encodePkinitSuppPubInfo(v: PkinitSuppPubInfo): Uint8Array {
  return toDer(encSeq(ctx(0, encInt32(v.enctype)), ctx(1, encOctets(v.asReq)), ctx(2, encOctets(v.pkAsRep))));
}

/** PkinitSuppPubInfo from DER. */
export function decodePkinitSuppPubInfo(b: Uint8Array, opts?: DecodeOptions): PkinitSuppPubInfo {
  return decodeTop(b, 'PkinitSuppPubInfo', readPkinitSuppPubInfo, opts);
}
