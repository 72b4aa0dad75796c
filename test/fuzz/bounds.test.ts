/**
 * Bounded memory and time on crafted hostile inputs: every length and count field of real seeds set near 2^31
 * (DER long-form lengths, NDR conformance counts, keytab and ccache counts, TCP frame lengths) must fail fast
 * with the typed error and without allocating for the announced size; deep nesting must not overflow the stack;
 * large valid inputs must decode in time linear in their size (10 ms per KiB is the hang detector's budget).
 */
import { describe, expect, it } from 'vitest';
import * as A from '../../src/asn1/index.js';
import { renderTree } from '../../src/cli/render.js';
import { parseCcache, parseKeytab, serializeCcache, serializeKeytab } from '../../src/creds/index.js';
import {
  Asn1DecodeError,
  FormatError,
  PacDecodeError,
  ProtocolError,
  TransportError,
} from '../../src/errors.js';
import { detectInput } from '../../src/explain/detect.js';
import { explainAs } from '../../src/explain/explain.js';
import { decodeEData } from '../../src/messages/kdc-error.js';
import { decodePac, findPac } from '../../src/pac/index.js';
import { TcpFrameReader } from '../../src/transport/framing.js';
import { krb5Settings, parseKrb5Conf } from '../../src/transport/index.js';
import { fromHex, toHex, utf8 } from '../../src/util/bytes.js';
import { capturedOf, derLengthOffsets } from './corpus.js';
import { type FuzzTarget, tryInput } from './engine.js';
import { ccacheLengthFields, hugeAt, keytabLengthFields, pacLengthFields } from './fields.js';
import { allTargets } from './targets.js';

const MiB = 1 << 20;
/** Live ArrayBuffer memory may grow by this much across one input (decoders copy what they return). */
const ALLOC_SLACK = 16 * MiB;

const targets = allTargets();
const byName = (n: string): FuzzTarget => {
  const t = targets.find((x) => x.name === n);
  if (!t) throw new Error(`no target ${n}`);
  return t;
};

/** Runs `inputs` through `t`: none may crash, hang, or leave more than ALLOC_SLACK of new ArrayBuffer memory. */
async function sweep(t: FuzzTarget, inputs: readonly Uint8Array[]): Promise<{ n: number; typed: number }> {
  let typed = 0;
  for (const input of inputs) {
    const before = process.memoryUsage().arrayBuffers;
    const r = await tryInput(t, input);
    const grown = process.memoryUsage().arrayBuffers - before;
    if (r.outcome.kind === 'crash' || r.hung || grown > ALLOC_SLACK) {
      const why = r.outcome.kind === 'crash' ? r.outcome.error : r.hung ? `${r.ms} ms` : `${grown} bytes`;
      throw new Error(`${t.name} on ${toHex(input)}: ${why}`);
    }
    if (r.outcome.kind === 'typed') typed++;
  }
  return { n: inputs.length, typed };
}

const largestSeeds = (t: FuzzTarget, n: number): Uint8Array[] =>
  t.seeds
    .filter((s): s is Uint8Array => s instanceof Uint8Array)
    .sort((a, b) => b.length - a.length)
    .slice(0, n);

/** The seed with the length octets at `at` replaced by a 4-byte long form. */
const hugeDerLength = (b: Uint8Array, at: number, len: readonly number[]): Uint8Array =>
  Uint8Array.of(...b.subarray(0, at), 0x84, ...len, ...b.subarray(at + 1));

const HUGE_U32 = [0x7fffffff, 0x80000000, 0xffffffff];

/** The seed with a 32-bit (both byte orders) or 16-bit field at every offset set to a huge count. */
function hugeFields(b: Uint8Array, step: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i + 2 <= b.length; i += step) {
    for (const v of HUGE_U32) {
      for (const little of [true, false]) {
        if (i + 4 > b.length) continue;
        const x = b.slice();
        new DataView(x.buffer).setUint32(i, v, little);
        out.push(x);
      }
    }
    const x = b.slice();
    new DataView(x.buffer).setUint16(i, 0xffff);
    out.push(x);
  }
  return out;
}

