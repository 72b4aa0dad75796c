/**
 * Anonymous PKINIT (RFC 8062, with RFC 4556 messages): PA-PK-AS-REQ carrying an unsigned CMS SignedData over an
 * AuthPack with a (EC)DH public value, and the KDC's PA-PK-AS-REP: its signed KDCDHKeyInfo verified against the
 * caller's trust anchors, the shared secret turned into the reply key by octetstring2key (3.2.3.1).
 */
import { sha1 } from '@noble/hashes/legacy.js';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  decodeKdcDhKeyInfo,
  decodePaPkAsRep,
  encodeAuthPack,
  encodePaPkAsReq,
  type PaData,
  PaDataType,
} from '../asn1/index.js';
import { EncType, type Key, randomToKey } from '../crypto/index.js';
import { IntegrityError, ProtocolError } from '../errors.js';
import { concat, toArrayBuffer } from '../util/bytes.js';
import type { KeyAgreement } from './key-agreement.js';
import { checkKdcCertificate, parseCertificates } from './pkinit-cert.js';

/** Object identifiers of RFC 4556, RFC 5652 and X9.42. */
export const PkinitOid = {
  IdPkinitAuthData: '1.3.6.1.5.2.3.1',
  IdPkinitDhKeyData: '1.3.6.1.5.2.3.2',
  IdSignedData: '1.2.840.113549.1.7.2',
} as const;

/** random-to-key input size per enctype (RFC 3961 key-generation seed length). */
const SEED_SIZE: Readonly<Record<number, number>> = {
  [EncType.AES128_CTS_HMAC_SHA1_96]: 16,
  [EncType.AES256_CTS_HMAC_SHA1_96]: 32,
  [EncType.AES128_CTS_HMAC_SHA256_128]: 16,
  [EncType.AES256_CTS_HMAC_SHA384_192]: 32,
  [EncType.RC4_HMAC]: 16,
};

/** The DER of a CMS ContentInfo holding an unsigned SignedData (no signers, no certificates) over `content`. */
export function unsignedSignedData(eContentType: string, content: Uint8Array): Uint8Array {
  const sd = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 3 }),
      new asn1js.Set({ value: [] }),
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: eContentType }),
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 0 },
            value: [new asn1js.OctetString({ valueHex: toArrayBuffer(content) })],
          }),
        ],
      }),
      new asn1js.Set({ value: [] }),
    ],
  });
  const ci = new asn1js.Sequence({
    value: [
      new asn1js.ObjectIdentifier({ value: PkinitOid.IdSignedData }),
      new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [sd] }),
    ],
  });
  return new Uint8Array(ci.toBER());
}

/** Inputs of an anonymous PA-PK-AS-REQ. */
export interface AnonymousPkAsReqParams {
  /** DER of the AS-REQ's KDC-REQ-BODY: paChecksum is its SHA-1. */
  readonly reqBodyBytes: Uint8Array;
  readonly nonce: number;
  readonly now: Date;
  readonly usec: number;
  /** The client side of the key agreement (its SubjectPublicKeyInfo goes in the AuthPack). */
  readonly agreement: KeyAgreement;
}

/** PA-PK-AS-REQ (16) for anonymous PKINIT: an unsigned SignedData over the AuthPack (RFC 8062 4.1). */
export function makeAnonymousPkAsReq(p: AnonymousPkAsReqParams): PaData {
  const authPack = encodeAuthPack({
    pkAuthenticator: {
      cusec: p.usec,
      ctime: p.now,
      nonce: p.nonce >>> 0,
      paChecksum: sha1(p.reqBodyBytes),
    },
    clientPublicValue: p.agreement.clientPublicValue,
  });
  return {
    padataType: PaDataType.PK_AS_REQ,
    padataValue: encodePaPkAsReq({
      signedAuthPack: unsignedSignedData(PkinitOid.IdPkinitAuthData, authPack),
    }),
  };
}

/** octetstring2key(x) = random-to-key(K-truncate(SHA1(0x00|x) | SHA1(0x01|x) | …)) (RFC 4556 3.2.3.1). */
export function octetString2Key(etype: number, x: Uint8Array): Key {
  const size = SEED_SIZE[etype];
  if (size === undefined) throw new ProtocolError(`PKINIT: no key size for enctype ${etype}`);
  const out = new Uint8Array(Math.ceil(size / 20) * 20);
  for (let i = 0; i * 20 < size; i++) out.set(sha1(concat(Uint8Array.of(i), x)), i * 20);
  return randomToKey(etype, out.slice(0, size));
}

