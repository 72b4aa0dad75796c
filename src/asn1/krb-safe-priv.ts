/** KRB-SAFE, KRB-PRIV and EncKrbPrivPart (RFC 4120 5.6, 5.7). */
import {
  type Checksum,
  type EncryptedData,
  type HostAddress,
  readChecksum,
  readEncryptedData,
  readHostAddress,
  writeChecksum,
  writeEncryptedData,
  writeHostAddress,
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
  readMicroseconds,
  readOctets,
} from './der.js';
import {
  appTag,
  ctx,
  type DerNode,
  encAnyInt32,
  encInt32,
  encMicroseconds,
  encOctets,
  encSeq,
  optCtx,
  toDer,
} from './der-write.js';
import { readKerberosTime, writeKerberosTime } from './time.js';

/** KRB-SAFE-BODY and EncKrbPrivPart share these fields: user-data [0] … r-address [5] OPTIONAL. */
export interface KrbSafeBody {
  userData: Uint8Array;
  timestamp?: Date;
  usec?: number;
  seqNumber?: number;
  sAddress: HostAddress;
  rAddress?: HostAddress;
}

/** EncKrbPrivPart ::= [APPLICATION 28] SEQUENCE { same fields as KRB-SAFE-BODY }. */
export type EncKrbPrivPart = KrbSafeBody;

/** KRB-SAFE ::= [APPLICATION 20] SEQUENCE { pvno [0], msg-type [1], safe-body [2], cksum [3] }. */
export interface KrbSafe {
  pvno: number;
  msgType: number;
  safeBody: KrbSafeBody;
  cksum: Checksum;
}

/** KRB-PRIV ::= [APPLICATION 21] SEQUENCE { pvno [0], msg-type [1], enc-part [3] } (no [2]). */
export interface KrbPriv {
  pvno: number;
  msgType: number;
  encPart: EncryptedData;
}

function readBodyFields(s: DerReader): KrbSafeBody {
  return prune<KrbSafeBody>({
    userData: s.field(0, 'user-data', readOctets),
    timestamp: s.opt(1, 'timestamp', readKerberosTime),
    usec: s.opt(2, 'usec', readMicroseconds),
    seqNumber: s.opt(3, 'seq-number', readAnyInt32),
    sAddress: s.field(4, 's-address', readHostAddress),
    rAddress: s.opt(5, 'r-address', readHostAddress),
  });
}

function writeBodyFields(v: KrbSafeBody): DerNode {
  return encSeq(
    ctx(0, encOctets(v.userData)),
    optCtx(1, v.timestamp, writeKerberosTime),
    optCtx(2, v.usec, encMicroseconds),
    optCtx(3, v.seqNumber, encAnyInt32),
    ctx(4, writeHostAddress(v.sAddress)),
    optCtx(5, v.rAddress, writeHostAddress),
  );
}

/** Reads a KRB-SAFE element. */
export const readKrbSafe: Read<KrbSafe> = (r) =>
  r.app(ApplicationTag.KrbSafe, (a) =>
    a.seq((s) => ({
      pvno: s.field(0, 'pvno', readExactly(KRB5_PVNO, 'pvno')),
      msgType: s.field(1, 'msg-type', readExactly(MessageType.KRB_SAFE, 'msg-type')),
      safeBody: s.field(2, 'safe-body', (f) => f.seq(readBodyFields)),
      cksum: s.field(3, 'cksum', readChecksum),
    })),
  );

/** DER node of a KRB-SAFE. */
export function writeKrbSafe(v: KrbSafe): DerNode {
  return appTag(
    ApplicationTag.KrbSafe,
    encSeq(
      ctx(0, encInt32(v.pvno)),
      ctx(1, encInt32(v.msgType)),
      ctx(2, writeBodyFields(v.safeBody)),
      ctx(3, writeChecksum(v.cksum)),
    ),
  );
}

/** DER of a KRB-SAFE. */
export function encodeKrbSafe(v: KrbSafe): Uint8Array {
  return toDer(writeKrbSafe(v));
}

/** KRB-SAFE from DER. */
export function decodeKrbSafe(b: Uint8Array, opts?: DecodeOptions): KrbSafe {
  return decodeTop(b, 'KRB-SAFE', readKrbSafe, opts);
}

/** Reads a KRB-PRIV element. */
export const readKrbPriv: Read<KrbPriv> = (r) =>
  r.app(ApplicationTag.KrbPriv, (a) =>
    a.seq((s) => ({
      pvno: s.field(0, 'pvno', readExactly(KRB5_PVNO, 'pvno')),
      msgType: s.field(1, 'msg-type', readExactly(MessageType.KRB_PRIV, 'msg-type')),
      encPart: s.field(3, 'enc-part', readEncryptedData),
    })),
  );

/** DER node of a KRB-PRIV. */
export function writeKrbPriv(v: KrbPriv): DerNode {
  return appTag(
    ApplicationTag.KrbPriv,
    encSeq(ctx(0, encInt32(v.pvno)), ctx(1, encInt32(v.msgType)), ctx(3, writeEncryptedData(v.encPart))),
  );
}

/** DER of a KRB-PRIV. */
export function encodeKrbPriv(v: KrbPriv): Uint8Array {
  return toDer(writeKrbPriv(v));
}

/** KRB-PRIV from DER. */
export function decodeKrbPriv(b: Uint8Array, opts?: DecodeOptions): KrbPriv {
  return decodeTop(b, 'KRB-PRIV', readKrbPriv, opts);
}

/** Reads an EncKrbPrivPart element. */
export const readEncKrbPrivPart: Read<EncKrbPrivPart> = (r) =>
  r.app(ApplicationTag.EncKrbPrivPart, (a) => a.seq(readBodyFields));

/** DER node of an EncKrbPrivPart. */
export function writeEncKrbPrivPart(v: EncKrbPrivPart): DerNode {
  return appTag(ApplicationTag.EncKrbPrivPart, writeBodyFields(v));
}

/** DER of an EncKrbPrivPart. */
export function encodeEncKrbPrivPart(v: EncKrbPrivPart): Uint8Array {
  return toDer(writeEncKrbPrivPart(v));
}

/** EncKrbPrivPart from DER. */
export function decodeEncKrbPrivPart(b: Uint8Array, opts?: DecodeOptions): EncKrbPrivPart {
  return decodeTop(b, 'EncKrbPrivPart', readEncKrbPrivPart, opts);
}
