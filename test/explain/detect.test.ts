import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeEncTicketPart, encodeKdcProxyMessage } from '../../src/asn1/index.js';
import { Asn1DecodeError, FormatError } from '../../src/errors.js';
import { decodeInputText, detectInput } from '../../src/explain/detect.js';
import { fromHex, toBase64, toHex, utf8 } from '../../src/util/bytes.js';
import { labKeytab, tgtCcache, tgtKirbi } from '../cli/creds-fixtures.js';
import { krbtgtKey, openVector, s4u2SelfExchange, ticketBytes } from '../cli/fixtures.js';

const pacVectors = JSON.parse(readFileSync('test/vectors/pac-examples.json', 'utf8')) as {
  pacs: { pac: string }[];
};

const self = s4u2SelfExchange();
const framed = (b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(b.length + 4);
  new DataView(out.buffer).setUint32(0, b.length);
  out.set(b, 4);
  return out;
};

const inputs: [string, () => Uint8Array][] = [
  ['Keytab', labKeytab],
  ['Ccache', tgtCcache],
  ['KRB-CRED', tgtKirbi],
  ['TGS-REQ', () => self.request],
  ['TGS-REP', () => self.reply],
  ['Ticket', () => ticketBytes('tgt_ticket')],
  ['EncTicketPart', () => encodeEncTicketPart(openVector('tgt_ticket', krbtgtKey).part)],
  ['PAC', () => fromHex(pacVectors.pacs[0]!.pac)],
];

describe('detectInput', () => {
  it.each(inputs)('recognises a binary %s', (name, bytes) => {
    const d = detectInput(bytes());
    expect([d.name, d.encoding, d.framed]).toEqual([name, 'binary', false]);
  });

  it.each(inputs.filter(([n]) => n !== 'Keytab' && n !== 'Ccache'))(
    'recognises a %s written as hex or base64 text',
    (name, bytes) => {
      const b = bytes();
      expect(detectInput(utf8(`${toHex(b)}\n`))).toMatchObject({ name, encoding: 'hex' });
      expect(detectInput(utf8(toBase64(b).replace(/(.{64})/g, '$1\n')))).toMatchObject({
        name,
        encoding: 'base64',
      });
    },
  );

  it('removes a TCP length prefix', () => {
    expect(detectInput(framed(self.reply))).toMatchObject({ name: 'TGS-REP', framed: true });
  });

  it('opens a KDC-PROXY-MESSAGE and recognises the message inside', () => {
    const d = detectInput(
      encodeKdcProxyMessage({ kerbMessage: framed(self.request), targetDomain: 'ACME.COM' }),
    );
    expect(d.name).toBe('KDC-PROXY-MESSAGE');
    expect(d.inner).toMatchObject({ name: 'TGS-REQ', framed: true });
  });

  it.each([
    ['empty input', new Uint8Array(0), FormatError],
    ['unknown bytes', Uint8Array.of(0xff, 0, 1, 2, 3, 4, 5, 6, 7), FormatError],
    ['text that is neither hex nor base64', utf8('hello, world!'), FormatError],
    ['a truncated message', self.request.subarray(0, 40), Asn1DecodeError],
  ])('refuses %s', (_name, bytes, error) => {
    expect(() => detectInput(bytes)).toThrow(error);
  });

  it('decodes 0x-prefixed hex and base64 text', () => {
    expect(decodeInputText(utf8('0x6a01'))).toEqual({ bytes: Uint8Array.of(0x6a, 0x01), encoding: 'hex' });
    expect(decodeInputText(utf8('YWJj'))).toEqual({ bytes: utf8('abc'), encoding: 'base64' });
  });
});
