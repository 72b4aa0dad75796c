import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacDecodeError } from '../../src/errors.js';
import { AssertedIdentitySid, decodeSid, encodeSid, sidName } from '../../src/pac/sid.js';
import { fromHex } from '../../src/util/bytes.js';

describe('SID binary and string forms (MS-DTYP 2.4.2)', () => {
  it.each([
    ['S-1-5-11', '0101000000000005 0b000000'],
    ['S-1-18-2', '0101000000000012 02000000'],
    ['S-1-5-32-544', '0102000000000005 20000000 20020000'],
    ['S-1-5-21-3048156945-3961193616-3706469200', '0104000000000005 15000000 112fafb5 90041bec 503becdc'],
    ['S-1-0x123456789ABC-1', '0101123456789abc 01000000'],
  ])('%s', (sid, hex) => {
    const bytes = fromHex(hex);
    expect(decodeSid(bytes)).toBe(sid);
    expect(encodeSid(sid)).toEqual(bytes);
  });

  it('string form round-trips through the binary form', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }),
        fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 15 }),
        (authority, subs) => {
          const bytes = Uint8Array.of(
            1,
            subs.length,
            ...new Uint8Array(6),
            ...new Uint8Array(4 * subs.length),
          );
          for (let i = 0; i < 6; i++) bytes[2 + i] = Number((authority >> BigInt(8 * (5 - i))) & 0xffn);
          for (const [i, s] of subs.entries()) new DataView(bytes.buffer).setUint32(8 + 4 * i, s, true);
          expect(encodeSid(decodeSid(bytes))).toEqual(bytes);
        },
      ),
    );
  });

  it.each([
    ['revision 2', '0201000000000005 0b000000'],
    ['16 sub-authorities', `0110000000000005${'00000000'.repeat(16)}`],
    ['a length that does not match the count', '0102000000000005 0b000000'],
    ['fewer than 8 bytes', '01010000'],
  ])('rejects %s', (_name, hex) => {
    expect(() => decodeSid(fromHex(hex))).toThrow(PacDecodeError);
  });

  it.each(['S-1', 'S-2-5-11', 'S-1-5-x', 'S-1-5-4294967296', 's-1-5-11'])('encodeSid rejects %s', (s) => {
    expect(() => encodeSid(s)).toThrow(PacDecodeError);
  });
});

describe('well-known SIDs and domain RIDs', () => {
  it.each([
    [AssertedIdentitySid.AuthenticationAuthority, 'Authentication Authority Asserted Identity'],
    [AssertedIdentitySid.Service, 'Service Asserted Identity'],
    ['S-1-5-11', 'Authenticated Users'],
    ['S-1-5-32-544', 'Administrators'],
    ['S-1-5-32-545', 'Users'],
    ['S-1-5-21-1-2-3-512', 'Domain Admins'],
    ['S-1-5-21-1-2-3-513', 'Domain Users'],
    ['S-1-5-21-1-2-3-519', 'Enterprise Admins'],
    ['S-1-5-21-0-0-0-497', 'Claims Valid'],
    ['S-1-5-21-1-2-3-1104', undefined],
    ['S-1-5-21-1-2-513', undefined],
    ['S-1-5-32-999', undefined],
  ])('%s → %s', (sid, name) => {
    expect(sidName(sid)).toBe(name);
  });
});
