/** MIT's SAM-2 hardware pre-authentication types (draft-ietf-krb-wg-kerberos-sam-03 as MIT encodes them). */
import {
  type Checksum,
  type EncryptedData,
  type EncryptionKey,
  readChecksum,
  readEncryptedData,
  readEncryptionKey,
  writeChecksum,
  writeEncryptedData,
  writeEncryptionKey,
} from './basic.js';
import { type DecodeOptions, decodeTop, prune, type Read, readInt32, readOctets } from './der.js';
import {
  ctx,
  type DerNode,
  encInt32,
  encOctets,
  encRaw,
  encSeq,
  encSeqOf,
  optCtx,
  toDer,
} from './der-write.js';
import { type FlagSet, flagsReader, writeFlags } from './flags.js';

/** SAMFlags bit numbers. */
export const SamFlagBit = { useSadAsKey: 0, sendEncryptedSad: 1, mustPkEncryptSad: 2 } as const;
/** SAMFlags (KerberosFlags). */
export type SamFlags = FlagSet<keyof typeof SamFlagBit>;

/** SAM-CHALLENGE-2 ::= SEQUENCE { sam-challenge-2-body [0] (DER kept as is, it is checksummed), sam-cksum [1] SEQUENCE OF Checksum }. */
export interface SamChallenge2 {
  /** DER of the SAM-CHALLENGE-2-BODY element. */
  samChallenge2Body: Uint8Array;
  samCksum: Checksum[];
}

/** SAM-CHALLENGE-2-BODY; the text fields are OCTET STRINGs as MIT encodes them. */
export interface SamChallenge2Body {
  samType: number;
  samFlags: SamFlags;
  samTypeName?: Uint8Array;
  samTrackId?: Uint8Array;
  samChallengeLabel?: Uint8Array;
  samChallenge?: Uint8Array;
  samResponsePrompt?: Uint8Array;
  samPkForSad?: EncryptionKey;
  samNonce: number;
  samEtype: number;
}

/** SAM-RESPONSE-2 ::= SEQUENCE { sam-type [0], sam-flags [1], sam-track-id [2] OPTIONAL, sam-enc-nonce-or-sad [3] EncryptedData, sam-nonce [4] }. */
export interface SamResponse2 {
  samType: number;
  samFlags: SamFlags;
  samTrackId?: Uint8Array;
  samEncNonceOrSad: EncryptedData;
  samNonce: number;
}

/** SAM-ENC-RESPONSE-ENC-2 ::= SEQUENCE { sam-nonce [0] Int32, sam-sad [1] OCTET STRING OPTIONAL }. */
export interface EncSamResponseEnc2 {
  samNonce: number;
  samSad?: Uint8Array;
}

const readSamFlags = flagsReader(SamFlagBit);

/** Reads a SAM-CHALLENGE-2 element. */
export const readSamChallenge2: Read<SamChallenge2> = (r) =>
  r.seq((s) => ({
    samChallenge2Body: s.field(0, 'sam-challenge-2-body', (f) => f.raw('SAM-CHALLENGE-2-BODY')),
    samCksum: s.field(1, 'sam-cksum', (f) => f.seqOf(readChecksum)),
  }));

/** DER of a SAM-CHALLENGE-2. */
export function encodeSamChallenge2(v: SamChallenge2): Uint8Array {
  return toDer(encSeq(ctx(0, encRaw(v.samChallenge2Body)), ctx(1, encSeqOf(v.samCksum, writeChecksum))));
}

/** SAM-CHALLENGE-2 from DER. */
export function decodeSamChallenge2(b: Uint8Array, opts?: DecodeOptions): SamChallenge2 {
  return decodeTop(b, 'SAM-CHALLENGE-2', readSamChallenge2, opts);
}

