/**
 * RFC 4556 PKINIT types (with RFC 8070 freshness and RFC 8636 KDF fields) and RFC 6806 PA-REQ-ENC-PA-REP.
 * CMS ContentInfo, SubjectPublicKeyInfo and AlgorithmIdentifier are kept as raw DER for the CMS layer.
 */
import {
  type Checksum,
  type EncryptionKey,
  readChecksum,
  readEncryptionKey,
  writeChecksum,
  writeEncryptionKey,
} from './basic.js';
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readBitStringOctets,
  readMicroseconds,
  readObjectIdentifier,
  readOctets,
  readUInt32,
  Tag,
} from './der.js';
import {
  ctx,
  type DerNode,
  encBitStringOctets,
  encImplicitOctets,
  encMicroseconds,
  encObjectIdentifier,
  encOctets,
  encRaw,
  encSeq,
  encSeqOf,
  encUInt32,
  optCtx,
  toDer,
} from './der-write.js';
import { readKerberosTime, writeKerberosTime } from './time.js';

/** ExternalPrincipalIdentifier ::= SEQUENCE { subjectName [0] IMPLICIT, issuerAndSerialNumber [1] IMPLICIT, subjectKeyIdentifier [2] IMPLICIT } (all OPTIONAL OCTET STRING). */
export interface ExternalPrincipalIdentifier {
  subjectName?: Uint8Array;
  issuerAndSerialNumber?: Uint8Array;
  subjectKeyIdentifier?: Uint8Array;
}

/** PA-PK-AS-REQ ::= SEQUENCE { signedAuthPack [0] IMPLICIT OCTET STRING, trustedCertifiers [1] OPTIONAL, kdcPkId [2] IMPLICIT OPTIONAL }. */
export interface PaPkAsReq {
  /** DER of a CMS ContentInfo (SignedData over an AuthPack). */
  signedAuthPack: Uint8Array;
  trustedCertifiers?: ExternalPrincipalIdentifier[];
  kdcPkId?: Uint8Array;
}

/** KDFAlgorithmId ::= SEQUENCE { kdf-id [0] OBJECT IDENTIFIER } (RFC 8636). */
export interface KdfAlgorithmId {
  kdfId: string;
}

/** DHRepInfo ::= SEQUENCE { dhSignedData [0] IMPLICIT OCTET STRING, serverDHNonce [1] OPTIONAL, kdf [2] OPTIONAL }. */
export interface DhRepInfo {
  /** DER of a CMS ContentInfo (SignedData over a KDCDHKeyInfo). */
  dhSignedData: Uint8Array;
  serverDhNonce?: Uint8Array;
  kdf?: KdfAlgorithmId;
}

/** PA-PK-AS-REP ::= CHOICE { dhInfo [0] DHRepInfo, encKeyPack [1] IMPLICIT OCTET STRING }. */
export type PaPkAsRep = { dhInfo: DhRepInfo } | { encKeyPack: Uint8Array };

/** PAChecksum2 ::= SEQUENCE { checksum [0] OCTET STRING, algorithmIdentifier [1] AlgorithmIdentifier } (RFC 8636). */
export interface PaChecksum2 {
  checksum: Uint8Array;
  /** DER of an AlgorithmIdentifier. */
  algorithmIdentifier: Uint8Array;
}

/** PKAuthenticator ::= SEQUENCE { cusec [0], ctime [1], nonce [2], paChecksum [3] OPTIONAL, freshnessToken [4] OPTIONAL, paChecksum2 [5] OPTIONAL }. */
export interface PkAuthenticator {
  cusec: number;
  ctime: Date;
  nonce: number;
  paChecksum?: Uint8Array;
  freshnessToken?: Uint8Array;
  paChecksum2?: PaChecksum2;
}

