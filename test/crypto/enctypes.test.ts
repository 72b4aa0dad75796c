import { describe, expect, it } from 'vitest';
import { enctypeProfile } from '../../src/crypto/enctypes.js';
import {
  ciphertextLength,
  EncType,
  enctypeName,
  generateKey,
  isSupportedEnctype,
  supportedEnctypes,
} from '../../src/crypto/index.js';

// RFC 3962 4 / RFC 8009 / RFC 4757 sizes: [etype, name, key bytes, overhead bytes].
const TABLE = [
  [17, 'aes128-cts-hmac-sha1-96', 16, 28],
  [18, 'aes256-cts-hmac-sha1-96', 32, 28],
  [19, 'aes128-cts-hmac-sha256-128', 16, 32],
  [20, 'aes256-cts-hmac-sha384-192', 32, 40],
  [23, 'rc4-hmac', 16, 24],
] as const;

describe('enctype table', () => {
  it.each(TABLE)(
    'etype %i is %s with %i-byte keys and %i bytes of overhead',
    (etype, name, keySize, overhead) => {
      expect(isSupportedEnctype(etype)).toBe(true);
      expect(enctypeName(etype)).toBe(name);
      expect(enctypeProfile(etype).keySize).toBe(keySize);
      expect(generateKey(etype).bytes.length).toBe(keySize);
      expect(ciphertextLength(etype, 10)).toBe(10 + overhead);
    },
  );

  it('lists exactly the EncType constants, strongest first', () => {
    expect(supportedEnctypes().sort()).toEqual(Object.values(EncType).sort());
    expect(supportedEnctypes()[0]).toBe(EncType.AES256_CTS_HMAC_SHA384_192);
  });

  it('knows the names of the enctypes it does not implement', () => {
    expect(isSupportedEnctype(16)).toBe(false);
    expect(enctypeName(16)).toBe('des3-cbc-sha1');
    expect(enctypeName(77)).toBe('enctype-77');
  });
});
