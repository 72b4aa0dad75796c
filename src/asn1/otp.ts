/**
 * RFC 6560 OTP pre-authentication: OTP-TOKENINFO, PA-OTP-CHALLENGE, PA-OTP-REQUEST, PA-OTP-ENC-REQUEST.
 * The module uses IMPLICIT TAGS: a field's context tag replaces the universal tag of its type.
 */
import { type EncryptedData, readEncryptedData, writeEncryptedData } from './basic.js';
import {
  type DecodeOptions,
  type DerReader,
  decodeTop,
  prune,
  type Read,
  readBits32,
  readInt32,
  readKerberosString,
  readNonEmptySeqOf,
  readOctets,
  Tag,
} from './der.js';
import {
  DerNode,
  encBits32,
  encInt32,
  encKerberosString,
  encNonEmptySeqOf,
  encOctets,
  encRaw,
  encSeq,
  toDer,
} from './der-write.js';
import { bitsToFlags, type FlagSet, flagsToBits } from './flags.js';
import { encUtf8String, readUtf8String, UTF8_STRING_TAG } from './iakerb.js';
import { readKerberosTime, writeKerberosTime } from './time.js';

/** OTPFlags bit numbers in OTP-TOKENINFO and PA-OTP-CHALLENGE (RFC 6560 4.1). */
export const OtpTokenFlagBit = {
  reserved: 0,
  nextOtp: 1,
  combine: 2,
  collectPin: 3,
  doNotCollectPin: 4,
  mustEncryptNonce: 5,
  separatePinRequired: 6,
  checkDigit: 7,
} as const;
/** OTPFlags bit numbers in PA-OTP-REQUEST (RFC 6560 4.2). */
export const OtpRequestFlagBit = { reserved: 0, nextOtp: 1, combine: 2 } as const;
/** OTP-TOKENINFO flags. */
export type OtpTokenFlags = FlagSet<keyof typeof OtpTokenFlagBit>;
/** PA-OTP-REQUEST flags. */
export type OtpRequestFlags = FlagSet<keyof typeof OtpRequestFlagBit>;

/** OTP-TOKENINFO ::= SEQUENCE { flags [0], otp-vendor [1], otp-challenge [2], otp-length [3], otp-format [4], otp-tokenID [5], otp-algID [6], supportedHashAlg [7], iterationCount [8] }. */
export interface OtpTokenInfo {
  flags: OtpTokenFlags;
  otpVendor?: string;
  otpChallenge?: Uint8Array;
  otpLength?: number;
  otpFormat?: number;
  otpTokenId?: Uint8Array;
  otpAlgId?: string;
  /** DER of each AlgorithmIdentifier. */
  supportedHashAlg?: Uint8Array[];
  iterationCount?: number;
}

/** PA-OTP-CHALLENGE ::= SEQUENCE { nonce [0], otp-service [1] OPTIONAL, otp-tokenInfo [2] SIZE(1..MAX), salt [3] OPTIONAL, s2kparams [4] OPTIONAL }. */
export interface PaOtpChallenge {
  nonce: Uint8Array;
  otpService?: string;
  otpTokenInfo: OtpTokenInfo[];
  salt?: string;
  s2kparams?: Uint8Array;
}

/** PA-OTP-REQUEST ::= SEQUENCE { flags [0], nonce [1], encData [2], hashAlg [3], iterationCount [4], otp-value [5], otp-pin [6], otp-challenge [7], otp-time [8], otp-counter [9], otp-format [10], otp-tokenID [11], otp-algID [12], otp-vendor [13] }. */
export interface PaOtpRequest {
  flags: OtpRequestFlags;
  nonce?: Uint8Array;
  encData: EncryptedData;
  /** DER of the AlgorithmIdentifier. */
  hashAlg?: Uint8Array;
  iterationCount?: number;
  otpValue?: Uint8Array;
  otpPin?: string;
  otpChallenge?: Uint8Array;
  otpTime?: Date;
  otpCounter?: Uint8Array;
  otpFormat?: number;
  otpTokenId?: Uint8Array;
  otpAlgId?: string;
  otpVendor?: string;
}

/** PA-OTP-ENC-REQUEST ::= SEQUENCE { nonce [0] OCTET STRING }. */
export interface PaOtpEncRequest {
  nonce: Uint8Array;
}

const implicitTag = (n: number, universal: number): number =>
  (universal & 0x20 ? Tag.Context : Tag.ContextPrimitive) | n;

