/** Protocol numbers against the values printed in RFC 4120 7.5, MS-KILE, MS-SFU, RFC 6113/6806/8070. */
import { describe, expect, it } from 'vitest';
import {
  AdType,
  ErrorCode,
  errorCodeName,
  MessageType,
  NameType,
  PaDataType,
  paDataTypeName,
} from '../../src/asn1/index.js';

describe('numbers', () => {
  it.each([
    ['TGS_REQ', 1],
    ['ENC_TIMESTAMP', 2],
    ['PW_SALT', 3],
    ['ETYPE_INFO', 11],
    ['PK_AS_REQ', 16],
    ['PK_AS_REP', 17],
    ['ETYPE_INFO2', 19],
    ['PAC_REQUEST', 128],
    ['FOR_USER', 129],
    ['S4U_X509_USER', 130],
    ['FX_COOKIE', 133],
    ['FX_FAST', 136],
    ['FX_ERROR', 137],
    ['ENCRYPTED_CHALLENGE', 138],
    ['REQ_ENC_PA_REP', 149],
    ['AS_FRESHNESS', 150],
    ['KERB_KEY_LIST_REQ', 161],
    ['KERB_KEY_LIST_REP', 162],
    ['SUPPORTED_ETYPES', 165],
    ['PAC_OPTIONS', 167],
  ] as const)('PaDataType.%s = %i', (name, n) => {
    expect(PaDataType[name]).toBe(n);
  });

  it.each([
    ['IF_RELEVANT', 1],
    ['KDC_ISSUED', 4],
    ['AND_OR', 5],
    ['MANDATORY_FOR_KDC', 8],
    ['WIN2K_PAC', 128],
    ['RESTRICTIONS', 141],
  ] as const)('AdType.%s = %i', (name, n) => {
    expect(AdType[name]).toBe(n);
  });

  it('message and name types', () => {
    expect([MessageType.AS_REQ, MessageType.TGS_REP, MessageType.AP_REQ, MessageType.KRB_ERROR]).toEqual([
      10, 13, 14, 30,
    ]);
    expect([
      NameType.NT_PRINCIPAL,
      NameType.NT_SRV_INST,
      NameType.NT_ENTERPRISE,
      NameType.NT_WELLKNOWN,
    ]).toEqual([1, 2, 10, 11]);
  });
});

describe('error codes (RFC 4120 7.5.9)', () => {
  it('has every code 0..29, 31..42, 44..52, 60..76 of RFC 4120', () => {
    const expected = [
      ...Array.from({ length: 30 }, (_, i) => i),
      ...Array.from({ length: 12 }, (_, i) => 31 + i),
      ...Array.from({ length: 9 }, (_, i) => 44 + i),
      ...Array.from({ length: 17 }, (_, i) => 60 + i),
    ];
    const values = new Set<number>(Object.values(ErrorCode));
    expect(expected.filter((c) => !values.has(c))).toEqual([]);
  });

  it.each([
    [13, 'KDC_ERR_BADOPTION'],
    [25, 'KDC_ERR_PREAUTH_REQUIRED'],
    [37, 'KRB_AP_ERR_SKEW'],
    [52, 'KRB_ERR_RESPONSE_TOO_BIG'],
    [68, 'KDC_ERR_WRONG_REALM'],
    [93, 'KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS'],
    [999, 'UNKNOWN_ERROR_999'],
  ])('errorCodeName(%i) = %s', (code, name) => {
    expect(errorCodeName(code)).toBe(name);
  });

  it('paDataTypeName', () => {
    expect(paDataTypeName(19)).toBe('PA-ETYPE-INFO2');
    expect(paDataTypeName(161)).toBe('KERB-KEY-LIST-REQ');
    expect(paDataTypeName(4242)).toBe('PA-DATA-4242');
  });
});
