/** RFC 6113 FAST: armor, armored request and reply, KrbFastReq/Response/Finished, PA-AUTHENTICATION-SET (5.3, 5.4). */
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
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readAnyInt32,
  readInt32,
  readKerberosString,
  readMicroseconds,
  readOctets,
} from './der.js';
import {
  ctx,
  type DerNode,
  encAnyInt32,
  encInt32,
  encKerberosString,
  encMicroseconds,
  encOctets,
  encSeq,
  encSeqOf,
  optCtx,
  toDer,
} from './der-write.js';
import { FastOptionBit, type FastOptions, flagsReader, writeFlags } from './flags.js';
import { type KdcReqBody, readKdcReqBody, writeKdcReqBody } from './kdc-req.js';
import { type PaData, readMethodData, writeMethodData } from './padata.js';
import { type PrincipalName, readPrincipalName, writePrincipalName } from './principal.js';
import { readKerberosTime, writeKerberosTime } from './time.js';

/** KrbFastArmor ::= SEQUENCE { armor-type [0] Int32, armor-value [1] OCTET STRING }. */
export interface KrbFastArmor {
  armorType: number;
  armorValue: Uint8Array;
}

/** KrbFastArmoredReq ::= SEQUENCE { armor [0] KrbFastArmor OPTIONAL, req-checksum [1] Checksum, enc-fast-req [2] EncryptedData }. */
export interface KrbFastArmoredReq {
  armor?: KrbFastArmor;
  reqChecksum: Checksum;
  encFastReq: EncryptedData;
}

/** PA-FX-FAST-REQUEST ::= CHOICE { armored-data [0] KrbFastArmoredReq }. */
export interface PaFxFastRequest {
  armoredData: KrbFastArmoredReq;
}

/** KrbFastReq ::= SEQUENCE { fast-options [0] FastOptions, padata [1] SEQUENCE OF PA-DATA, req-body [2] KDC-REQ-BODY }. */
export interface KrbFastReq {
  fastOptions: FastOptions;
  padata: PaData[];
  reqBody: KdcReqBody;
}

/** KrbFastArmoredRep ::= SEQUENCE { enc-fast-rep [0] EncryptedData }. */
export interface KrbFastArmoredRep {
  encFastRep: EncryptedData;
}

/** PA-FX-FAST-REPLY ::= CHOICE { armored-data [0] KrbFastArmoredRep }. */
export interface PaFxFastReply {
  armoredData: KrbFastArmoredRep;
}

/** KrbFastFinished ::= SEQUENCE { timestamp [0], usec [1], crealm [2], cname [3], ticket-checksum [4] }. */
export interface KrbFastFinished {
  timestamp: Date;
  usec: number;
  crealm: string;
  cname: PrincipalName;
  ticketChecksum: Checksum;
}

/** KrbFastResponse ::= SEQUENCE { padata [0], strengthen-key [1] OPTIONAL, finished [2] OPTIONAL, nonce [3] UInt32 }. */
export interface KrbFastResponse {
  padata: PaData[];
  strengthenKey?: EncryptionKey;
  finished?: KrbFastFinished;
  nonce: number;
}

/** PA-AUTHENTICATION-SET-ELEM ::= SEQUENCE { pa-type [0] Int32, pa-hint [1] OPTIONAL, pa-value [2] OPTIONAL } (RFC 6113 5.3). */
export interface PaAuthenticationSetElem {
  paType: number;
  paHint?: Uint8Array;
  paValue?: Uint8Array;
}

/** PA-ENCRYPTED-CHALLENGE ::= EncryptedData, holding an encrypted PA-ENC-TS-ENC (RFC 6113 5.4.6). */
export type PaEncryptedChallenge = EncryptedData;

/** Reads a KrbFastArmor element. */
export const readKrbFastArmor: Read<KrbFastArmor> = (r) =>
  r.seq((s) => ({
    armorType: s.field(0, 'armor-type', readInt32),
    armorValue: s.field(1, 'armor-value', readOctets),
  }));

/** DER node of a KrbFastArmor. */
export function writeKrbFastArmor(v: KrbFastArmor): DerNode {
  return encSeq(ctx(0, encInt32(v.armorType)), ctx(1, encOctets(v.armorValue)));
}

/** DER of a KrbFastArmor. */
export function encodeKrbFastArmor(v: KrbFastArmor): Uint8Array {
  return toDer(writeKrbFastArmor(v));
}

/** KrbFastArmor from DER. */
export function decodeKrbFastArmor(b: Uint8Array, opts?: DecodeOptions): KrbFastArmor {
  return decodeTop(b, 'KrbFastArmor', readKrbFastArmor, opts);
}

/** Reads a KrbFastArmoredReq element. */
export const readKrbFastArmoredReq: Read<KrbFastArmoredReq> = (r) =>
  r.seq((s) =>
    prune<KrbFastArmoredReq>({
      armor: s.opt(0, 'armor', readKrbFastArmor),
      reqChecksum: s.field(1, 'req-checksum', readChecksum),
      encFastReq: s.field(2, 'enc-fast-req', readEncryptedData),
    }),
  );

