/** `tskrb kinit --token FILE`: usage errors before any network, and the MIT FAST-only realm's refusal (lab). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/run.js';
import { utf8 } from '../../src/util/bytes.js';
import { mitLab } from '../helpers/lab.js';
import { fakeIo } from './io.js';

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const jwt = (claims: object) =>
  `${b64url('{"alg":"RS256"}')}.${b64url(JSON.stringify(claims))}.${b64url('sig')}`;

describe('tskrb kinit --token: before any network', () => {
  const env = { KRB5_CONFIG: '/nonexistent/krb5.conf' };
  it.each([
    [['kinit', '--token', 'tok', '--realm', 'R'], 'kinit --token: name the principal'],
    [['kinit', 'alice@R', '--token', 'tok', '-k'], '--token is the credential'],
    [['kinit', 'alice@R', '--token', 'bad'], 'a JWT in compact serialization has 3 base64url parts'],
  ])('%j exits with a usage or format error: %s', async (argv, message) => {
    const io = fakeIo(
      { tok: utf8(jwt({ iss: 'idp' })), bad: utf8('not-a-jwt') },
      new Uint8Array(0),
      false,
      env,
    );
    expect(await main(argv, io)).not.toBe(0);
    expect(io.err).toContain(message);
    expect(io.written).toEqual({});
  });

  it('help shows --token and that it implies FAST', async () => {
    const io = fakeIo();
    expect(await main(['kinit', '--help'], io)).toBe(0);
    expect(io.out).toContain('--token FILE');
    expect(io.out).toMatch(/only inside FAST/);
  });
});

const fast = mitLab?.['fast'] as { realm: string; user: string } | undefined;
describe.skipIf(!mitLab || !fast)('tskrb kinit --token against MIT FAST.TEST (lab)', () => {
  it('MIT: anonymous-PKINIT-armored token login is refused (exit 2) with the missing-token-support hint; no ccache', async () => {
    const realm = fast!.realm;
    const kdc = mitLab!.realms?.[realm]?.kdcs[0] ?? '127.0.0.1:10288';
    const io = fakeIo(
      {
        tok: utf8(jwt({ iss: 'token-service', sub: `${fast!.user}@${realm}` })),
        'ca.pem': new Uint8Array(readFileSync(mitLab!['caCert'] as string)),
      },
      new Uint8Array(0),
      false,
      { KRB5_CONFIG: '/nonexistent/krb5.conf' },
      // A real KDC checks the armor authenticator against its own clock (MIT: KRB_AP_ERR_SKEW at FIND_FAST otherwise).
      () => Date.now(),
    );
    const code = await main(
      ['kinit', '--token', 'tok', '--anchor', 'ca.pem', '--kdc', kdc, '-c', '/x/cc'],
      io,
    );
    expect(code).toBe(2);
    expect(io.err).toContain('KDC_ERR_PREAUTH_REQUIRED');
    expect(io.err).toMatch(/no token pre-authentication/);
    expect(io.written).toEqual({});
  });
});
