/** KDC-REQ (AS-REQ, TGS-REQ) and KDC-REQ-BODY (RFC 4120 5.4.1). */
import {
  type EncryptedData,
  type HostAddress,
  readEncryptedData,
  readHostAddresses,
  writeEncryptedData,
  writeHostAddresses,
} from './basic.js';
import { ApplicationTag, KRB5_PVNO, MessageType } from './constants.js';
import {
  type DecodeOptions,
  type DerReader,
  decodeTop,
  prune,
  type Read,
  readAnyInt32,
  readExactly,
  readInt32,
  readKerberosString,
} from './der.js';
import {
  appTag,
  ctx,
  DerNode,
  encAnyInt32,
  encInt32,
  encKerberosString,
  encSeq,
  encSeqOf,
  optCtx,
  toDer,
} from './der-write.js';
import { flagsReader, KdcOptionBit, type KdcOptions, writeFlags } from './flags.js';
import { type PaData, readMethodData, writeMethodData } from './padata.js';
import { type PrincipalName, readPrincipalName, writePrincipalName } from './principal.js';
import { readTickets, type Ticket, writeTickets } from './ticket.js';
import { readKerberosTime, writeKerberosTime } from './time.js';

/** KDC-REQ-BODY ::= SEQUENCE { kdc-options [0] … additional-tickets [11] OPTIONAL }. */
export interface KdcReqBody {
  kdcOptions: KdcOptions;
  cname?: PrincipalName;
  realm: string;
  sname?: PrincipalName;
  from?: Date;
  till: Date;
  rtime?: Date;
  /** UInt32 in the RFC; a signed Int32 from MIT is accepted as sent. */
  nonce: number;
  etype: number[];
  addresses?: HostAddress[];
  encAuthorizationData?: EncryptedData;
  additionalTickets?: Ticket[];
}

/** KDC-REQ ::= SEQUENCE { pvno [1], msg-type [2], padata [3] OPTIONAL, req-body [4] } (AS-REQ, TGS-REQ). */
export interface KdcReq {
  pvno: number;
  msgType: number;
  padata?: PaData[];
  reqBody: KdcReqBody;
}

/** AS-REQ ::= [APPLICATION 10] KDC-REQ. */
export type AsReq = KdcReq;
/** TGS-REQ ::= [APPLICATION 12] KDC-REQ. */
export type TgsReq = KdcReq;

/** Reads a KDCOptions field. */
export const readKdcOptions: Read<KdcOptions> = flagsReader(KdcOptionBit);

/** DER node of KDCOptions. */
export const writeKdcOptions = (v: KdcOptions): DerNode => writeFlags(KdcOptionBit, v);

/** DER of KDCOptions. */
export function encodeKdcOptions(v: KdcOptions): Uint8Array {
  return toDer(writeKdcOptions(v));
}

/** Reads a KDC-REQ-BODY element. */
export const readKdcReqBody: Read<KdcReqBody> = (r) =>
  r.seq((s) =>
    prune<KdcReqBody>({
      kdcOptions: s.field(0, 'kdc-options', readKdcOptions),
      cname: s.opt(1, 'cname', readPrincipalName),
      realm: s.field(2, 'realm', readKerberosString),
      sname: s.opt(3, 'sname', readPrincipalName),
      from: s.opt(4, 'from', readKerberosTime),
      till: s.field(5, 'till', readKerberosTime),
      rtime: s.opt(6, 'rtime', readKerberosTime),
      nonce: s.field(7, 'nonce', readAnyInt32),
      etype: s.field(8, 'etype', (f) => f.seqOf(readInt32)),
      addresses: s.opt(9, 'addresses', readHostAddresses),
      encAuthorizationData: s.opt(10, 'enc-authorization-data', readEncryptedData),
      additionalTickets: s.opt(11, 'additional-tickets', readTickets),
    }),
  );

/**
 * DER node of a KDC-REQ-BODY (the bytes the PA-TGS-REQ authenticator checksum covers). `ticketsDer`: the additional
 * tickets' DER as the KDC sent them, written in place of re-encoding them (see writeTickets).
 */
