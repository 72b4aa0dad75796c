/** Strict DER rules (X.690 10) as enforced by the reader, and the error path + offset it reports. */
import { describe, expect, it } from 'vitest';
import { decodeTop, Tag } from '../../src/asn1/der.js';
import {
  decodeEncryptedData,
  decodeEncryptionKey,
  decodePaEncTsEnc,
  decodePaPacRequest,
  decodePrincipalName,
  decodeTgsReq,
  encodePrincipalName,
  encodeTgsReq,
  KdcOptionBit,
} from '../../src/asn1/index.js';
import { Asn1DecodeError } from '../../src/errors.js';
import { fromHex, toHex } from '../../src/util/bytes.js';

// EncryptionKey { keytype 1, keyvalue "12345678" } as MIT encodes it.
const KEY = '3011a003020101a10a04083132333435363738';

function fails(f: () => unknown, reason: RegExp, path?: string, offset?: number): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Asn1DecodeError);
    const err = e as Asn1DecodeError;
    expect(err.message).toMatch(reason);
    if (path !== undefined) expect(err.path).toBe(path);
    if (offset !== undefined) expect(err.offset).toBe(offset);
    return;
  }
  throw new Error('expected an Asn1DecodeError');
}

describe('lengths', () => {
  it.each([
    ['long form for a short length', '308111a003020101a10a04083132333435363738', /not minimal/],
    ['leading zero length octet', '30820011a003020101a10a04083132333435363738', /not minimal/],
    ['indefinite length', '3080a003020101a10a040831323334353637380000', /indefinite/],
    ['five length octets', '30850000000011', /too long/],
    ['length past the end', '3012a003020101a10a04083132333435363738', /exceeds/],
    ['truncated header', '30', /truncated/],
    ['trailing byte', `${KEY}00`, /trailing/],
    ['high tag number', '3f1100', /high tag/],
  ])('%s is rejected', (_, hex, reason) => {
    fails(() => decodeEncryptionKey(fromHex(hex)), reason);
  });
});

describe('INTEGER', () => {
  it.each([
    ['leading 00 before a positive byte', '3012a00402020001a10a04083132333435363738', /minimal/],
    ['leading ff before a negative byte', '3012a0040202ff80a10a04083132333435363738', /minimal/],
    ['empty contents', '3010a0020200a10a04083132333435363738', /no content/],
  ])('%s is rejected', (_, hex, reason) => {
    fails(() => decodeEncryptionKey(fromHex(hex)), reason);
  });

  it('rejects keytype 2^31 (outside Int32) with the field path', () => {
    fails(
      () => decodeEncryptionKey(fromHex('3015a00702050080000000a10a04083132333435363738')),
      /out of range/,
      'EncryptionKey.keytype',
      6,
    );
  });

  it('accepts kvno as signed (MIT, Windows) or unsigned 32-bit', () => {
    const cipher = 'a2030401aa';
    expect(decodeEncryptedData(fromHex(`300fa003020112a1030201ff${cipher}`)).kvno).toBe(-1);
    expect(decodeEncryptedData(fromHex(`3013a003020112a107020500ffffffff${cipher}`)).kvno).toBe(4294967295);
  });
});

describe('other primitives', () => {
  it('BOOLEAN must be 00 or ff', () => {
    expect(decodePaPacRequest(fromHex('3005a0030101ff')).includePac).toBe(true);
    expect(decodePaPacRequest(fromHex('3005a003010100')).includePac).toBe(false);
    fails(() => decodePaPacRequest(fromHex('3005a003010101')), /BOOLEAN/);
  });

  it('Microseconds above 999999 are rejected', () => {
    // PA-ENC-TS-ENC { patimestamp 19940610060317Z, pausec 1000000 }
    fails(
      () => decodePaEncTsEnc(fromHex('301aa011180f31393934303631303036303331375aa10502030f4240')),
      /Microseconds 1000000 out of range/,
      'PA-ENC-TS-ENC.pausec',
    );
  });

  it('GeneralString must be valid UTF-8; UTF-8 (and a BOM) round-trips', () => {
    fails(() => decodePrincipalName(fromHex('300ea003020101a10730051b03c328ff')), /UTF-8/);
    const v = { nameType: 1, nameString: ['Müller', '\ufeffx', '𝄞'] };
    expect(decodePrincipalName(encodePrincipalName(v))).toEqual(v);
    expect(toHex(encodePrincipalName({ nameType: 1, nameString: ['é'] }))).toBe(
      '300da003020101a10630041b02c3a9',
    );
  });

  it('wrong tag order is rejected', () => {
    // keyvalue [1] before keytype [0]
    fails(
      () => decodeEncryptionKey(fromHex('3011a10a04083132333435363738a003020101')),
      /expected \[0\] keytype/,
      'EncryptionKey.keytype',
    );
  });
});