/** Field `[n] IMPLICIT T` where T's universal identifier is `universal`: retag and read as T. */
function imp<T>(s: DerReader, n: number, universal: number, name: string, read: Read<T>): T {
  const der = s.raw(`[${n}] ${name}`, implicitTag(n, universal));
  der[0] = universal;
  return decodeTop(der, `${s.path}.${name}`, read);
}

/** OPTIONAL `[n] IMPLICIT T`. */
function optImp<T>(s: DerReader, n: number, universal: number, name: string, read: Read<T>): T | undefined {
  return s.peekTag() === implicitTag(n, universal) ? imp(s, n, universal, name, read) : undefined;
}

/** `[n] IMPLICIT` of an encoded node (its identifier octet replaced). */
function retag(n: number, node: DerNode): DerNode {
  const der = toDer(node);
  der[0] = implicitTag(n, der[0]!);
  return DerNode.raw(der);
}

const optRetag = <T>(n: number, v: T | undefined, enc: (v: T) => DerNode): DerNode | undefined =>
  v === undefined ? undefined : retag(n, enc(v));

const I = Tag.Integer;
const O = Tag.OctetString;
const U = UTF8_STRING_TAG;
const S = Tag.Sequence;
const readAlgorithmIdentifier: Read<Uint8Array> = (r) => r.raw('AlgorithmIdentifier', Tag.Sequence);
const readHashAlgs: Read<Uint8Array[]> = (r) =>
  readNonEmptySeqOf(r, readAlgorithmIdentifier, 'supportedHashAlg');

/** Reads an OTP-TOKENINFO element. */
export const readOtpTokenInfo: Read<OtpTokenInfo> = (r) =>
  r.seq((s) =>
    prune<OtpTokenInfo>({
      flags: bitsToFlags(OtpTokenFlagBit, imp(s, 0, Tag.BitString, 'flags', readBits32)),
      otpVendor: optImp(s, 1, U, 'otp-vendor', readUtf8String),
      otpChallenge: optImp(s, 2, O, 'otp-challenge', readOctets),
      otpLength: optImp(s, 3, I, 'otp-length', readInt32),
      otpFormat: optImp(s, 4, I, 'otp-format', readInt32),
      otpTokenId: optImp(s, 5, O, 'otp-tokenID', readOctets),
      otpAlgId: optImp(s, 6, U, 'otp-algID', readUtf8String),
      supportedHashAlg: optImp(s, 7, S, 'supportedHashAlg', readHashAlgs),
      iterationCount: optImp(s, 8, I, 'iterationCount', readInt32),
    }),
  );

/** DER node of an OTP-TOKENINFO. */
export function writeOtpTokenInfo(v: OtpTokenInfo): DerNode {
  return encSeq(
    retag(0, encBits32(flagsToBits(OtpTokenFlagBit, v.flags))),
    optRetag(1, v.otpVendor, encUtf8String),
    optRetag(2, v.otpChallenge, encOctets),
    optRetag(3, v.otpLength, encInt32),
    optRetag(4, v.otpFormat, encInt32),
    optRetag(5, v.otpTokenId, encOctets),
    optRetag(6, v.otpAlgId, encUtf8String),
    optRetag(7, v.supportedHashAlg, (a) => encNonEmptySeqOf(a, encRaw, 'supportedHashAlg')),
    optRetag(8, v.iterationCount, encInt32),
  );
}

/** DER of an OTP-TOKENINFO. */
export function encodeOtpTokenInfo(v: OtpTokenInfo): Uint8Array {
  return toDer(writeOtpTokenInfo(v));
}

/** OTP-TOKENINFO from DER. */
export function decodeOtpTokenInfo(b: Uint8Array, opts?: DecodeOptions): OtpTokenInfo {
  return decodeTop(b, 'OTP-TOKENINFO', readOtpTokenInfo, opts);
}

/** Reads a PA-OTP-CHALLENGE element. */
export const readPaOtpChallenge: Read<PaOtpChallenge> = (r) =>
  r.seq((s) =>
    prune<PaOtpChallenge>({
      nonce: imp(s, 0, O, 'nonce', readOctets),
      otpService: optImp(s, 1, U, 'otp-service', readUtf8String),
      otpTokenInfo: imp(s, 2, S, 'otp-tokenInfo', (f) =>
        readNonEmptySeqOf(f, readOtpTokenInfo, 'otp-tokenInfo'),
      ),
      salt: optImp(s, 3, Tag.GeneralString, 'salt', readKerberosString),
      s2kparams: optImp(s, 4, O, 's2kparams', readOctets),
    }),
  );

