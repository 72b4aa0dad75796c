import { describe, expect, it } from 'vitest';
import type { Ccache, Credential } from '../../src/creds/ccache.js';
import { makeConfigEntry } from '../../src/creds/ccache-config.js';
import { ccacheToKirbi, exportKirbi, importKirbi, kirbiToCcache } from '../../src/creds/kirbi.js';
import { Key } from '../../src/crypto/index.js';
import { Asn1DecodeError, FormatError, IntegrityError } from '../../src/errors.js';
import { toHex } from '../../src/util/bytes.js';

// DER built by hand from RFC 4120 5.8 (KRB-CRED) and 5.3 (Ticket), X.690 tag-length-value.
const enc = new TextEncoder();
function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const len = content.reduce((n, c) => n + c.length, 0);
  const head = len < 0x80 ? [tag, len] : len < 0x100 ? [tag, 0x81, len] : [tag, 0x82, len >> 8, len & 0xff];
  return new Uint8Array([...head, ...content.flatMap((c) => [...c])]);
}
const ctx = (n: number, v: Uint8Array) => tlv(0xa0 + n, v);
const int = (v: number) => tlv(0x02, new Uint8Array(v < 0x80 ? [v] : [0, v]));
const gstr = (s: string) => tlv(0x1b, enc.encode(s));
const octets = (b: number[]) => tlv(0x04, new Uint8Array(b));
const time = (s: string) => tlv(0x18, enc.encode(s));
const seq = (...c: Uint8Array[]) => tlv(0x30, ...c);
const pname = (type: number, ...names: string[]) => seq(ctx(0, int(type)), ctx(1, seq(...names.map(gstr))));

const KEY = Array.from({ length: 32 }, (_, i) => i + 1);
const CIPHER = [0xde, 0xad, 0xbe, 0xef];
const ticketDer = tlv(
  0x61,
  seq(
    ctx(0, int(5)),
    ctx(1, gstr('EXAMPLE.TEST')),
    ctx(2, pname(2, 'krbtgt', 'EXAMPLE.TEST')),
    ctx(3, seq(ctx(0, int(18)), ctx(1, int(2)), ctx(2, octets(CIPHER)))),
  ),
);
const infoDer = seq(
  ctx(0, seq(ctx(0, int(18)), ctx(1, octets(KEY)))),
  ctx(1, gstr('EXAMPLE.TEST')),
  ctx(2, pname(1, 'alice')),
  ctx(3, tlv(0x03, new Uint8Array([0, 0x40, 0xe1, 0, 0]))),
  ctx(4, time('20231114221320Z')),
  ctx(5, time('20231114221321Z')),
  ctx(6, time('20231115081320Z')),
  ctx(7, time('20231121221320Z')),
  ctx(8, gstr('EXAMPLE.TEST')),
  ctx(9, pname(2, 'krbtgt', 'EXAMPLE.TEST')),
);
const encPartDer = tlv(0x7d, seq(ctx(0, seq(infoDer))));
const kirbiDer = tlv(
  0x76,
  seq(
    ctx(0, int(5)),
    ctx(1, int(22)),
    ctx(2, seq(ticketDer)),
    ctx(3, seq(ctx(0, int(0)), ctx(2, tlv(0x04, encPartDer)))),
  ),
);

const expected: Credential = {
  client: { realm: 'EXAMPLE.TEST', nameType: 1, components: ['alice'] },
  server: { realm: 'EXAMPLE.TEST', nameType: 2, components: ['krbtgt', 'EXAMPLE.TEST'] },
  key: { etype: 18, bytes: new Uint8Array(KEY) },
  authtime: new Date('2023-11-14T22:13:20Z'),
  starttime: new Date('2023-11-14T22:13:21Z'),
  endtime: new Date('2023-11-15T08:13:20Z'),
  renewTill: new Date('2023-11-21T22:13:20Z'),
  isSkey: false,
  flags: 0x40e10000,
  addresses: [],
  authdata: [],
  ticket: ticketDer,
  secondTicket: new Uint8Array(0),
};

