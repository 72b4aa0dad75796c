/** `Negotiate <base64>` header values (RFC 4559 4). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNegotiateHeader, parseNegotiateHeader } from '../../src/gss/spnego-http.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import { checkOf } from './spnego-fixtures.js';

describe('Negotiate header values', () => {
  it('formats and parses a token', () => {
    const token = fromHex('a1073005a0030a0100');
    expect(formatNegotiateHeader(token)).toBe('Negotiate oQcwBaADCgEA');
    expect(toHex(parseNegotiateHeader('Negotiate oQcwBaADCgEA')!)).toBe(toHex(token));
  });

  it('matches the scheme case-insensitively and tolerates surrounding blanks', () => {
    expect(toHex(parseNegotiateHeader('  negotiate \toQcwBaADCgEA ')!)).toBe('a1073005a0030a0100');
  });

  it('a bare `Negotiate` (the first 401 challenge) has no token', () => {
    expect(parseNegotiateHeader('Negotiate')).toBeUndefined();
    expect(parseNegotiateHeader('NEGOTIATE  ')).toBeUndefined();
  });

  it.each([
    ['another scheme', 'NTLM TlRMTVNTUAABAAAA'],
    ['Negotiate glued to the token', 'NegotiateoQcwBaADCgEA'],
    ['two tokens', 'Negotiate oQcw BaADCgEA'],
    ['URL-safe base64', 'Negotiate oQcw-aADCgEA'],
    ['missing padding', 'Negotiate oQcwBaADCgE'],
    ['padding in the middle', 'Negotiate oQ==BaADCgEA'],
  ])('refuses %s: check negotiate-header', (_, value) => {
    expect(checkOf(() => parseNegotiateHeader(value))).toBe('negotiate-header');
  });

  it('round-trips any token', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (b) => {
        expect(toHex(parseNegotiateHeader(formatNegotiateHeader(b))!)).toBe(toHex(b));
      }),
    );
  });
});
