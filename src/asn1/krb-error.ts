/** KRB-ERROR (RFC 4120 5.9.1). */
import { ApplicationTag, KRB5_PVNO, MessageType } from './constants.js';
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readExactly,
  readInt32,
  readKerberosString,
  readMicroseconds,
  readOctets,
} from './der.js';
import {
  appTag,
  ctx,
  type DerNode,
  encInt32,
  encKerberosString,
  encMicroseconds,
  encOctets,
  encSeq,
  optCtx,
  toDer,
} from './der-write.js';
import { type PrincipalName, readPrincipalName, writePrincipalName } from './principal.js';
import { readKerberosTime, writeKerberosTime } from './time.js';

/** KRB-ERROR ::= [APPLICATION 30] SEQUENCE { pvno [0], msg-type [1], ctime [2] OPTIONAL … e-data [12] OPTIONAL }. */
export interface KrbError {
  pvno: number;
  msgType: number;
  ctime?: Date;
  cusec?: number;
  stime: Date;
  susec: number;
  errorCode: number;
  crealm?: string;
  cname?: PrincipalName;
  realm: string;
  sname: PrincipalName;
  eText?: string;
  /** METHOD-DATA or TYPED-DATA depending on error-code (RFC 4120 5.9.1, RFC 6113 5.2). */
  eData?: Uint8Array;
}

/** Reads a KRB-ERROR element. */
export const readKrbError: Read<KrbError> = (r) =>
  r.app(ApplicationTag.KrbError, (a) =>
    a.seq((s) =>
      prune<KrbError>({
        pvno: s.field(0, 'pvno', readExactly(KRB5_PVNO, 'pvno')),
        msgType: s.field(1, 'msg-type', readExactly(MessageType.KRB_ERROR, 'msg-type')),
        ctime: s.opt(2, 'ctime', readKerberosTime),
        cusec: s.opt(3, 'cusec', readMicroseconds),
        stime: s.field(4, 'stime', readKerberosTime),
        susec: s.field(5, 'susec', readMicroseconds),
        errorCode: s.field(6, 'error-code', readInt32),
        crealm: s.opt(7, 'crealm', readKerberosString),
        cname: s.opt(8, 'cname', readPrincipalName),
        realm: s.field(9, 'realm', readKerberosString),
        sname: s.field(10, 'sname', readPrincipalName),
        eText: s.opt(11, 'e-text', readKerberosString),
        eData: s.opt(12, 'e-data', readOctets),
      }),
    ),
  );

/** DER node of a KRB-ERROR. */
export function writeKrbError(v: KrbError): DerNode {
  return appTag(
    ApplicationTag.KrbError,
    encSeq(
      ctx(0, encInt32(v.pvno)),
      ctx(1, encInt32(v.msgType)),
      optCtx(2, v.ctime, writeKerberosTime),
      optCtx(3, v.cusec, encMicroseconds),
      ctx(4, writeKerberosTime(v.stime)),
      ctx(5, encMicroseconds(v.susec)),
      ctx(6, encInt32(v.errorCode)),
      optCtx(7, v.crealm, encKerberosString),
      optCtx(8, v.cname, writePrincipalName),
      ctx(9, encKerberosString(v.realm)),
      ctx(10, writePrincipalName(v.sname)),
      optCtx(11, v.eText, encKerberosString),
      optCtx(12, v.eData, encOctets),
    ),
  );
}

/** DER of a KRB-ERROR. */
export function encodeKrbError(v: KrbError): Uint8Array {
  return toDer(writeKrbError(v));
}

/** KRB-ERROR from DER. */
export function decodeKrbError(b: Uint8Array, opts?: DecodeOptions): KrbError {
  return decodeTop(b, 'KRB-ERROR', readKrbError, opts);
}
