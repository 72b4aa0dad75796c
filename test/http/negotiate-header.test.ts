/** WWW-Authenticate challenges (RFC 9110 11.6.1) and the Negotiate token in both headers (RFC 4559 4). */
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors.js';
import { negotiateChallengeOf, negotiateTokenOf, parseChallenges } from '../../src/http/negotiate-header.js';
import { toBase64 } from '../../src/util/bytes.js';

const TOKEN = new Uint8Array([0x60, 0x81, 0x00, 0xff, 0x10, 0x20]);
const B64 = toBase64(TOKEN);

describe('parseChallenges', () => {
  it('reads a bare Negotiate challenge (RFC 4559 5: the first 401 carries no token)', () => {
    expect(parseChallenges('Negotiate')).toEqual([{ scheme: 'Negotiate', token68: undefined, params: {} }]);
  });

  it('reads a token68 with padding', () => {
    expect(parseChallenges('Negotiate oYG3MIG0oAMKAQA=')).toEqual([
      { scheme: 'Negotiate', token68: 'oYG3MIG0oAMKAQA=', params: {} },
    ]);
  });

  it('reads several challenges in one value, quoted params with commas included', () => {
    const got = parseChallenges('Basic realm="a, b", charset="UTF-8", Negotiate, NTLM');
    expect(got.map((c) => c.scheme)).toEqual(['Basic', 'Negotiate', 'NTLM']);
    expect(got[0]!.params).toEqual({ realm: 'a, b', charset: 'UTF-8' });
  });

  it('reads repeated headers (an array, or joined by fetch with ", ")', () => {
    expect(parseChallenges(['Negotiate', 'Basic realm="x"']).map((c) => c.scheme)).toEqual([
      'Negotiate',
      'Basic',
    ]);
    expect(parseChallenges(`Negotiate ${B64}, Basic realm=x`).map((c) => [c.scheme, c.token68])).toEqual([
      ['Negotiate', B64],
      ['Basic', undefined],
    ]);
  });

  it('tells a token68 ending in = from an auth-param', () => {
    expect(parseChallenges('Negotiate abc=')[0]!.token68).toBe('abc=');
    expect(parseChallenges('Custom abc=def')[0]!.params).toEqual({ abc: 'def' });
  });

  it('handles escapes in quoted strings and odd spacing', () => {
    expect(parseChallenges('  Digest  realm = "a\\"b" ,  nonce=1')[0]!.params).toEqual({
      realm: 'a"b',
      nonce: '1',
    });
  });

  it('returns nothing for an absent header', () => {
    expect(parseChallenges(null)).toEqual([]);
    expect(parseChallenges(undefined)).toEqual([]);
    expect(parseChallenges('')).toEqual([]);
  });
});

describe('negotiateChallengeOf', () => {
  it('finds Negotiate among other schemes, case-insensitively, and decodes its token', () => {
    expect(negotiateChallengeOf('Basic realm="x", negotiate')).toEqual({ offered: true });
    const c = negotiateChallengeOf(`Basic realm="x", NEGOTIATE ${B64}`);
    expect(c.offered).toBe(true);
    expect(c.token).toEqual(TOKEN);
  });

  it('says not offered when only other schemes are', () => {
    expect(negotiateChallengeOf('Basic realm="x", NTLM')).toEqual({ offered: false });
    expect(negotiateChallengeOf(null)).toEqual({ offered: false });
  });

  it('refuses a token that is not base64', () => {
    expect(() => negotiateChallengeOf('Negotiate a*b')).toThrow(ProtocolError);
  });
});

describe('negotiateTokenOf (Authorization)', () => {
  it('decodes Negotiate <base64>, any case', () => {
    expect(negotiateTokenOf(`Negotiate ${B64}`)).toEqual(TOKEN);
    expect(negotiateTokenOf(`negotiate ${B64}`)).toEqual(TOKEN);
  });

  it('ignores other schemes and absent headers', () => {
    expect(negotiateTokenOf(undefined)).toBeUndefined();
    expect(negotiateTokenOf('Basic YWxpY2U6cHc=')).toBeUndefined();
    expect(negotiateTokenOf('NegotiateX abc')).toBeUndefined();
  });

  it('refuses Negotiate without a token, or with a bad one, naming the check', () => {
    expect(() => negotiateTokenOf('Negotiate')).toThrow(expect.objectContaining({ check: 'authorization' }));
    expect(() => negotiateTokenOf('Negotiate !!!')).toThrow(ProtocolError);
  });
});
