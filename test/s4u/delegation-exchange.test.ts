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

  it('hands out a given TGT once, then explains that it cannot get another without keys', async () => {
    const tgt = fakeCredential(
      service,
      parsePrincipal(`krbtgt/${REALM}`, { defaultRealm: REALM }),
      0,
      3600_000,
    );
    const x = new KdcDelegationExchange({ service: 'HTTP/web.example.test', realm: REALM, credential: tgt });
    const t = stubTransport();
    expect(await x.login(t)).toBe(tgt);
    const err = await x.login(t).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KerberosError);
    expect((err as KerberosError).message).toContain('HTTP/web.example.test@EXAMPLE.TEST');
    expect((err as KerberosError).hint).toMatch(/keys/);
    expect(t.sent).toBe(0);
    expect(x.timeOffsetMs).toBe(0);
  });
});