/** AuthPack ::= SEQUENCE { pkAuthenticator [0], clientPublicValue [1] OPTIONAL, supportedCMSTypes [2] OPTIONAL, clientDHNonce [3] OPTIONAL, supportedKDFs [4] OPTIONAL }. */
export interface AuthPack {
  pkAuthenticator: PkAuthenticator;
  /** DER of a SubjectPublicKeyInfo. */
  clientPublicValue?: Uint8Array;
  /** DER of each AlgorithmIdentifier. */
  supportedCmsTypes?: Uint8Array[];
  clientDhNonce?: Uint8Array;
  supportedKdfs?: KdfAlgorithmId[];
}

/** KDCDHKeyInfo ::= SEQUENCE { subjectPublicKey [0] BIT STRING, nonce [1] INTEGER (0..4294967295), dhKeyExpiration [2] OPTIONAL }. */
export interface KdcDhKeyInfo {
  subjectPublicKey: Uint8Array;
  nonce: number;
  dhKeyExpiration?: Date;
}

/** ReplyKeyPack ::= SEQUENCE { replyKey [0] EncryptionKey, asChecksum [1] Checksum }. */
export interface ReplyKeyPack {
  replyKey: EncryptionKey;
  asChecksum: Checksum;
}

/** PA-REQ-ENC-PA-REP value in encrypted-pa-data: the Checksum of the AS-REQ (RFC 6806 11). */
export type PaReqEncPaRep = Checksum;

const readEpi: Read<ExternalPrincipalIdentifier> = (r) =>
  r.seq((s) =>
    prune<ExternalPrincipalIdentifier>({
      subjectName: s.optImplicitOctets(0, 'subjectName'),
      issuerAndSerialNumber: s.optImplicitOctets(1, 'issuerAndSerialNumber'),
      subjectKeyIdentifier: s.optImplicitOctets(2, 'subjectKeyIdentifier'),
    }),
  );

const encEpi = (v: ExternalPrincipalIdentifier): DerNode =>
  encSeq(
    v.subjectName && encImplicitOctets(0, v.subjectName),
    v.issuerAndSerialNumber && encImplicitOctets(1, v.issuerAndSerialNumber),
    v.subjectKeyIdentifier && encImplicitOctets(2, v.subjectKeyIdentifier),
  );

/** Reads a PA-PK-AS-REQ element. */
export const readPaPkAsReq: Read<PaPkAsReq> = (r) =>
  r.seq((s) =>
    prune<PaPkAsReq>({
      signedAuthPack: s.implicitOctets(0, 'signedAuthPack'),
      trustedCertifiers: s.opt(1, 'trustedCertifiers', (f) => f.seqOf(readEpi)),
      kdcPkId: s.optImplicitOctets(2, 'kdcPkId'),
    }),
  );

/** DER node of a PA-PK-AS-REQ. */
export function writePaPkAsReq(v: PaPkAsReq): DerNode {
  return encSeq(
    encImplicitOctets(0, v.signedAuthPack),
    optCtx(1, v.trustedCertifiers, (t) => encSeqOf(t, encEpi)),
    v.kdcPkId && encImplicitOctets(2, v.kdcPkId),
  );
}

/** DER of a PA-PK-AS-REQ. */
export function encodePaPkAsReq(v: PaPkAsReq): Uint8Array {
  return toDer(writePaPkAsReq(v));
}

/** PA-PK-AS-REQ from DER. */
export function decodePaPkAsReq(b: Uint8Array, opts?: DecodeOptions): PaPkAsReq {
  return decodeTop(b, 'PA-PK-AS-REQ', readPaPkAsReq, opts);
}

const readKdfAlgorithmId: Read<KdfAlgorithmId> = (r) =>
  r.seq((s) => ({ kdfId: s.field(0, 'kdf-id', readObjectIdentifier) }));

const encKdfAlgorithmId = (v: KdfAlgorithmId): DerNode => encSeq(ctx(0, encObjectIdentifier(v.kdfId)));

const readDhRepInfo: Read<DhRepInfo> = (r) =>
  r.seq((s) =>
    prune<DhRepInfo>({
      dhSignedData: s.implicitOctets(0, 'dhSignedData'),
      serverDhNonce: s.opt(1, 'serverDHNonce', readOctets),
      kdf: s.opt(2, 'kdf', readKdfAlgorithmId),
    }),
  );

