/** AP-REQ, Authenticator, AP-REP, EncAPRepPart (RFC 4120 5.5). */
import { type AuthorizationData, readAuthorizationData, writeAuthorizationData } from './authdata.js';
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
import { ApplicationTag, KRB5_PVNO, MessageType } from './constants.js';
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readAnyInt32,
  readExactly,
  readKerberosString,
  readMicroseconds,
} from './der.js';
import {
  appTag,
  ctx,
  DerNode,
  encAnyInt32,
  encInt32,
  encKerberosString,
  encMicroseconds,
  encSeq,
  optCtx,
  toDer,
} from './der-write.js';
import { ApOptionBit, type ApOptions, flagsReader, writeFlags } from './flags.js';
import { type PrincipalName, readPrincipalName, writePrincipalName } from './principal.js';
import { readTicket, type Ticket, writeTicket } from './ticket.js';
import { readKerberosTime, writeKerberosTime } from './time.js';

/** AP-REQ ::= [APPLICATION 14] SEQUENCE { pvno [0], msg-type [1], ap-options [2], ticket [3], authenticator [4] }. */
export interface ApReq {
  pvno: number;
  msgType: number;
  apOptions: ApOptions;
  ticket: Ticket;
  authenticator: EncryptedData;
}

/** Authenticator ::= [APPLICATION 2] SEQUENCE { authenticator-vno [0] … authorization-data [8] OPTIONAL }. */
export interface Authenticator {
  authenticatorVno: number;
  crealm: string;
  cname: PrincipalName;
  cksum?: Checksum;
  cusec: number;
  ctime: Date;
  subkey?: EncryptionKey;
  seqNumber?: number;
  authorizationData?: AuthorizationData;
}

/** AP-REP ::= [APPLICATION 15] SEQUENCE { pvno [0], msg-type [1], enc-part [2] }. */
export interface ApRep {
  pvno: number;
  msgType: number;
  encPart: EncryptedData;
}

/** EncAPRepPart ::= [APPLICATION 27] SEQUENCE { ctime [0], cusec [1], subkey [2] OPTIONAL, seq-number [3] OPTIONAL }. */
export interface EncApRepPart {
  ctime: Date;
  cusec: number;
  subkey?: EncryptionKey;
  seqNumber?: number;
}

/** Reads an APOptions field. */
export const readApOptions: Read<ApOptions> = flagsReader(ApOptionBit);

/** Reads an AP-REQ element. */
export const readApReq: Read<ApReq> = (r) =>
  r.app(ApplicationTag.ApReq, (a) =>
    a.seq((s) => ({
      pvno: s.field(0, 'pvno', readExactly(KRB5_PVNO, 'pvno')),
      msgType: s.field(1, 'msg-type', readExactly(MessageType.AP_REQ, 'msg-type')),
      apOptions: s.field(2, 'ap-options', readApOptions),
      ticket: s.field(3, 'ticket', readTicket),
      authenticator: s.field(4, 'authenticator', readEncryptedData),
    })),
  );

/**
 * DER node of an AP-REQ. `ticketDer`, the ticket's DER as the KDC sent it, is written in place of re-encoding
 * `v.ticket`: the ticket goes out byte for byte as received, and a request costs no ticket encode.
 */
export function writeApReq(v: ApReq, ticketDer?: Uint8Array): DerNode {
  return appTag(
    ApplicationTag.ApReq,
    encSeq(
      ctx(0, encInt32(v.pvno)),
      ctx(1, encInt32(v.msgType)),
      ctx(2, writeFlags(ApOptionBit, v.apOptions)),
      ctx(3, ticketDer?.length ? DerNode.raw(ticketDer) : writeTicket(v.ticket)),
      ctx(4, writeEncryptedData(v.authenticator)),
    ),
  );
}

/** DER of an AP-REQ (`ticketDer`: the ticket as received, see {@link writeApReq}). */
export function encodeApReq(v: ApReq, ticketDer?: Uint8Array): Uint8Array {
  return toDer(writeApReq(v, ticketDer));
}

/** AP-REQ from DER. */
export function decodeApReq(b: Uint8Array, opts?: DecodeOptions): ApReq {
  return decodeTop(b, 'AP-REQ', readApReq, opts);
}

