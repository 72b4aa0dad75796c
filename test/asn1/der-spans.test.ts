/**
 * Byte spans from the DER decoder (asn1/der-spans): opt-in, the same values as a plain decode, and each field's span
 * holding the bytes that field was read from. Checked three ways: named fields of recorded KDC messages re-decoded
 * from their span by the plain decoders; every field of random values compared with its span's contents by a
 * test-side reading of the primitive (not src/asn1's); and mutated recorded messages, where a decode with spans
 * must agree with the plain decode, throw nothing but Asn1DecodeError, and keep every span inside its parent.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { decodeTop, type Read, readAnyInt32, readInt32, readKerberosString } from '../../src/asn1/der.js';
import { type DerSpan, DerSpans, unwrapped } from '../../src/asn1/der-spans.js';
import * as A from '../../src/asn1/index.js';
import { readKdcOptions } from '../../src/asn1/kdc-req.js';
import { readKerberosTime } from '../../src/asn1/time.js';
import { shippedRecording } from '../../src/cli/demo/recording.js';
import { Asn1DecodeError } from '../../src/errors.js';
import { fromHex } from '../../src/util/bytes.js';
import { codecCases } from './codec-cases.js';

/** Recorded messages: MIT (test/vectors/captured-mit.json) and the demo's Samba S4U flow. */
const captured = (
  JSON.parse(readFileSync(new URL('../vectors/captured-mit.json', import.meta.url), 'utf8')) as {
    items: { name: string; kind: string; hex: string }[];
  }
).items;
const demo = shippedRecording()!.exchanges.flatMap((x) => [
  { name: `demo ${x.step} request`, hex: x.request },
  { name: `demo ${x.step} reply`, hex: x.reply },
]);

/** Decoders of the recorded plaintexts, by kind; messages go through decodeKerberosMessage. */
const PARTS: Record<string, (b: Uint8Array, o?: A.DecodeOptions) => unknown> = {
  EncKDCRepPart: A.decodeEncKdcRepPart,
  Authenticator: A.decodeAuthenticator,
  'PA-ENC-TS-ENC': A.decodePaEncTsEnc,
  EncTicketPart: A.decodeEncTicketPart,
};
const MESSAGES = ['AS-REQ', 'TGS-REQ', 'AS-REP', 'TGS-REP', 'KRB-ERROR'];
const message = (b: Uint8Array, o?: A.DecodeOptions): unknown => A.decodeKerberosMessage(b, o).value;

/** Every recorded DER input with its decoder. */
const recorded: (readonly [string, Uint8Array, (b: Uint8Array, o?: A.DecodeOptions) => unknown])[] = [
  ...captured.flatMap((i) =>
    MESSAGES.includes(i.kind)
      ? [[i.name, fromHex(i.hex), message] as const]
      : PARTS[i.kind] !== undefined
        ? [[i.name, fromHex(i.hex), PARTS[i.kind]!] as const]
        : [],
  ),
  ...demo.map((d) => [d.name, fromHex(d.hex), message] as const),
];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !(v instanceof Date);

/** Every object reachable from `v` (structures, lists, Dates, byte fields), with the object holding it and the key. */
function reachable(
  v: unknown,
  parent?: object,
  key?: string,
  out: [object, object | undefined, string | undefined][] = [],
) {
  if (typeof v !== 'object' || v === null) return out;
  out.push([v, parent, key]);
  if (isObj(v)) for (const [k, x] of Object.entries(v)) reachable(x, v, k, out);
  return out;
}

const end = (s: DerSpan): number => s.offset + s.length;
const within = (inner: DerSpan, outer: DerSpan): boolean =>
  inner.offset >= outer.offset && end(inner) <= end(outer);