describe('error path and offset', () => {
  it('names TGS-REQ.req-body.sname.name-string[1] and the byte offset of its contents', () => {
    const b = encodeTgsReq({
      pvno: 5,
      msgType: 12,
      reqBody: {
        kdcOptions: { forwardable: true },
        realm: 'R',
        sname: { nameType: 2, nameString: ['krbtgt', 'X'] },
        till: new Date(0),
        nonce: 1,
        etype: [18],
      },
    });
    const at = toHex(b).indexOf('1b0158') / 2;
    const bad = b.slice();
    bad[at + 2] = 0xff;
    fails(() => decodeTgsReq(bad), /UTF-8/, 'TGS-REQ.req-body.sname.name-string[1]', at + 2);
  });

  it('a wrong msg-type is a decode error at TGS-REQ.msg-type', () => {
    const v = {
      pvno: 5,
      msgType: 10,
      reqBody: { kdcOptions: {}, realm: 'R', till: new Date(0), nonce: 1, etype: [] },
    };
    fails(() => decodeTgsReq(encodeTgsReq(v)), /msg-type 10 out of range 12\.\.12/, 'TGS-REQ.msg-type');
    expect(KdcOptionBit.canonicalize).toBe(15);
  });

  it('a missing or wrong field is named by number and name, at the path of the field', () => {
    // EncryptionKey with keytype only, then with keyvalue under [2] instead of [1].
    fails(
      () => decodeEncryptionKey(fromHex('3005a003020101')),
      /: missing \[1\] keyvalue \(expected tag 0xa1\)/,
      'EncryptionKey.keyvalue',
      7,
    );
    fails(
      () => decodeEncryptionKey(fromHex('3011a003020101a20a04083132333435363738')),
      /: expected \[1\] keyvalue \(tag 0xa1\), found tag 0xa2/,
      'EncryptionKey.keyvalue',
      7,
    );
  });
});

describe('byte fields: copies by default, views of the input with `views`', () => {
  it('an OCTET STRING is a fresh copy by default: changing the input after does not change it', () => {
    const input = fromHex(KEY);
    const key = decodeEncryptionKey(input);
    expect(key.keyvalue.buffer).not.toBe(input.buffer);
    input.fill(0);
    expect(toHex(key.keyvalue)).toBe('3132333435363738');
  });

  it('with `views: true` it is a view of the input at its contents (no copy)', () => {
    const input = fromHex(KEY);
    const key = decodeEncryptionKey(input, { views: true });
    expect(key.keyvalue.buffer).toBe(input.buffer);
    expect(key.keyvalue.byteOffset).toBe(11);
    expect(toHex(key.keyvalue)).toBe('3132333435363738');
  });

  it('captured, raw and rest follow the same option', () => {
    const input = fromHex(KEY);
    const read = (views: boolean) =>
      decodeTop(
        input,
        'test',
        (r) =>
          r.seq((s) => {
            const kt = s.captured((c) => c.field(0, 'keytype', (f) => f.raw('INTEGER', Tag.Integer)));
            const rest = s.rest();
            return { captured: kt.bytes, raw: kt.value, rest };
          }),
        { views },
      );
    const copies = read(false);
    const views = read(true);
    for (const k of ['captured', 'raw', 'rest'] as const) {
      expect(views[k]).toEqual(copies[k]);
      expect(views[k].buffer).toBe(input.buffer);
      expect(copies[k].buffer).not.toBe(input.buffer);
    }
    expect(toHex(views.captured)).toBe('a003020101');
    expect(toHex(views.raw)).toBe('020101');
  });
});
