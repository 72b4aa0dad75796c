import { describe, expect, it } from 'vitest';
import {
  decodeKrbFastReq,
  decodePaFxFastRequest,
  encodeKdcReqBody,
  type KdcReqBody,
  PaDataType,
} from '../../src/asn1/index.js';
import { checksumTypeOf, decrypt, verifyChecksum } from '../../src/crypto/index.js';
import { IntegrityError } from '../../src/errors.js';
import { makeArmoredReq, makePaFxFastRequest } from '../../src/fast/request.js';
import { AES_ETYPES, testKey } from './spec.js';

const body: KdcReqBody = {
  kdcOptions: { canonicalize: true },
  cname: { nameType: 1, nameString: ['fastuser'] },
  realm: 'FAST.TEST',
  sname: { nameType: 2, nameString: ['krbtgt', 'FAST.TEST'] },
  till: new Date(Date.UTC(2026, 10, 23, 20, 0, 0)),
  nonce: 0x1234567,
  etype: [18, 17],
} as KdcReqBody;

const innerPadata = [
  {
    padataType: PaDataType.PAC_REQUEST,
    padataValue: Uint8Array.of(0x30, 0x05, 0xa0, 0x03, 0x01, 0x01, 0xff),
  },
];

describe('PA-FX-FAST-REQUEST (RFC 6113 5.4.2)', () => {
  it.each(AES_ETYPES)(
    'etype %i: req-checksum (usage 50) over the outer body, KrbFastReq encrypted with usage 51',
    (etype) => {
      const armorKey = testKey(etype, 0x33);
      const outerBody = encodeKdcReqBody(body);
      const pa = makePaFxFastRequest({
        armorKey,
        armor: { armorType: 1, armorValue: Uint8Array.of(1, 2, 3) },
        checksummed: outerBody,
        reqBody: body,
        padata: innerPadata,
      });
      expect(pa.padataType).toBe(136);
      const r = decodePaFxFastRequest(pa.padataValue).armoredData;
      expect(r.armor).toEqual({ armorType: 1, armorValue: Uint8Array.of(1, 2, 3) });
      expect(r.reqChecksum.cksumtype).toBe(checksumTypeOf(etype));
      expect(verifyChecksum(r.reqChecksum.cksumtype, armorKey, 50, outerBody, r.reqChecksum.checksum)).toBe(
        true,
      );
      expect(r.encFastReq.etype).toBe(etype);
      const inner = decodeKrbFastReq(decrypt(armorKey, 51, r.encFastReq.cipher));
      expect(inner.padata).toEqual(innerPadata);
      expect(inner.reqBody.nonce).toBe(body.nonce);
      expect(inner.reqBody.cname).toEqual(body.cname);
      expect(inner.fastOptions.hideClientNames).toBe(false);
    },
  );

  it('TGS implicit armor: no armor field; the checksum covers the bytes given (the PA-TGS-REQ AP-REQ)', () => {
    const armorKey = testKey(18, 0x44);
    const apReqBytes = Uint8Array.of(0x6e, 0x03, 1, 2, 3);
    const r = makeArmoredReq({ armorKey, checksummed: apReqBytes, reqBody: body, padata: [] });
    expect(r.armor).toBeUndefined();
    expect(verifyChecksum(r.reqChecksum.cksumtype, armorKey, 50, apReqBytes, r.reqChecksum.checksum)).toBe(
      true,
    );
    expect(
      verifyChecksum(r.reqChecksum.cksumtype, armorKey, 50, encodeKdcReqBody(body), r.reqChecksum.checksum),
    ).toBe(false);
  });

  it('the inner request does not open with another key or usage', () => {
    const armorKey = testKey(18, 0x44);
    const r = makeArmoredReq({ armorKey, checksummed: new Uint8Array(1), reqBody: body, padata: [] });
    expect(() => decrypt(testKey(18, 0x45), 51, r.encFastReq.cipher)).toThrow(IntegrityError);
    expect(() => decrypt(armorKey, 52, r.encFastReq.cipher)).toThrow(IntegrityError);
  });

  it('a fixed confounder gives identical bytes (injectable randomness)', () => {
    const armorKey = testKey(17, 0x55);
    const p = {
      armorKey,
      checksummed: new Uint8Array(4),
      reqBody: body,
      padata: [],
      confounder: new Uint8Array(16).fill(7),
    };
    expect(makePaFxFastRequest(p).padataValue).toEqual(makePaFxFastRequest(p).padataValue);
    expect(makePaFxFastRequest({ ...p, fastOptions: { hideClientNames: true } }).padataValue).not.toEqual(
      makePaFxFastRequest(p).padataValue,
    );
  });
});
