/** AD-CAMMAC (RFC 7751) and MIT's secure cookie (the PA-FX-COOKIE contents MIT's KDC encrypts). */
import { type AuthorizationData, readAuthorizationData, writeAuthorizationData } from './authdata.js';
import { type Checksum, readChecksum, writeChecksum } from './basic.js';
import {
  type DecodeOptions,
  decodeTop,
  prune,
  type Read,
  readInt32,
  readNonEmptySeqOf,
  readUInt32,
} from './der.js';
import {
  ctx,
  type DerNode,
  encInt32,
  encNonEmptySeqOf,
  encSeq,
  encUInt32,
  optCtx,
  toDer,
} from './der-write.js';
import { type PaData, readMethodData, writeMethodData } from './padata.js';
import { type PrincipalName, readPrincipalName, writePrincipalName } from './principal.js';

/** Verifier-MAC ::= SEQUENCE { identifier [0] PrincipalName OPTIONAL, kvno [1] UInt32 OPTIONAL, enctype [2] Int32 OPTIONAL, mac [3] Checksum }. */
export interface VerifierMac {
  identifier?: PrincipalName;
  kvno?: number;
  enctype?: number;
  mac: Checksum;
}

/** Verifier ::= CHOICE { mac Verifier-MAC, ... }: only the MAC alternative is defined. */
export type Verifier = { mac: VerifierMac };

/** AD-CAMMAC ::= SEQUENCE { elements [0] AuthorizationData, kdc-verifier [1] OPTIONAL, svc-verifier [2] OPTIONAL, other-verifiers [3] SEQUENCE (SIZE(1..MAX)) OF Verifier OPTIONAL }. */
export interface AdCammac {
  elements: AuthorizationData;
  kdcVerifier?: VerifierMac;
  svcVerifier?: VerifierMac;
  otherVerifiers?: Verifier[];
}

/** MIT secure cookie ::= SEQUENCE { time INTEGER, data SEQUENCE OF PA-DATA } (kdc_preauth.c, not in an RFC). */
export interface SecureCookie {
  /** Seconds since the epoch. */
  time: number;
  data: PaData[];
}

/** Reads a Verifier-MAC element. */
export const readVerifierMac: Read<VerifierMac> = (r) =>
  r.seq((s) =>
    prune<VerifierMac>({
      identifier: s.opt(0, 'identifier', readPrincipalName),
      kvno: s.opt(1, 'kvno', readUInt32),
      enctype: s.opt(2, 'enctype', readInt32),
      mac: s.field(3, 'mac', readChecksum),
    }),
  );

/** DER node of a Verifier-MAC. */
export function writeVerifierMac(v: VerifierMac): DerNode {
  return encSeq(
    optCtx(0, v.identifier, writePrincipalName),
    optCtx(1, v.kvno, encUInt32),
    optCtx(2, v.enctype, encInt32),
    ctx(3, writeChecksum(v.mac)),
  );
}

const readVerifier: Read<Verifier> = (r) => ({ mac: readVerifierMac(r) });

/** Reads an AD-CAMMAC element. */
export const readAdCammac: Read<AdCammac> = (r) =>
  r.seq((s) =>
    prune<AdCammac>({
      elements: s.field(0, 'elements', readAuthorizationData),
      kdcVerifier: s.opt(1, 'kdc-verifier', readVerifierMac),
      svcVerifier: s.opt(2, 'svc-verifier', readVerifierMac),
      otherVerifiers: s.opt(3, 'other-verifiers', (f) =>
        readNonEmptySeqOf(f, readVerifier, 'other-verifiers'),
      ),
    }),
  );

/** DER node of an AD-CAMMAC. */
export function writeAdCammac(v: AdCammac): DerNode {
  return encSeq(
    ctx(0, writeAuthorizationData(v.elements)),
    optCtx(1, v.kdcVerifier, writeVerifierMac),
    optCtx(2, v.svcVerifier, writeVerifierMac),
    optCtx(3, v.otherVerifiers, (o) =>
      encNonEmptySeqOf(o, (x) => writeVerifierMac(x.mac), 'other-verifiers'),
    ),
  );
}

/** DER of an AD-CAMMAC. */
export function encodeAdCammac(v: AdCammac): Uint8Array {
  return toDer(writeAdCammac(v));
}

/** AD-CAMMAC from DER. */
export function decodeAdCammac(b: Uint8Array, opts?: DecodeOptions): AdCammac {
  return decodeTop(b, 'AD-CAMMAC', readAdCammac, opts);
}

/** Reads a secure cookie element. */
export const readSecureCookie: Read<SecureCookie> = (r) =>
  r.seq((s) => ({ time: readInt32(s), data: readMethodData(s) }));

/** DER of a secure cookie. */
export function encodeSecureCookie(v: SecureCookie): Uint8Array {
  return toDer(encSeq(encInt32(v.time), writeMethodData(v.data)));
}

/** Secure cookie from DER. */
export function decodeSecureCookie(b: Uint8Array, opts?: DecodeOptions): SecureCookie {
  return decodeTop(b, 'secure-cookie', readSecureCookie, opts);
}
