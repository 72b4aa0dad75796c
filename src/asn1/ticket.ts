/** Ticket, EncTicketPart, TransitedEncoding (RFC 4120 5.3). */
import { type AuthorizationData, encodeAuthorizationData, readAuthorizationData } from './authdata.js';
import {
  type EncryptedData,
  type EncryptionKey,
  encodeEncryptedData,
  encodeEncryptionKey,
  encodeHostAddresses,
  type HostAddress,
  readEncryptedData,
  readEncryptionKey,
  readHostAddresses,
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
} from './der.js';
import {
  appTag,
  ctx,
  encInt32,
  encKerberosString,
  encOctets,
  encSeq,
  encSeqOf,
  optCtx,
} from './der-write.js';
import { encodeFlags, flagsReader, TicketFlagBit, type TicketFlags } from './flags.js';
import { encodePrincipalName, type PrincipalName, readPrincipalName } from './principal.js';
import { encodeKerberosTime, readKerberosTime } from './time.js';

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

/** DER of TicketFlags. */
export const encodeTicketFlags = (v: TicketFlags): Uint8Array => encodeFlags(TicketFlagBit, v);

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

/** DER of a Ticket. */
export function encodeTicket(v: Ticket): Uint8Array {
  return appTag(
    ApplicationTag.Ticket,
    encSeq(
      ctx(0, encInt32(v.tktVno)),
      ctx(1, encKerberosString(v.realm)),
      ctx(2, encodePrincipalName(v.sname)),
      ctx(3, encodeEncryptedData(v.encPart)),
    ),
  );
}

/** Ticket from DER. */
export function decodeTicket(b: Uint8Array, opts?: DecodeOptions): Ticket {
  return decodeTop(b, 'Ticket', readTicket, opts);
}

/** Reads SEQUENCE OF Ticket. */
export const readTickets: Read<Ticket[]> = (r) => r.seqOf(readTicket);

/** DER of SEQUENCE OF Ticket. */
export const encodeTickets = (v: readonly Ticket[]): Uint8Array => encSeqOf(v, encodeTicket);

/** Reads a TransitedEncoding element. */
export const readTransitedEncoding: Read<TransitedEncoding> = (r) =>
  r.seq((s) => ({ trType: s.field(0, 'tr-type', readInt32), contents: s.field(1, 'contents', readOctets) }));

/** DER of a TransitedEncoding. */
export function encodeTransitedEncoding(v: TransitedEncoding): Uint8Array {
  return encSeq(ctx(0, encInt32(v.trType)), ctx(1, encOctets(v.contents)));
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

/** DER of an EncTicketPart. */
export function encodeEncTicketPart(v: EncTicketPart): Uint8Array {
  return appTag(
    ApplicationTag.EncTicketPart,
    encSeq(
      ctx(0, encodeTicketFlags(v.flags)),
      ctx(1, encodeEncryptionKey(v.key)),
      ctx(2, encKerberosString(v.crealm)),
      ctx(3, encodePrincipalName(v.cname)),
      ctx(4, encodeTransitedEncoding(v.transited)),
      ctx(5, encodeKerberosTime(v.authtime)),
      optCtx(6, v.starttime, encodeKerberosTime),
      ctx(7, encodeKerberosTime(v.endtime)),
      optCtx(8, v.renewTill, encodeKerberosTime),
      optCtx(9, v.caddr, encodeHostAddresses),
      optCtx(10, v.authorizationData, encodeAuthorizationData),
    ),
  );
}

/** EncTicketPart from DER. */
export function decodeEncTicketPart(b: Uint8Array, opts?: DecodeOptions): EncTicketPart {
  return decodeTop(b, 'EncTicketPart', readEncTicketPart, opts);
}
