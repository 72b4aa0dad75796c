/**
 * Fuzzing every decoder of hostile input: each returns a value or its layer's typed error, never a TypeError,
 * RangeError or other throw, and no input takes over 10 ms per KiB (a hang detector, with a generous factor).
 * `npm test` runs a short seeded budget; `npm run fuzz` (scripts/fuzz.mjs) a long one via FUZZ_RUNS / FUZZ_SEED.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as A from '../../src/asn1/index.js';
import { type FuzzResult, fuzz } from './engine.js';
import { allTargets, asn1DecoderNames } from './targets.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 120);
const SEED = Number(process.env['FUZZ_SEED'] ?? 0x7a5e9);
const REPORT = process.env['FUZZ_REPORT'];
const targets = allTargets();
const results: FuzzResult[] = [];

describe(`fuzz: ${targets.length} decoders × ${RUNS} inputs (seed ${SEED})`, () => {
  afterAll(() => {
    if (REPORT) writeFileSync(REPORT, JSON.stringify({ runs: RUNS, seed: SEED, results }, null, 1));
  });

  it('every decodeX exported by src/asn1 is a target', () => {
    const exported = Object.keys(A).filter((k) => k.startsWith('decode'));
    expect(exported.length).toBeGreaterThan(60);
    expect(asn1DecoderNames).toEqual([...exported].sort());
    expect(targets.map((t) => t.name)).toEqual(expect.arrayContaining(exported.map((k) => `asn1.${k}`)));
  });

  it.each(targets.map((t) => [t.name, t] as const))(
    '%s: a value or its typed error, in bounded time',
    async (_, t) => {
      const r = await fuzz(t, RUNS, SEED);
      results.push(r);
      expect(r.values + r.typedErrors).toBe(r.inputs);
      expect(r.failures).toEqual([]);
    },
    30_000 + RUNS * 20,
  );
});