/** A span tree is well formed: inside the input; contents inside the element; children in order inside the contents. */
function checkTree(s: DerSpan, size: number): void {
  expect(s.offset).toBeGreaterThanOrEqual(0);
  expect(end(s)).toBeLessThanOrEqual(size);
  expect(s.valueOffset).toBeGreaterThan(s.offset);
  expect(s.valueOffset + s.valueLength).toBe(end(s));
  let at = s.valueOffset;
  for (const c of s.children) {
    expect(c.offset).toBeGreaterThanOrEqual(at);
    expect(end(c)).toBeLessThanOrEqual(end(s));
    at = end(c);
    checkTree(c, size);
  }
}

/** Checks every span of a decode with spans: well formed, a value's span inside its holder's, fields named as keys. */
function checkSpans(value: unknown, spans: DerSpans, input: Uint8Array): void {
  for (const [o, parent, key] of reachable(value)) {
    const own = spans.of(o);
    if (own === undefined) continue;
    expect(own.input).toBe(input);
    checkTree(own.span, input.length);
    // A structure read field by field has a span for each of its properties (field names match property names).
    if (isObj(o) && !Array.isArray(o)) {
      const keys = Object.keys(o).filter((k) => o[k] !== undefined);
      if (keys.some((k) => spans.field(o, k) !== undefined))
        for (const k of keys) expect(spans.field(o, k), `field ${k}`).toBeDefined();
    }
    if (parent === undefined || key === undefined || spans.of(parent) === undefined) continue;
    const holder = spans.of(parent)!.span;
    expect(within(own.span, holder), `${key} inside its holder`).toBe(true);
    // A value read from a field is that field's element; an element of a list is the list's item.
    const f = Array.isArray(parent) ? spans.item(parent, Number(key)) : spans.field(parent, key);
    if (f !== undefined) expect(own.span).toBe(f);
  }
}

/** What a primitive's contents say, read here (X.690 8.2, 8.3, 8.7, 8.21; RFC 4120 5.2.3), not by src/asn1. */
function primitive(input: Uint8Array, s: DerSpan): unknown {
  const c = input.subarray(s.valueOffset, s.valueOffset + s.valueLength);
  switch (input[s.offset]) {
    case 0x01:
      return c[0] === 0xff;
    case 0x02: {
      let v = c[0]! >= 0x80 ? -1 : 0;
      for (const b of c) v = v * 256 + b;
      return v;
    }
    case 0x1b:
    case 0x0c:
    case 0x16:
      return new TextDecoder().decode(c);
    case 0x18: {
      const t = new TextDecoder().decode(c);
      const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(t)!;
      const d = new Date(0);
      d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]));
      return d;
    }
    default:
      return c;
  }
}

/** Compares each primitive field of every structure with what its span's contents say. */
function checkFieldContents(value: unknown, spans: DerSpans, input: Uint8Array): number {
  let checked = 0;
  for (const [o] of reachable(value)) {
    if (!isObj(o) || Array.isArray(o) || spans.of(o) === undefined) continue;
    for (const [k, v] of Object.entries(o)) {
      const f = spans.field(o, k);
      if (f === undefined) continue;
      const inner = unwrapped(f);
      if (inner.children.length > 0) continue;
      const tag = input[inner.offset]!;
      // Only values held as they are encoded: numbers, strings, booleans, times, octets (a BIT STRING's are flags).
      if (tag === 0x03 || tag === 0x06) continue;
      if (typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof Date)) continue;
      expect(primitive(input, inner), k).toEqual(v);
      checked++;
    }
  }
  return checked;
}

