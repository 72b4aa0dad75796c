/** KRB-CRED, EncKrbCredPart, KrbCredInfo (RFC 4120 5.8). */
import {
  type EncryptedData,
  type EncryptionKey,
  type HostAddress,
  readEncryptedData,
  readEncryptionKey,
  readHostAddress,
  readHostAddresses,
  writeEncryptedData,
  writeEncryptionKey,
  writeHostAddress,
  writeHostAddresses,
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
  type DerNode,
  encAnyInt32,
  encInt32,
  encKerberosString,
  encMicroseconds,
  encSeq,
  encSeqOf,
  optCtx,
  toDer,
} from './der-write.js';
import type { TicketFlags } from './flags.js';
import { type PrincipalName, readPrincipalName, writePrincipalName } from './principal.js';
import { readTicketFlags, readTickets, type Ticket, writeTicketFlags, writeTickets } from './ticket.js';
import { readKerberosTime, writeKerberosTime } from './time.js';

/** KRB-CRED ::= [APPLICATION 22] SEQUENCE { pvno [0], msg-type [1], tickets [2] SEQUENCE OF Ticket, enc-part [3] }. */
export interface KrbCred {
  pvno: number;
  msgType: number;
  tickets: Ticket[];
  encPart: EncryptedData;
}

/** KrbCredInfo ::= SEQUENCE { key [0], prealm [1] OPTIONAL … caddr [10] OPTIONAL }. */
export interface KrbCredInfo {
  key: EncryptionKey;
  prealm?: string;
  pname?: PrincipalName;
  flags?: TicketFlags;
  authtime?: Date;
  starttime?: Date;
  endtime?: Date;
  renewTill?: Date;
  srealm?: string;
  sname?: PrincipalName;
  caddr?: HostAddress[];
}

/** EncKrbCredPart ::= [APPLICATION 29] SEQUENCE { ticket-info [0], nonce [1] OPTIONAL … r-address [5] OPTIONAL }. */
export interface EncKrbCredPart {
  ticketInfo: KrbCredInfo[];
  nonce?: number;
  timestamp?: Date;
  usec?: number;
  sAddress?: HostAddress;
  rAddress?: HostAddress;
}

/** Reads a KRB-CRED element. */
export const readKrbCred: Read<KrbCred> = (r) =>
  r.app(ApplicationTag.KrbCred, (a) =>
    a.seq((s) => ({
      pvno: s.field(0, 'pvno', readExactly(KRB5_PVNO, 'pvno')),
      msgType: s.field(1, 'msg-type', readExactly(MessageType.KRB_CRED, 'msg-type')),
      tickets: s.field(2, 'tickets', readTickets),
      encPart: s.field(3, 'enc-part', readEncryptedData),
    })),
  );

/** DER node of a KRB-CRED (a .kirbi file). */
export function writeKrbCred(v: KrbCred): DerNode {
  return appTag(
    ApplicationTag.KrbCred,
    encSeq(
      ctx(0, encInt32(v.pvno)),
      ctx(1, encInt32(v.msgType)),
      ctx(2, writeTickets(v.tickets)),
      ctx(3, writeEncryptedData(v.encPart)),
    ),
  );
}

/** DER of a KRB-CRED (a .kirbi file). */
export function encodeKrbCred(v: KrbCred): Uint8Array {
  return toDer(writeKrbCred(v));
}

/** KRB-CRED from DER. */
export function decodeKrbCred(b: Uint8Array, opts?: DecodeOptions): KrbCred {
  return decodeTop(b, 'KRB-CRED', readKrbCred, opts);
}

/** Reads a KrbCredInfo element. */
export const readKrbCredInfo: Read<KrbCredInfo> = (r) =>
  r.seq((s) =>
    prune<KrbCredInfo>({
      key: s.field(0, 'key', readEncryptionKey),
      prealm: s.opt(1, 'prealm', readKerberosString),
      pname: s.opt(2, 'pname', readPrincipalName),
      flags: s.opt(3, 'flags', readTicketFlags),
      authtime: s.opt(4, 'authtime', readKerberosTime),
      starttime: s.opt(5, 'starttime', readKerberosTime),
      endtime: s.opt(6, 'endtime', readKerberosTime),
      renewTill: s.opt(7, 'renew-till', readKerberosTime),
      srealm: s.opt(8, 'srealm', readKerberosString),
      sname: s.opt(9, 'sname', readPrincipalName),
      caddr: s.opt(10, 'caddr', readHostAddresses),
    }),
  );

/** DER node of a KrbCredInfo. */
export function writeKrbCredInfo(v: KrbCredInfo): DerNode {
  return encSeq(
    ctx(0, writeEncryptionKey(v.key)),
    optCtx(1, v.prealm, encKerberosString),
    optCtx(2, v.pname, writePrincipalName),
    optCtx(3, v.flags, writeTicketFlags),
    optCtx(4, v.authtime, writeKerberosTime),
    optCtx(5, v.starttime, writeKerberosTime),
    optCtx(6, v.endtime, writeKerberosTime),
    optCtx(7, v.renewTill, writeKerberosTime),
    optCtx(8, v.srealm, encKerberosString),
    optCtx(9, v.sname, writePrincipalName),
    optCtx(10, v.caddr, writeHostAddresses),
  );
}

/** DER of a KrbCredInfo. */
export function encodeKrbCredInfo(v: KrbCredInfo): Uint8Array {
  return toDer(writeKrbCredInfo(v));
}

/** KrbCredInfo from DER. */
export function decodeKrbCredInfo(b: Uint8Array, opts?: DecodeOptions): KrbCredInfo {
  return decodeTop(b, 'KrbCredInfo', readKrbCredInfo, opts);
}

/** Reads an EncKrbCredPart element. */
export const readEncKrbCredPart: Read<EncKrbCredPart> = (r) =>
  r.app(ApplicationTag.EncKrbCredPart, (a) =>
    a.seq((s) =>
      prune<EncKrbCredPart>({
        ticketInfo: s.field(0, 'ticket-info', (f) => f.seqOf(readKrbCredInfo)),
        nonce: s.opt(1, 'nonce', readAnyInt32),
        timestamp: s.opt(2, 'timestamp', readKerberosTime),
        usec: s.opt(3, 'usec', readMicroseconds),
        sAddress: s.opt(4, 's-address', readHostAddress),
        rAddress: s.opt(5, 'r-address', readHostAddress),
      }),
    ),
  );

/** DER node of an EncKrbCredPart. */
export function writeEncKrbCredPart(v: EncKrbCredPart): DerNode {
  return appTag(
    ApplicationTag.EncKrbCredPart,
    encSeq(
      ctx(0, encSeqOf(v.ticketInfo, writeKrbCredInfo)),
      optCtx(1, v.nonce, encAnyInt32),
      optCtx(2, v.timestamp, writeKerberosTime),
      optCtx(3, v.usec, encMicroseconds),
      optCtx(4, v.sAddress, writeHostAddress),
      optCtx(5, v.rAddress, writeHostAddress),
    ),
  );
}

/** DER of an EncKrbCredPart. */
export function encodeEncKrbCredPart(v: EncKrbCredPart): Uint8Array {
  return toDer(writeEncKrbCredPart(v));
}

/** EncKrbCredPart from DER. */
export function decodeEncKrbCredPart(b: Uint8Array, opts?: DecodeOptions): EncKrbCredPart {
  return decodeTop(b, 'EncKrbCredPart', readEncKrbCredPart, opts);
}
