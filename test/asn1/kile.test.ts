/** MS-KILE values that are not plain DER round trips: PA-SUPPORTED-ENCTYPES is 4 little-endian octets. */
import { describe, expect, it } from 'vitest';
import {
  decodeKerbAdRestrictions,
  decodePaPacOptions,
  decodePaSupportedEnctypes,
  encodePaPacOptions,
  encodePaSupportedEnctypes,
} from '../../src/asn1/index.js';
import { Asn1DecodeError } from '../../src/errors.js';
import { fromHex, toHex } from '../../src/util/bytes.js';

describe('PA-SUPPORTED-ENCTYPES (MS-KILE 2.2.8, as Windows and Samba send it)', () => {
  it('0x1C (the MS-KILE default: RC4, AES128, AES256) is 1c000000', () => {
    expect(toHex(encodePaSupportedEnctypes(0x1c))).toBe('1c000000');
    expect(decodePaSupportedEnctypes(fromHex('1c000000'))).toBe(0x1c);
    expect(decodePaSupportedEnctypes(fromHex('ffffffff'))).toBe(0xffffffff);
  });

  it('rejects any other length', () => {
    expect(() => decodePaSupportedEnctypes(fromHex('1c0000'))).toThrow(Asn1DecodeError);
    expect(() => decodePaSupportedEnctypes(fromHex('02011c'))).toThrow(Asn1DecodeError);
  });
});

describe('PA-PAC-OPTIONS (MS-KILE 2.2.10)', () => {
  it('resource-based constrained delegation is bit 3 (0x10000000)', () => {
    const b = encodePaPacOptions({ flags: { resourceBasedConstrainedDelegation: true } });
    expect(toHex(b)).toBe('3009a00703050010000000');
    expect(decodePaPacOptions(b).flags).toEqual({
      claims: false,
      branchAware: false,
      forwardToFullDc: false,
      resourceBasedConstrainedDelegation: true,
    });
  });
});

describe('KERB-AD-RESTRICTION-ENTRY (ad-type 141)', () => {
  it('reads the SEQUENCE OF form Windows sends, with a 40-byte LSAP_TOKEN_INFO_INTEGRITY', () => {
    const integrity = `00000000${'00200000'}${'ab'.repeat(32)}`;
    const entry = `3031a003020100a12a0428${integrity}`;
    const hex = `3033${entry}`;
    expect(decodeKerbAdRestrictions(fromHex(hex))).toEqual([
      { restrictionType: 0, restriction: fromHex(integrity) },
    ]);
  });
});
