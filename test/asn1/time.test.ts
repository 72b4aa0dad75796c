/** KerberosTime (RFC 4120 5.2.3): exactly YYYYMMDDHHMMSSZ, checked field ranges, whole seconds. */
import { describe, expect, it } from 'vitest';
import { decodePaEncTsEnc, encodePaEncTsEnc } from '../../src/asn1/index.js';
import { Asn1DecodeError } from '../../src/errors.js';
import { toHex } from '../../src/util/bytes.js';

const ascii = (s: string): string => toHex(new TextEncoder().encode(s));
/** PA-ENC-TS-ENC { patimestamp <GeneralizedTime with these characters> } built by hand. */
function tsEnc(text: string): Uint8Array {
  const t = ascii(text);
  const n = text.length;
  const inner = `18${n.toString(16).padStart(2, '0')}${t}`;
  const field = `a0${(n + 2).toString(16).padStart(2, '0')}${inner}`;
  const hex = `30${(n + 4).toString(16).padStart(2, '0')}${field}`;
  return Uint8Array.from(hex.match(/../g)!.map((h) => Number.parseInt(h, 16)));
}

describe('KerberosTime', () => {
  it.each([
    ['19940610060317Z', Date.UTC(1994, 5, 10, 6, 3, 17)],
    ['20000229235959Z', Date.UTC(2000, 1, 29, 23, 59, 59)],
    ['19700101000000Z', 0],
    ['99991231235959Z', Date.UTC(9999, 11, 31, 23, 59, 59)],
  ])('%s decodes and re-encodes', (text, ms) => {
    const v = decodePaEncTsEnc(tsEnc(text));
    expect(v.patimestamp.getTime()).toBe(ms);
    expect(toHex(encodePaEncTsEnc(v))).toBe(toHex(tsEnc(text)));
  });

  it.each([
    ['fraction', '19940610060317.5Z'],
    ['no Z', '19940610060317'],
    ['offset', '19940610060317+0000'],
    ['two-digit year', '940610060317Z'],
    ['month 13', '19941310060317Z'],
    ['day 0', '19940600060317Z'],
    ['Feb 29 in 1995', '19950229000000Z'],
    ['Feb 29 in 1900', '19000229000000Z'],
    ['April 31', '19940431000000Z'],
    ['hour 24', '19940610240000Z'],
    ['leap second', '19940610235960Z'],
    ['a space', '1994061006031 Z'],
    ['lower-case z', '19940610060317z'],
  ])('%s is rejected', (_, text) => {
    expect(() => decodePaEncTsEnc(tsEnc(text))).toThrow(Asn1DecodeError);
  });

  it('the encoder drops milliseconds (usec fields carry sub-second time)', () => {
    const v = encodePaEncTsEnc({ patimestamp: new Date(Date.UTC(1994, 5, 10, 6, 3, 17, 999)) });
    expect(toHex(v)).toBe(toHex(tsEnc('19940610060317Z')));
  });

  it('the encoder refuses an invalid Date and years past 9999', () => {
    expect(() => encodePaEncTsEnc({ patimestamp: new Date(Number.NaN) })).toThrow(/invalid Date/);
    expect(() => encodePaEncTsEnc({ patimestamp: new Date(Date.UTC(10000, 0, 1)) })).toThrow(/year/);
  });
});
