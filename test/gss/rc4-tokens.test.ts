// RFC 4757 7.2/7.3 token layout and checks (byte-exact agreement with MIT is in mit-vectors.test.ts).
import { describe, expect, it } from 'vitest';
import { rc4GetMic, rc4Unwrap, rc4VerifyMic, rc4Wrap } from '../../src/gss/rc4-tokens.js';
import { toHex, utf8 } from '../../src/util/bytes.js';
import { seededRandom, serviceKey } from './fixtures.js';
import { checkOf } from './spnego-fixtures.js';

const key = serviceKey(23);
const random = seededRandom(4);

describe('RFC 4757 tokens', () => {
  it('MIC: framed, TOK_ID 01 01, SGN_ALG 11 00, filler ff ff ff ff, 8+8 bytes', () => {
    const t = rc4GetMic(key, false, 5, utf8('m'));
    expect(toHex(t.subarray(0, 21))).toBe('602306092a864886f712010202' + '0101' + '1100' + 'ffffffff');
    expect(t.length).toBe(37);
    expect(rc4VerifyMic(key, true, utf8('m'), t)).toBe(5);
    expect(checkOf(() => rc4VerifyMic(key, false, utf8('m'), t))).toBe('direction');
    expect(checkOf(() => rc4VerifyMic(key, true, utf8('n'), t))).toBe('integrity');
  });

  it('Wrap: SEAL_ALG 10 00 sealed, ff ff in the clear, one byte of padding', () => {
    const sealed = rc4Wrap(key, true, 0xfffffffe, utf8('hi'), { conf: true, random });
    expect(toHex(sealed.subarray(13, 21))).toBe('0201' + '1100' + '1000' + 'ffff');
    expect(rc4Unwrap(key, false, sealed)).toEqual({ message: utf8('hi'), conf: true, seq: 0xfffffffe });
    const clear = rc4Wrap(key, true, 1, utf8('hi'), { conf: false, random });
    expect(toHex(clear.subarray(17, 19))).toBe('ffff');
    expect(clear.subarray(clear.length - 3)).toEqual(Uint8Array.of(0x68, 0x69, 1));
    expect(rc4Unwrap(key, false, clear)).toEqual({ message: utf8('hi'), conf: false, seq: 1 });
  });

  it('refuses an unknown SEAL_ALG or SGN_ALG, a reflected token, tampering', () => {
    const t = rc4Wrap(key, true, 3, utf8('hi'), { conf: true, random });
    const seal = t.slice();
    seal[17] = 0x20;
    expect(checkOf(() => rc4Unwrap(key, false, seal))).toBe('seal-alg');
    const sgn = t.slice();
    sgn[15] = 0x12;
    expect(checkOf(() => rc4Unwrap(key, false, sgn))).toBe('sgn-alg');
    expect(checkOf(() => rc4Unwrap(key, true, t))).toBe('direction');
    const body = t.slice();
    body[body.length - 1]! ^= 0x80;
    expect(checkOf(() => rc4Unwrap(key, false, body))).toBe('integrity');
  });
});
