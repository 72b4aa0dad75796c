import { describe, expect, it } from 'vitest';
import {
  encodeEtypeInfo2,
  encodeMethodData,
  encodePaPacOptions,
  encodePaPacRequest,
  encodePaS4uX509User,
  encodePaSupportedEnctypes,
  MessageType,
  NameType,
  PaDataType,
} from '../../src/asn1/index.js';
import type { ExplainNode } from '../../src/explain/explain.js';
import { explain } from '../../src/explain/explain.js';
import { PADATA_MEANINGS, padataName } from '../../src/explain/padata.js';
import { fromHex } from '../../src/util/bytes.js';

/** Explains one PA-DATA through the public entry point (a PA-DATA value is detected by shape). */
const paNode = (padataType: number, padataValue: Uint8Array): ExplainNode =>
  explain({ padataType, padataValue });

const s4uUser = (options?: { checkLogonHours: boolean }) =>
  encodePaS4uX509User({
    userId: {
      nonce: 7,
      cname: { nameType: NameType.NT_ENTERPRISE, nameString: ['alice@example.com'] },
      crealm: 'EXAMPLE.COM',
      ...(options ? { options } : {}),
    },
    checksum: { cksumtype: 16, checksum: new Uint8Array(12) },
  });

describe('padata names and meanings', () => {
  it.each([
    [PaDataType.TGS_REQ, 'PA-TGS-REQ', 'AP-REQ proving possession of the TGT'],
    [PaDataType.FOR_USER, 'PA-FOR-USER', 'S4U2Self: the user the service asks a ticket for'],
    [
      PaDataType.PAC_OPTIONS,
      'PA-PAC-OPTIONS',
      'resource-based constrained delegation bit, claims, branch-aware',
    ],
    [
      PaDataType.ETYPE_INFO2,
      'PA-ETYPE-INFO2',
      'which enctype, salt and iteration count turn the password into the client key',
    ],
    [
      PaDataType.FX_FAST,
      'PA-FX-FAST',
      'FAST: the real request or reply travels encrypted in the armor key (RFC 6113)',
    ],
    [PaDataType.KERB_KEY_LIST_REQ, 'KERB-KEY-LIST-REQ', undefined],
  ])('%i is %s', (type, name, meaning) => {
    expect(padataName(type)).toBe(name);
    if (meaning !== undefined) expect(PADATA_MEANINGS.get(type)).toBe(meaning);
  });

  it('names an unknown type by number', () => {
    expect(padataName(9999)).toBe('padata-9999');
    expect(paNode(9999, Uint8Array.of(1, 2))).toEqual({
      label: 'padata-9999 (9999)',
      children: [{ label: 'value', value: '2 bytes 0102' }],
    });
  });
});

describe('padata values explained', () => {
  it.each([
    [
      'ETYPE-INFO2 with an iteration count',
      PaDataType.ETYPE_INFO2,
      encodeEtypeInfo2([{ etype: 18, salt: 'EXAMPLE.COMalice', s2kparams: fromHex('00008000') }]),
      [
        ['etype', 'aes256-cts-hmac-sha1-96 (18)'],
        ['salt', '"EXAMPLE.COMalice"'],
        ['iterations', '32768'],
      ],
    ],
    [
      'ETYPE-INFO2 with the default count',
      PaDataType.ETYPE_INFO2,
      encodeEtypeInfo2([{ etype: 17, salt: 'R' }]),
      [
        ['etype', 'aes128-cts-hmac-sha1-96 (17)'],
        ['salt', '"R"'],
        ['iterations', '4096'],
      ],
    ],
    [
      'ETYPE-INFO2 for rc4',
      PaDataType.ETYPE_INFO2,
      encodeEtypeInfo2([{ etype: 23 }]),
      [
        ['etype', 'rc4-hmac (23)'],
        ['salt', 'default'],
        ['string-to-key', 'MD4 of the password'],
      ],
    ],
    [
      'PA-PAC-REQUEST',
      PaDataType.PAC_REQUEST,
      encodePaPacRequest({ includePac: false }),
      [['include-pac', 'false']],
    ],
    [
      'PA-PAC-OPTIONS',
      PaDataType.PAC_OPTIONS,
      encodePaPacOptions({ flags: { resourceBasedConstrainedDelegation: true } }),
      [
        ['flags', 'resource-based-constrained-delegation'],
        ['resource-based-constrained-delegation', undefined],
      ],
    ],
    [
      'PA-SUPPORTED-ENCTYPES',
      PaDataType.SUPPORTED_ETYPES,
      encodePaSupportedEnctypes(0x1c),
      [['mask', '0x1c']],
    ],
    ['an empty value', PaDataType.FX_COOKIE, new Uint8Array(0), [['value', 'empty']]],
  ])('%s', (_name, type, bytes, expected) => {
    const flat = (n: ExplainNode): ExplainNode[] => (n.children ?? []).flatMap((c) => [c, ...flat(c)]);
    expect(flat(paNode(type, bytes)).map((c) => [c.label, c.value])).toEqual(expected);
  });

  it('names the supported enctypes of the mask', () => {
    expect(paNode(PaDataType.SUPPORTED_ETYPES, encodePaSupportedEnctypes(0x1c)).children?.[0]?.note).toBe(
      'rc4-hmac, aes128-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96',
    );
  });

  it('gives PA-S4U-X509-USER its request and reply key usages (26, 27)', () => {
    const pa = [{ padataType: PaDataType.S4U_X509_USER, padataValue: s4uUser() }];
    const body = { kdcOptions: {}, realm: 'EXAMPLE.COM', till: new Date(0), nonce: 7, etype: [18] };
    const inRequest = explain({ pvno: 5, msgType: MessageType.TGS_REQ, padata: pa, reqBody: body });
    const sname = { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', 'EXAMPLE.COM'] };
    const error = {
      pvno: 5,
      msgType: MessageType.KRB_ERROR,
      stime: new Date(0),
      susec: 0,
      errorCode: 25,
      realm: 'EXAMPLE.COM',
      sname,
      eData: encodeMethodData(pa),
    };
    const inReply = explain(error);
    const s4u = (n: ExplainNode): ExplainNode => {
      const all = (x: ExplainNode): ExplainNode[] => [x, ...(x.children ?? []).flatMap(all)];
      return all(n).find((x) => x.label === `PA-S4U-X509-USER (${PaDataType.S4U_X509_USER})`)!;
    };
    const req = s4u(inRequest);
    const rep = s4u(inReply);
    expect(req.children?.[1]?.note).toContain('usage 26');
    expect(rep.children?.[1]?.note).toContain('usage 27');
    expect(req.children?.[0]?.children?.[1]).toMatchObject({
      label: 'cname',
      value: 'alice\\@example.com@EXAMPLE.COM',
    });
  });

  it('spells S4U options out', () => {
    const n = paNode(PaDataType.S4U_X509_USER, s4uUser({ checkLogonHours: true }));
    const options = n.children?.[0]?.children?.find((c) => c.label === 'options');
    expect(options?.value).toBe('check-logon-hours');
  });

  it('keeps an undecodable value as bytes with the reason', () => {
    const n = paNode(PaDataType.ETYPE_INFO2, Uint8Array.of(0x30, 0x03, 0x02, 0x01));
    expect(n.children?.[0]?.value).toBe('4 bytes 30030201');
    expect(n.children?.[0]?.note).toMatch(/^could not decode: /);
  });
});