describe('huge length and count fields fail fast, typed, without allocating', () => {
  const derTargets = targets.filter((t) => t.name.startsWith('asn1.') || t.name === 'creds.importKirbi');

  it.each(derTargets.map((t) => [t.name, t] as const))(
    '%s: every DER length of its largest seeds set to 0x84 7f ff ff ff / 0x84 ff ff ff ff',
    async (_, t) => {
      const inputs = largestSeeds(t, 2).flatMap((s) =>
        derLengthOffsets(s).flatMap((at) => [
          hugeDerLength(s, at, [0x7f, 0xff, 0xff, 0xff]),
          hugeDerLength(s, at, [0xff, 0xff, 0xff, 0xff]),
        ]),
      );
      const r = await sweep(t, inputs);
      // Nothing of the announced size exists in the input, so every one is refused.
      expect(r.typed).toBe(r.n);
    },
  );

  it.each([
    ['pac.decodePac', 4, 4],
    ['pac.decodePac+summarizePac+verifyPac', 1, 4],
    ['creds.parseKeytab', 2, 1],
    ['creds.parseCcache', 1, 1],
    ['cli.pcap (readCapture+kerberosExchanges)', 1, 8],
  ] as const)(
    '%s: every 16/32-bit field of its %i largest seeds set to 2^31-1, 2^31, 2^32-1, 0xffff: no crash, hang or allocation',
    async (name, n, step) => {
      const t = byName(name);
      const r = await sweep(
        t,
        largestSeeds(t, n).flatMap((s) => hugeFields(s, step)),
      );
      // Most offsets hold data (times, SIDs, key bytes, tickets), where a huge value is valid: see the next test.
      expect(r.n).toBeGreaterThan(1000);
    },
  );

  it.each([
    ['pac.decodePac', 4, pacLengthFields],
    ['creds.parseKeytab', 2, keytabLengthFields],
    ['creds.parseCcache', 2, ccacheLengthFields],
  ] as const)(
    '%s: every length, count and offset field of its %i largest seeds set huge is refused',
    async (name, n, fields) => {
      const t = byName(name);
      const seeds = largestSeeds(t, n);
      // The walkers found real length fields: each holds a value that fits in the seed.
      for (const s of seeds) {
        const v = new DataView(s.buffer, s.byteOffset, s.byteLength);
        for (const f of fields(s)) {
          const x = f.size === 2 ? v.getUint16(f.at, f.little) : v.getUint32(f.at, f.little);
          expect(x, `${name} ${f.what} at ${f.at}`).toBeLessThanOrEqual(s.length);
        }
      }
      const inputs = seeds.flatMap((s) => fields(s).flatMap((f) => hugeAt(s, f)));
      const r = await sweep(t, inputs);
      expect(r.n).toBeGreaterThan(20);
      expect(r.typed).toBe(r.n);
    },
  );

  it.each([
    ['DER: a Ticket announcing 2^31-1 bytes', () => A.decodeTicket(fromHex('61847fffffff')), Asn1DecodeError],
    [
      'DER: an AS-REP announcing 2^32-1 bytes',
      () => A.decodeAsRep(fromHex('6b84ffffffff3000')),
      Asn1DecodeError,
    ],
    ['DER: a five-octet length', () => A.decodeKrbError(fromHex('7e85010000000030')), Asn1DecodeError],
    ['NDR: a PAC claiming 2^31 buffers', () => decodePac(fromHex('0000008000000000')), PacDecodeError],
    ['keytab: a record of 2^31-1 bytes', () => parseKeytab(fromHex('05027fffffff0001')), FormatError],
    [
      'ccache: a principal of 2^32-1 components',
      () => parseCcache(fromHex('050400000000000000ffffffff')),
      FormatError,
    ],
    [
      'TCP: a frame announcing 2^31-1 bytes',
      () => new TcpFrameReader(MiB).push(fromHex('7fffffff')),
      TransportError,
    ],
  ] as const)('%s', (_, run, cls) => {
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    expect(run).toThrow(cls);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(ALLOC_SLACK);
  });
});

/** `depth` AD-IF-RELEVANT containers around an AD-WIN2K-PAC. */
function nestedIfRelevant(depth: number, inner: Uint8Array): A.AuthorizationData {
  let ad: A.AuthorizationData = [{ adType: A.AdType.WIN2K_PAC, adData: inner }];
  for (let i = 0; i < depth; i++)
    ad = [{ adType: A.AdType.IF_RELEVANT, adData: A.encodeAuthorizationData(ad) }];
  return ad;
}

/** A KRB-ERROR whose e-data holds PA-FX-ERROR holding a KRB-ERROR, `depth` times. */
function nestedFxError(depth: number): Uint8Array {
  const { eData: _, ...base } = A.decodeKrbError(capturedOf('KRB-ERROR')[0]!.bytes);
  let der = A.encodeKrbError(base);
  for (let i = 0; i < depth; i++) {
    const eData = A.encodeMethodData([{ padataType: A.PaDataType.FX_ERROR, padataValue: der }]);
    der = A.encodeKrbError({ ...base, eData });
  }
  return der;
}

/** An EncTicketPart whose authorization-data nests AD-IF-RELEVANT `depth` deep. */
function deepTicketPart(depth: number): Uint8Array {
  const etp = A.decodeEncTicketPart(capturedOf('EncTicketPart')[0]!.bytes);
  return A.encodeEncTicketPart({ ...etp, authorizationData: nestedIfRelevant(depth, fromHex('00')) });
}

