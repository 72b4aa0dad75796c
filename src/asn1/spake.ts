/** SPAKE pre-authentication (draft-ietf-kitten-krb-spake-preauth, MIT krb5 1.17+): PA-SPAKE and its parts. */
import { type EncryptedData, readEncryptedData, writeEncryptedData } from './basic.js';
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readInt32,
  readNonEmptySeqOf,
  readOctets,
  Tag,
} from './der.js';
import {
  ctx,
  type DerNode,
  encInt32,
  encNonEmptySeqOf,
  encOctets,
  encSeq,
  optCtx,
  toDer,
} from './der-write.js';

/** SPAKESecondFactor ::= SEQUENCE { type [0] Int32, data [1] OCTET STRING OPTIONAL }. */
export interface SpakeSecondFactor {
  type: number;
  data?: Uint8Array;
}

/** SPAKESupport ::= SEQUENCE { groups [0] SEQUENCE (SIZE(1..MAX)) OF Int32 }. */
export interface SpakeSupport {
  groups: number[];
}

/** SPAKEChallenge ::= SEQUENCE { group [0] Int32, pubkey [1] OCTET STRING, factors [2] SEQUENCE (SIZE(1..MAX)) OF SPAKESecondFactor }. */
export interface SpakeChallenge {
  group: number;
  pubkey: Uint8Array;
  factors: SpakeSecondFactor[];
}

/** SPAKEResponse ::= SEQUENCE { pubkey [0] OCTET STRING, factor [1] EncryptedData }. */
export interface SpakeResponse {
  pubkey: Uint8Array;
  factor: EncryptedData;
}

/** PA-SPAKE ::= CHOICE { support [0], challenge [1], response [2], encdata [3] EncryptedData }. */
export type PaSpake =
  | { support: SpakeSupport }
  | { challenge: SpakeChallenge }
  | { response: SpakeResponse }
  | { encdata: EncryptedData };

/** Reads a SPAKESecondFactor element. */
export const readSpakeSecondFactor: Read<SpakeSecondFactor> = (r) =>
  r.seq((s) =>
    prune<SpakeSecondFactor>({
      type: s.field(0, 'type', readInt32),
      data: s.opt(1, 'data', readOctets),
    }),
  );

/** DER node of a SPAKESecondFactor. */
export function writeSpakeSecondFactor(v: SpakeSecondFactor): DerNode {
  return encSeq(ctx(0, encInt32(v.type)), optCtx(1, v.data, encOctets));
}

/** DER of a SPAKESecondFactor. */
export function encodeSpakeSecondFactor(v: SpakeSecondFactor): Uint8Array {
  return toDer(writeSpakeSecondFactor(v));
}

/** SPAKESecondFactor from DER. */
export function decodeSpakeSecondFactor(b: Uint8Array, opts?: DecodeOptions): SpakeSecondFactor {
  return decodeTop(b, 'SPAKESecondFactor', readSpakeSecondFactor, opts);
}

const readSupport: Read<SpakeSupport> = (r) =>
  r.seq((s) => ({ groups: s.field(0, 'groups', (f) => readNonEmptySeqOf(f, readInt32, 'groups')) }));

const readChallenge: Read<SpakeChallenge> = (r) =>
  r.seq((s) => ({
    group: s.field(0, 'group', readInt32),
    pubkey: s.field(1, 'pubkey', readOctets),
    factors: s.field(2, 'factors', (f) => readNonEmptySeqOf(f, readSpakeSecondFactor, 'factors')),
  }));

const readResponse: Read<SpakeResponse> = (r) =>
  r.seq((s) => ({
    pubkey: s.field(0, 'pubkey', readOctets),
    factor: s.field(1, 'factor', readEncryptedData),
  }));

/** Reads a PA-SPAKE element. */
export const readPaSpake: Read<PaSpake> = (r) => {
  switch (r.peekTag()) {
    case Tag.Context | 0:
      return { support: r.field(0, 'support', readSupport) };
    case Tag.Context | 1:
      return { challenge: r.field(1, 'challenge', readChallenge) };
    case Tag.Context | 2:
      return { response: r.field(2, 'response', readResponse) };
    default:
      return { encdata: r.field(3, 'encdata', readEncryptedData) };
  }
};

/** DER node of a PA-SPAKE. */
export function writePaSpake(v: PaSpake): DerNode {
  if ('support' in v) return ctx(0, encSeq(ctx(0, encNonEmptySeqOf(v.support.groups, encInt32, 'groups'))));
  if ('challenge' in v) {
    const c = v.challenge;
    return ctx(
      1,
      encSeq(
        ctx(0, encInt32(c.group)),
        ctx(1, encOctets(c.pubkey)),
        ctx(2, encNonEmptySeqOf(c.factors, writeSpakeSecondFactor, 'factors')),
      ),
    );
  }
  if ('response' in v)
    return ctx(
      2,
      encSeq(ctx(0, encOctets(v.response.pubkey)), ctx(1, writeEncryptedData(v.response.factor))),
    );
  return ctx(3, writeEncryptedData(v.encdata));
}

/** DER of a PA-SPAKE. */
export function encodePaSpake(v: PaSpake): Uint8Array {
  return toDer(writePaSpake(v));
}

/** PA-SPAKE from DER. */
export function decodePaSpake(b: Uint8Array, opts?: DecodeOptions): PaSpake {
  return decodeTop(b, 'PA-SPAKE', readPaSpake, opts);
}