/** Reads a SAM-CHALLENGE-2-BODY element. */
export const readSamChallenge2Body: Read<SamChallenge2Body> = (r) =>
  r.seq((s) =>
    prune<SamChallenge2Body>({
      samType: s.field(0, 'sam-type', readInt32),
      samFlags: s.field(1, 'sam-flags', readSamFlags),
      samTypeName: s.opt(2, 'sam-type-name', readOctets),
      samTrackId: s.opt(3, 'sam-track-id', readOctets),
      samChallengeLabel: s.opt(4, 'sam-challenge-label', readOctets),
      samChallenge: s.opt(5, 'sam-challenge', readOctets),
      samResponsePrompt: s.opt(6, 'sam-response-prompt', readOctets),
      samPkForSad: s.opt(7, 'sam-pk-for-sad', readEncryptionKey),
      samNonce: s.field(8, 'sam-nonce', readInt32),
      samEtype: s.field(9, 'sam-etype', readInt32),
    }),
  );

/** DER node of a SAM-CHALLENGE-2-BODY. */
export function writeSamChallenge2Body(v: SamChallenge2Body): DerNode {
  return encSeq(
    ctx(0, encInt32(v.samType)),
    ctx(1, writeFlags(SamFlagBit, v.samFlags)),
    optCtx(2, v.samTypeName, encOctets),
    optCtx(3, v.samTrackId, encOctets),
    optCtx(4, v.samChallengeLabel, encOctets),
    optCtx(5, v.samChallenge, encOctets),
    optCtx(6, v.samResponsePrompt, encOctets),
    optCtx(7, v.samPkForSad, writeEncryptionKey),
    ctx(8, encInt32(v.samNonce)),
    ctx(9, encInt32(v.samEtype)),
  );
}

/** DER of a SAM-CHALLENGE-2-BODY. */
export function encodeSamChallenge2Body(v: SamChallenge2Body): Uint8Array {
  return toDer(writeSamChallenge2Body(v));
}

/** SAM-CHALLENGE-2-BODY from DER. */
export function decodeSamChallenge2Body(b: Uint8Array, opts?: DecodeOptions): SamChallenge2Body {
  return decodeTop(b, 'SAM-CHALLENGE-2-BODY', readSamChallenge2Body, opts);
}

/** Reads a SAM-RESPONSE-2 element. */
export const readSamResponse2: Read<SamResponse2> = (r) =>
  r.seq((s) =>
    prune<SamResponse2>({
      samType: s.field(0, 'sam-type', readInt32),
      samFlags: s.field(1, 'sam-flags', readSamFlags),
      samTrackId: s.opt(2, 'sam-track-id', readOctets),
      samEncNonceOrSad: s.field(3, 'sam-enc-nonce-or-sad', readEncryptedData),
      samNonce: s.field(4, 'sam-nonce', readInt32),
    }),
  );

/** DER of a SAM-RESPONSE-2. */
export function encodeSamResponse2(v: SamResponse2): Uint8Array {
  return toDer(
    encSeq(
      ctx(0, encInt32(v.samType)),
      ctx(1, writeFlags(SamFlagBit, v.samFlags)),
      optCtx(2, v.samTrackId, encOctets),
      ctx(3, writeEncryptedData(v.samEncNonceOrSad)),
      ctx(4, encInt32(v.samNonce)),
    ),
  );
}

/** SAM-RESPONSE-2 from DER. */
export function decodeSamResponse2(b: Uint8Array, opts?: DecodeOptions): SamResponse2 {
  return decodeTop(b, 'SAM-RESPONSE-2', readSamResponse2, opts);
}

/** Reads a SAM-ENC-RESPONSE-ENC-2 element. */
export const readEncSamResponseEnc2: Read<EncSamResponseEnc2> = (r) =>
  r.seq((s) =>
    prune<EncSamResponseEnc2>({
      samNonce: s.field(0, 'sam-nonce', readInt32),
      samSad: s.opt(1, 'sam-sad', readOctets),
    }),
  );

/** DER of a SAM-ENC-RESPONSE-ENC-2. */
export function encodeEncSamResponseEnc2(v: EncSamResponseEnc2): Uint8Array {
  return toDer(encSeq(ctx(0, encInt32(v.samNonce)), optCtx(1, v.samSad, encOctets)));
}

/** SAM-ENC-RESPONSE-ENC-2 from DER. */
export function decodeEncSamResponseEnc2(b: Uint8Array, opts?: DecodeOptions): EncSamResponseEnc2 {
  return decodeTop(b, 'SAM-ENC-RESPONSE-ENC-2', readEncSamResponseEnc2, opts);
}
