/** padata-type / ad-type registries and Kerberos message dispatch, over the reference encodings. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeAdValue,
  decodeKerberosMessage,
  decodePaValue,
  encodePaFxFastRequest,
  PaDataType,
} from '../../src/asn1/index.js';
import { Asn1DecodeError } from '../../src/errors.js';
import { fromHex } from '../../src/util/bytes.js';
import { jsonToValue, SCHEMAS } from './reference-schema.js';

interface Row {
  mitName: string;
  der: string;
  asn1Type?: string;
  value?: unknown;
}
const rows: Row[] = JSON.parse(
  readFileSync(new URL('../vectors/asn1-reference.json', import.meta.url), 'utf8'),
);
const row = (mitName: string): Row => rows.find((r) => r.mitName === mitName)!;
const der = (mitName: string): Uint8Array => fromHex(row(mitName).der);
const expected = (mitName: string): unknown => {
  const r = row(mitName);
  return jsonToValue(SCHEMAS[r.asn1Type!]!, r.value);
};

describe('decodePaValue', () => {
  it.each([
    [PaDataType.FOR_USER, 'PA-FOR-USER', 'encode_krb5_pa_for_user'],
    [PaDataType.S4U_X509_USER, 'PA-S4U-X509-USER', 'encode_krb5_pa_s4u_x509_user'],
    [PaDataType.ETYPE_INFO2, 'PA-ETYPE-INFO2', 'encode_krb5_etype_info2'],
    [PaDataType.ETYPE_INFO, 'PA-ETYPE-INFO', 'encode_krb5_etype_info'],
    [PaDataType.ENC_TIMESTAMP, 'PA-ENC-TIMESTAMP', 'encode_krb5_enc_data'],
    [PaDataType.ENCRYPTED_CHALLENGE, 'PA-ENCRYPTED-CHALLENGE', 'encode_krb5_enc_data'],
    [PaDataType.TGS_REQ, 'PA-TGS-REQ', 'encode_krb5_ap_req'],
    [PaDataType.FX_ERROR, 'PA-FX-ERROR', 'encode_krb5_error'],
    [PaDataType.FX_FAST, 'PA-FX-FAST-REPLY', 'encode_krb5_pa_fx_fast_reply'],
  ])('type %i decodes as %s', (type, name, mitName) => {
    expect(decodePaValue(type, der(mitName))).toEqual({ padataType: type, name, value: expected(mitName) });
  });

  it('PA-FX-FAST in a request is a PA-FX-FAST-REQUEST', () => {
    const v = {
      armoredData: {
        reqChecksum: { cksumtype: 16, checksum: new Uint8Array(12) },
        encFastReq: { etype: 18, cipher: new Uint8Array(40) },
      },
    };
    const got = decodePaValue(PaDataType.FX_FAST, encodePaFxFastRequest(v), { direction: 'request' });
    expect(got).toEqual({ padataType: 136, name: 'PA-FX-FAST-REQUEST', value: v });
  });

  it('PA-SUPPORTED-ENCTYPES and PA-PAC-REQUEST', () => {
    expect(decodePaValue(165, fromHex('1f000000')).value).toBe(0x1f);
    expect(decodePaValue(128, fromHex('3005a0030101ff'))).toEqual({
      padataType: 128,
      name: 'PA-PAC-REQUEST',
      value: { includePac: true },
    });
  });

  it('empty values (METHOD-DATA hints) and unknown types', () => {
    expect(decodePaValue(PaDataType.ENC_TIMESTAMP, new Uint8Array(0))).toEqual({
      padataType: 2,
      name: 'empty',
      value: new Uint8Array(0),
    });
    expect(decodePaValue(4242, fromHex('0102'))).toEqual({
      padataType: 4242,
      name: 'unknown',
      value: fromHex('0102'),
    });
    expect(decodePaValue(PaDataType.FX_COOKIE, fromHex('0102'))).toEqual({
      padataType: 133,
      name: 'PA-FX-COOKIE',
      value: fromHex('0102'),
    });
  });

  it('a malformed value of a registered type is an Asn1DecodeError naming the type', () => {
    expect(() => decodePaValue(PaDataType.ETYPE_INFO2, fromHex('3000'))).toThrow(
      expect.objectContaining({ path: 'ETYPE-INFO2' }),
    );
  });
});

describe('decodeAdValue', () => {
  it('AD-KDCIssued, AD-IF-RELEVANT, AD-WIN2K-PAC raw, unknown', () => {
    expect(decodeAdValue(4, der('encode_krb5_ad_kdcissued'))).toEqual({
      adType: 4,
      name: 'AD-KDCIssued',
      value: expected('encode_krb5_ad_kdcissued'),
    });
    expect(decodeAdValue(1, der('encode_krb5_authorization_data'))).toEqual({
      adType: 1,
      name: 'AD-IF-RELEVANT',
      value: expected('encode_krb5_authorization_data'),
    });
    expect(decodeAdValue(128, fromHex('0400'))).toEqual({
      adType: 128,
      name: 'AD-WIN2K-PAC',
      value: fromHex('0400'),
    });
    expect(decodeAdValue(77, fromHex('00'))).toEqual({ adType: 77, name: 'unknown', value: fromHex('00') });
  });

  it('AD-ETYPE-NEGOTIATION is a SEQUENCE OF Int32 (RFC 4537)', () => {
    expect(decodeAdValue(129, fromHex('3006020112020111')).value).toEqual([18, 17]);
  });
});

describe('decodeKerberosMessage', () => {
  it.each([
    ['AS-REQ', 'encode_krb5_as_req'],
    ['TGS-REQ', 'encode_krb5_tgs_req'],
    ['AS-REP', 'encode_krb5_as_rep'],
    ['TGS-REP', 'encode_krb5_tgs_rep'],
    ['AP-REQ', 'encode_krb5_ap_req'],
    ['AP-REP', 'encode_krb5_ap_rep'],
    ['KRB-SAFE', 'encode_krb5_safe'],
    ['KRB-PRIV', 'encode_krb5_priv'],
    ['KRB-CRED', 'encode_krb5_cred'],
    ['KRB-ERROR', 'encode_krb5_error'],
  ])('%s', (type, mitName) => {
    expect(decodeKerberosMessage(der(mitName))).toEqual({ type, value: expected(mitName) });
  });

  it('rejects a Ticket, a bare SEQUENCE and empty input', () => {
    expect(() => decodeKerberosMessage(der('encode_krb5_ticket'))).toThrow(Asn1DecodeError);
    expect(() => decodeKerberosMessage(fromHex('3000'))).toThrow(/not a Kerberos message/);
    expect(() => decodeKerberosMessage(new Uint8Array(0))).toThrow(/empty input/);
  });
});