/** Reads a PA-PK-AS-REP element. */
export const readPaPkAsRep: Read<PaPkAsRep> = (r) =>
  r.peekTag() === (Tag.ContextPrimitive | 1)
    ? { encKeyPack: r.implicitOctets(1, 'encKeyPack') }
    : { dhInfo: r.field(0, 'dhInfo', readDhRepInfo) };

/** DER node of a PA-PK-AS-REP. */
export function writePaPkAsRep(v: PaPkAsRep): DerNode {
  if ('encKeyPack' in v) return encImplicitOctets(1, v.encKeyPack);
  const d = v.dhInfo;
  return ctx(
    0,
    encSeq(
      encImplicitOctets(0, d.dhSignedData),
      optCtx(1, d.serverDhNonce, encOctets),
      optCtx(2, d.kdf, encKdfAlgorithmId),
    ),
  );
}

/** DER of a PA-PK-AS-REP. */
export function encodePaPkAsRep(v: PaPkAsRep): Uint8Array {
  return toDer(writePaPkAsRep(v));
}

/** PA-PK-AS-REP from DER. */
export function decodePaPkAsRep(b: Uint8Array, opts?: DecodeOptions): PaPkAsRep {
  return decodeTop(b, 'PA-PK-AS-REP', readPaPkAsRep, opts);
}

const readAlgorithmIdentifier: Read<Uint8Array> = (r) => r.raw('AlgorithmIdentifier', Tag.Sequence);

/** Reads a PKAuthenticator element. */
export const readPkAuthenticator: Read<PkAuthenticator> = (r) =>
  r.seq((s) =>
    prune<PkAuthenticator>({
      cusec: s.field(0, 'cusec', readMicroseconds),
      ctime: s.field(1, 'ctime', readKerberosTime),
      nonce: s.field(2, 'nonce', readUInt32),
      paChecksum: s.opt(3, 'paChecksum', readOctets),
      freshnessToken: s.opt(4, 'freshnessToken', readOctets),
      paChecksum2: s.opt(5, 'paChecksum2', (f) =>
        f.seq((c) => ({
          checksum: c.field(0, 'checksum', readOctets),
          algorithmIdentifier: c.field(1, 'algorithmIdentifier', readAlgorithmIdentifier),
        })),
      ),
    }),
  );

/** DER node of a PKAuthenticator (the bytes paChecksum covers are the AS-REQ body, not these). */
export function writePkAuthenticator(v: PkAuthenticator): DerNode {
  return encSeq(
    ctx(0, encMicroseconds(v.cusec)),
    ctx(1, writeKerberosTime(v.ctime)),
    ctx(2, encUInt32(v.nonce)),
    optCtx(3, v.paChecksum, encOctets),
    optCtx(4, v.freshnessToken, encOctets),
    optCtx(5, v.paChecksum2, (c) =>
      encSeq(ctx(0, encOctets(c.checksum)), ctx(1, encRaw(c.algorithmIdentifier))),
    ),
  );
}

/** DER of a PKAuthenticator (the bytes paChecksum covers are the AS-REQ body, not these). */
export function encodePkAuthenticator(v: PkAuthenticator): Uint8Array {
  return toDer(writePkAuthenticator(v));
}

/** Reads an AuthPack element. */
export const readAuthPack: Read<AuthPack> = (r) =>
  r.seq((s) =>
    prune<AuthPack>({
      pkAuthenticator: s.field(0, 'pkAuthenticator', readPkAuthenticator),
      clientPublicValue: s.opt(1, 'clientPublicValue', (f) => f.raw('SubjectPublicKeyInfo')),
      supportedCmsTypes: s.opt(2, 'supportedCMSTypes', (f) => f.seqOf(readAlgorithmIdentifier)),
      clientDhNonce: s.opt(3, 'clientDHNonce', readOctets),
      supportedKdfs: s.opt(4, 'supportedKDFs', (f) => f.seqOf(readKdfAlgorithmId)),
    }),
  );

