/** KRB-CRED, EncKrbCredPart, KrbCredInfo (RFC 4120 5.8). */
import {
  type EncryptedData,
  type EncryptionKey,
  encodeEncryptedData,
  encodeEncryptionKey,
  encodeHostAddress,
  encodeHostAddresses,
  type HostAddress,
  readEncryptedData,
  readEncryptionKey,
  readHostAddress,
  readHostAddresses,
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
  encAnyInt32,
  encInt32,
  encKerberosString,
  encMicroseconds,
  encSeq,
  encSeqOf,
  optCtx,
} from './der-write.js';
import type { TicketFlags } from './flags.js';
import { encodePrincipalName, type PrincipalName, readPrincipalName } from './principal.js';
import { encodeTicketFlags, encodeTickets, readTicketFlags, readTickets, type Ticket } from './ticket.js';
import { encodeKerberosTime, readKerberosTime } from './time.js';

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

/** DER of a KRB-CRED (a .kirbi file). */
export function encodeKrbCred(v: KrbCred): Uint8Array {
  return appTag(
    ApplicationTag.KrbCred,
    encSeq(
      ctx(0, encInt32(v.pvno)),
      ctx(1, encInt32(v.msgType)),
      ctx(2, encodeTickets(v.tickets)),
      ctx(3, encodeEncryptedData(v.encPart)),
    ),
  );
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

/** DER of a KrbCredInfo. */
export function encodeKrbCredInfo(v: KrbCredInfo): Uint8Array {
  return encSeq(
    ctx(0, encodeEncryptionKey(v.key)),
    optCtx(1, v.prealm, encKerberosString),
    optCtx(2, v.pname, encodePrincipalName),
    optCtx(3, v.flags, encodeTicketFlags),
    optCtx(4, v.authtime, encodeKerberosTime),
    optCtx(5, v.starttime, encodeKerberosTime),
    optCtx(6, v.endtime, encodeKerberosTime),
    optCtx(7, v.renewTill, encodeKerberosTime),
    optCtx(8, v.srealm, encKerberosString),
    optCtx(9, v.sname, encodePrincipalName),
    optCtx(10, v.caddr, encodeHostAddresses),
  );
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

/** DER of an EncKrbCredPart. */
export function encodeEncKrbCredPart(v: EncKrbCredPart): Uint8Array {
  return appTag(
    ApplicationTag.EncKrbCredPart,
    encSeq(
      ctx(0, encSeqOf(v.ticketInfo, encodeKrbCredInfo)),
      optCtx(1, v.nonce, encAnyInt32),
      optCtx(2, v.timestamp, encodeKerberosTime),
      optCtx(3, v.usec, encMicroseconds),
      optCtx(4, v.sAddress, encodeHostAddress),
      optCtx(5, v.rAddress, encodeHostAddress),
    ),
  );
}

/** EncKrbCredPart from DER. */
export function decodeEncKrbCredPart(b: Uint8Array, opts?: DecodeOptions): EncKrbCredPart {
  return decodeTop(b, 'EncKrbCredPart', readEncKrbCredPart, opts);
}
