import { describe, expect, it } from 'vitest';
import { type EncKdcRepPart, encodePaReqEncPaRep, PaDataType } from '../../src/asn1/index.js';
import { checksumTypeOf, makeChecksum } from '../../src/crypto/index.js';
import { IntegrityError } from '../../src/errors.js';
import { makePaReqEncPaRep, verifyProtectedNegotiation } from '../../src/fast/negotiation.js';
import { testKey } from './spec.js';

const replyKey = testKey(18, 0x77);
const request = Uint8Array.from({ length: 50 }, (_, i) => i);

function encPart(encPaRep: boolean, padata: EncKdcRepPart['encryptedPaData']): EncKdcRepPart {
  return { flags: { encPaRep }, ...(padata ? { encryptedPaData: padata } : {}) } as EncKdcRepPart;
}

function checksumPa(bytes: Uint8Array, usage = 56) {
  const t = checksumTypeOf(18);
  return {
    padataType: PaDataType.REQ_ENC_PA_REP,
    padataValue: encodePaReqEncPaRep({ cksumtype: t, checksum: makeChecksum(t, replyKey, usage, bytes) }),
  };
}

describe('protected negotiation (RFC 6806 11)', () => {
  it('PA-REQ-ENC-PA-REP in the request is type 149 with an empty value', () => {
    expect(makePaReqEncPaRep()).toEqual({ padataType: 149, padataValue: new Uint8Array(0) });
  });

  it('a checksum over the AS-REQ as sent (usage 56) verifies; PA-FX-FAST beside it says the KDC speaks FAST', () => {
    const fx = { padataType: PaDataType.FX_FAST, padataValue: new Uint8Array(0) };
    expect(verifyProtectedNegotiation(encPart(true, [checksumPa(request), fx]), request, replyKey)).toEqual({
      verified: true,
      kdcSupportsFast: true,
    });
  });

  it.each([
    ['no checksum although enc-pa-rep is set', () => encPart(true, [])],
    ['a checksum over other bytes', () => encPart(true, [checksumPa(request.slice(1))])],
    ['a checksum with another usage', () => encPart(true, [checksumPa(request, 3)])],
  ])('refuses %s', (_n, make) => {
    expect(() => verifyProtectedNegotiation(make(), request, replyKey)).toThrow(IntegrityError);
  });

  it('without enc-pa-rep nothing is verified (a KDC without RFC 6806)', () => {
    expect(verifyProtectedNegotiation(encPart(false, undefined), request, replyKey)).toEqual({
      verified: false,
      kdcSupportsFast: false,
    });
  });
});
