/**
 * Constant-time MAC comparison (issue 9): an audit of src/ that every comparison of a MAC, checksum or signature
 * goes through constantTimeEqual (directly or through verifyChecksum), and a check that constantTimeEqual reads
 * every byte whatever the first difference (counted through a Proxy, so no timing noise is involved).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesEqual, constantTimeEqual } from '../../src/util/bytes.js';

const SRC = new URL('../../src/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Use {
  readonly where: string;
  readonly line: string;
}

const uses: Use[] = sources(SRC).flatMap((f) =>
  readFileSync(f, 'utf8')
    .split('\n')
    .map((line, i) => ({ where: `${relative(SRC, f)}:${i + 1}`, line: line.trim() })),
);

/** Words that name secret-dependent authenticators. */
const MAC_WORDS = /checksum|cksum|mac\b|hmac|signature|expected|tag\b/i;
const PLAIN_COMPARE =
  /\bbytesEqual\(|\.every\(\s*\(\w+,\s*\w+\)\s*=>\s*\w+\s*===|toHex\([^)]*\)\s*===|===\s*toHex\(/;

/**
 * Plain comparisons of MAC-like values that are not secret-dependent, each with the reason. MS-SFU 2.2.2 / MIT
 * verify_s4u2self_reply: both checksums are sent in the clear (request and reply padata); the encrypted copy is
 * authenticated by the enc-part it travels in, so comparing it leaks nothing an observer lacks.
 */
const PUBLIC_VALUES = new Map<string, string>([
  ['s4u/pa-s4u-x509-user.ts', 'request||reply checksums: both already sent in the clear'],
]);

describe('audit of src/: MACs, checksums and signatures are compared in constant time', () => {
  it('found the verification sites (checksums, decrypt integrity, PAC signatures)', () => {
    const ct = uses.filter(
      (u) => /constantTimeEqual\(/.test(u.line) && !u.line.startsWith('export function'),
    );
    const files = new Set(ct.map((u) => u.where.split(':')[0]));
    expect([...files].sort()).toEqual(
      expect.arrayContaining([
        'crypto/aes-sha1.ts',
        'crypto/aes-sha2.ts',
        'crypto/checksums.ts',
        'crypto/rc4-hmac.ts',
        'pac/signatures.ts',
      ]),
    );
  });

  it('no plain comparison (bytesEqual, every(===), hex ===) of a MAC-like value, except listed public values', () => {
    const suspicious = uses
      .filter((u) => PLAIN_COMPARE.test(u.line) && MAC_WORDS.test(u.line))
      .filter((u) => !PUBLIC_VALUES.has(u.where.split(':')[0]!));
    expect(suspicious).toEqual([]);
  });

  it('checksum verification outside src/crypto goes through verifyChecksum or constantTimeEqual', () => {
    // A module that computes a checksum to compare it must not hand-roll the comparison.
    const computes = uses.filter(
      (u) =>
        /makeChecksum\(/.test(u.line) && !u.where.startsWith('crypto/') && /expected|verify/i.test(u.line),
    );
    for (const c of computes) {
      const file = c.where.split(':')[0]!;
      const text = uses.filter((u) => u.where.startsWith(`${file}:`)).map((u) => u.line);
      expect(
        text.some((l) => /constantTimeEqual\(|verifyChecksum\(/.test(l)),
        file,
      ).toBe(true);
    }
  });
});

/** A Uint8Array whose element reads are counted. */
function counted(bytes: Uint8Array): { view: Uint8Array; reads: () => number } {
  let n = 0;
  const view = new Proxy(bytes, {
    get(target, p) {
      if (typeof p === 'string' && /^\d+$/.test(p)) n++;
      const v = Reflect.get(target, p, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { view, reads: () => n };
}

describe('constantTimeEqual reads every byte, wherever the first difference is', () => {
  const N = 32;
  const a = Uint8Array.from({ length: N }, (_, i) => i);
  it.each([0, 1, 15, 31])('first difference at byte %i: every byte of both inputs read', (at) => {
    const b = a.slice();
    b[at]! ^= 0x80;
    const x = counted(a);
    const y = counted(b);
    expect(constantTimeEqual(x.view, y.view)).toBe(false);
    expect([x.reads(), y.reads()]).toEqual([N, N]);
  });

  it('control: bytesEqual stops at the first difference (so the counter can tell)', () => {
    const b = a.slice();
    b[0]! ^= 1;
    const x = counted(a);
    expect(bytesEqual(x.view, b)).toBe(false);
    expect(x.reads()).toBe(1);
  });

  it('equal inputs: true; different lengths: false without reading', () => {
    expect(constantTimeEqual(a, a.slice())).toBe(true);
    const x = counted(a);
    expect(constantTimeEqual(x.view, a.subarray(1))).toBe(false);
    expect(x.reads()).toBe(0);
  });
});