/** What the KDC's PA-PK-AS-REP gave. */
export interface PkAsRepResult {
  readonly replyKey: Key;
  /** The certificate that signed the KDCDHKeyInfo (DER), when one was sent. */
  readonly kdcCertificate: Uint8Array | undefined;
  /** True when the signature and chain were verified against trust anchors. */
  readonly verified: boolean;
}

/** Inputs to open a PA-PK-AS-REP. */
export interface OpenPkAsRepParams {
  readonly padata: readonly PaData[] | undefined;
  /** The key agreement the request was made with. */
  readonly agreement: KeyAgreement;
  readonly nonce: number;
  /** The AS-REP enc-part enctype: the reply key's. */
  readonly etype: number;
  readonly realm: string;
  /** CA certificates (DER or PEM); without them the KDC's signature is not checked. */
  readonly trustAnchors?: readonly (Uint8Array | string)[] | undefined;
  readonly now: Date;
}

/**
 * Opens the (EC)DH PA-PK-AS-REP: the KDCDHKeyInfo's nonce must be the request's; with trust anchors the SignedData
 * signature, the chain to an anchor and the KDC certificate (id-pkinit-KPKdc, id-pkinit-san krbtgt/REALM) are
 * verified; the reply key is octetstring2key of the shared secret (no DH nonces).
 */
export async function openPkAsRep(p: OpenPkAsRepParams): Promise<PkAsRepResult> {
  const pa = p.padata?.find((x) => x.padataType === PaDataType.PK_AS_REP);
  if (!pa) throw new ProtocolError('PKINIT: the AS-REP has no PA-PK-AS-REP', { check: 'pkinit' });
  const rep = decodePaPkAsRep(pa.padataValue);
  if (!('dhInfo' in rep))
    throw new ProtocolError('PKINIT: the KDC answered with encKeyPack, not Diffie-Hellman', {
      check: 'pkinit',
    });
  let sd: pkijs.SignedData | undefined;
  try {
    const ci = pkijs.ContentInfo.fromBER(toArrayBuffer(rep.dhInfo.dhSignedData));
    if (ci.contentType === PkinitOid.IdSignedData) sd = new pkijs.SignedData({ schema: ci.content });
  } catch (e) {
    throw new ProtocolError('PKINIT: dhSignedData is not a CMS ContentInfo', { check: 'pkinit', cause: e });
  }
  if (!sd) throw new ProtocolError('PKINIT: dhSignedData is not a CMS SignedData', { check: 'pkinit' });
  if (sd.encapContentInfo.eContentType !== PkinitOid.IdPkinitDhKeyData)
    throw new ProtocolError(`PKINIT: eContentType ${sd.encapContentInfo.eContentType}`, { check: 'pkinit' });
  const econtent = sd.encapContentInfo.eContent;
  if (!econtent) throw new ProtocolError('PKINIT: dhSignedData has no content', { check: 'pkinit' });
  const info = decodeKdcDhKeyInfo(new Uint8Array(econtent.getValue()));
  if (info.nonce >>> 0 !== p.nonce >>> 0)
    throw new IntegrityError(`PKINIT: KDCDHKeyInfo nonce ${info.nonce} is not the request's ${p.nonce}`);
  let verified = false;
  let kdcCertificate: Uint8Array | undefined;
  if (p.trustAnchors && p.trustAnchors.length > 0) {
    const anchors = parseCertificates(p.trustAnchors);
    const res = await sd
      .verify({ signer: 0, checkChain: true, trustedCerts: anchors, checkDate: p.now, extendedMode: true })
      .catch((e: unknown) => {
        throw new IntegrityError(
          `PKINIT: the KDC's signature or certificate chain did not verify: ${String((e as { message?: string }).message ?? e)}`,
          {
            hint: 'the KDC certificate is not issued by the configured CA (pkinit_anchors)',
            cause: e,
          },
        );
      });
    if (!res.signatureVerified || !res.signerCertificate)
      throw new IntegrityError('PKINIT: the KDC signature did not verify');
    kdcCertificate = new Uint8Array(res.signerCertificate.toSchema().toBER());
    checkKdcCertificate(res.signerCertificate, p.realm);
    verified = true;
  }
  const secret = await p.agreement.sharedSecret(info.subjectPublicKey);
  return { replyKey: octetString2Key(p.etype, secret), kdcCertificate, verified };
}
