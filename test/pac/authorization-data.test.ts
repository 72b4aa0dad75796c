import { describe, expect, it } from 'vitest';
import {
  AdType,
  type AuthorizationData,
  decodeAuthorizationData,
  decodeEncTicketPart,
  encodeAuthorizationData,
} from '../../src/asn1/index.js';
import { ProtocolError } from '../../src/errors.js';
import { findPac, ticketChecksumData } from '../../src/pac/authorization-data.js';
import { MAX_AD_NESTING } from '../../src/pac/constants.js';
import { decodePac } from '../../src/pac/pac.js';
import { openTicket, savedPacBytes, ticketCases } from './helpers.js';

const ifRelevant = (inner: AuthorizationData): AuthorizationData[number] => ({
  adType: AdType.IF_RELEVANT,
  adData: encodeAuthorizationData(inner),
});
const pacEntry = { adType: AdType.WIN2K_PAC, adData: savedPacBytes };
const other = { adType: 0x99, adData: Uint8Array.of(1, 2, 3) };

describe('finding the PAC (RFC 4120 5.2.6.1, MS-PAC 2.1)', () => {
  it.each(ticketCases)('$name: AD-IF-RELEVANT → AD-WIN2K-PAC', (c) => {
    const { encTicketPart } = openTicket(c);
    const ad = encTicketPart.authorizationData!;
    expect(ad[0]!.adType).toBe(AdType.IF_RELEVANT);
    const inner = decodeAuthorizationData(ad[0]!.adData).find((e) => e.adType === AdType.WIN2K_PAC)!;
    expect(findPac(ad)).toEqual(inner.adData);
  });

  it('finds a PAC at any depth of AD-IF-RELEVANT nesting', () => {
    const ad = [other, ifRelevant([other, ifRelevant([other, pacEntry])])];
    expect(findPac(ad)).toEqual(savedPacBytes);
  });

  it('no PAC: undefined', () => {
    expect(findPac([other, ifRelevant([other])])).toBeUndefined();
  });

  it.each([
    ['a PAC outside AD-IF-RELEVANT', [pacEntry]],
    ['two PACs', [ifRelevant([pacEntry]), ifRelevant([pacEntry])]],
    [
      'nesting deeper than the limit',
      [
        Array.from({ length: MAX_AD_NESTING + 1 }).reduce<AuthorizationData[number]>(
          (e) => ifRelevant([e]),
          pacEntry,
        ),
      ],
    ],
  ])('rejects %s with ProtocolError', (_name, ad) => {
    expect(() => findPac(ad)).toThrow(ProtocolError);
  });
});

describe('ticket signature input (MS-PAC 2.8.3)', () => {
  it.each(ticketCases)('$name: the EncTicketPart with the PAC replaced by one zero byte', (c) => {
    const { encTicketPart } = openTicket(c);
    const recoded = decodeEncTicketPart(ticketChecksumData(encTicketPart));
    const { authorizationData: recodedAd, ...rest } = recoded;
    const { authorizationData: originalAd, ...originalRest } = encTicketPart;
    expect(rest).toEqual(originalRest);
    const inner = decodeAuthorizationData(recodedAd![0]!.adData);
    const originalInner = decodeAuthorizationData(originalAd![0]!.adData);
    expect(inner.map((e) => e.adType)).toEqual(originalInner.map((e) => e.adType));
    for (const [i, e] of inner.entries()) {
      expect(e.adData).toEqual(e.adType === AdType.WIN2K_PAC ? Uint8Array.of(0) : originalInner[i]!.adData);
    }
    expect(recodedAd!.slice(1)).toEqual(originalAd!.slice(1));
  });

  it('a ticket without a PAC has no ticket signature input', () => {
    const { encTicketPart } = openTicket(ticketCases[1]!);
    expect(() => ticketChecksumData({ ...encTicketPart, authorizationData: [other] })).toThrow(ProtocolError);
  });

  it('the decoded PAC is the one the ticket signature was made for', () => {
    const { pacBytes } = openTicket(ticketCases[1]!);
    expect(decodePac(pacBytes).ticketChecksum?.signatureType).toBe(-138);
  });
});
