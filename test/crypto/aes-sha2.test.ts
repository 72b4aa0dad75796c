import { describe, expect, it } from 'vitest';
import { kdfHmacSha2 } from '../../src/crypto/aes-sha2.js';
import { DeriveTag } from '../../src/crypto/constants.js';
import {
  checksumTypeOf,
  encrypt,
  hmac,
  Key,
  makeChecksum,
  prf,
  stringToKey,
} from '../../src/crypto/index.js';
import { usageConstant } from '../../src/crypto/rfc3961.js';
import { usageSlot } from '../../src/crypto/slots.js';
import { fromHex, toHex } from '../../src/util/bytes.js';
import deriveVectors from '../vectors/derive.json' with { type: 'json' };
import rfc8009 from '../vectors/rfc8009.json' with { type: 'json' };
import { BACKENDS, useBackend } from './vectors.js';

type Row = (typeof rfc8009)[number];
const of = (test: string) => rfc8009.filter((v) => v.test === test) as Row[];
const hashOf = (etype: number) => (etype === 19 ? 'sha256' : 'sha384');
const field = (v: Row, k: string): string => {
  const x = (v as Record<string, unknown>)[k];
  if (typeof x !== 'string') throw new Error(`vector lacks ${k}`);
  return x;
};

describe.each(BACKENDS)('aes-cts-hmac-sha2 (RFC 8009 A), %s backend', (name) => {
  useBackend(name);

  it.each(of('string-to-key'))('string-to-key etype $enctype (32768 iterations)', (v) => {
    const key = stringToKey(v.enctype, fromHex(field(v, 'passwordHex')), fromHex(field(v, 'salt')));
    expect(key.toHex()).toBe(field(v, 'key'));
  });

  it.each(of('key-derivation'))('Kc, Ke, Ki for etype $enctype usage $usage', (v) => {
    const base = fromHex(field(v, 'baseKey'));
    const h = hashOf(v.enctype);
    const macBits = v.enctype === 19 ? 128 : 192;
    const none = new Uint8Array(0);
    expect(toHex(kdfHmacSha2(h, base, fromHex(field(v, 'KcConstant')), none, macBits))).toBe(field(v, 'Kc'));
    expect(toHex(kdfHmacSha2(h, base, fromHex(field(v, 'KeConstant')), none, base.length * 8))).toBe(
      field(v, 'Ke'),
    );
    expect(toHex(kdfHmacSha2(h, base, fromHex(field(v, 'KiConstant')), none, macBits))).toBe(field(v, 'Ki'));
  });

  it.each(of('key-derivation'))(
    'a Key derives the same Kc, Ke, Ki (cached KDF inputs), etype $enctype',
    (v) => {
      const key = new Key(v.enctype, fromHex(field(v, 'baseKey')));
      const usage = v.usage ?? 2;
      encrypt(key, usage, new Uint8Array(5));
      makeChecksum(checksumTypeOf(v.enctype), key, usage, new Uint8Array(5));
      const kept = (tag: number) =>
        toHex(
          key.derived(usageSlot(usage, tag), () => {
            throw new Error('not derived');
          }),
        );
      expect(kept(DeriveTag.Checksum)).toBe(field(v, 'Kc'));
      expect(kept(DeriveTag.Encryption)).toBe(field(v, 'Ke'));
      expect(kept(DeriveTag.Integrity)).toBe(field(v, 'Ki'));
    },
  );

  it.each([19, 20])('etype %i: checksums stay right past the 1024 cached KDF inputs', (etype) => {
    const base = fromHex(field(of('key-derivation').find((v) => v.enctype === etype)!, 'baseKey'));
    const bytes = etype === 19 ? 16 : 24;
    const data = Uint8Array.of(1, 2, 3);
    for (let usage = 3000; usage < 3000 + 1100; usage++) {
      const kc = kdfHmacSha2(
        hashOf(etype),
        base,
        usageConstant(usage, DeriveTag.Checksum),
        new Uint8Array(0),
        bytes * 8,
      );
      const want = toHex(hmac(hashOf(etype), kc, data).subarray(0, bytes));
      expect(toHex(makeChecksum(checksumTypeOf(etype), new Key(etype, base), usage, data))).toBe(want);
    }
  });

  it.each(of('encryption'))(
    'encrypts etype $enctype, $plaintext.length hex digits with the given confounder',
    (v) => {
      const key = new Key(v.enctype, fromHex(field(v, 'baseKey')));
      const ct = encrypt(key, v.usage ?? 2, fromHex(field(v, 'plaintext')), {
        confounder: fromHex(field(v, 'confounder')),
      });
      expect(toHex(ct)).toBe(field(v, 'ciphertext'));
      expect(toHex(ct)).toBe(field(v, 'aesOutput') + field(v, 'truncatedHmac'));
    },
  );

  it.each(of('checksum'))('checksum type $cksumtype', (v) => {
    const key = new Key(v.enctype, fromHex(field(v, 'baseKey')));
    expect(toHex(makeChecksum(v.cksumtype ?? 0, key, v.usage ?? 2, fromHex(field(v, 'plaintext'))))).toBe(
      field(v, 'checksum'),
    );
  });

  it.each(of('prf'))('prf etype $enctype', (v) => {
    expect(toHex(prf(new Key(v.enctype, fromHex(field(v, 'key'))), fromHex(field(v, 'input'))))).toBe(
      field(v, 'output'),
    );
  });

  it.each(deriveVectors.filter((v) => v.alg === 'DERIVE_SP800_108_HMAC'))(
    'KDF-HMAC-SHA2(etype $enctype key, $constant) (MIT t_derive.c)',
    (v) => {
      const inkey = fromHex(v.inkey);
      const tag = v.constant.slice(-2);
      const bits = tag === 'aa' ? inkey.length * 8 : v.enctype === 19 ? 128 : 192;
      const out = kdfHmacSha2(hashOf(v.enctype), inkey, fromHex(v.constant), new Uint8Array(0), bits);
      expect(toHex(out)).toBe(v.key);
    },
  );
});