export function writeKdcReqBody(v: KdcReqBody, ticketsDer?: readonly (Uint8Array | undefined)[]): DerNode {
  return encSeq(
    ctx(0, writeKdcOptions(v.kdcOptions)),
    optCtx(1, v.cname, writePrincipalName),
    ctx(2, encKerberosString(v.realm)),
    optCtx(3, v.sname, writePrincipalName),
    optCtx(4, v.from, writeKerberosTime),
    ctx(5, writeKerberosTime(v.till)),
    optCtx(6, v.rtime, writeKerberosTime),
    ctx(7, encAnyInt32(v.nonce)),
    ctx(8, encSeqOf(v.etype, encInt32)),
    optCtx(9, v.addresses, writeHostAddresses),
    optCtx(10, v.encAuthorizationData, writeEncryptedData),
    optCtx(11, v.additionalTickets, (t) => writeTickets(t, ticketsDer)),
  );
}

/** DER of a KDC-REQ-BODY (the bytes the PA-TGS-REQ authenticator checksum covers; `ticketsDer` as in writeKdcReqBody). */
export function encodeKdcReqBody(
  v: KdcReqBody,
  ticketsDer?: readonly (Uint8Array | undefined)[],
): Uint8Array {
  return toDer(writeKdcReqBody(v, ticketsDer));
}

/** KDC-REQ-BODY from DER. */
export function decodeKdcReqBody(b: Uint8Array, opts?: DecodeOptions): KdcReqBody {
  return decodeTop(b, 'KDC-REQ-BODY', readKdcReqBody, opts);
}

function readKdcReqSeq(s: DerReader, msgType: number): KdcReq {
  return prune<KdcReq>({
    pvno: s.field(1, 'pvno', readExactly(KRB5_PVNO, 'pvno')),
    msgType: s.field(2, 'msg-type', readExactly(msgType, 'msg-type')),
    padata: s.opt(3, 'padata', readMethodData),
    reqBody: s.field(4, 'req-body', readKdcReqBody),
  });
}

/** `reqBodyDer`: `v.reqBody` already encoded (for the checksum that covers it), written as is. */
function writeKdcReqSeq(v: KdcReq, reqBodyDer?: Uint8Array): DerNode {
  return encSeq(
    ctx(1, encInt32(v.pvno)),
    ctx(2, encInt32(v.msgType)),
    optCtx(3, v.padata, writeMethodData),
    ctx(4, reqBodyDer ? DerNode.raw(reqBodyDer) : writeKdcReqBody(v.reqBody)),
  );
}

/** Reads an AS-REQ element. */
export const readAsReq: Read<AsReq> = (r) =>
  r.app(ApplicationTag.AsReq, (a) => a.seq((s) => readKdcReqSeq(s, MessageType.AS_REQ)));
/** Reads a TGS-REQ element. */
export const readTgsReq: Read<TgsReq> = (r) =>
  r.app(ApplicationTag.TgsReq, (a) => a.seq((s) => readKdcReqSeq(s, MessageType.TGS_REQ)));

/** DER node of an AS-REQ. */
export function writeAsReq(v: AsReq): DerNode {
  return appTag(ApplicationTag.AsReq, writeKdcReqSeq(v));
}

/** DER of an AS-REQ. */
export function encodeAsReq(v: AsReq): Uint8Array {
  return toDer(writeAsReq(v));
}

/**
 * DER node of a TGS-REQ. `reqBodyDer`, the DER of `v.reqBody` made for the PA-TGS-REQ checksum, is written in place
 * of encoding the body a second time: the KDC checks the checksum over exactly these bytes.
 */
export function writeTgsReq(v: TgsReq, reqBodyDer?: Uint8Array): DerNode {
  return appTag(ApplicationTag.TgsReq, writeKdcReqSeq(v, reqBodyDer));
}

/** DER of a TGS-REQ (`reqBodyDer`: the body as already encoded, see {@link writeTgsReq}). */
export function encodeTgsReq(v: TgsReq, reqBodyDer?: Uint8Array): Uint8Array {
  return toDer(writeTgsReq(v, reqBodyDer));
}

/** AS-REQ from DER. */
export function decodeAsReq(b: Uint8Array, opts?: DecodeOptions): AsReq {
  return decodeTop(b, 'AS-REQ', readAsReq, opts);
}

/** TGS-REQ from DER. */
export function decodeTgsReq(b: Uint8Array, opts?: DecodeOptions): TgsReq {
  return decodeTop(b, 'TGS-REQ', readTgsReq, opts);
}
