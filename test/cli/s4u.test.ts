import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/run.js';
import { tgtCcache } from './creds-fixtures.js';
import { fakeIo } from './io.js';

const env = { KRB5_CONFIG: '/nonexistent/krb5.conf' };

describe('tskrb s4u: before any network', () => {
  it.each([
    [['s4u', '-c', 'cc', '--spn', 'cifs/x'], 's4u: --impersonate USER is required'],
    [['s4u', '-c', 'cc', '-U', 'alice'], 's4u: --spn SERVICE/HOST is required (or --self-only'],
    [['s4u', '-c', 'cc', '-U', 'alice', '--spn', 'a/b', '--self-only'], 's4u: --spn and --self-only exclude'],
    [['s4u', 'a@R', 'b@R', '-U', 'alice', '--spn', 'a/b'], 's4u: one front service principal'],
    [['s4u', 'a@R', '-U', 'alice', '--spn', 'a/b', '--password', 'x'], 's4u: unknown option --password'],
  ])('%j exits 1: %s', async (argv, message) => {
    const io = fakeIo({ cc: tgtCcache() }, undefined, false, env);
    expect(await main(argv, io)).toBe(1);
    expect(io.err).toContain(message);
  });

  it('from a ccache TGT, an unreachable KDC exits 3 and nothing is written', async () => {
    const io = fakeIo({ cc: tgtCcache() }, undefined, false, env);
    const argv = [
      's4u',
      '-c',
      'cc',
      '-U',
      'alice',
      '--spn',
      'cifs/x',
      '--kdc',
      '127.0.0.1:1',
      '--timeout',
      '2',
    ];
    expect(await main(argv, io)).toBe(3);
    expect(io.written).toEqual({});
  });

  it('help shows the getST-style examples', async () => {
    const io = fakeIo();
    expect(await main(['s4u', '--help'], io)).toBe(0);
    expect(io.out).toContain('--impersonate USER');
    expect(io.out).toContain('--altservice');
    expect(io.out).toMatch(/Examples:\n {2}tskrb s4u /);
  });
});
