/** MS-SFU 2.2.1 PA-FOR-USER, 2.2.2 PA-S4U-X509-USER and S4UUserID. */
import { type Checksum, readChecksum, writeChecksum } from './basic.js';
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readAnyInt32,
  readKerberosString,
  readOctets,
} from './der.js';
import {
  ctx,
  type DerNode,
  encAnyInt32,
  encKerberosString,
  encOctets,
  encSeq,
  optCtx,
  toDer,
} from './der-write.js';
import { flagsReader, S4uOptionBit, type S4uOptions, writeFlags } from './flags.js';
import { type PrincipalName, readPrincipalName, writePrincipalName } from './principal.js';

/** PA-FOR-USER ::= SEQUENCE { userName [0] PrincipalName, userRealm [1] Realm, cksum [2] Checksum, auth-package [3] KerberosString }. */
export interface PaForUser {
  userName: PrincipalName;
  userRealm: string;
  cksum: Checksum;
  /** Always "Kerberos" on the wire to Windows. */
  authPackage: string;
}

/** S4UUserID ::= SEQUENCE { nonce [0] UInt32, cname [1] OPTIONAL, crealm [2], subject-certificate [3] OPTIONAL, options [4] OPTIONAL }. */
export interface S4uUserId {
  /** The KDC-REQ-BODY nonce, as sent there. */
  nonce: number;
  cname?: PrincipalName;
  crealm: string;
  subjectCertificate?: Uint8Array;
  options?: S4uOptions;
}

/** PA-S4U-X509-USER ::= SEQUENCE { user-id [0] S4UUserID, checksum [1] Checksum }. */
export interface PaS4uX509User {
  userId: S4uUserId;
  checksum: Checksum;
}

/** Reads a PA-FOR-USER element. */
export const readPaForUser: Read<PaForUser> = (r) =>
  r.seq((s) => ({
    userName: s.field(0, 'userName', readPrincipalName),
    userRealm: s.field(1, 'userRealm', readKerberosString),
    cksum: s.field(2, 'cksum', readChecksum),
    authPackage: s.field(3, 'auth-package', readKerberosString),
  }));

/** DER node of a PA-FOR-USER. */
export function writePaForUser(v: PaForUser): DerNode {
  return encSeq(
    ctx(0, writePrincipalName(v.userName)),
    ctx(1, encKerberosString(v.userRealm)),
    ctx(2, writeChecksum(v.cksum)),
    ctx(3, encKerberosString(v.authPackage)),
  );
}

/** DER of a PA-FOR-USER. */
export function encodePaForUser(v: PaForUser): Uint8Array {
  return toDer(writePaForUser(v));
}

/** PA-FOR-USER from DER. */
export function decodePaForUser(b: Uint8Array, opts?: DecodeOptions): PaForUser {
  return decodeTop(b, 'PA-FOR-USER', readPaForUser, opts);
}

/** Reads an S4UUserID element. */
export const readS4uUserId: Read<S4uUserId> = (r) =>
  r.seq((s) =>
    prune<S4uUserId>({
      nonce: s.field(0, 'nonce', readAnyInt32),
      cname: s.opt(1, 'cname', readPrincipalName),
      crealm: s.field(2, 'crealm', readKerberosString),
      subjectCertificate: s.opt(3, 'subject-certificate', readOctets),
      options: s.opt(4, 'options', flagsReader(S4uOptionBit)),
    }),
  );

/** DER node of an S4UUserID (the bytes the PA-S4U-X509-USER checksum covers). */
export function writeS4uUserId(v: S4uUserId): DerNode {
  return encSeq(
    ctx(0, encAnyInt32(v.nonce)),
    optCtx(1, v.cname, writePrincipalName),
    ctx(2, encKerberosString(v.crealm)),
    optCtx(3, v.subjectCertificate, encOctets),
    optCtx(4, v.options, (o) => writeFlags(S4uOptionBit, o)),
  );
}

/** DER of an S4UUserID (the bytes the PA-S4U-X509-USER checksum covers). */
export function encodeS4uUserId(v: S4uUserId): Uint8Array {
  return toDer(writeS4uUserId(v));
}

/** S4UUserID from DER. */
export function decodeS4uUserId(b: Uint8Array, opts?: DecodeOptions): S4uUserId {
  return decodeTop(b, 'S4UUserID', readS4uUserId, opts);
}

/** Reads a PA-S4U-X509-USER element. */
export const readPaS4uX509User: Read<PaS4uX509User> = (r) =>
  r.seq((s) => ({
    userId: s.field(0, 'user-id', readS4uUserId),
    checksum: s.field(1, 'checksum', readChecksum),
  }));

/** DER node of a PA-S4U-X509-USER. */
export function writePaS4uX509User(v: PaS4uX509User): DerNode {
  return encSeq(ctx(0, writeS4uUserId(v.userId)), ctx(1, writeChecksum(v.checksum)));
}

/** DER of a PA-S4U-X509-USER. */
export function encodePaS4uX509User(v: PaS4uX509User): Uint8Array {
  return toDer(writePaS4uX509User(v));
}

/** PA-S4U-X509-USER from DER. */
export function decodePaS4uX509User(b: Uint8Array, opts?: DecodeOptions): PaS4uX509User {
  return decodeTop(b, 'PA-S4U-X509-USER', readPaS4uX509User, opts);
}
