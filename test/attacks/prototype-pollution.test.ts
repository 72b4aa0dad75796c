/**
 * Prototype pollution (issue 9): names that are also JavaScript property names (`__proto__`, `constructor`,
 * `prototype`) written into real messages and files, in every place a name can go. Every decoder must leave
 * Object.prototype alone and return plain records whose prototype is Object.prototype (or null): a decoder that
 * copies an attacker's name into `out[name] = …` would swap a record's prototype. krb5.conf is covered by
 * test/transport/krb5conf.test.ts and the lab JSON is ours, so both are left out.
 */
import { describe, expect, it } from 'vitest';
import * as A from '../../src/asn1/index.js';
import { parseRecording, shippedRecording } from '../../src/cli/demo/recording.js';
import {
  getConfigValue,
  makeConfigEntry,
  parseCcache,
  parseKeytab,
  serializeCcache,
  serializeKeytab,
} from '../../src/creds/index.js';
import { FormatError } from '../../src/errors.js';
import { capturedOf } from '../fuzz/corpus.js';
import type { FuzzInput, FuzzTarget } from '../fuzz/engine.js';
import { allTargets } from '../fuzz/targets.js';

const TOKENS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const EXCLUDED = /krb5Conf/;

/** Copies of `b` with each run of printable ASCII (or UTF-16LE) at least as long as a token overwritten by it. */
function withTokens(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const printable = (x: number | undefined) => x !== undefined && x >= 0x20 && x < 0x7f;
  for (const wide of [false, true]) {
    const step = wide ? 2 : 1;
    let runStart = -1;
    for (let i = 0; i <= b.length; i += step) {
      const ok = printable(b[i]) && (!wide || b[i + 1] === 0);
      if (ok && runStart < 0) runStart = i;
      if (ok) continue;
      if (runStart >= 0) {
        const chars = (i - runStart) / step;
        for (const t of TOKENS) {
          if (t.length > chars) continue;
          const x = b.slice();
          for (let k = 0; k < t.length; k++) {
            x[runStart + k * step] = t.charCodeAt(k);
            if (wide) x[runStart + k * step + 1] = 0;
          }
          out.push(x);
        }
      }
      runStart = -1;
    }
  }
  return out;
}

/** Length of the longest printable ASCII run (where a token can be written). */
function longestRun(x: FuzzInput): number {
  if (typeof x === 'string') return x.length;
  let best = 0;
  let cur = 0;
  for (const c of x) {
    cur = c >= 0x20 && c < 0x7f ? cur + 1 : 0;
    best = Math.max(best, cur);
  }
  return best;
}

