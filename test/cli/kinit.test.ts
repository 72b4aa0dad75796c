import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/commands/kinit.js';
import { main } from '../../src/cli/run.js';
import { utf8 } from '../../src/util/bytes.js';
import { labKeytab } from './creds-fixtures.js';
import { fakeIo } from './io.js';

describe('parseDuration', () => {
  it.each([
    ['3600', 3600],
    ['10h', 36_000],
    ['1d', 86_400],
    ['1d2h30m', 86_400 + 7200 + 1800],
    ['90s', 90],
    ['2:30', 9000],
    ['1:00:05', 3605],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseDuration(text, '-l')).toBe(seconds);
  });

  it.each(['', 'ten hours', '10x', '1h-'])('refuses %j', (text) => {
    expect(() => parseDuration(text, '-l')).toThrow("-l '");
  });
});

describe('tskrb kinit: before any network', () => {
  const env = { KRB5_CONFIG: '/nonexistent/krb5.conf' };
  it.each([
    [['kinit', '--password', 'x'], 'kinit: unknown option --password'],
    [['kinit', 'a', 'b', '--realm', 'R'], 'kinit: one principal at a time'],
    [['kinit', 'alice@R', '-t', 'kt'], '-t KEYTAB needs -k'],
    [['kinit', 'alice@R', '-T', 'cc', '--kdc', '127.0.0.1:1'], '-T CCACHE needs --fast'],
    [['kinit', 'alice'], "principal 'alice' has no realm"],
    [['kinit', 'alice@R', '-e', 'des-cbc-crc'], "-e: unknown or unsupported enctype 'des-cbc-crc'"],
    [['kinit', 'alice@R', '-l', 'forever'], "-l 'forever' is not a duration"],
    [['kinit', '-k', '-t', 'kt', 'nobody@ACME.COM'], 'keytab kt has no key for nobody@ACME.COM'],
    [['kinit', '-n'], 'kinit -n: name the realm'],
  ])('%j exits 1: %s', async (argv, message) => {
    const io = fakeIo({ kt: labKeytab() }, utf8('pw\n'), false, env);
    expect(await main(argv, io)).toBe(1);
    expect(io.err).toContain(message);
    expect(io.err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a KDC that does not answer exits 3 and writes no ccache', async () => {
    const io = fakeIo({ pw: utf8('secret\n') }, new Uint8Array(0), false, env);
    const argv = [
      'kinit',
      'alice@R',
      '--password-file',
      'pw',
      '--kdc',
      '127.0.0.1:1',
      '-c',
      '/x/cc',
      '--timeout',
      '2',
    ];
    expect(await main(argv, io)).toBe(3);
    expect(io.err).toMatch(/^tskrb: no KDC of realm R answered/);
    expect(io.written).toEqual({});
  });

  it('help lists the password sources and never a password option', async () => {
    const io = fakeIo();
    expect(await main(['kinit', '--help'], io)).toBe(0);
    expect(io.out).toContain('--password-file FILE');
    expect(io.out).not.toMatch(/--password\s/);
    expect(io.out).toContain('without echo');
  });
});
