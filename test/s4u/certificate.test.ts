import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { readUserCertificate } from '../../src/s4u/index.js';
import { USER_CERT_DER as DER } from './fixtures.js';

describe('readUserCertificate', () => {
  it('names the subject, issuer, serial and validity of the user certificate', () => {
    const c = readUserCertificate(DER);
    expect(c.subject).toBe('CN=alice, O=SAMBA.TEST');
    expect(c.issuer).toBe('CN=alice, O=SAMBA.TEST');
    expect(c.serial).toBe('1234');
    expect(c.notBefore.toISOString()).toBe('2026-11-23T10:59:12.000Z');
    expect(c.notAfter.toISOString()).toBe('2036-11-20T10:59:12.000Z');
    expect(c.der).toBe(DER);
  });

  it.each([
    ['empty bytes', new Uint8Array(0)],
    ['a truncated certificate', DER.subarray(0, 100)],
    ['not DER at all', Uint8Array.of(1, 2, 3, 4)],
  ])('refuses %s with a FormatError', (_n, bytes) => {
    expect(() => readUserCertificate(bytes)).toThrow(FormatError);
  });
});
