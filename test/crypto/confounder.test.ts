import { describe, expect, it, vi } from 'vitest';
import { confounder } from '../../src/crypto/confounder.js';
import { decrypt, encrypt, Key } from '../../src/crypto/index.js';
import { toHex } from '../../src/util/bytes.js';
import { defaultRandom } from '../../src/util/env.js';

describe('confounders', () => {
  it('come from an injected random source when there is one', () => {
    const random = vi.fn((n: number) => new Uint8Array(n).fill(0xaa));
    expect(toHex(confounder(16, random))).toBe('aa'.repeat(16));
    expect(random).toHaveBeenCalledWith(16);
    const key = new Key(18, new Uint8Array(32));
    const c = encrypt(key, 3, new Uint8Array(4), { random });
    expect(random).toHaveBeenCalledTimes(2);
    expect(decrypt(key, 3, c)).toEqual(new Uint8Array(4));
  });

  it('otherwise come from defaultRandom: all distinct across its pool refills, of the asked length', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const c = confounder(16, i % 2 === 0 ? undefined : defaultRandom);
      expect(c).toHaveLength(16);
      seen.add(toHex(c));
    }
    expect(seen.size).toBe(1000);
    expect(confounder(8, undefined)).toHaveLength(8);
    expect(confounder(5000, undefined)).toHaveLength(5000);
  });

  it('are fresh arrays: changing one changes no other draw', () => {
    const a = confounder(16, undefined);
    const b = confounder(16, undefined);
    const before = toHex(b);
    a.fill(0);
    expect(toHex(b)).toBe(before);
  });
});