/** DER node of an AuthPack (the content signed in PA-PK-AS-REQ's signedAuthPack). */
export function writeAuthPack(v: AuthPack): DerNode {
  return encSeq(
    ctx(0, writePkAuthenticator(v.pkAuthenticator)),
    optCtx(1, v.clientPublicValue, encRaw),
    optCtx(2, v.supportedCmsTypes, (t) => encSeqOf(t, encRaw)),
    optCtx(3, v.clientDhNonce, encOctets),
    optCtx(4, v.supportedKdfs, (k) => encSeqOf(k, encKdfAlgorithmId)),
  );
}

/** DER of an AuthPack (the content signed in PA-PK-AS-REQ's signedAuthPack). */
export function encodeAuthPack(v: AuthPack): Uint8Array {
  return toDer(writeAuthPack(v));
}

/** AuthPack from DER. */
export function decodeAuthPack(b: Uint8Array, opts?: DecodeOptions): AuthPack {
  return decodeTop(b, 'AuthPack', readAuthPack, opts);
}

/** Reads a KDCDHKeyInfo element. */
export const readKdcDhKeyInfo: Read<KdcDhKeyInfo> = (r) =>
  r.seq((s) =>
    prune<KdcDhKeyInfo>({
      subjectPublicKey: s.field(0, 'subjectPublicKey', readBitStringOctets),
      nonce: s.field(1, 'nonce', readUInt32),
      dhKeyExpiration: s.opt(2, 'dhKeyExpiration', readKerberosTime),
    }),
  );

/** DER node of a KDCDHKeyInfo. */
export function writeKdcDhKeyInfo(v: KdcDhKeyInfo): DerNode {
  return encSeq(
    ctx(0, encBitStringOctets(v.subjectPublicKey)),
    ctx(1, encUInt32(v.nonce)),
    optCtx(2, v.dhKeyExpiration, writeKerberosTime),
  );
}

/** DER of a KDCDHKeyInfo. */
export function encodeKdcDhKeyInfo(v: KdcDhKeyInfo): Uint8Array {
  return toDer(writeKdcDhKeyInfo(v));
}

/** KDCDHKeyInfo from DER. */
export function decodeKdcDhKeyInfo(b: Uint8Array, opts?: DecodeOptions): KdcDhKeyInfo {
  return decodeTop(b, 'KDCDHKeyInfo', readKdcDhKeyInfo, opts);
}

/** Reads a ReplyKeyPack element. */
export const readReplyKeyPack: Read<ReplyKeyPack> = (r) =>
  r.seq((s) => ({
    replyKey: s.field(0, 'replyKey', readEncryptionKey),
    asChecksum: s.field(1, 'asChecksum', readChecksum),
  }));

/** DER node of a ReplyKeyPack. */
export function writeReplyKeyPack(v: ReplyKeyPack): DerNode {
  return encSeq(ctx(0, writeEncryptionKey(v.replyKey)), ctx(1, writeChecksum(v.asChecksum)));
}

/** DER of a ReplyKeyPack. */
export function encodeReplyKeyPack(v: ReplyKeyPack): Uint8Array {
  return toDer(writeReplyKeyPack(v));
}

/** ReplyKeyPack from DER. */
export function decodeReplyKeyPack(b: Uint8Array, opts?: DecodeOptions): ReplyKeyPack {
  return decodeTop(b, 'ReplyKeyPack', readReplyKeyPack, opts);
}

/** PA-REQ-ENC-PA-REP from DER (a Checksum). */
export function decodePaReqEncPaRep(b: Uint8Array, opts?: DecodeOptions): PaReqEncPaRep {
  return decodeTop(b, 'PA-REQ-ENC-PA-REP', readChecksum, opts);
}

/** DER node of a PA-REQ-ENC-PA-REP. */
export const writePaReqEncPaRep: (v: PaReqEncPaRep) => DerNode = writeChecksum;

/** DER of a PA-REQ-ENC-PA-REP. */
export function encodePaReqEncPaRep(v: PaReqEncPaRep): Uint8Array {
  return toDer(writePaReqEncPaRep(v));
}
