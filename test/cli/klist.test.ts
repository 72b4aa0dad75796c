import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/run.js';
import { labKeytab, tgtCcache } from './creds-fixtures.js';
import { fakeIo } from './io.js';

const files = () => ({
  '/tmp/cc': tgtCcache(),
  '/etc/k.keytab': labKeytab(),
  junk: new Uint8Array([9, 9, 9]),
});

describe('tskrb klist', () => {
  it('lists the ccache named by KRB5CCNAME (FILE: prefix) by default', async () => {
    const io = fakeIo(files(), undefined, false, { KRB5CCNAME: 'FILE:/tmp/cc' });
    expect(await main(['klist'], io)).toBe(0);
    expect(io.out).toMatch(/^Ticket cache: FILE:\/tmp\/cc\nDefault principal: apache@ACME\.COM\n/);
    expect(io.out).toContain('krbtgt/ACME.COM@ACME.COM');
  });

  it('--json gives ISO times, flags by name and letters, enctypes', async () => {
    const io = fakeIo(files());
    expect(await main(['klist', '-c', '/tmp/cc', '--json'], io)).toBe(0);
    const v = JSON.parse(io.out) as { tickets: Record<string, unknown>[] };
    expect(v.tickets).toHaveLength(1);
    expect(v.tickets[0]).toMatchObject({
      client: 'apache@ACME.COM',
      server: 'krbtgt/ACME.COM@ACME.COM',
      flagLetters: 'FRIA',
      flags: ['forwardable', 'renewable', 'initial', 'pre-authent', 'enc-pa-rep'],
      sessionKeyEtype: 18,
      ticketEtype: 18,
    });
    expect(v.tickets[0]!['endtime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(v.tickets[0]!['sessionKey']).toBeUndefined();
  });

  it('-k lists a keytab (positional name), -e adds enctypes; --json hides keys', async () => {
    const io = fakeIo(files());
    expect(await main(['klist', '-k', '/etc/k.keytab', '-e'], io)).toBe(0);
    expect(io.out).toContain('   2 apache@ACME.COM (rc4-hmac) ');
    const j = fakeIo(files());
    expect(await main(['klist', '-k', '/etc/k.keytab', '--json'], j)).toBe(0);
    expect(j.out).not.toContain('"key"');
  });

  it('-s: exit 1 when every ticket has expired (the fixture TGT is from 2021)', async () => {
    const io = fakeIo(files());
    expect(await main(['klist', '-s', '-c', '/tmp/cc'], io)).toBe(1);
    expect(io.out).toBe('');
  });

  it.each([
    [['klist', '-c', 'junk'], 5],
    [['klist', '-c', '/nope'], 5],
    [['klist', '-k', '-c', '/tmp/cc'], 1],
    [['klist', 'a', 'b'], 1],
    [['klist', '-c', 'KEYRING:persistent:1000'], 1],
  ])('%j exits %i', async (argv, code) => {
    const io = fakeIo(files());
    expect(await main(argv, io)).toBe(code);
    expect(io.err).toMatch(/^tskrb: /);
  });
});