/** DER of a PA-OTP-CHALLENGE. */
export function encodePaOtpChallenge(v: PaOtpChallenge): Uint8Array {
  return toDer(
    encSeq(
      retag(0, encOctets(v.nonce)),
      optRetag(1, v.otpService, encUtf8String),
      retag(2, encNonEmptySeqOf(v.otpTokenInfo, writeOtpTokenInfo, 'otp-tokenInfo')),
      optRetag(3, v.salt, encKerberosString),
      optRetag(4, v.s2kparams, encOctets),
    ),
  );
}

/** PA-OTP-CHALLENGE from DER. */
export function decodePaOtpChallenge(b: Uint8Array, opts?: DecodeOptions): PaOtpChallenge {
  return decodeTop(b, 'PA-OTP-CHALLENGE', readPaOtpChallenge, opts);
}

/** Reads a PA-OTP-REQUEST element. */
export const readPaOtpRequest: Read<PaOtpRequest> = (r) =>
  r.seq((s) =>
    prune<PaOtpRequest>({
      flags: bitsToFlags(OtpRequestFlagBit, imp(s, 0, Tag.BitString, 'flags', readBits32)),
      nonce: optImp(s, 1, O, 'nonce', readOctets),
      encData: imp(s, 2, S, 'encData', readEncryptedData),
      hashAlg: optImp(s, 3, S, 'hashAlg', readAlgorithmIdentifier),
      iterationCount: optImp(s, 4, I, 'iterationCount', readInt32),
      otpValue: optImp(s, 5, O, 'otp-value', readOctets),
      otpPin: optImp(s, 6, U, 'otp-pin', readUtf8String),
      otpChallenge: optImp(s, 7, O, 'otp-challenge', readOctets),
      otpTime: optImp(s, 8, Tag.GeneralizedTime, 'otp-time', readKerberosTime),
      otpCounter: optImp(s, 9, O, 'otp-counter', readOctets),
      otpFormat: optImp(s, 10, I, 'otp-format', readInt32),
      otpTokenId: optImp(s, 11, O, 'otp-tokenID', readOctets),
      otpAlgId: optImp(s, 12, U, 'otp-algID', readUtf8String),
      otpVendor: optImp(s, 13, U, 'otp-vendor', readUtf8String),
    }),
  );

/** DER of a PA-OTP-REQUEST. */
export function encodePaOtpRequest(v: PaOtpRequest): Uint8Array {
  return toDer(
    encSeq(
      retag(0, encBits32(flagsToBits(OtpRequestFlagBit, v.flags))),
      optRetag(1, v.nonce, encOctets),
      retag(2, writeEncryptedData(v.encData)),
      optRetag(3, v.hashAlg, encRaw),
      optRetag(4, v.iterationCount, encInt32),
      optRetag(5, v.otpValue, encOctets),
      optRetag(6, v.otpPin, encUtf8String),
      optRetag(7, v.otpChallenge, encOctets),
      optRetag(8, v.otpTime, writeKerberosTime),
      optRetag(9, v.otpCounter, encOctets),
      optRetag(10, v.otpFormat, encInt32),
      optRetag(11, v.otpTokenId, encOctets),
      optRetag(12, v.otpAlgId, encUtf8String),
      optRetag(13, v.otpVendor, encUtf8String),
    ),
  );
}

/** PA-OTP-REQUEST from DER. */
export function decodePaOtpRequest(b: Uint8Array, opts?: DecodeOptions): PaOtpRequest {
  return decodeTop(b, 'PA-OTP-REQUEST', readPaOtpRequest, opts);
}

/** Reads a PA-OTP-ENC-REQUEST element. */
export const readPaOtpEncRequest: Read<PaOtpEncRequest> = (r) =>
  r.seq((s) => ({ nonce: imp(s, 0, O, 'nonce', readOctets) }));

/** DER of a PA-OTP-ENC-REQUEST. */
export function encodePaOtpEncRequest(v: PaOtpEncRequest): Uint8Array {
  return toDer(encSeq(retag(0, encOctets(v.nonce))));
}

/** PA-OTP-ENC-REQUEST from DER. */
export function decodePaOtpEncRequest(b: Uint8Array, opts?: DecodeOptions): PaOtpEncRequest {
  return decodeTop(b, 'PA-OTP-ENC-REQUEST', readPaOtpEncRequest, opts);
}
