/** KDC-REP (AS-REP, TGS-REP), EncKDCRepPart and LastReq (RFC 4120 5.4.2; encrypted-pa-data RFC 6806 11). */
import {
  type EncryptedData,
  type EncryptionKey,
  type HostAddress,
  readEncryptedData,
  readEncryptionKey,
  readHostAddresses,
  writeEncryptedData,
  writeEncryptionKey,
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
  Tag,
} from './der.js';
import {
  appTag,
  ctx,
  type DerNode,
  encAnyInt32,
  encInt32,
  encKerberosString,
  encSeq,
  encSeqOf,
  optCtx,
  toDer,
} from './der-write.js';
import type { TicketFlags } from './flags.js';
import { type PaData, readMethodData, writeMethodData } from './padata.js';
import { type PrincipalName, readPrincipalName, writePrincipalName } from './principal.js';
import { readTicket, readTicketFlags, type Ticket, writeTicket, writeTicketFlags } from './ticket.js';
import { readKerberosTime, writeKerberosTime } from './time.js';

/** One LastReq element: SEQUENCE { lr-type [0] Int32, lr-value [1] KerberosTime }. */
export interface LastReqEntry {
  lrType: number;
  lrValue: Date;
}

/** LastReq ::= SEQUENCE OF SEQUENCE { lr-type, lr-value }. */
export type LastReq = LastReqEntry[];

/** KDC-REP ::= SEQUENCE { pvno [0], msg-type [1], padata [2] OPTIONAL, crealm [3], cname [4], ticket [5], enc-part [6] }. */
export interface KdcRep {
  pvno: number;
  msgType: number;
  padata?: PaData[];
  crealm: string;
  cname: PrincipalName;
  ticket: Ticket;
  encPart: EncryptedData;
}

/** AS-REP ::= [APPLICATION 11] KDC-REP. */
export type AsRep = KdcRep;
/** TGS-REP ::= [APPLICATION 13] KDC-REP. */
export type TgsRep = KdcRep;

/** EncKDCRepPart ::= SEQUENCE { key [0] … caddr [11] OPTIONAL, encrypted-pa-data [12] METHOD-DATA OPTIONAL }. */
export interface EncKdcRepPart {
  key: EncryptionKey;
  lastReq: LastReq;
  /** UInt32 in the RFC; a signed Int32 from MIT is accepted as sent. */
  nonce: number;
  keyExpiration?: Date;
  flags: TicketFlags;
  authtime: Date;
  starttime?: Date;
  endtime: Date;
  renewTill?: Date;
  srealm: string;
  sname: PrincipalName;
  caddr?: HostAddress[];
  encryptedPaData?: PaData[];
}

/** EncASRepPart ::= [APPLICATION 25] EncKDCRepPart. */
export type EncAsRepPart = EncKdcRepPart;
/** EncTGSRepPart ::= [APPLICATION 26] EncKDCRepPart. */
export type EncTgsRepPart = EncKdcRepPart;

/** Reads a LastReq element. */
export const readLastReq: Read<LastReq> = (r) =>
  r.seqOf((e) =>
    e.seq((s) => ({
      lrType: s.field(0, 'lr-type', readInt32),
      lrValue: s.field(1, 'lr-value', readKerberosTime),
    })),
  );

/** DER node of a LastReq. */
export function writeLastReq(v: readonly LastReqEntry[]): DerNode {
  return encSeqOf(v, (e) => encSeq(ctx(0, encInt32(e.lrType)), ctx(1, writeKerberosTime(e.lrValue))));
}

/** DER of a LastReq. */
export function encodeLastReq(v: readonly LastReqEntry[]): Uint8Array {
  return toDer(writeLastReq(v));
}

/** Where a reader of a KDC-REP leaves the DER of the ticket it read. */
interface TicketCapture {
  ticketBytes?: Uint8Array;
}