describe('decoding with spans', () => {
  it.each(recorded)(
    '%s: the same value as a plain decode; every span well formed and inside its holder',
    (_, b, decode) => {
      const spans = new DerSpans();
      const v = decode(b, { spans });
      expect(v).toEqual(decode(b));
      const top = spans.of(v as object);
      expect(top?.span.offset).toBe(0);
      expect(top?.span.length).toBe(b.length);
      checkSpans(v, spans, b);
      expect(checkFieldContents(v, spans, b)).toBeGreaterThan(0);
    },
  );

  it('a plain decode never builds the span reader (the client path pays nothing)', () => {
    const reader = vi.spyOn(DerSpans.prototype, 'reader');
    for (const [, b, decode] of recorded) decode(b);
    expect(reader).not.toHaveBeenCalled();
    const spans = new DerSpans();
    recorded[0]![2](recorded[0]![1], { spans });
    expect(reader).toHaveBeenCalledTimes(1);
    reader.mockRestore();
  });

  it('views and spans together: the same spans, byte fields views of the input', () => {
    const [, b] = recorded.find(([n]) => n.startsWith('demo S4U2Self request'))!;
    const a = new DerSpans();
    const v = new DerSpans();
    const plain = A.decodeTgsReq(b, { spans: a }) as A.TgsReq;
    const viewed = A.decodeTgsReq(b, { spans: v, views: true }) as A.TgsReq;
    expect(v.field(viewed.reqBody, 'realm')).toEqual(a.field(plain.reqBody, 'realm'));
    expect(viewed.padata![0]!.padataValue.buffer).toBe(b.buffer);
  });
});

/** `[path to the structure, field (or item index), plain reader of the field's value]`. */
type Row = readonly [
  source: string,
  holder: readonly (string | number)[],
  field: string | number,
  read: Read<unknown>,
];

const rows: Row[] = [
  ['demo AS request', ['reqBody'], 'realm', readKerberosString],
  ['demo AS request', ['reqBody'], 'till', readKerberosTime],
  ['demo AS request', ['reqBody'], 'nonce', readAnyInt32],
  ['demo AS request', ['reqBody'], 'kdcOptions', readKdcOptions],
  ['demo AS request', ['reqBody', 'etype'], 1, readInt32],
  ['demo AS request', [], 'reqBody', (r) => A.decodeKdcReqBody(r.rest())],
  ['demo AS request', ['padata'], 0, (r) => A.decodePaData(r.rest())],
  ['demo AS reply', [], 'cname', (r) => A.decodePrincipalName(r.rest())],
  ['demo AS reply', [], 'ticket', (r) => A.decodeTicket(r.rest())],
  ['demo AS reply', ['ticket'], 'encPart', (r) => A.decodeEncryptedData(r.rest())],
  ['demo AS reply', ['ticket', 'sname', 'nameString'], 1, readKerberosString],
  ['demo S4U2Self request', ['padata'], 1, (r) => A.decodePaData(r.rest())],
  ['demo S4U2Self request', ['padata', 0], 'padataValue', (r) => r.octets()],
  ['demo S4U2Proxy request', ['reqBody', 'additionalTickets'], 0, (r) => A.decodeTicket(r.rest())],
  ['demo S4U2Proxy reply', [], 'realm', readKerberosString],
  ['demo S4U2Proxy reply', ['sname'], 'nameString', (r) => r.seqOf(readKerberosString)],
  ['demo S4U2Proxy reply', [], 'stime', readKerberosTime],
  ['demo S4U2Proxy reply', [], 'errorCode', readInt32],
];

function at(v: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], v);
}

