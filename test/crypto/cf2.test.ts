import { describe, expect, it } from 'vitest';
import { cf2, Key, prfPlus, stringToKey } from '../../src/crypto/index.js';
import { toHex, utf8 } from '../../src/util/bytes.js';
import cf2Vectors from '../vectors/cf2.json' with { type: 'json' };
import { BACKENDS, supportedRows, useBackend } from './vectors.js';

describe.each(BACKENDS)('KRB-FX-CF2 (RFC 6113 5.1, MIT t_cf2), %s backend', (name) => {
  useBackend(name);

  it.each(supportedRows(cf2Vectors))('etype $enctype, peppers "$pepper1" / "$pepper2"', (v) => {
    const k1 = stringToKey(v.enctype, v.key1.password, v.key1.salt);
    const k2 = stringToKey(v.enctype, v.key2.password, v.key2.salt);
    const out = cf2(k1, k2, v.pepper1, v.pepper2);
    expect(out.etype).toBe(v.enctype);
    expect(out.toHex()).toBe(v.output);
    expect(cf2(k1, k2, utf8(v.pepper1), utf8(v.pepper2)).toHex()).toBe(v.output);
  });

  it('PRF+ concatenates counter-prefixed PRF outputs and truncates', () => {
    const key = new Key(17, new Uint8Array(16).fill(1));
    const long = prfPlus(key, utf8('p'), 40);
    expect(long.length).toBe(40);
    expect(toHex(prfPlus(key, utf8('p'), 16))).toBe(toHex(long.subarray(0, 16)));
  });
});
