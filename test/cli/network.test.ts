import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import {
  clientFor,
  defaultRealmOf,
  enctypesOf,
  kdcsOf,
  NETWORK_OPTIONS,
  parseEnctypeList,
} from '../../src/cli/network.js';
import { krb5Settings, parseKrb5Conf } from '../../src/transport/index.js';
import { fakeIo } from './io.js';

const specs = [...NETWORK_OPTIONS, { name: 'enctypes', short: 'e', value: 'LIST', help: '' }];
const args = (argv: string[]) => parseArgs(argv, specs, 'test');
const settings = (text: string) => krb5Settings(parseKrb5Conf(text));

describe('parseEnctypeList', () => {
  it.each([
    ['aes256-cts,aes128-cts', [18, 17]],
    ['18 17 23', [18, 17, 23]],
    ['aes256-cts-hmac-sha384-192, rc4-hmac', [20, 23]],
  ])('%s is %j', (text, etypes) => {
    expect(parseEnctypeList(text)).toEqual(etypes);
  });
  it.each(['', 'des-cbc-crc', '1', 'aes256-cts,camellia'])('%j is a usage error', (text) => {
    expect(() => parseEnctypeList(text)).toThrow('-e: ');
  });
});

describe('realm and enctypes from the command line and krb5.conf', () => {
  const conf = settings(
    '[libdefaults]\n default_realm = EXAMPLE.COM\n default_tkt_enctypes = aes128-cts-hmac-sha1-96 des-cbc-crc arcfour-hmac\n',
  );
  it('--realm wins over default_realm', () => {
    expect(defaultRealmOf(args(['--realm', 'R']), conf)).toBe('R');
    expect(defaultRealmOf(args([]), conf)).toBe('EXAMPLE.COM');
    expect(defaultRealmOf(args([]), settings(''))).toBeUndefined();
  });
  it('-e wins; else default_tkt_enctypes keeps the names tskrb supports; else the library default', () => {
    expect(enctypesOf(args(['-e', '18']), conf)).toEqual([18]);
    expect(enctypesOf(args([]), conf)).toEqual([17, 23]);
    expect(enctypesOf(args([]), settings(''))).toBeUndefined();
  });
});

describe('kdcsOf', () => {
  it('puts bare addresses under the realm and REALM= addresses under theirs, in order', () => {
    const a = args(['--kdc', '127.0.0.1:88', '--kdc', 'OTHER.TEST=127.0.0.1:10188', '--kdc', '[::1]:88']);
    expect(kdcsOf(a, 'MIT.TEST')).toEqual({
      'MIT.TEST': ['127.0.0.1:88', '[::1]:88'],
      'OTHER.TEST': ['127.0.0.1:10188'],
    });
    expect(kdcsOf(args([]), 'R')).toEqual({});
    expect(() => kdcsOf(args(['--kdc', '=h:1']), 'R')).toThrow('empty realm');
  });
});

describe('clientFor', () => {
  it('refuses a timeout that is not a positive number of seconds', () => {
    expect(() => clientFor(args(['--timeout', '-1']), fakeIo(), settings(''), 'R')).toThrow('--timeout');
  });
  it('with --trace, writes the tree of an exchange that failed when flushed', async () => {
    const io = fakeIo();
    const ctx = clientFor(args(['--trace', '--kdc', '127.0.0.1:1', '--timeout', '2']), io, settings(''), 'R');
    ctx.client.trace(1, 'AS', 'request', 'AS-REQ to realm R');
    ctx.flush();
    expect(io.out).toMatch(/^#1 AS: 0 ms/);
    expect(io.out).toContain('request: AS-REQ to realm R');
  });
  it('warnings go to stderr even without --trace', () => {
    const io = fakeIo();
    const ctx = clientFor(args([]), io, settings(''), 'R');
    ctx.client.trace(0, 'S4U2Self', 'warning', 'not forwardable');
    ctx.flush();
    expect(io.err).toBe('tskrb: warning: not forwardable\n');
    expect(io.out).toBe('');
  });
});
