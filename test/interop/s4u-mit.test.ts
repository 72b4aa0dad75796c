import { describe, expect, it } from 'vitest';
import { s4u2proxy, s4u2self } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import type { TraceEvent } from '../../src/client/trace.js';
import { ProtocolError } from '../../src/errors.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import { formatPrincipal, type Principal } from '../../src/messages/principal.js';
import { buildPaS4uX509User, openTicket, paS4uX509UserData } from '../../src/s4u/index.js';
import { labKeys, labOrStandIn, labTransport, mitLab } from '../helpers/lab.js';
import { USER_CERT_DER } from '../s4u/fixtures.js';

const lab = mitLab;

describe.skipIf(!lab)(
  `MIT KDC: S4U2Self and S4U2Proxy${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(lab);
    const P = (n: string) => L.principals[n]!;
    const backend = () => P('cifs');
    const target = 'cifs/file.mit.test';

    async function service(name: string, trace?: (e: TraceEvent) => void) {
      const client = new KdcClient({ realm: L.realm, transport: labTransport(L), trace });
      const s = await client.login({
        principal: P(name).principal,
        keys: labKeys(P(name)),
        forwardable: true,
      });
      return { client, tgt: s.tgt };
    }

    it('MIT: S4U2Self then S4U2Proxy to cifs/file; the back end keytab opens the ticket and its client is alice', async () => {
      const { client, tgt } = await service('web');
      const self = await s4u2self(client, tgt, 'alice', { serviceKeys: labKeys(P('web')) });
      expect(formatPrincipal(self.user.name, self.user.realm)).toBe(`alice@${L.realm}`);
      expect(formatPrincipal(self.service.name, self.service.realm)).toBe(P('web').principal);
      expect(self.forwardable).toBe(true);
      expect(self.warnings).toEqual([]);
      // MIT echoes PA-S4U-X509-USER signed with the reply key and usage 27.
      expect(self.userCheck).toMatchObject({ status: 'verified', usage: 27 });
      expect(formatPrincipal(self.ticketPart!.cname, self.ticketPart!.crealm)).toBe(`alice@${L.realm}`);

      const proxy = await s4u2proxy(client, tgt, self, target);
      const etp = openTicket(proxy.ticket, labKeys(backend()));
      expect(formatPrincipal(etp.cname, etp.crealm)).toBe(`alice@${L.realm}`);
      expect(etp.key.keyvalue).toEqual(proxy.credential.sessionKey.bytes);
      expect(formatPrincipal(proxy.service.name, proxy.service.realm)).toBe(`${target}@${L.realm}`);
      expect(proxy.user).toEqual(self.user);
      expect(proxy.forwardable).toBe(true);
    });

    it('MIT: the S4U2Proxy ticket PAC names the front service in S4U_DELEGATION_INFO', async () => {
      const { client, tgt } = await service('web');
      const self = await s4u2self(client, tgt, 'alice');
      const proxy = await s4u2proxy(client, tgt, self, target, { serviceKeys: labKeys(backend()) });
      expect(proxy.pac?.verification.server.status).toBe('valid');
      expect(proxy.delegationTarget).toBe(target);
      expect(proxy.delegationPath).toEqual([P('web').principal]);
    });

    it.each([
      ['PA-FOR-USER alone', { paS4uX509User: false }],
      ['PA-S4U-X509-USER alone', { paForUser: false }],
    ])('MIT: accepts %s (the KDC verified its checksum)', async (_n, o) => {
      const { client, tgt } = await service('web');
      const self = await s4u2self(client, tgt, 'bob', o);
      expect(formatPrincipal(self.user.name, self.user.realm)).toBe(`bob@${L.realm}`);
    });

    it('MIT: a target not in krbAllowedToDelegateTo gives KDC_ERR_BADOPTION with the S4U2Proxy hint', async () => {
      const { client, tgt } = await service('web');
      const self = await s4u2self(client, tgt, 'alice');
      const err = await s4u2proxy(client, tgt, self, 'ldap/other.mit.test').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KdcError);
      expect((err as KdcError).codeName).toBe('KDC_ERR_BADOPTION');
      expect((err as KdcError).step).toBe('S4U2Proxy');
      expect((err as KdcError).hint).toMatch(/krbAllowedToDelegateTo/);
    });

    it('MIT: without ok_to_auth_as_delegate the S4U2Self ticket is not forwardable, with a warning; S4U2Proxy then fails', async () => {
      const events: TraceEvent[] = [];
      const { client, tgt } = await service('noproto', (e) => events.push(e));
      const self = await s4u2self(client, tgt, 'alice');
      expect(self.forwardable).toBe(false);
      expect(self.warnings.join('\n')).toMatch(/not forwardable.*ok_to_auth_as_delegate/s);
      expect(
        events.some(
          (e) => e.phase === 'warning' && e.step === 'S4U2Self' && /not forwardable/.test(e.summary),
        ),
      ).toBe(true);
      const err = await s4u2proxy(client, tgt, self, target).catch((e: unknown) => e);
      expect((err as KdcError).codeName).toBe('KDC_ERR_BADOPTION');
      expect((err as KdcError).hint).toMatch(/not forwardable/);
      expect(events.some((e) => e.phase === 'warning' && e.step === 'S4U2Proxy')).toBe(true);
    });

    it('MIT: an unknown user gives KDC_ERR_C_PRINCIPAL_UNKNOWN with the S4U2Self hint', async () => {
      const { client, tgt } = await service('web');
      const err = await s4u2self(client, tgt, 'nobody-at-all').catch((e: unknown) => e);
      expect((err as KdcError).codeName).toBe('KDC_ERR_C_PRINCIPAL_UNKNOWN');
      expect((err as KdcError).hint).toMatch(/impersonated user does not exist/);
    });

    it('MIT: evidence from a service ticket a real user presented (alice logs in, gets a ticket to web, web delegates it)', async () => {
      const user = new KdcClient({ realm: L.realm, transport: labTransport(L) });
      const alice = await user.login({
        principal: P('alice').principal,
        password: P('alice').password,
        forwardable: true,
      });
      const toWeb = await alice.getServiceTicket(P('web').principal, { options: { forwardable: true } });
      const { client, tgt } = await service('web');
      const proxy = await s4u2proxy(client, tgt, { ticket: toWeb.ticket }, target, {
        serviceKeys: labKeys(backend()),
      });
      expect(formatPrincipal(proxy.user.name, proxy.user.realm)).toBe(`alice@${L.realm}`);
      expect(proxy.pac?.verification.server.status).toBe('valid');
    });

    it('MIT: user-to-user S4U2Self is refused (enc-tkt-in-skey is not an AS option): BADOPTION, INVALID S4U2SELF OPTIONS', async () => {
      const { client, tgt } = await service('web');
      const err = await s4u2self(client, tgt, 'alice', { u2uTgt: tgt }).catch((e: unknown) => e);
      expect((err as KdcError).codeName).toBe('KDC_ERR_BADOPTION');
      expect((err as KdcError).eText).toBe('INVALID S4U2SELF OPTIONS');
      expect((err as KdcError).hint).toMatch(/INVALID S4U2SELF OPTIONS/);
    });

    it('MIT: S4U2Self by certificate: the LDAP KDB maps no certificate to a user (KRB_ERR_GENERIC, LOOKING_UP_S4U2SELF_PRINCIPAL)', async () => {
      const { client, tgt } = await service('web');
      const err = await s4u2self(client, tgt, undefined, { certificate: USER_CERT_DER }).catch(
        (e: unknown) => e,
      );
      expect((err as KdcError).codeName).toBe('KRB_ERR_GENERIC');
      expect((err as KdcError).eText).toBe('LOOKING_UP_S4U2SELF_PRINCIPAL');
      expect((err as KdcError).hint).toMatch(/certificate/);
    });
    it('MIT: cross-realm S4U2Self for carol@OTHER.TEST (OTHER.TEST refers the request home), then S4U2Proxy to cifs/file', async () => {
      const events: TraceEvent[] = [];
      const { client, tgt } = await service('web', (e) => events.push(e));
      const carol = P('carol').principal;
      const self = await s4u2self(client, tgt, carol, { serviceKeys: labKeys(P('web')) });
      expect(formatPrincipal(self.user.name, self.user.realm)).toBe(carol);
      expect(formatPrincipal(self.service.name, self.service.realm)).toBe(P('web').principal);
      expect(formatPrincipal(self.ticketPart!.cname, self.ticketPart!.crealm)).toBe(carol);
      expect(self.userCheck?.status).toBe('verified');
      expect(events.some((e) => e.phase === 'note' && /referral to realm MIT.TEST/.test(e.summary))).toBe(
        true,
      );
      const hops = events
        .filter((e) => e.phase === 'request')
        .map((e) => `${e.step}: ${e.summary.replace(/ \(.*/, '')}`);
      expect(hops.slice(-3)).toEqual([
        'TGS: TGS-REQ to realm MIT.TEST',
        'S4U2Self: TGS-REQ to realm OTHER.TEST',
        'S4U2Self: TGS-REQ to realm MIT.TEST',
      ]);
      // The cross-realm user's S4U2Self ticket is good evidence for the local back end.
      const proxy = await s4u2proxy(client, tgt, self, target, { serviceKeys: labKeys(backend()) });
      expect(formatPrincipal(proxy.ticketPart!.cname, proxy.ticketPart!.crealm)).toBe(carol);
      expect(proxy.delegationPath).toEqual([P('web').principal]);
    });
    it('MIT: cross-realm S4U2Proxy: MIT.TEST refers it to OTHER.TEST, whose db2 KDB cannot judge it (UNSUPPORTED_S4U2PROXY_REQUEST)', async () => {
      const events: TraceEvent[] = [];
      const { client, tgt } = await service('web', (e) => events.push(e));
      const self = await s4u2self(client, tgt, 'alice');
      const err = await s4u2proxy(client, tgt, self, P('svcOther').principal).catch((e: unknown) => e);
      expect(
        events.some((e) => e.phase === 'note' && /S4U2Proxy referral to realm OTHER.TEST/.test(e.summary)),
      ).toBe(true);
      expect((err as KdcError).codeName).toBe('KDC_ERR_BADOPTION');
      expect((err as KdcError).eText).toBe('UNSUPPORTED_S4U2PROXY_REQUEST');
      expect((err as KdcError).krbError.realm).toBe('OTHER.TEST');
      expect((err as KdcError).hint).toMatch(/db2/);
    });
    it.each([
      ['TGT session key (MS-SFU 2.2.2 wording)', 'session', 'KRB_AP_ERR_MODIFIED'],
      ['authenticator subkey (what tskrb and MIT send)', 'subkey', undefined],
    ] as const)('MIT: PA-S4U-X509-USER alone, keyed with the %s', async (_n, which, code) => {
      const { client, tgt } = await service('web');
      const alice = { nameType: 1, nameString: ['alice'] };
      const r = await client
        .tgs(tgt, tgt.client, {
          step: 'S4U2Self',
          options: { forwardable: true },
          expectClient: 'any',
          followReferrals: false,
          padata: (nonce, subkey) => [
            paS4uX509UserData(
              buildPaS4uX509User(
                { nonce, cname: alice, crealm: L.realm },
                which === 'session' ? tgt.sessionKey : subkey,
              ),
            ),
          ],
        })
        .catch((e: unknown) => e);
      if (code === undefined) {
        expect(
          formatPrincipal((r as { credential: { client: Principal } }).credential.client.name, L.realm),
        ).toBe(`alice@${L.realm}`);
      } else {
        expect((r as KdcError).codeName).toBe(code);
        expect((r as KdcError).eText).toBe('INVALID_S4U2SELF_CHECKSUM');
      }
    });

    it('MIT: strict mode (allowMissingUserCheck: false, requirePacVerified with the web and cifs keytabs) passes', async () => {
      const { client, tgt } = await service('web');
      const self = await s4u2self(client, tgt, 'alice', {
        allowMissingUserCheck: false,
        serviceKeys: labKeys(P('web')),
        requirePacVerified: true,
      });
      expect(self.userCheck?.status).toBe('verified');
      expect(self.pac?.verification.server.status).toBe('valid');
      const proxy = await s4u2proxy(client, tgt, self, target, {
        serviceKeys: labKeys(backend()),
        requirePacVerified: true,
      });
      expect(proxy.pac?.verification.verified).toBe(true);
    });

    it('MIT: requirePacVerified with keys that did not sign the PAC (the back end keys for web) is refused', async () => {
      const { client, tgt } = await service('web');
      const self = await s4u2self(client, tgt, 'alice');
      // The cifs keys open the ticket, but web's key is not the krbtgt key that made the PAC's KDC signature.
      const err = await s4u2proxy(client, tgt, self, target, {
        serviceKeys: labKeys(backend()),
        kdcKeys: labKeys(P('web')),
        requirePacVerified: true,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).check).toBe('pac');
    });
  },
);
