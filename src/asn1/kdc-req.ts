/** KDC-REQ (AS-REQ, TGS-REQ) and KDC-REQ-BODY (RFC 4120 5.4.1). */
import {
  type EncryptedData,
  encodeEncryptedData,
  encodeHostAddresses,
  type HostAddress,
  readEncryptedData,
  readHostAddresses,
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
  encAnyInt32,
  encInt32,
  encKerberosString,
  encSeq,
  encSeqOf,
  optCtx,
} from './der-write.js';
import { encodeFlags, flagsReader, KdcOptionBit, type KdcOptions } from './flags.js';
import { encodeMethodData, type PaData, readMethodData } from './padata.js';
import { encodePrincipalName, type PrincipalName, readPrincipalName } from './principal.js';
import { encodeTickets, readTickets, type Ticket } from './ticket.js';
import { encodeKerberosTime, readKerberosTime } from './time.js';

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

/** DER of KDCOptions. */
export const encodeKdcOptions = (v: KdcOptions): Uint8Array => encodeFlags(KdcOptionBit, v);

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

/** DER of a KDC-REQ-BODY (the bytes the PA-TGS-REQ authenticator checksum covers). */
export function encodeKdcReqBody(v: KdcReqBody): Uint8Array {
  return encSeq(
    ctx(0, encodeKdcOptions(v.kdcOptions)),
    optCtx(1, v.cname, encodePrincipalName),
    ctx(2, encKerberosString(v.realm)),
    optCtx(3, v.sname, encodePrincipalName),
    optCtx(4, v.from, encodeKerberosTime),
    ctx(5, encodeKerberosTime(v.till)),
    optCtx(6, v.rtime, encodeKerberosTime),
    ctx(7, encAnyInt32(v.nonce)),
    ctx(8, encSeqOf(v.etype, encInt32)),
    optCtx(9, v.addresses, encodeHostAddresses),
    optCtx(10, v.encAuthorizationData, encodeEncryptedData),
    optCtx(11, v.additionalTickets, encodeTickets),
  );
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

function encodeKdcReqSeq(v: KdcReq): Uint8Array {
  return encSeq(
    ctx(1, encInt32(v.pvno)),
    ctx(2, encInt32(v.msgType)),
    optCtx(3, v.padata, encodeMethodData),
    ctx(4, encodeKdcReqBody(v.reqBody)),
  );
}

/** Reads an AS-REQ element. */
export const readAsReq: Read<AsReq> = (r) =>
  r.app(ApplicationTag.AsReq, (a) => a.seq((s) => readKdcReqSeq(s, MessageType.AS_REQ)));
/** Reads a TGS-REQ element. */
export const readTgsReq: Read<TgsReq> = (r) =>
  r.app(ApplicationTag.TgsReq, (a) => a.seq((s) => readKdcReqSeq(s, MessageType.TGS_REQ)));

/** DER of an AS-REQ. */
export function encodeAsReq(v: AsReq): Uint8Array {
  return appTag(ApplicationTag.AsReq, encodeKdcReqSeq(v));
}

/** DER of a TGS-REQ. */
export function encodeTgsReq(v: TgsReq): Uint8Array {
  return appTag(ApplicationTag.TgsReq, encodeKdcReqSeq(v));
}

/** AS-REQ from DER. */
export function decodeAsReq(b: Uint8Array, opts?: DecodeOptions): AsReq {
  return decodeTop(b, 'AS-REQ', readAsReq, opts);
}

/** TGS-REQ from DER. */
export function decodeTgsReq(b: Uint8Array, opts?: DecodeOptions): TgsReq {
  return decodeTop(b, 'TGS-REQ', readTgsReq, opts);
}