describe('recorded messages: a field re-decoded from its span by the plain decoders is the field as decoded', () => {
  it.each(rows)('%s: %j . %s', (source, holder, field, read) => {
    // The demo has two S4U2Proxy exchanges; the refused one is the last (its reply a KRB-ERROR).
    const hex = demo.filter((d) => d.name === source).at(-1)!.hex;
    const b = fromHex(hex);
    const spans = new DerSpans();
    const v = A.decodeKerberosMessage(b, { spans }).value;
    const h = at(v, holder) as object;
    const s = typeof field === 'number' ? spans.item(h as unknown[], field) : spans.field(h, field);
    expect(s).toBeDefined();
    // An item is its own element; a field's value is the element inside its [n] tag.
    const e = typeof field === 'number' ? s! : unwrapped(s!);
    const again = decodeTop(b.subarray(e.offset, end(e)), 'again', read);
    expect(again).toEqual(at(v, [...holder, field]));
    // And a span one byte off does not re-decode to it: the check has teeth.
    expect(() =>
      expect(decodeTop(b.subarray(e.offset + 1, end(e) + 1), 'off', read)).toEqual(again),
    ).toThrow();
  });

  it('the S4U2Self PA-FOR-USER decoded apart with spans: its user name spans the padata-value it came from', () => {
    const b = fromHex(demo.find((d) => d.name === 'demo S4U2Self request')!.hex);
    const spans = new DerSpans();
    const req = A.decodeTgsReq(b, { spans });
    const p = req.padata!.find((x) => x.padataType === A.PaDataType.FOR_USER)!;
    const value = unwrapped(spans.field(p, 'padataValue')!);
    const forUser = A.decodePaValue(p.padataType, p.padataValue, { spans });
    const user = unwrapped(spans.field(forUser.value as object, 'userName')!);
    // Offsets into the padata-value, which starts at the OCTET STRING's contents in the message.
    const inMessage = b.subarray(value.valueOffset + user.offset, value.valueOffset + end(user));
    expect(A.decodePrincipalName(inMessage)).toEqual((forUser.value as A.PaForUser).userName);
  });
});

/** Random values of the codecs with nested structure. */
const SPAN_CASES = new Set([
  'AS-REQ',
  'TGS-REQ',
  'TGS-REP',
  'EncTicketPart',
  'EncASRepPart',
  'AP-REQ',
  'Authenticator',
  'KRB-ERROR',
  'KRB-CRED',
  'PA-FOR-USER',
  'PA-S4U-X509-USER',
  'ETYPE-INFO2',
  'KrbFastResponse',
  'AD-KDCIssued',
]);
const randomCases = codecCases.filter(([name]) => SPAN_CASES.has(name));

describe('random values', () => {
  it.each(randomCases)(
    '%s: every span well formed, every primitive field its span’s contents',
    (_, arb, encode, decode) => {
      fc.assert(
        fc.property(arb, (v) => {
          const b = encode(v as never);
          const spans = new DerSpans();
          const back = decode(b, { spans });
          expect(back).toEqual(v);
          checkSpans(back, spans, b);
          checkFieldContents(back, spans, b);
        }),
        { numRuns: 100 },
      );
    },
  );
});

describe('mutated recorded messages', () => {
  const inputs = recorded.filter(([n]) => n.startsWith('demo') || n.includes('#1'));
  it.each(inputs)(
    '%s: with spans, the plain decode’s value or its Asn1DecodeError; spans in bounds',
    (_, b, decode) => {
      const mutation = fc.oneof(
        fc.record({ at: fc.nat(b.length - 1), xor: fc.integer({ min: 1, max: 255 }) }).map(({ at, xor }) => {
          const m = b.slice();
          m[at]! ^= xor;
          return m;
        }),
        fc.nat(b.length).map((n) => b.slice(0, n)),
        fc
          .record({ at: fc.nat(b.length), extra: fc.uint8Array({ minLength: 1, maxLength: 4 }) })
          .map(({ at, extra }) => {
            const m = new Uint8Array(b.length + extra.length);
            m.set(b.subarray(0, at));
            m.set(extra, at);
            m.set(b.subarray(at), at + extra.length);
            return m;
          }),
      );
      fc.assert(
        fc.property(mutation, (m) => {
          let plain: unknown;
          let plainError: unknown;
          try {
            plain = decode(m);
          } catch (e) {
            plainError = e;
          }
          const spans = new DerSpans();
          let spanned: unknown;
          try {
            spanned = decode(m, { spans });
          } catch (e) {
            expect(e).toBeInstanceOf(Asn1DecodeError);
            expect((e as Error).message).toBe((plainError as Error | undefined)?.message);
            return;
          }
          expect(plainError).toBeUndefined();
          expect(spanned).toEqual(plain);
          checkSpans(spanned, spans, m);
        }),
        { numRuns: 150 },
      );
    },
  );
});