function readKdcRepSeq(s: DerReader, msgType: number, capture?: TicketCapture): KdcRep {
  return prune<KdcRep>({
    pvno: s.field(0, 'pvno', readExactly(KRB5_PVNO, 'pvno')),
    msgType: s.field(1, 'msg-type', readExactly(msgType, 'msg-type')),
    padata: s.opt(2, 'padata', readMethodData),
    crealm: s.field(3, 'crealm', readKerberosString),
    cname: s.field(4, 'cname', readPrincipalName),
    ticket: s.field(5, 'ticket', (r) => {
      if (!capture) return readTicket(r);
      const c = r.captured(readTicket);
      capture.ticketBytes = c.bytes;
      return c.value;
    }),
    encPart: s.field(6, 'enc-part', readEncryptedData),
  });
}

function writeKdcRepSeq(v: KdcRep): DerNode {
  return encSeq(
    ctx(0, encInt32(v.pvno)),
    ctx(1, encInt32(v.msgType)),
    optCtx(2, v.padata, writeMethodData),
    ctx(3, encKerberosString(v.crealm)),
    ctx(4, writePrincipalName(v.cname)),
    ctx(5, writeTicket(v.ticket)),
    ctx(6, writeEncryptedData(v.encPart)),
  );
}

/** Reads an AS-REP element. */
export const readAsRep: Read<AsRep> = (r) =>
  r.app(ApplicationTag.AsRep, (a) => a.seq((s) => readKdcRepSeq(s, MessageType.AS_REP)));
/** Reads a TGS-REP element. */
export const readTgsRep: Read<TgsRep> = (r) =>
  r.app(ApplicationTag.TgsRep, (a) => a.seq((s) => readKdcRepSeq(s, MessageType.TGS_REP)));

/** DER node of an AS-REP. */
export function writeAsRep(v: AsRep): DerNode {
  return appTag(ApplicationTag.AsRep, writeKdcRepSeq(v));
}

/** DER of an AS-REP. */
export function encodeAsRep(v: AsRep): Uint8Array {
  return toDer(writeAsRep(v));
}

/** DER node of a TGS-REP. */
export function writeTgsRep(v: TgsRep): DerNode {
  return appTag(ApplicationTag.TgsRep, writeKdcRepSeq(v));
}

/** DER of a TGS-REP. */
export function encodeTgsRep(v: TgsRep): Uint8Array {
  return toDer(writeTgsRep(v));
}

/** AS-REP from DER. */
export function decodeAsRep(b: Uint8Array, opts?: DecodeOptions): AsRep {
  return decodeTop(b, 'AS-REP', readAsRep, opts);
}

/** TGS-REP from DER. */
export function decodeTgsRep(b: Uint8Array, opts?: DecodeOptions): TgsRep {
  return decodeTop(b, 'TGS-REP', readTgsRep, opts);
}

/** A KDC-REP and the DER of its ticket as received (KrbFastFinished checksums those bytes, RFC 6113 5.4.3). */
export interface ReceivedKdcRep {
  readonly rep: KdcRep;
  readonly ticketBytes: Uint8Array;
}

/**
 * An AS-REP or TGS-REP from DER, keeping the ticket's bytes as received instead of encoding the ticket again. With
 * `opts.views` the ticket bytes and every byte field are views of `b` (see {@link DecodeOptions.views}).
 */
export function decodeKdcRepReceived(
  b: Uint8Array,
  expect: 'AS-REP' | 'TGS-REP',
  opts?: DecodeOptions,
): ReceivedKdcRep {
  const capture: TicketCapture = {};
  const [tag, type] =
    expect === 'AS-REP'
      ? [ApplicationTag.AsRep, MessageType.AS_REP]
      : [ApplicationTag.TgsRep, MessageType.TGS_REP];
  const rep = decodeTop<KdcRep>(
    b,
    expect,
    (r) => r.app(tag, (a) => a.seq((s) => readKdcRepSeq(s, type, capture))),
    opts,
  );
  // ticket [5] is a required field: a KDC-REP that decoded has captured it.
  return { rep, ticketBytes: capture.ticketBytes! };
}

