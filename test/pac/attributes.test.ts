import { describe, expect, it } from 'vitest';
import { PacDecodeError } from '../../src/errors.js';
import { decodeAttributesInfo } from '../../src/pac/attributes.js';
import { decodePac } from '../../src/pac/pac.js';
import { fromHex } from '../../src/util/bytes.js';
import { extraLogonInfoBytes } from './helpers.js';

describe('PAC_ATTRIBUTES_INFO (MS-PAC 2.14)', () => {
  it('extra_logon_info: 2 flag bits, PAC_WAS_REQUESTED', () => {
    expect(decodePac(extraLogonInfoBytes).attributesInfo).toEqual({
      flagsLength: 2,
      flags: [1],
      pacWasRequested: true,
      pacWasGivenImplicitly: false,
    });
  });

  it('PAC_WAS_GIVEN_IMPLICITLY', () => {
    expect(decodeAttributesInfo(fromHex('02000000 02000000')).pacWasGivenImplicitly).toBe(true);
  });

  it.each([
    ['flag words missing', '21000000 01000000'],
    ['extra words', '02000000 01000000 00000000'],
    ['2^32-1 flag bits', 'ffffffff 01000000'],
  ])('rejects %s', (_name, hex) => {
    expect(() => decodeAttributesInfo(fromHex(hex))).toThrow(PacDecodeError);
  });
});
