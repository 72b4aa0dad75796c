/** KerberosFlags as named booleans: RFC bit numbers, all names on decode, unnamed bits kept. */
import { describe, expect, it } from 'vitest';
import {
  ApOptionBit,
  bitsToFlags,
  decodeApReq,
  FastOptionBit,
  flagsToBits,
  KdcOptionBit,
  PacOptionBit,
  S4uOptionBit,
  TicketFlagBit,
} from '../../src/asn1/index.js';
import { fromHex } from '../../src/util/bytes.js';

describe('bit numbers from the specs', () => {
  it.each([
    [
      'KDCOptions',
      KdcOptionBit,
      {
        forwardable: 1,
        forwarded: 2,
        proxiable: 3,
        proxy: 4,
        allowPostdate: 5,
        postdated: 6,
        renewable: 8,
        optHardwareAuth: 11,
        cnameInAddlTkt: 14,
        canonicalize: 15,
        requestAnonymous: 16,
        disableTransitedCheck: 26,
        renewableOk: 27,
        encTktInSkey: 28,
        renew: 30,
        validate: 31,
      },
    ],
    [
      'TicketFlags',
      TicketFlagBit,
      {
        forwardable: 1,
        forwarded: 2,
        proxiable: 3,
        proxy: 4,
        mayPostdate: 5,
        postdated: 6,
        invalid: 7,
        renewable: 8,
        initial: 9,
        preAuthent: 10,
        hwAuthent: 11,
        transitedPolicyChecked: 12,
        okAsDelegate: 13,
        encPaRep: 15,
        anonymous: 16,
      },
    ],
    ['APOptions', ApOptionBit, { useSessionKey: 1, mutualRequired: 2 }],
    ['FastOptions', FastOptionBit, { hideClientNames: 1, kdcFollowReferrals: 16 }],
    [
      'PA-PAC-OPTIONS',
      PacOptionBit,
      { claims: 0, branchAware: 1, forwardToFullDc: 2, resourceBasedConstrainedDelegation: 3 },
    ],
    ['S4U options', S4uOptionBit, { checkLogonHours: 1, signedWithKun27: 2 }],
  ])('%s', (_, table, expected) => {
    expect(table).toEqual(expected);
  });
});

describe('conversion', () => {
  it('MIT masks: forwardable = 0x40000000, canonicalize = 0x00010000, validate = 0x00000001', () => {
    expect(flagsToBits(KdcOptionBit, { forwardable: true })).toBe(0x40000000);
    expect(flagsToBits(KdcOptionBit, { canonicalize: true })).toBe(0x00010000);
    expect(flagsToBits(KdcOptionBit, { validate: true })).toBe(0x00000001);
    expect(
      flagsToBits(KdcOptionBit, {
        forwardable: true,
        renewable: true,
        canonicalize: true,
        renewableOk: true,
      }),
    ).toBe(0x40810010);
  });

  it('decoding lists every name and keeps unnamed set bits in otherBits', () => {
    const f = bitsToFlags(ApOptionBit, 0xe0000001);
    expect(f).toEqual({ useSessionKey: true, mutualRequired: true, otherBits: 0x80000001 });
    expect(flagsToBits(ApOptionBit, f)).toBe(0xe0000001);
    expect(bitsToFlags(ApOptionBit, 0)).toEqual({ useSessionKey: false, mutualRequired: false });
  });

  it('a KerberosFlags BIT STRING other than 32 bits is rejected', () => {
    // AP-REQ whose ap-options is an 8-bit BIT STRING.
    const hex = '6e123010a003020105a10302010ea20403020080';
    expect(() => decodeApReq(fromHex(hex))).toThrow(/32-bit BIT STRING/);
  });
});
