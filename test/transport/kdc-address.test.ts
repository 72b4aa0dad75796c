import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { formatAttemptAddress, formatHostPort, parseKdcAddress } from '../../src/transport/kdc-address.js';

describe('parseKdcAddress (krb5.conf(5) kdc syntax)', () => {
  it.each([
    ['kdc.example.com', { host: 'kdc.example.com', port: 88, protocol: 'auto' }],
    ['kdc.example.com:750', { host: 'kdc.example.com', port: 750, protocol: 'auto' }],
    ['127.0.0.1:10188', { host: '127.0.0.1', port: 10188, protocol: 'auto' }],
    ['[::1]:88', { host: '::1', port: 88, protocol: 'auto' }],
    ['[::1]', { host: '::1', port: 88, protocol: 'auto' }],
    ['fe80::1', { host: 'fe80::1', port: 88, protocol: 'auto' }],
    ['tcp/kdc:8888', { host: 'kdc', port: 8888, protocol: 'tcp' }],
    ['UDP/[2001:db8::5]:99', { host: '2001:db8::5', port: 99, protocol: 'udp' }],
    ['  udp/kdc  ', { host: 'kdc', port: 88, protocol: 'udp' }],
    [
      'https://proxy.example.com/KdcProxy',
      { host: 'proxy.example.com', port: 443, protocol: 'https', url: 'https://proxy.example.com/KdcProxy' },
    ],
    ['https://[::1]:8443/kdc', { host: '::1', port: 8443, protocol: 'https', url: 'https://[::1]:8443/kdc' }],
  ])('%s', (text, want) => {
    expect(parseKdcAddress(text)).toEqual(want);
  });

  it('uses the given default port', () => {
    expect(parseKdcAddress('kdc', 750).port).toBe(750);
  });

  it.each([
    '',
    'tcp/',
    'kdc:',
    'kdc:0',
    'kdc:65536',
    'kdc:88x',
    '[::1',
    '[::1]x',
    'a b:88',
    'user@kdc',
    'https://',
  ])('refuses %j with a FormatError and a hint', (text) => {
    let err: unknown;
    try {
      parseKdcAddress(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
  });
});

describe('address formatting', () => {
  it.each([
    [{ host: '127.0.0.1', port: 88 }, '127.0.0.1:88'],
    [{ host: '::1', port: 88 }, '[::1]:88'],
  ])('%o -> %s', (a, s) => {
    expect(formatHostPort(a)).toBe(s);
    expect(formatAttemptAddress({ ...a, proto: 'tcp' })).toBe(`tcp/${s}`);
  });
});
