/** MS-KKDCP 2.2.2 KDC-PROXY-MESSAGE (Kerberos over HTTPS). */
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readInt32,
  readKerberosString,
  readOctets,
} from './der.js';
import {
  ctx,
  type DerNode,
  encInt32,
  encKerberosString,
  encOctets,
  encSeq,
  optCtx,
  toDer,
} from './der-write.js';

/** KDC-PROXY-MESSAGE ::= SEQUENCE { kerb-message [0] OCTET STRING, target-domain [1] Realm OPTIONAL, dclocator-hint [2] INTEGER OPTIONAL }. */
export interface KdcProxyMessage {
  /** The Kerberos message with its 4-octet TCP length prefix (MS-KKDCP 2.2.2). */
  kerbMessage: Uint8Array;
  targetDomain?: string;
  dclocatorHint?: number;
}

/** Reads a KDC-PROXY-MESSAGE element. */
export const readKdcProxyMessage: Read<KdcProxyMessage> = (r) =>
  r.seq((s) =>
    prune<KdcProxyMessage>({
      kerbMessage: s.field(0, 'kerb-message', readOctets),
      targetDomain: s.opt(1, 'target-domain', readKerberosString),
      dclocatorHint: s.opt(2, 'dclocator-hint', readInt32),
    }),
  );

/** DER node of a KDC-PROXY-MESSAGE. */
export function writeKdcProxyMessage(v: KdcProxyMessage): DerNode {
  return encSeq(
    ctx(0, encOctets(v.kerbMessage)),
    optCtx(1, v.targetDomain, encKerberosString),
    optCtx(2, v.dclocatorHint, encInt32),
  );
}

/** DER of a KDC-PROXY-MESSAGE. */
export function encodeKdcProxyMessage(v: KdcProxyMessage): Uint8Array {
  return toDer(writeKdcProxyMessage(v));
}

/** KDC-PROXY-MESSAGE from DER. */
export function decodeKdcProxyMessage(b: Uint8Array, opts?: DecodeOptions): KdcProxyMessage {
  return decodeTop(b, 'KDC-PROXY-MESSAGE', readKdcProxyMessage, opts);
}
