import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/run.js';
import { labKeytab, tgtCcache } from './creds-fixtures.js';
import { fakeIo } from './io.js';

const env = { KRB5_CONFIG: '/nonexistent/krb5.conf' };

describe('tskrb kvno: before any network', () => {
  it.each([
    [['kvno', '-c', 'cc'], 'kvno: name at least one service'],
    [['kvno', '-c', 'cc', '-P', 'cifs/x'], 'kvno: -P needs -U USER'],
    [['kvno', '-c', 'cc', '-U', 'alice', 'a', 'b'], 'kvno -U: one service'],
    [['kvno', '-c', 'cc', '-U', 'alice', '--u2u', 'cc', 'x'], 'kvno: --u2u and -U exclude each other'],
    [['kvno', '-c', 'cc', 'x', '-e', 'nope'], "-e: unknown or unsupported enctype 'nope'"],
  ])('%j exits 1: %s', async (argv, message) => {
    const io = fakeIo({ cc: tgtCcache() }, undefined, false, env);
    expect(await main(argv, io)).toBe(1);
    expect(io.err).toContain(message);
  });

  it('a ccache without a TGT for its default principal exits 5 and says how to get one', async () => {
    const io = fakeIo({ kt: labKeytab() }, undefined, false, env);
    expect(await main(['kvno', '-c', 'kt', 'HTTP/x'], io)).toBe(5);
  });

  it('an unreachable KDC exits 3; the ccache is left as it was', async () => {
    const io = fakeIo({ cc: tgtCcache() }, undefined, false, env);
    expect(await main(['kvno', '-c', 'cc', 'HTTP/web', '--kdc', '127.0.0.1:1', '--timeout', '2'], io)).toBe(
      3,
    );
    expect(io.written).toEqual({});
  });
});
