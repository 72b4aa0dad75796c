/** The default exchange's credential handling; its KDC operations are proven in test/interop/delegation-*.test.ts. */
import { describe, expect, it } from 'vitest';
import { KerberosError } from '../../src/errors.js';
import { parsePrincipal } from '../../src/messages/principal.js';
import { KdcDelegationExchange } from '../../src/s4u/delegation-exchange.js';
import { fakeCredential, stubTransport } from './delegation-fakes.js';

const REALM = 'EXAMPLE.TEST';
const service = parsePrincipal('HTTP/web.example.test', { defaultRealm: REALM });

describe('KdcDelegationExchange', () => {
  it('refuses a service with neither keys, password nor TGT', () => {
    expect(() => new KdcDelegationExchange({ service, realm: REALM })).toThrow(KerberosError);
  });

  it('without keys, hands out a given TGT until it ends, then explains that it cannot get another', async () => {
    let now = 1000;
    const tgt = fakeCredential(
      service,
      parsePrincipal(`krbtgt/${REALM}`, { defaultRealm: REALM }),
      0,
      3600_000,
    );
    const x = new KdcDelegationExchange({
      service: 'HTTP/web.example.test',
      realm: REALM,
      credential: tgt,
      clock: () => now,
    });
    const t = stubTransport();
    expect(await x.login(t)).toBe(tgt);
    expect(await x.login(t)).toBe(tgt);
    now = 3600_000;
    const err = await x.login(t).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KerberosError);
    expect((err as KerberosError).message).toContain('HTTP/web.example.test@EXAMPLE.TEST');
    expect((err as KerberosError).hint).toMatch(/keys/);
    expect(t.sent).toBe(0);
    expect(x.timeOffsetMs).toBe(0);
  });
});
