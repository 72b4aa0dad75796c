import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { describeCommand } from '../../src/cli/commands/describe.js';
import { UsageError } from '../../src/cli/errors.js';
import { addGivenKeys } from '../../src/cli/keyring.js';
import { Keyring } from '../../src/explain/keyring.js';
import { labKeytab } from './creds-fixtures.js';
import { REALM } from './fixtures.js';
import { fakeIo } from './io.js';

describe('key sources', () => {
  it('addGivenKeys: --key and --keytab, labelled; --salt without --password is a usage error', async () => {
    const args = (...argv: string[]) => parseArgs(argv, describeCommand.options, 'describe');
    const ring = new Keyring();
    await addGivenKeys(
      ring,
      args('--key', `rc4:${'ab'.repeat(16)}`, '--keytab', 'lab.keytab'),
      fakeIo({ 'lab.keytab': labKeytab() }),
    );
    expect(ring.keys.map((k) => k.label)).toEqual([
      '--key 1 (rc4-hmac)',
      `lab.keytab key of krbtgt/${REALM}@${REALM} kvno 2`,
      `lab.keytab key of krbtgt/${REALM}@${REALM} kvno 2`,
      `lab.keytab key of apache@${REALM} kvno 2`,
    ]);
    await expect(addGivenKeys(new Keyring(), args('--salt', 'X'), fakeIo())).rejects.toThrow(UsageError);
  });
});
