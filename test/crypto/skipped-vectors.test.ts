import { describe, expect, it } from 'vitest';
import cf2 from '../vectors/cf2.json' with { type: 'json' };
import checksum from '../vectors/checksum.json' with { type: 'json' };
import decrypt from '../vectors/decrypt.json' with { type: 'json' };
import derive from '../vectors/derive.json' with { type: 'json' };
import prf from '../vectors/prf.json' with { type: 'json' };
import s2k from '../vectors/string-to-key.json' with { type: 'json' };
import { SKIPPED_CKSUMTYPES, SKIPPED_ENCTYPES } from './vectors.js';

/** Count of rows per skipped enctype in `rows`. */
function skipped(rows: readonly { enctype: number }[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const r of rows) if (r.enctype in SKIPPED_ENCTYPES) out[r.enctype] = (out[r.enctype] ?? 0) + 1;
  return out;
}

// Every other row of the crypto vector files runs in the per-file tests against both backends.
describe(`vector rows skipped on purpose: ${Object.entries(SKIPPED_ENCTYPES)
  .map(([e, why]) => `${e} ${why}`)
  .join('; ')}`, () => {
  it.each([
    ['string-to-key.json', s2k, { 16: 5, 25: 7, 26: 8 }],
    ['decrypt.json', decrypt, { 16: 5, 24: 5, 25: 5, 26: 5 }],
    ['derive.json', derive, { 16: 3, 25: 3, 26: 3 }],
    ['cf2.json', cf2, { 16: 1 }],
    ['prf.json', prf, {}],
  ] as const)('%s: skips exactly these rows by enctype', (_file, rows, expected) => {
    expect(skipped(rows)).toEqual(expected);
  });

  it(`checksum.json: skips types ${Object.entries(SKIPPED_CKSUMTYPES)
    .map(([t, why]) => `${t} ${why}`)
    .join('; ')}`, () => {
    const types = checksum.filter((r) => r.cksumtype in SKIPPED_CKSUMTYPES).map((r) => r.cksumtype);
    expect(types.sort((a, b) => a - b)).toEqual([-137, 12, 17, 17, 18, 18]);
  });
});