describe('importKirbi (hand-built KRB-CRED, enc-part in the clear as Rubeus/Impacket write it)', () => {
  it('reads the credential: names, key, times, flags as the ccache u32, ticket DER', () => {
    expect(importKirbi(kirbiDer)).toEqual([expected]);
  });

  it('exportKirbi writes the same bytes back', () => {
    expect(toHex(exportKirbi([expected]))).toBe(toHex(kirbiDer));
  });

  it('kirbiToCcache / ccacheToKirbi convert through a ccache, leaving config entries out', () => {
    const cc = kirbiToCcache(kirbiDer);
    expect(cc.defaultPrincipal).toEqual(expected.client);
    expect(cc.credentials).toEqual([expected]);
    const withConf: Ccache = {
      ...cc,
      credentials: [makeConfigEntry(expected.client, 'fast_avail', enc.encode('yes')), ...cc.credentials],
    };
    expect(toHex(ccacheToKirbi(withConf))).toBe(toHex(kirbiDer));
  });

  it('keeps addresses and unnamed flag bits', () => {
    const c: Credential = {
      ...expected,
      flags: 0x40e10001,
      addresses: [{ addrType: 2, address: new Uint8Array([127, 0, 0, 1]) }],
    };
    expect(importKirbi(exportKirbi([c]))).toEqual([c]);
  });

  it('round-trips an encrypted enc-part with the key (usage 14), and refuses it without or with a wrong key', () => {
    const key = new Key(18, new Uint8Array(32).fill(7));
    const der = exportKirbi(
      [expected, { ...expected, client: { ...expected.client, components: ['bob'] } }],
      { key },
    );
    expect(importKirbi(der, { key }).map((c) => c.client.components[0])).toEqual(['alice', 'bob']);
    expect(() => importKirbi(der)).toThrow(FormatError);
    expect(() => importKirbi(der, { key: new Key(18, new Uint8Array(32).fill(8)) })).toThrow(IntegrityError);
  });

  it.each([
    [
      'no ticket-info for the ticket',
      tlv(
        0x76,
        seq(
          ctx(0, int(5)),
          ctx(1, int(22)),
          ctx(2, seq(ticketDer)),
          ctx(3, seq(ctx(0, int(0)), ctx(2, tlv(0x04, tlv(0x7d, seq(ctx(0, seq()))))))),
        ),
      ),
      FormatError,
    ],
    [
      'a ticket-info without pname',
      tlv(
        0x76,
        seq(
          ctx(0, int(5)),
          ctx(1, int(22)),
          ctx(2, seq(ticketDer)),
          ctx(
            3,
            seq(
              ctx(0, int(0)),
              ctx(
                2,
                tlv(
                  0x04,
                  tlv(0x7d, seq(ctx(0, seq(seq(ctx(0, seq(ctx(0, int(18)), ctx(1, octets(KEY))))))))),
                ),
              ),
            ),
          ),
        ),
      ),
      FormatError,
    ],
    ['not a KRB-CRED', ticketDer, Asn1DecodeError],
    ['trailing bytes', new Uint8Array([...kirbiDer, 0]), Asn1DecodeError],
  ])('refuses %s', (_n, der, cls) => {
    expect(() => importKirbi(der)).toThrow(cls);
  });

  it('an empty KRB-CRED has no credentials for a ccache', () => {
    expect(() => kirbiToCcache(exportKirbi([]))).toThrow(FormatError);
  });
});

describe('importKirbi on a short TicketFlags BIT STRING (as Impacket 0.10 writes it)', () => {
  it('is a FormatError naming the field, with a hint', () => {
    const shortFlags = seq(
      ctx(0, seq(ctx(0, int(18)), ctx(1, octets(KEY)))),
      ctx(1, gstr('EXAMPLE.TEST')),
      ctx(2, pname(1, 'alice')),
      ctx(3, tlv(0x03, new Uint8Array([1, 0x81, 0xc2, 0, 0]))),
      ctx(8, gstr('EXAMPLE.TEST')),
      ctx(9, pname(2, 'krbtgt', 'EXAMPLE.TEST')),
    );
    const der = tlv(
      0x76,
      seq(
        ctx(0, int(5)),
        ctx(1, int(22)),
        ctx(2, seq(ticketDer)),
        ctx(3, seq(ctx(0, int(0)), ctx(2, tlv(0x04, tlv(0x7d, seq(ctx(0, seq(shortFlags)))))))),
      ),
    );
    let err: unknown;
    try {
      importKirbi(der);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).hint).toMatch(/Impacket/);
    expect((err as FormatError).cause).toBeInstanceOf(Asn1DecodeError);
  });
});
