import { describe, expect, it } from 'vitest';
import { PacDecodeError } from '../../src/errors.js';
import { decodeClaimsInfo } from '../../src/pac/claims.js';
import { ClaimsCompressionFormat, ClaimsSourceType, ClaimType } from '../../src/pac/constants.js';
import { decodePac } from '../../src/pac/pac.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import { extraLogonInfoBytes, gokrb5 } from './helpers.js';

const ID_STR = 'ad://ext/sAMAccountName:88d5d9085ea5c0c0';
const ID_INT64 = 'ad://ext/msDS-SupportedE:88d5dea8f1af5f19';

// Expected values as gokrb5's client_claims_test.go states them for these Windows-issued buffers.
const cases = [
  ['clientClaimsStr', [{ id: ID_STR, type: ClaimType.String, values: ['testuser1'] }]],
  ['clientClaimsInt', [{ id: ID_INT64, type: ClaimType.Int64, values: [28n] }]],
  [
    'clientClaimsMulti',
    [
      { id: ID_INT64, type: ClaimType.Int64, values: [28n] },
      { id: ID_STR, type: ClaimType.String, values: ['testuser1'] },
    ],
  ],
  [
    'clientClaimsMultiUint',
    [
      {
        id: 'ad://ext/objectClass:88d5de791e7b27e6',
        type: ClaimType.Uint64,
        values: [655369n, 65543n, 65542n, 65536n],
      },
    ],
  ],
  [
    'clientClaimsMultiStr',
    [
      {
        id: 'ad://ext/otherIpPhone:88d5de9f6b4af985',
        type: ClaimType.String,
        values: ['str1', 'str2', 'str3', 'str4'],
      },
    ],
  ],
] as const;

describe('CLAIMS_SET_METADATA and CLAIMS_SET (MS-PAC 2.11, MS-ADTS 2.2.18)', () => {
  it.each(cases)('%s (gokrb5, Windows AD)', (name, entries) => {
    const meta = decodeClaimsInfo(fromHex(gokrb5[name]!))!;
    expect(meta.compressionFormat).toBe(ClaimsCompressionFormat.None);
    expect(meta.uncompressedClaimsSetSize).toBe(meta.claimsSetBytes.length);
    expect(meta.claimsSet?.claimsArrays).toEqual([
      { claimsSourceType: ClaimsSourceType.Ad, claimEntries: entries },
    ]);
  });

  it('a compressed claims set is reported with its format, kept as bytes and decoded (XPRESS_HUFF)', () => {
    const meta = decodeClaimsInfo(fromHex(gokrb5.clientClaimsXpressHuff!))!;
    expect(meta.compressionFormat).toBe(ClaimsCompressionFormat.XpressHuff);
    expect(meta.uncompressedClaimsSetSize).toBe(0x1e0);
    expect(meta.claimsSetBytes.length).toBe(0x1a8);
    expect(meta.claimsSet?.claimsArrays[0]?.claimEntries.map((e) => e.id)).toEqual([
      'ad://ext/objectClass:88d5de791e7b27e6',
      'ad://ext/sAMAccountName:88d5d9085ea5c0c0',
      'ad://ext/sAMAccountType:88d5de79a7ecf8c7',
    ]);
  });

  it('an empty claims buffer (Samba without claims) decodes to null', () => {
    expect(decodePac(extraLogonInfoBytes).clientClaims).toBeNull();
  });

  it('rejects a union discriminant that differs from the claim type', () => {
    const bytes = fromHex(gokrb5.clientClaimsInt!);
    // CLAIM_ENTRY of the inner set: Id pointer 0c000200, Type 0100, discriminant 0100.
    const hex = toHex(bytes);
    const at = hex.indexOf('0c00020001000100') / 2 + 6;
    bytes[at] = 3;
    expect(() => decodeClaimsInfo(bytes)).toThrow(/discriminant 3 for type 1/);
  });

  it('rejects an uncompressed set whose two sizes disagree', () => {
    const bytes = fromHex(gokrb5.clientClaimsStr!);
    // ulUncompressedClaimsSetSize follows ulClaimsSetSize, the ClaimsSet pointer and the 2+2 format.
    new DataView(bytes.buffer).setUint32(32, 0xd0, true);
    expect(() => decodeClaimsInfo(bytes)).toThrow(PacDecodeError);
  });
});
