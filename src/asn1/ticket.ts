/** Ticket, EncTicketPart, TransitedEncoding (RFC 4120 5.3). */
import { type AuthorizationData, readAuthorizationData, writeAuthorizationData } from './authdata.js';
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
import { ApplicationTag, KRB5_PVNO } from './constants.js';
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readExactly,
  readInt32,
  readKerberosString,
  readOctets,
  Tag,
} from './der.js';
import {
  appTag,
  ctx,
  DerNode,
  encInt32,
  encKerberosString,
  encOctets,
  encSeq,
  optCtx,
  toDer,
} from './der-write.js';
import { flagsReader, TicketFlagBit, type TicketFlags, writeFlags } from './flags.js';
import { type PrincipalName, readPrincipalName, writePrincipalName } from './principal.js';
import { readKerberosTime, writeKerberosTime } from './time.js';

/** Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0], realm [1], sname [2], enc-part [3] }. */
export interface Ticket {
  tktVno: number;
  realm: string;
  sname: PrincipalName;
  encPart: EncryptedData;
}

/** TransitedEncoding ::= SEQUENCE { tr-type [0] Int32, contents [1] OCTET STRING }. */
export interface TransitedEncoding {
  trType: number;
  contents: Uint8Array;
}

/** EncTicketPart ::= [APPLICATION 3] SEQUENCE { flags [0] … authorization-data [10] OPTIONAL }. */
export interface EncTicketPart {
  flags: TicketFlags;
  key: EncryptionKey;
  crealm: string;
  cname: PrincipalName;
  transited: TransitedEncoding;
  authtime: Date;
  starttime?: Date;
  endtime: Date;
  renewTill?: Date;
  caddr?: HostAddress[];
  authorizationData?: AuthorizationData;
}

/** Reads a TicketFlags field. */
export const readTicketFlags: Read<TicketFlags> = flagsReader(TicketFlagBit);

/** DER node of TicketFlags. */
export const writeTicketFlags = (v: TicketFlags): DerNode => writeFlags(TicketFlagBit, v);

/** DER of TicketFlags. */
export function encodeTicketFlags(v: TicketFlags): Uint8Array {
  return toDer(writeTicketFlags(v));
}

/** Reads a Ticket element. */
export const readTicket: Read<Ticket> = (r) =>
  r.app(ApplicationTag.Ticket, (a) =>
    a.seq((s) => ({
      tktVno: s.field(0, 'tkt-vno', readExactly(KRB5_PVNO, 'tkt-vno')),
      realm: s.field(1, 'realm', readKerberosString),
      sname: s.field(2, 'sname', readPrincipalName),
      encPart: s.field(3, 'enc-part', readEncryptedData),
    })),
  );

/** DER node of a Ticket. */
export function writeTicket(v: Ticket): DerNode {
  return appTag(
    ApplicationTag.Ticket,
    encSeq(
      ctx(0, encInt32(v.tktVno)),
      ctx(1, encKerberosString(v.realm)),
      ctx(2, writePrincipalName(v.sname)),
      ctx(3, writeEncryptedData(v.encPart)),
    ),
  );
}

/** DER of a Ticket. */
export function encodeTicket(v: Ticket): Uint8Array {
  return toDer(writeTicket(v));
}

/** Ticket from DER. */
export function decodeTicket(b: Uint8Array, opts?: DecodeOptions): Ticket {
  return decodeTop(b, 'Ticket', readTicket, opts);
}

/** Reads SEQUENCE OF Ticket. */
export const readTickets: Read<Ticket[]> = (r) => r.seqOf(readTicket);

/**
 * DER node of SEQUENCE OF Ticket. `ders[i]`, ticket i's DER as the KDC sent it, is written in place of re-encoding
 * `v[i]` (as writeApReq does with `ticketDer`).
 */
export const writeTickets = (v: readonly Ticket[], ders?: readonly (Uint8Array | undefined)[]): DerNode =>
  DerNode.constructed(
    Tag.Sequence,
    v.map((t, i) => {
      const der = ders?.[i];
      return der?.length ? DerNode.raw(der) : writeTicket(t);
    }),
  );

/** DER of SEQUENCE OF Ticket. */
export function encodeTickets(v: readonly Ticket[]): Uint8Array {
  return toDer(writeTickets(v));
}

/** Reads a TransitedEncoding element. */
export const readTransitedEncoding: Read<TransitedEncoding> = (r) =>
  r.seq((s) => ({ trType: s.field(0, 'tr-type', readInt32), contents: s.field(1, 'contents', readOctets) }));

/** DER node of a TransitedEncoding. */
export function writeTransitedEncoding(v: TransitedEncoding): DerNode {
  return encSeq(ctx(0, encInt32(v.trType)), ctx(1, encOctets(v.contents)));
}

/** DER of a TransitedEncoding. */
export function encodeTransitedEncoding(v: TransitedEncoding): Uint8Array {
  return toDer(writeTransitedEncoding(v));
}

/** Reads an EncTicketPart element. */
export const readEncTicketPart: Read<EncTicketPart> = (r) =>
  r.app(ApplicationTag.EncTicketPart, (a) =>
    a.seq((s) =>
      prune<EncTicketPart>({
        flags: s.field(0, 'flags', readTicketFlags),
        key: s.field(1, 'key', readEncryptionKey),
        crealm: s.field(2, 'crealm', readKerberosString),
        cname: s.field(3, 'cname', readPrincipalName),
        transited: s.field(4, 'transited', readTransitedEncoding),
        authtime: s.field(5, 'authtime', readKerberosTime),
        starttime: s.opt(6, 'starttime', readKerberosTime),
        endtime: s.field(7, 'endtime', readKerberosTime),
        renewTill: s.opt(8, 'renew-till', readKerberosTime),
        caddr: s.opt(9, 'caddr', readHostAddresses),
        authorizationData: s.opt(10, 'authorization-data', readAuthorizationData),
      }),
    ),
  );

/** DER node of an EncTicketPart. */
export function writeEncTicketPart(v: EncTicketPart): DerNode {
  return appTag(
    ApplicationTag.EncTicketPart,
    encSeq(
      ctx(0, writeTicketFlags(v.flags)),
      ctx(1, writeEncryptionKey(v.key)),
      ctx(2, encKerberosString(v.crealm)),
      ctx(3, writePrincipalName(v.cname)),
      ctx(4, writeTransitedEncoding(v.transited)),
      ctx(5, writeKerberosTime(v.authtime)),
      optCtx(6, v.starttime, writeKerberosTime),
      ctx(7, writeKerberosTime(v.endtime)),
      optCtx(8, v.renewTill, writeKerberosTime),
      optCtx(9, v.caddr, writeHostAddresses),
      optCtx(10, v.authorizationData, writeAuthorizationData),
    ),
  );
}

/** DER of an EncTicketPart. */
export function encodeEncTicketPart(v: EncTicketPart): Uint8Array {
  return toDer(writeEncTicketPart(v));
}

/** EncTicketPart from DER; with `opts.views` its byte fields (key, authorization data) are views of `b`. */
export function decodeEncTicketPart(b: Uint8Array, opts?: DecodeOptions): EncTicketPart {
  return decodeTop(b, 'EncTicketPart', readEncTicketPart, opts);
}