/** `v` with every string replaced by `token` (Dates and byte arrays kept). */
function renamed(v: unknown, token: string): unknown {
  if (typeof v === 'string') return token;
  if (v === null || typeof v !== 'object' || v instanceof Date || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map((x) => renamed(x, token));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = renamed(x, token);
  return out;
}

type Codec = { decode: (b: Uint8Array) => unknown; encode: (v: unknown) => Uint8Array };
const CODECS: Record<string, Codec> = {
  'creds.parseCcache': { decode: parseCcache, encode: serializeCcache as Codec['encode'] },
  'creds.parseKeytab': { decode: parseKeytab, encode: serializeKeytab as Codec['encode'] },
};

/** The codec of a target: decodeX/encodeX for asn1.decodeX, the creds parsers with their serializers. */
function codecOf(t: FuzzTarget): Codec | undefined {
  const m = /^asn1\.decode(\w+)$/.exec(t.name);
  if (!m) return CODECS[t.name];
  const mod = A as Record<string, unknown>;
  const decode = mod[`decode${m[1]}`];
  const encode = mod[`encode${m[1]}`];
  return typeof decode === 'function' && typeof encode === 'function'
    ? { decode: decode as Codec['decode'], encode: encode as Codec['encode'] }
    : undefined;
}

/** Each seed decoded, every name in it replaced by a token, and encoded again (seeds it cannot redo are skipped). */
function reencodedWithTokens(t: FuzzTarget, seeds: readonly Uint8Array[]): Uint8Array[] {
  const codec = codecOf(t);
  if (!codec) return [];
  return seeds.flatMap((s) =>
    TOKENS.flatMap((token) => {
      try {
        return [codec.encode(renamed(codec.decode(s), token))];
      } catch {
        return [];
      }
    }),
  );
}

const textWithTokens = (s: string): string[] =>
  TOKENS.flatMap((t) => [s.replace(/[A-Za-z]{3,}/, t), `${t}@${t}`, `${t}/${t}@${t}`, `${s}${t}`]);

const OBJECT_PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/**
 * Paths of every record reachable from `v` whose prototype was swapped: not Object.prototype, not null, and not a
 * class prototype (those own a `constructor`), which is what `out[name] = value` with name `__proto__` leaves.
 */
function swappedRecords(v: unknown, path = '$', seen = new Set<object>(), out: string[] = []): string[] {
  if (v === null || typeof v !== 'object' || seen.has(v) || out.length > 5) return out;
  seen.add(v);
  const proto: object | null = Object.getPrototypeOf(v);
  if (proto !== null && proto !== Object.prototype && !Object.hasOwn(proto, 'constructor')) out.push(path);
  if (ArrayBuffer.isView(v)) return out;
  for (const k of Object.keys(v))
    swappedRecords((v as Record<string, unknown>)[k], `${path}.${k}`, seen, out);
  return out;
}

async function runAll(
  t: FuzzTarget,
  inputs: readonly FuzzInput[],
): Promise<{ values: number; swaps: string[] }> {
  let values = 0;
  const swaps: string[] = [];
  for (const input of inputs) {
    let v: unknown;
    try {
      v = await t.run(input);
    } catch (e) {
      if (!t.allowed.some((c) => e instanceof c)) throw e;
      continue;
    }
    values++;
    swaps.push(...swappedRecords(v));
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(OBJECT_PROTO_KEYS);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  }
  return { values, swaps };
}

describe('names like __proto__ and constructor in every decoder input', () => {
  const targets = allTargets().filter((t) => !EXCLUDED.test(t.name));

  it.each(targets.map((t) => [t.name, t] as const))(
    '%s: Object.prototype untouched, no record prototype swapped',
    async (_, t) => {
      const seeds = [...t.seeds].sort((a, b) => longestRun(b) - longestRun(a)).slice(0, 12);
      const bytes = seeds.filter((x): x is Uint8Array => typeof x !== 'string');
      const inputs: FuzzInput[] = [
        ...seeds.flatMap((s) => (typeof s === 'string' ? textWithTokens(s) : [])),
        ...bytes.flatMap((s) => withTokens(s).slice(0, 40)),
        ...reencodedWithTokens(t, bytes),
      ];
      const r = await runAll(t, inputs);
      expect(r.swaps).toEqual([]);
    },
  );

  it('the renaming reaches decoded names: a captured TGS-REP re-encoded with every name __proto__ / constructor', () => {
    const t = targets.find((x) => x.name === 'asn1.decodeTgsRep')!;
    const inputs = reencodedWithTokens(t, [capturedOf('TGS-REP')[0]!.bytes]);
    expect(inputs).toHaveLength(TOKENS.length);
    const reps = inputs.map((b) => A.decodeTgsRep(b));
    expect(reps[0]!.ticket.sname.nameString).toEqual(['__proto__', '__proto__']);
    expect(reps[1]!.crealm).toBe('constructor');
    expect(reps.flatMap((r) => swappedRecords(r))).toEqual([]);
  });

  it('control: a decoder that copies names into a record is caught', () => {
    const naive = (names: string[]) => {
      const out: Record<string, unknown> = {};
      for (const n of names) out[n] = { polluted: true };
      return out;
    };
    expect(swappedRecords({ a: naive(['alice']) })).toEqual([]);
    expect(swappedRecords({ a: naive(['__proto__']) })).toEqual(['$.a']);
  });

  it('every asn1 decoder with an encoder gets re-encoded inputs', () => {
    const withCodec = targets.filter((t) => codecOf(t) !== undefined);
    expect(withCodec.length).toBeGreaterThan(60);
  });
});

describe('ccache configuration keys and principals named __proto__', () => {
  it('a config entry keyed __proto__ round-trips and is found by its key, nothing polluted', () => {
    const cc = parseCcache(capturedOf('ccache')[0]!.bytes);
    const client = { realm: '__proto__', nameType: 1, components: ['constructor'] };
    const value = new TextEncoder().encode('{"polluted":true}');
    const withEntry = {
      ...cc,
      credentials: [...cc.credentials, makeConfigEntry(client, '__proto__', value)],
    };
    const back = parseCcache(serializeCcache(withEntry));
    expect(getConfigValue(back, '__proto__')).toEqual(value);
    expect(getConfigValue(back, 'constructor')).toBeUndefined();
    expect(getConfigValue(back, 'toString')).toBeUndefined();
    expect(swappedRecords(back)).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('JSON recordings (tskrb demo) with a key named __proto__', () => {
  const rec = shippedRecording();
  it.skipIf(!rec)('refused with a FormatError or kept as an own key, never a swapped prototype', () => {
    const j = JSON.parse(JSON.stringify(rec)) as { keys: Record<string, unknown> };
    const first = Object.keys(j.keys)[0]!;
    const text = JSON.stringify(j).split(`"${first}"`).join('"__proto__"');
    let parsed: ReturnType<typeof parseRecording> | undefined;
    try {
      parsed = parseRecording(JSON.parse(text));
    } catch (e) {
      expect(e).toBeInstanceOf(FormatError);
    }
    if (parsed) {
      expect(Object.hasOwn(parsed.keys, '__proto__')).toBe(true);
      expect(swappedRecords(parsed)).toEqual([]);
    }
    expect(({} as Record<string, unknown>)['etype']).toBeUndefined();
  });
});
