/**
 * PKINIT key agreement (RFC 4556 3.2.3.1; RFC 5349 for elliptic curves): the client's SubjectPublicKeyInfo for the
 * AuthPack and the shared secret Z from the KDC's public value. Finite-field DH over MODP group 14 with BigInt, or
 * ECDH over P-256 with WebCrypto (`globalThis.crypto.subtle`, present in browsers, Node 20+, Deno, Bun).
 */
import * as asn1js from 'asn1js';
import { CryptoError, ProtocolError } from '../errors.js';
import { concat, toArrayBuffer } from '../util/bytes.js';
import { bigIntToBytes, bytesToBigInt, type DhKeyPair, dhSharedSecret } from './dh.js';

/** Object identifiers of the key-agreement public values. */
export const KeyAgreementOid = {
  DhPublicNumber: '1.2.840.10046.2.1',
  IdEcPublicKey: '1.2.840.10045.2.1',
  Prime256v1: '1.2.840.10045.3.1.7',
} as const;

/** One side of a PKINIT key agreement. */
export interface KeyAgreement {
  /** `modp2048` (RFC 3526 group 14) or `P-256`. */
  readonly name: string;
  /** The client's SubjectPublicKeyInfo (AuthPack clientPublicValue). */
  readonly clientPublicValue: Uint8Array;
  /** Z from the BIT STRING contents of KDCDHKeyInfo.subjectPublicKey. */
  sharedSecret(kdcPublicValue: Uint8Array): Promise<Uint8Array>;
}

/** The content octets of a DER INTEGER for a non-negative n: minimal, with a 0x00 only before a high bit. */
export function derUnsigned(n: bigint): Uint8Array {
  const b = bigIntToBytes(n);
  return b.length === 0 || (b[0]! & 0x80) !== 0 ? concat(Uint8Array.of(0), b) : b;
}

/** SubjectPublicKeyInfo of a DH public value: dhpublicnumber with DomainParameters { p, g, q } (RFC 3279 2.3.3). */
export function dhSubjectPublicKeyInfo(kp: DhKeyPair): Uint8Array {
  const int = (n: bigint) => new asn1js.Integer({ valueHex: toArrayBuffer(derUnsigned(n)) });
  const spki = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.ObjectIdentifier({ value: KeyAgreementOid.DhPublicNumber }),
          new asn1js.Sequence({ value: [int(kp.group.p), int(kp.group.g), int(kp.group.q)] }),
        ],
      }),
      new asn1js.BitString({ valueHex: int(kp.y).toBER() }),
    ],
  });
  return new Uint8Array(spki.toBER());
}

/** Finite-field DH: the KDC's public value is a DER INTEGER; Z is padded to the modulus size. */
export function dhAgreement(kp: DhKeyPair): KeyAgreement {
  return {
    name: kp.group.name,
    clientPublicValue: dhSubjectPublicKeyInfo(kp),
    sharedSecret: async (kdcPublicValue) => {
      const y = asn1js.fromBER(toArrayBuffer(kdcPublicValue));
      if (y.offset === -1 || !(y.result instanceof asn1js.Integer))
        throw new ProtocolError('PKINIT: the KDC DH public value is not an INTEGER', { check: 'pkinit' });
      return dhSharedSecret(kp, bytesToBigInt(new Uint8Array(y.result.valueBlock.valueHexView)));
    },
  };
}

/** ECDH over P-256 (RFC 5349): the KDC's public value is an uncompressed point; Z is the x-coordinate. */
export async function ecdhP256Agreement(): Promise<KeyAgreement> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle)
    throw new CryptoError('ECDH needs WebCrypto (globalThis.crypto.subtle), absent in this runtime');
  const algo = { name: 'ECDH', namedCurve: 'P-256' } as const;
  const pair = (await subtle.generateKey(algo, false, ['deriveBits'])) as CryptoKeyPair;
  const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
  return {
    name: 'P-256',
    clientPublicValue: spki,
    sharedSecret: async (kdcPublicValue) => {
      let peer: CryptoKey;
      try {
        peer = await subtle.importKey('raw', toArrayBuffer(kdcPublicValue), algo, false, []);
      } catch (e) {
        throw new ProtocolError('PKINIT: the KDC ECDH public value is not a P-256 point', {
          check: 'pkinit',
          cause: e,
        });
      }
      return new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: peer }, pair.privateKey, 256));
    },
  };
}
