/**
 * Token pre-authentication (the 2014 krbdev "Token Pre-Authentication for Kerberos" proposal, as implemented in Apache
 * Kerby): TokenFlags, TokenInfo, KRB-TOKEN-VALUE (Kerby's KrbToken/KrbTokenBase), PA-TOKEN-REQUEST,
 * PA-TOKEN-CHALLENGE and AD-TOKEN. The module is EXPLICIT TAGS.
 *
 * Wire layout as Kerby's code encodes it, read in apache/directory-kerby, kerby-kerb/kerb-core/src/main/java/org/
 * apache/kerby/kerberos/kerb/type/pa/token/{PaTokenRequest,PaTokenChallenge,TokenInfo,TokenFlags,TokenFlag}.java,
 * type/base/{KrbToken,KrbTokenBase,TokenFormat}.java and type/ad/AdToken.java. Where Kerby's ASN.1 comments and its
 * field tables disagree, the field tables are what goes on the wire and win:
 * - PA-TOKEN-REQUEST: the comment says `token [0], tokenInfo [1]`; the field table puts TokenInfo at [0] and the
 *   KrbToken at [1].
 * - AD-TOKEN: the comment says `token [0] OCTET STRING`; the field is a KrbToken SEQUENCE.
 * - TokenInfo.flags: the field table says OCTET STRING, but the value set is a TokenFlags (an Asn1Flags, a 32-bit
 *   BIT STRING like KerberosFlags), which is what Kerby encodes. Kerby's client never sets it, so it is OPTIONAL here.
 */
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readBits32,
  readInt32,
  readNonEmptySeqOf,
  readOctets,
} from './der.js';
import {
  ctx,
  type DerNode,
  encBits32,
  encInt32,
  encNonEmptySeqOf,
  encOctets,
  encSeq,
  optCtx,
  toDer,
} from './der-write.js';
import { bitsToFlags, type FlagSet, flagsToBits } from './flags.js';
import { encUtf8String, readUtf8String } from './iakerb.js';

/** TokenFlag bits (Kerby TokenFlag.java: ID 0x40000000, AC 0x20000000, BEARER 0x10000000, HOK 0x08000000). */
export const TokenFlagBit = {
  idTokenRequired: 1,
  acTokenRequired: 2,
  bearerTokenRequired: 3,
  hokTokenRequired: 4,
} as const;
/** TokenFlags: a 32-bit BIT STRING under TokenFlagBit. */
export type TokenFlags = FlagSet<keyof typeof TokenFlagBit>;

/** token-format values (Kerby TokenFormat.java). */
export const TokenFormat = { JWT: 1 } as const;

/** TokenInfo ::= SEQUENCE { flags [0] TokenFlags OPTIONAL, tokenVendor [1] UTF8String }. */
export interface TokenInfo {
  flags?: TokenFlags;
  /** The token issuer the KDC must be configured to trust (Kerby checks it against its `issuers`). */
  tokenVendor: string;
}

/** KRB-TOKEN-VALUE ::= SEQUENCE { token-format [0] INTEGER, token-value [1] OCTET STRING } (Kerby KrbToken, KrbTokenBase). */
export interface KrbToken {
  /** TokenFormat.JWT for a JWT in compact serialization. */
  tokenFormat: number;
  /** The token bytes: for a JWT, the ASCII of its compact serialization. */
  tokenValue: Uint8Array;
}

/** PA-TOKEN-REQUEST ::= SEQUENCE { tokenInfo [0] TokenInfo, token [1] KRB-TOKEN-VALUE } (order of Kerby's field table). */
export interface PaTokenRequest {
  tokenInfo: TokenInfo;
  token: KrbToken;
}

/** PA-TOKEN-CHALLENGE ::= SEQUENCE { tokenInfos [0] SEQUENCE (SIZE(1..MAX)) OF TokenInfo }. */
export interface PaTokenChallenge {
  tokenInfos: TokenInfo[];
}

/** AD-TOKEN ::= SEQUENCE { token [0] KRB-TOKEN-VALUE }: the token a Kerby KDC copies into the ticket. */
export interface AdToken {
  token: KrbToken;
}