describe('deep nesting never overflows the stack', () => {
  it('AD-IF-RELEVANT nested 3000 deep: findPac refuses it with a ProtocolError (depth bound)', () => {
    const ad = nestedIfRelevant(3000, fromHex('00'));
    expect(() => findPac(ad)).toThrow(ProtocolError);
    expect(() => findPac(ad)).toThrow(/nested deeper than/);
    const etp = A.decodeEncTicketPart(deepTicketPart(3000));
    expect(() => findPac(etp.authorizationData ?? [])).toThrow(ProtocolError);
  });

  it('PA-FX-ERROR KRB-ERRORs nested 2000 deep: decodeEData opens one level only', () => {
    const der = nestedFxError(2000);
    const e = decodeEData(A.decodeKrbError(der).eData!);
    expect(e.kind).toBe('method-data');
    if (e.kind !== 'method-data') return;
    const inner = e.padata[0]!.value as { name: string; value: A.KrbError };
    expect(inner.name).toBe('PA-FX-ERROR');
    expect(inner.value.eData).toBeInstanceOf(Uint8Array);
  });

  it('describe (cli) on AD-IF-RELEVANT 3000 deep: explained or refused, no crash (cli bounds depth since daf199f)', async () => {
    const r = await tryInput(byName('cli.describe (detectInput+explain+render)'), deepTicketPart(3000));
    expect(r.outcome.kind === 'crash' ? r.outcome.error : 'no crash').toBe('no crash');
    expect(r.hung).toBe(false);
  });

  it('describe (cli) on PA-FX-ERROR 2000 deep: explained or refused, no crash', async () => {
    const r = await tryInput(byName('cli.describe (detectInput+explain+render)'), nestedFxError(2000));
    expect(r.outcome.kind === 'crash' ? r.outcome.error : 'no crash').toBe('no crash');
    expect(r.hung).toBe(false);
  });

  it('krb5.conf with 100,000 nested braces is a FormatError', () => {
    const text = `[realms]\n${'A = {\n'.repeat(100_000)}`;
    expect(() => parseKrb5Conf(text)).toThrow(FormatError);
  });
});

/** Time of `run` in ms per KiB of `size`: the fastest of three runs. */
function msPerKiB(size: number, run: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return best / Math.max(1, size / 1024);
}

describe('large valid inputs decode in linear time (under 10 ms per KiB)', () => {
  const aliceTgtCc = parseCcache(capturedOf('ccache')[0]!.bytes);
  const keytab = parseKeytab(capturedOf('keytab')[0]!.bytes);
  const methodData = A.encodeMethodData(
    Array.from({ length: 10_000 }, (_, i) => ({ padataType: i % 200, padataValue: Uint8Array.of(i & 0xff) })),
  );
  const cases: [string, number, () => unknown][] = [
    [
      'METHOD-DATA of 10,000 PA-DATA (decodeMethodData)',
      methodData.length,
      () => A.decodeMethodData(methodData),
    ],
    ['the same as KRB-ERROR e-data (decodeEData)', methodData.length, () => decodeEData(methodData)],
    (() => {
      const cc = serializeCcache({ ...aliceTgtCc, credentials: Array(1000).fill(aliceTgtCc.credentials[0]) });
      return ['ccache with 1,000 credentials', cc.length, () => parseCcache(cc)] as [
        string,
        number,
        () => unknown,
      ];
    })(),
    (() => {
      const kt = serializeKeytab({ ...keytab, entries: Array(5000).fill(keytab.entries[0]) });
      return ['keytab with 5,000 entries', kt.length, () => parseKeytab(kt)] as [
        string,
        number,
        () => unknown,
      ];
    })(),
    (() => {
      const conf = `[realms]\n R = {\n${'  kdc = kdc.example.com:88\n'.repeat(10_000)} }\n`;
      return ['krb5.conf with 10,000 relations', conf.length, () => krb5Settings(parseKrb5Conf(conf))] as [
        string,
        number,
        () => unknown,
      ];
    })(),
    (() => {
      const frame = new Uint8Array(4 + 512 * 1024);
      new DataView(frame.buffer).setUint32(0, 512 * 1024);
      return [
        'a 512 KiB TCP frame pushed in 64-byte chunks',
        frame.length,
        () => {
          const r = new TcpFrameReader(MiB);
          for (let at = 0; at < frame.length; at += 64) r.push(frame.subarray(at, at + 64));
        },
      ] as [string, number, () => unknown];
    })(),
    (() => {
      const hex = utf8(toHex(new Uint8Array(256 * 1024)));
      return [
        'describe on 512 KiB of hex text',
        hex.length,
        () => expect(() => detectInput(hex)).toThrow(),
      ] as [string, number, () => unknown];
    })(),
  ];
  it.each(cases)('%s', (_, size, run) => {
    expect(msPerKiB(size, run)).toBeLessThan(10);
  });

  it('describe renders a 1,000-credential ccache in linear time', () => {
    const cc = serializeCcache({ ...aliceTgtCc, credentials: Array(1000).fill(aliceTgtCc.credentials[0]) });
    expect(msPerKiB(cc.length, () => renderTree(explainAs('Ccache', detectInput(cc).value)))).toBeLessThan(
      10,
    );
  });
});
