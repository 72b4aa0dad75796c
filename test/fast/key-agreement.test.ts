import { createECDH } from 'node:crypto';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { CryptoError, ProtocolError } from '../../src/errors.js';
import { dhKeyPair, MODP_GROUP_14 } from '../../src/fast/dh.js';
import { dhAgreement, ecdhP256Agreement, KeyAgreementOid } from '../../src/fast/key-agreement.js';
import { toHex } from '../../src/util/bytes.js';
import { counterRandom } from './spec.js';

describe('ECDH P-256 key agreement (RFC 5349, WebCrypto)', () => {
  it('its SPKI is id-ecPublicKey on prime256v1; Z is the x-coordinate OpenSSL computes', async () => {
    const a = await ecdhP256Agreement();
    const spki = pkijs.PublicKeyInfo.fromBER(a.clientPublicValue.slice().buffer as ArrayBuffer);
    expect(spki.algorithm.algorithmId).toBe(KeyAgreementOid.IdEcPublicKey);
    const point = new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView);
    expect(point[0]).toBe(4);
    expect(point.length).toBe(65);
    const kdc = createECDH('prime256v1');
    kdc.generateKeys();
    const z = await a.sharedSecret(new Uint8Array(kdc.getPublicKey()));
    expect(toHex(z)).toBe(toHex(new Uint8Array(kdc.computeSecret(Buffer.from(point)))));
    expect(z.length).toBe(32);
  });

  it('a KDC value that is not a P-256 point is a ProtocolError', async () => {
    const a = await ecdhP256Agreement();
    await expect(a.sharedSecret(Uint8Array.of(4, 1, 2, 3))).rejects.toBeInstanceOf(ProtocolError);
  });
});

describe('finite-field DH agreement', () => {
  it('parses the KDC INTEGER and refuses anything else', async () => {
    const a = dhAgreement(dhKeyPair(MODP_GROUP_14, counterRandom(11)));
    expect(a.name).toBe('modp2048');
    await expect(a.sharedSecret(Uint8Array.of(0x04, 0x01, 0x00))).rejects.toBeInstanceOf(ProtocolError);
    // INTEGER 1: in range for DER but not a group element.
    await expect(a.sharedSecret(Uint8Array.of(0x02, 0x01, 0x01))).rejects.toBeInstanceOf(CryptoError);
  });
});
