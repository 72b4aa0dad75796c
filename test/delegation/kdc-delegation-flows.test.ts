/**
 * The default flows' credential handling and strictness options (against the in-memory mini KDC); its KDC
 * operations are proven in test/interop/delegation-*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { DelegationClient } from '../../src/delegation/delegation-client.js';
import { KdcDelegationFlows } from '../../src/delegation/kdc-delegation-flows.js';
import { KerberosError, ProtocolError } from '../../src/errors.js';
import { parsePrincipal } from '../../src/messages/principal.js';
import {
  BACK,
  BACK_KEY,
  FRONT,
  FRONT_KEY,
  frontTgt,
  KRBTGT_KEY,
  REALM as MINI_REALM,
  MiniKdc,
  miniClock,
} from '../s4u/mini-kdc.js';
import { fakeCredential, stubTransport } from './fakes.js';

const REALM = 'EXAMPLE.TEST';
const service = parsePrincipal('HTTP/web.example.test', { defaultRealm: REALM });

describe('KdcDelegationFlows', () => {
  it('refuses a service with neither keys, password nor TGT', () => {
    expect(() => new KdcDelegationFlows({ service, realm: REALM })).toThrow(KerberosError);
  });

  it('without keys, hands out a given TGT until it ends, then explains that it cannot get another', async () => {
    let now = 1000;
    const tgt = fakeCredential(
      service,
      parsePrincipal(`krbtgt/${REALM}`, { defaultRealm: REALM }),
      0,
      3600_000,
    );
    const x = new KdcDelegationFlows({
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

  it('passes the strictness options: a missing echo or PAC fails the step, the lax default passes', async () => {
    const tgt = frontTgt();
    const base = { service: FRONT, realm: MINI_REALM, credential: tgt, keys: [FRONT_KEY], clock: miniClock };
    const user = parsePrincipal('alice', { defaultRealm: MINI_REALM });
    const noEcho = new MiniKdc({ s4uReply: 'absent' });
    const lax = await new KdcDelegationFlows(base).s4u2self(noEcho, tgt, user);
    expect(lax.warnings).toEqual([expect.stringMatching(/no PA-S4U-X509-USER/)]);
    const strict = new KdcDelegationFlows({ ...base, allowMissingUserCheck: false });
    await expect(strict.s4u2self(noEcho, tgt, user)).rejects.toMatchObject({ check: 's4u-x509-user' });

    const pacPolicy = { requirePacVerified: true, kdcKeys: [KRBTGT_KEY], targetKeys: () => [BACK_KEY] };
    const noPac = new KdcDelegationFlows({ ...base, ...pacPolicy });
    await expect(noPac.s4u2self(new MiniKdc(), tgt, user)).rejects.toMatchObject({ check: 'pac' });
    const signed = new MiniKdc({ pac: 'signed' });
    const self = await noPac.s4u2self(signed, tgt, user);
    expect(self.result?.pac?.verification.verified).toBe(true);
    const proxy = await noPac.s4u2proxy(signed, tgt, self.credential, BACK);
    expect(proxy.result?.pac?.verification.verified).toBe(true);
    await expect(
      noPac.s4u2proxy(new MiniKdc({ pac: 'bad-server' }), tgt, self.credential, BACK),
    ).rejects.toBeInstanceOf(ProtocolError);
  });

  it('runs every operation on the DelegationClient KdcClient state: a clock skew learned in S4U2Self is not copied back, it is used by S4U2Proxy', async () => {
    const kdc = new MiniKdc({ skewOnceMs: 3_600_000 });
    const dc = new DelegationClient({
      service: FRONT,
      realm: MINI_REALM,
      transport: kdc,
      credential: frontTgt(),
      clock: miniClock,
    });
    await dc.s4u2proxy('alice', BACK);
    // S4U2Self: refused for skew, then again at the KDC's time; S4U2Proxy: at once at the KDC's time.
    expect(kdc.seen.map((x) => x.authenticator.ctime.getTime() - miniClock())).toEqual([
      0, 3_600_000, 3_600_000,
    ]);
    expect(dc.kdc.timeOffsetMs).toBe(3_600_000);
    expect(dc.kdc.state.timeOffsetMs).toBe(3_600_000);
    expect(dc.stats().kdcRoundTrips).toBe(3);
  });
});
