/** KerberosTime (RFC 4120 5.2.3): GeneralizedTime restricted to `YYYYMMDDHHMMSSZ`, as a Date in whole seconds. */
import { KerberosError } from '../errors.js';
import { type Read, Tag } from './der.js';
import { DerNode } from './der-write.js';

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** KerberosTime: exactly 15 octets `YYYYMMDDHHMMSSZ`, every field in range, no fractions, no leap second. */
export const readKerberosTime: Read<Date> = (r) => {
  const { bytes, offset } = r.primitive(Tag.GeneralizedTime, 'KerberosTime');
  if (bytes.length !== 15 || bytes[14] !== 0x5a) r.fail('KerberosTime must be YYYYMMDDHHMMSSZ', offset);
  for (let i = 0; i < 14; i++) {
    const c = bytes[i]!;
    if (c < 0x30 || c > 0x39) r.fail('KerberosTime must be YYYYMMDDHHMMSSZ', offset + i);
  }
  const num = (i: number, n: number): number => {
    let v = 0;
    for (let k = 0; k < n; k++) v = v * 10 + bytes[i + k]! - 0x30;
    return v;
  };
  const year = num(0, 4);
  const month = num(4, 2);
  const day = num(6, 2);
  const hour = num(8, 2);
  const minute = num(10, 2);
  const second = num(12, 2);
  const dim = month === 2 && !isLeap(year) ? 28 : (DAYS[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > dim || hour > 23 || minute > 59 || second > 59)
    r.fail('KerberosTime field out of range', offset);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d;
};

/** KerberosTime of `d`, truncated to whole seconds (RFC 4120: fractions are carried in usec fields). */
export function writeKerberosTime(d: Date): DerNode {
  const t = d.getTime();
  if (!Number.isFinite(t)) throw new KerberosError('cannot encode KerberosTime: invalid Date');
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) throw new KerberosError(`cannot encode KerberosTime: year ${y} outside 0000..9999`);
  const out = new Uint8Array(15);
  const put = (at: number, v: number, n: number): void => {
    for (let i = at + n - 1, x = v; i >= at; i--, x = Math.floor(x / 10)) out[i] = 0x30 + (x % 10);
  };
  put(0, y, 4);
  put(4, d.getUTCMonth() + 1, 2);
  put(6, d.getUTCDate(), 2);
  put(8, d.getUTCHours(), 2);
  put(10, d.getUTCMinutes(), 2);
  put(12, d.getUTCSeconds(), 2);
  out[14] = 0x5a;
  return DerNode.primitive(Tag.GeneralizedTime, out);
}