/** DER node of a KrbFastArmoredReq. */
export function writeKrbFastArmoredReq(v: KrbFastArmoredReq): DerNode {
  return encSeq(
    optCtx(0, v.armor, writeKrbFastArmor),
    ctx(1, writeChecksum(v.reqChecksum)),
    ctx(2, writeEncryptedData(v.encFastReq)),
  );
}

/** DER of a KrbFastArmoredReq. */
export function encodeKrbFastArmoredReq(v: KrbFastArmoredReq): Uint8Array {
  return toDer(writeKrbFastArmoredReq(v));
}

/** KrbFastArmoredReq from DER. */
export function decodeKrbFastArmoredReq(b: Uint8Array, opts?: DecodeOptions): KrbFastArmoredReq {
  return decodeTop(b, 'KrbFastArmoredReq', readKrbFastArmoredReq, opts);
}

/** Reads a PA-FX-FAST-REQUEST element. */
export const readPaFxFastRequest: Read<PaFxFastRequest> = (r) => ({
  armoredData: r.field(0, 'armored-data', readKrbFastArmoredReq),
});

/** DER node of a PA-FX-FAST-REQUEST. */
export function writePaFxFastRequest(v: PaFxFastRequest): DerNode {
  return ctx(0, writeKrbFastArmoredReq(v.armoredData));
}

/** DER of a PA-FX-FAST-REQUEST. */
export function encodePaFxFastRequest(v: PaFxFastRequest): Uint8Array {
  return toDer(writePaFxFastRequest(v));
}

/** PA-FX-FAST-REQUEST from DER. */
export function decodePaFxFastRequest(b: Uint8Array, opts?: DecodeOptions): PaFxFastRequest {
  return decodeTop(b, 'PA-FX-FAST-REQUEST', readPaFxFastRequest, opts);
}

/** Reads a KrbFastReq element. */
export const readKrbFastReq: Read<KrbFastReq> = (r) =>
  r.seq((s) => ({
    fastOptions: s.field(0, 'fast-options', flagsReader(FastOptionBit)),
    padata: s.field(1, 'padata', readMethodData),
    reqBody: s.field(2, 'req-body', readKdcReqBody),
  }));

/** DER node of a KrbFastReq. */
export function writeKrbFastReq(v: KrbFastReq): DerNode {
  return encSeq(
    ctx(0, writeFlags(FastOptionBit, v.fastOptions)),
    ctx(1, writeMethodData(v.padata)),
    ctx(2, writeKdcReqBody(v.reqBody)),
  );
}

/** DER of a KrbFastReq. */
export function encodeKrbFastReq(v: KrbFastReq): Uint8Array {
  return toDer(writeKrbFastReq(v));
}

/** KrbFastReq from DER. */
export function decodeKrbFastReq(b: Uint8Array, opts?: DecodeOptions): KrbFastReq {
  return decodeTop(b, 'KrbFastReq', readKrbFastReq, opts);
}

/** Reads a KrbFastArmoredRep element. */
export const readKrbFastArmoredRep: Read<KrbFastArmoredRep> = (r) =>
  r.seq((s) => ({ encFastRep: s.field(0, 'enc-fast-rep', readEncryptedData) }));

/** DER node of a KrbFastArmoredRep. */
export function writeKrbFastArmoredRep(v: KrbFastArmoredRep): DerNode {
  return encSeq(ctx(0, writeEncryptedData(v.encFastRep)));
}

/** DER of a KrbFastArmoredRep. */
export function encodeKrbFastArmoredRep(v: KrbFastArmoredRep): Uint8Array {
  return toDer(writeKrbFastArmoredRep(v));
}

/** KrbFastArmoredRep from DER. */
export function decodeKrbFastArmoredRep(b: Uint8Array, opts?: DecodeOptions): KrbFastArmoredRep {
  return decodeTop(b, 'KrbFastArmoredRep', readKrbFastArmoredRep, opts);
}

/** Reads a PA-FX-FAST-REPLY element. */
export const readPaFxFastReply: Read<PaFxFastReply> = (r) => ({
  armoredData: r.field(0, 'armored-data', readKrbFastArmoredRep),
});

/** DER node of a PA-FX-FAST-REPLY. */
export function writePaFxFastReply(v: PaFxFastReply): DerNode {
  return ctx(0, writeKrbFastArmoredRep(v.armoredData));
}

/** DER of a PA-FX-FAST-REPLY. */
export function encodePaFxFastReply(v: PaFxFastReply): Uint8Array {
  return toDer(writePaFxFastReply(v));
}

/** PA-FX-FAST-REPLY from DER. */
export function decodePaFxFastReply(b: Uint8Array, opts?: DecodeOptions): PaFxFastReply {
  return decodeTop(b, 'PA-FX-FAST-REPLY', readPaFxFastReply, opts);
}