function readEncKdcRepPartSeq(s: DerReader): EncKdcRepPart {
  return prune<EncKdcRepPart>({
    key: s.field(0, 'key', readEncryptionKey),
    lastReq: s.field(1, 'last-req', readLastReq),
    nonce: s.field(2, 'nonce', readAnyInt32),
    keyExpiration: s.opt(3, 'key-expiration', readKerberosTime),
    flags: s.field(4, 'flags', readTicketFlags),
    authtime: s.field(5, 'authtime', readKerberosTime),
    starttime: s.opt(6, 'starttime', readKerberosTime),
    endtime: s.field(7, 'endtime', readKerberosTime),
    renewTill: s.opt(8, 'renew-till', readKerberosTime),
    srealm: s.field(9, 'srealm', readKerberosString),
    sname: s.field(10, 'sname', readPrincipalName),
    caddr: s.opt(11, 'caddr', readHostAddresses),
    encryptedPaData: s.opt(12, 'encrypted-pa-data', readMethodData),
  });
}

function writeEncKdcRepPartSeq(v: EncKdcRepPart): DerNode {
  return encSeq(
    ctx(0, writeEncryptionKey(v.key)),
    ctx(1, writeLastReq(v.lastReq)),
    ctx(2, encAnyInt32(v.nonce)),
    optCtx(3, v.keyExpiration, writeKerberosTime),
    ctx(4, writeTicketFlags(v.flags)),
    ctx(5, writeKerberosTime(v.authtime)),
    optCtx(6, v.starttime, writeKerberosTime),
    ctx(7, writeKerberosTime(v.endtime)),
    optCtx(8, v.renewTill, writeKerberosTime),
    ctx(9, encKerberosString(v.srealm)),
    ctx(10, writePrincipalName(v.sname)),
    optCtx(11, v.caddr, writeHostAddresses),
    optCtx(12, v.encryptedPaData, writeMethodData),
  );
}

/** Reads an EncASRepPart element ([APPLICATION 25]). */
export const readEncAsRepPart: Read<EncAsRepPart> = (r) =>
  r.app(ApplicationTag.EncAsRepPart, (a) => a.seq(readEncKdcRepPartSeq));
/** Reads an EncTGSRepPart element ([APPLICATION 26]). */
export const readEncTgsRepPart: Read<EncTgsRepPart> = (r) =>
  r.app(ApplicationTag.EncTgsRepPart, (a) => a.seq(readEncKdcRepPartSeq));

/** DER node of an EncASRepPart. */
export function writeEncAsRepPart(v: EncAsRepPart): DerNode {
  return appTag(ApplicationTag.EncAsRepPart, writeEncKdcRepPartSeq(v));
}

/** DER of an EncASRepPart. */
export function encodeEncAsRepPart(v: EncAsRepPart): Uint8Array {
  return toDer(writeEncAsRepPart(v));
}

/** DER node of an EncTGSRepPart. */
export function writeEncTgsRepPart(v: EncTgsRepPart): DerNode {
  return appTag(ApplicationTag.EncTgsRepPart, writeEncKdcRepPartSeq(v));
}

/** DER of an EncTGSRepPart. */
export function encodeEncTgsRepPart(v: EncTgsRepPart): Uint8Array {
  return toDer(writeEncTgsRepPart(v));
}

/** EncASRepPart from DER (only [APPLICATION 25]). */
export function decodeEncAsRepPart(b: Uint8Array, opts?: DecodeOptions): EncAsRepPart {
  return decodeTop(b, 'EncASRepPart', readEncAsRepPart, opts);
}

/** EncTGSRepPart from DER (only [APPLICATION 26]). */
export function decodeEncTgsRepPart(b: Uint8Array, opts?: DecodeOptions): EncTgsRepPart {
  return decodeTop(b, 'EncTGSRepPart', readEncTgsRepPart, opts);
}

/**
 * EncKDCRepPart under either APPLICATION tag: MIT sends [26] (EncTGSRepPart) in AS replies too (RFC 4120 5.4.2).
 * With `opts.views` the key value and other byte fields are views of `b`, the plaintext (see {@link DecodeOptions.views}).
 */
export function decodeEncKdcRepPart(b: Uint8Array, opts?: DecodeOptions): EncKdcRepPart {
  const read: Read<EncKdcRepPart> = (r) =>
    r.peekTag() === (Tag.Application | ApplicationTag.EncAsRepPart)
      ? readEncAsRepPart(r)
      : readEncTgsRepPart(r);
  return decodeTop(b, 'EncKDCRepPart', read, opts);
}