/** Reads a TokenInfo element. */
export const readTokenInfo: Read<TokenInfo> = (r) =>
  r.seq((s) =>
    prune<TokenInfo>({
      flags: s.opt(0, 'flags', (f) => bitsToFlags(TokenFlagBit, readBits32(f))),
      tokenVendor: s.field(1, 'tokenVendor', readUtf8String),
    }),
  );

/** DER node of a TokenInfo. */
export function writeTokenInfo(v: TokenInfo): DerNode {
  return encSeq(
    optCtx(0, v.flags, (f) => encBits32(flagsToBits(TokenFlagBit, f))),
    ctx(1, encUtf8String(v.tokenVendor)),
  );
}

/** Reads a KRB-TOKEN-VALUE element. */
export const readKrbToken: Read<KrbToken> = (r) =>
  r.seq((s) => ({
    tokenFormat: s.field(0, 'token-format', readInt32),
    tokenValue: s.field(1, 'token-value', readOctets),
  }));

/** DER node of a KRB-TOKEN-VALUE. */
export function writeKrbToken(v: KrbToken): DerNode {
  return encSeq(ctx(0, encInt32(v.tokenFormat)), ctx(1, encOctets(v.tokenValue)));
}

/** DER of a TokenInfo. */
export function encodeTokenInfo(v: TokenInfo): Uint8Array {
  return toDer(writeTokenInfo(v));
}

/** TokenInfo from DER. */
export function decodeTokenInfo(b: Uint8Array, opts?: DecodeOptions): TokenInfo {
  return decodeTop(b, 'TokenInfo', readTokenInfo, opts);
}

/** DER of a KRB-TOKEN-VALUE. */
export function encodeKrbToken(v: KrbToken): Uint8Array {
  return toDer(writeKrbToken(v));
}

/** KRB-TOKEN-VALUE from DER. */
export function decodeKrbToken(b: Uint8Array, opts?: DecodeOptions): KrbToken {
  return decodeTop(b, 'KRB-TOKEN-VALUE', readKrbToken, opts);
}

/** DER of a PA-TOKEN-REQUEST (the plaintext Kerby seals in the armor key, key usage 57). */
export function encodePaTokenRequest(v: PaTokenRequest): Uint8Array {
  return toDer(encSeq(ctx(0, writeTokenInfo(v.tokenInfo)), ctx(1, writeKrbToken(v.token))));
}

/** PA-TOKEN-REQUEST from DER. */
export function decodePaTokenRequest(b: Uint8Array, opts?: DecodeOptions): PaTokenRequest {
  return decodeTop(
    b,
    'PA-TOKEN-REQUEST',
    (r) =>
      r.seq((s) => ({
        tokenInfo: s.field(0, 'tokenInfo', readTokenInfo),
        token: s.field(1, 'token', readKrbToken),
      })),
    opts,
  );
}

/** DER of a PA-TOKEN-CHALLENGE. */
export function encodePaTokenChallenge(v: PaTokenChallenge): Uint8Array {
  return toDer(encSeq(ctx(0, encNonEmptySeqOf(v.tokenInfos, writeTokenInfo, 'tokenInfos'))));
}

/** PA-TOKEN-CHALLENGE from DER. */
export function decodePaTokenChallenge(b: Uint8Array, opts?: DecodeOptions): PaTokenChallenge {
  return decodeTop(
    b,
    'PA-TOKEN-CHALLENGE',
    (r) =>
      r.seq((s) => ({
        tokenInfos: s.field(0, 'tokenInfos', (f) => readNonEmptySeqOf(f, readTokenInfo, 'tokenInfos')),
      })),
    opts,
  );
}

/** DER of an AD-TOKEN. */
export function encodeAdToken(v: AdToken): Uint8Array {
  return toDer(encSeq(ctx(0, writeKrbToken(v.token))));
}

/** AD-TOKEN from DER. */
export function decodeAdToken(b: Uint8Array, opts?: DecodeOptions): AdToken {
  return decodeTop(b, 'AD-TOKEN', (r) => r.seq((s) => ({ token: s.field(0, 'token', readKrbToken) })), opts);
}