/** Reads a KrbFastFinished element. */
export const readKrbFastFinished: Read<KrbFastFinished> = (r) =>
  r.seq((s) => ({
    timestamp: s.field(0, 'timestamp', readKerberosTime),
    usec: s.field(1, 'usec', readMicroseconds),
    crealm: s.field(2, 'crealm', readKerberosString),
    cname: s.field(3, 'cname', readPrincipalName),
    ticketChecksum: s.field(4, 'ticket-checksum', readChecksum),
  }));

/** DER node of a KrbFastFinished. */
export function writeKrbFastFinished(v: KrbFastFinished): DerNode {
  return encSeq(
    ctx(0, writeKerberosTime(v.timestamp)),
    ctx(1, encMicroseconds(v.usec)),
    ctx(2, encKerberosString(v.crealm)),
    ctx(3, writePrincipalName(v.cname)),
    ctx(4, writeChecksum(v.ticketChecksum)),
  );
}

/** DER of a KrbFastFinished. */
export function encodeKrbFastFinished(v: KrbFastFinished): Uint8Array {
  return toDer(writeKrbFastFinished(v));
}

/** KrbFastFinished from DER. */
export function decodeKrbFastFinished(b: Uint8Array, opts?: DecodeOptions): KrbFastFinished {
  return decodeTop(b, 'KrbFastFinished', readKrbFastFinished, opts);
}

/** Reads a KrbFastResponse element. */
export const readKrbFastResponse: Read<KrbFastResponse> = (r) =>
  r.seq((s) =>
    prune<KrbFastResponse>({
      padata: s.field(0, 'padata', readMethodData),
      strengthenKey: s.opt(1, 'strengthen-key', readEncryptionKey),
      finished: s.opt(2, 'finished', readKrbFastFinished),
      nonce: s.field(3, 'nonce', readAnyInt32),
    }),
  );

/** DER node of a KrbFastResponse. */
export function writeKrbFastResponse(v: KrbFastResponse): DerNode {
  return encSeq(
    ctx(0, writeMethodData(v.padata)),
    optCtx(1, v.strengthenKey, writeEncryptionKey),
    optCtx(2, v.finished, writeKrbFastFinished),
    ctx(3, encAnyInt32(v.nonce)),
  );
}

/** DER of a KrbFastResponse. */
export function encodeKrbFastResponse(v: KrbFastResponse): Uint8Array {
  return toDer(writeKrbFastResponse(v));
}

/** KrbFastResponse from DER. */
export function decodeKrbFastResponse(b: Uint8Array, opts?: DecodeOptions): KrbFastResponse {
  return decodeTop(b, 'KrbFastResponse', readKrbFastResponse, opts);
}

/** Reads a PA-AUTHENTICATION-SET (SEQUENCE OF PA-AUTHENTICATION-SET-ELEM) element. */
export const readPaAuthenticationSet: Read<PaAuthenticationSetElem[]> = (r) =>
  r.seqOf((e) =>
    e.seq((s) =>
      prune<PaAuthenticationSetElem>({
        paType: s.field(0, 'pa-type', readInt32),
        paHint: s.opt(1, 'pa-hint', readOctets),
        paValue: s.opt(2, 'pa-value', readOctets),
      }),
    ),
  );

/** DER node of a PA-AUTHENTICATION-SET. */
export function writePaAuthenticationSet(v: readonly PaAuthenticationSetElem[]): DerNode {
  return encSeqOf(v, (e) =>
    encSeq(ctx(0, encInt32(e.paType)), optCtx(1, e.paHint, encOctets), optCtx(2, e.paValue, encOctets)),
  );
}

/** DER of a PA-AUTHENTICATION-SET. */
export function encodePaAuthenticationSet(v: readonly PaAuthenticationSetElem[]): Uint8Array {
  return toDer(writePaAuthenticationSet(v));
}

/** PA-AUTHENTICATION-SET from DER. */
export function decodePaAuthenticationSet(b: Uint8Array, opts?: DecodeOptions): PaAuthenticationSetElem[] {
  return decodeTop(b, 'PA-AUTHENTICATION-SET', readPaAuthenticationSet, opts);
}

/** PA-ENCRYPTED-CHALLENGE from DER (an EncryptedData). */
export function decodePaEncryptedChallenge(b: Uint8Array, opts?: DecodeOptions): PaEncryptedChallenge {
  return decodeTop(b, 'PA-ENCRYPTED-CHALLENGE', readEncryptedData, opts);
}

/** DER node of a PA-ENCRYPTED-CHALLENGE. */
export const writePaEncryptedChallenge: (v: PaEncryptedChallenge) => DerNode = writeEncryptedData;

/** DER of a PA-ENCRYPTED-CHALLENGE. */
export function encodePaEncryptedChallenge(v: PaEncryptedChallenge): Uint8Array {
  return toDer(writePaEncryptedChallenge(v));
}