/** Reads an Authenticator element. */
export const readAuthenticator: Read<Authenticator> = (r) =>
  r.app(ApplicationTag.Authenticator, (a) =>
    a.seq((s) =>
      prune<Authenticator>({
        authenticatorVno: s.field(0, 'authenticator-vno', readExactly(KRB5_PVNO, 'authenticator-vno')),
        crealm: s.field(1, 'crealm', readKerberosString),
        cname: s.field(2, 'cname', readPrincipalName),
        cksum: s.opt(3, 'cksum', readChecksum),
        cusec: s.field(4, 'cusec', readMicroseconds),
        ctime: s.field(5, 'ctime', readKerberosTime),
        subkey: s.opt(6, 'subkey', readEncryptionKey),
        seqNumber: s.opt(7, 'seq-number', readAnyInt32),
        authorizationData: s.opt(8, 'authorization-data', readAuthorizationData),
      }),
    ),
  );

/** DER node of an Authenticator. */
export function writeAuthenticator(v: Authenticator): DerNode {
  return appTag(
    ApplicationTag.Authenticator,
    encSeq(
      ctx(0, encInt32(v.authenticatorVno)),
      ctx(1, encKerberosString(v.crealm)),
      ctx(2, writePrincipalName(v.cname)),
      optCtx(3, v.cksum, writeChecksum),
      ctx(4, encMicroseconds(v.cusec)),
      ctx(5, writeKerberosTime(v.ctime)),
      optCtx(6, v.subkey, writeEncryptionKey),
      optCtx(7, v.seqNumber, encAnyInt32),
      optCtx(8, v.authorizationData, writeAuthorizationData),
    ),
  );
}

/** DER of an Authenticator. */
export function encodeAuthenticator(v: Authenticator): Uint8Array {
  return toDer(writeAuthenticator(v));
}

/** Authenticator from DER. */
export function decodeAuthenticator(b: Uint8Array, opts?: DecodeOptions): Authenticator {
  return decodeTop(b, 'Authenticator', readAuthenticator, opts);
}

/** Reads an AP-REP element. */
export const readApRep: Read<ApRep> = (r) =>
  r.app(ApplicationTag.ApRep, (a) =>
    a.seq((s) => ({
      pvno: s.field(0, 'pvno', readExactly(KRB5_PVNO, 'pvno')),
      msgType: s.field(1, 'msg-type', readExactly(MessageType.AP_REP, 'msg-type')),
      encPart: s.field(2, 'enc-part', readEncryptedData),
    })),
  );

/** DER node of an AP-REP. */
export function writeApRep(v: ApRep): DerNode {
  return appTag(
    ApplicationTag.ApRep,
    encSeq(ctx(0, encInt32(v.pvno)), ctx(1, encInt32(v.msgType)), ctx(2, writeEncryptedData(v.encPart))),
  );
}

/** DER of an AP-REP. */
export function encodeApRep(v: ApRep): Uint8Array {
  return toDer(writeApRep(v));
}

/** AP-REP from DER. */
export function decodeApRep(b: Uint8Array, opts?: DecodeOptions): ApRep {
  return decodeTop(b, 'AP-REP', readApRep, opts);
}

/** Reads an EncAPRepPart element. */
export const readEncApRepPart: Read<EncApRepPart> = (r) =>
  r.app(ApplicationTag.EncApRepPart, (a) =>
    a.seq((s) =>
      prune<EncApRepPart>({
        ctime: s.field(0, 'ctime', readKerberosTime),
        cusec: s.field(1, 'cusec', readMicroseconds),
        subkey: s.opt(2, 'subkey', readEncryptionKey),
        seqNumber: s.opt(3, 'seq-number', readAnyInt32),
      }),
    ),
  );

/** DER node of an EncAPRepPart. */
export function writeEncApRepPart(v: EncApRepPart): DerNode {
  return appTag(
    ApplicationTag.EncApRepPart,
    encSeq(
      ctx(0, writeKerberosTime(v.ctime)),
      ctx(1, encMicroseconds(v.cusec)),
      optCtx(2, v.subkey, writeEncryptionKey),
      optCtx(3, v.seqNumber, encAnyInt32),
    ),
  );
}

/** DER of an EncAPRepPart. */
export function encodeEncApRepPart(v: EncApRepPart): Uint8Array {
  return toDer(writeEncApRepPart(v));
}

/** EncAPRepPart from DER. */
export function decodeEncApRepPart(b: Uint8Array, opts?: DecodeOptions): EncApRepPart {
  return decodeTop(b, 'EncAPRepPart', readEncApRepPart, opts);
}
