import { describe, expect, it } from 'vitest';
import { s4u2proxy, s4u2self } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import type { TraceEvent } from '../../src/client/trace.js';
import { DelegationClient } from '../../src/delegation/index.js';
import { ProtocolError } from '../../src/errors.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { openTicket } from '../../src/s4u/index.js';
import { type LabPrincipal, labKeys, labOrStandIn, labTransport, sambaLab } from '../helpers/lab.js';
import { USER_CERT_DER } from '../s4u/fixtures.js';

const lab = sambaLab;

describe.skipIf(!lab)(
  `Samba AD DC: S4U2Self, S4U2Proxy and RBCD${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(lab);
    const P = (n: string) => L.principals[n]!;
    const alice = () => `alice@${L.realm}`;
    const krbtgt: LabPrincipal = {
      name: 'krbtgt',
      realm: L.realm,
      principal: `krbtgt/${L.realm}@${L.realm}`,
      password: '',
      keytab: (L['krbtgt'] as { keytab: string }).keytab,
    };

    async function service(name: string, trace?: (e: TraceEvent) => void) {
      const client = new KdcClient({ realm: L.realm, transport: labTransport(L), trace });
      const s = await client.login({
        principal: P(name).principal,
        keys: labKeys(P(name)),
        forwardable: true,
      });
      return { client, tgt: s.tgt };
    }

    it('Samba: S4U2Self then S4U2Proxy to cifs/file; the back end keytab opens the ticket and its client is alice', async () => {
      const { client, tgt } = await service('websvc');
      const self = await s4u2self(client, tgt, 'alice', { serviceKeys: labKeys(P('websvc')) });
      expect(formatPrincipal(self.user.name, self.user.realm)).toBe(alice());
      expect(self.forwardable).toBe(true);
      // Samba (Heimdal KDC) ignores PA-S4U-X509-USER and echoes nothing: accepted, with a warning.
      expect(self.userCheck?.status).toBe('absent');
      expect(self.warnings).toEqual([expect.stringMatching(/no PA-S4U-X509-USER/)]);
      expect(self.pac?.summary.identityAssertion).toBe('service');

      const proxy = await s4u2proxy(client, tgt, self, 'cifs/file.samba.test');
      const etp = openTicket(proxy.ticket, labKeys(P('filesvc')));
      expect(formatPrincipal(etp.cname, etp.crealm)).toBe(alice());
      expect(etp.key.keyvalue).toEqual(proxy.credential.sessionKey.bytes);
      expect(proxy.forwardable).toBe(true);
    });

    it('Samba: a target not in msDS-AllowedToDelegateTo gives KDC_ERR_BADOPTION with the S4U2Proxy hint', async () => {
      const { client, tgt } = await service('websvc');
      const self = await s4u2self(client, tgt, 'alice');
      const err = await s4u2proxy(client, tgt, self, 'cifs/rbcdback.samba.test').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KdcError);
      expect((err as KdcError).codeName).toBe('KDC_ERR_BADOPTION');
      expect((err as KdcError).hint).toMatch(/msDS-AllowedToDelegateTo/);
    });

    it('Samba: without protocol transition the S4U2Self ticket is not forwardable, with a warning; S4U2Proxy then fails', async () => {
      const events: TraceEvent[] = [];
      const { client, tgt } = await service('noprotosvc', (e) => events.push(e));
      const self = await s4u2self(client, tgt, 'alice');
      expect(self.forwardable).toBe(false);
      expect(self.warnings.join('\n')).toMatch(/not forwardable.*TrustedToAuthForDelegation/s);
      expect(events.some((e) => e.phase === 'warning' && /not forwardable/.test(e.summary))).toBe(true);
      const err = await s4u2proxy(client, tgt, self, 'cifs/file.samba.test').catch((e: unknown) => e);
      expect((err as KdcError).codeName).toBe('KDC_ERR_BADOPTION');
      expect((err as KdcError).hint).toMatch(/not forwardable/);
    });

    it('Samba: RBCD: rbcdfront reaches cifs/rbcdback (granted on the resource), and the ticket names alice', async () => {
      const { client, tgt } = await service('rbcdfront');
      const self = await s4u2self(client, tgt, 'alice');
      expect(self.forwardable).toBe(true);
      const proxy = await s4u2proxy(client, tgt, self, 'cifs/rbcdback.samba.test', {
        serviceKeys: labKeys(P('rbcdback')),
      });
      expect(formatPrincipal(proxy.ticketPart!.cname, proxy.ticketPart!.crealm)).toBe(alice());
      expect(proxy.pac?.verification.server.status).toBe('valid');
      expect(proxy.delegationPath).toEqual([P('rbcdfront').principal]);
    });

    it('Samba: RBCD needs PA-PAC-OPTIONS: without the resource-based bit the KDC treats it as classic delegation and refuses', async () => {
      const { client, tgt } = await service('rbcdfront');
      const self = await s4u2self(client, tgt, 'alice');
      const err = await s4u2proxy(client, tgt, self, 'cifs/rbcdback.samba.test', { rbcd: false }).catch(
        (e: unknown) => e,
      );
      expect((err as KdcError).codeName).toBe('KDC_ERR_BADOPTION');
    });

    it('Samba: RBCD from a front without protocol transition: non-forwardable evidence, refused (Samba, unlike Windows)', async () => {
      const { client, tgt } = await service('rbcdnoproto');
      const self = await s4u2self(client, tgt, 'alice');
      expect(self.forwardable).toBe(false);
      const err = await s4u2proxy(client, tgt, self, 'cifs/rbcdback.samba.test').catch((e: unknown) => e);
      expect((err as KdcError).codeName).toBe('KDC_ERR_BADOPTION');
      expect((err as KdcError).hint).toMatch(/RBCD|resource-based/);
    });

    it('Samba: an unknown user gives KDC_ERR_C_PRINCIPAL_UNKNOWN with the S4U2Self hint', async () => {
      const { client, tgt } = await service('websvc');
      const err = await s4u2self(client, tgt, 'nobody-at-all').catch((e: unknown) => e);
      expect((err as KdcError).codeName).toBe('KDC_ERR_C_PRINCIPAL_UNKNOWN');
      expect((err as KdcError).hint).toMatch(/impersonated user/);
    });

    it('Samba: S4U2Self by certificate alone is not implemented: the KDC names websvc itself, which tskrb refuses', async () => {
      const { client, tgt } = await service('websvc');
      const err = await s4u2self(client, tgt, undefined, { certificate: USER_CERT_DER }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).check).toBe('s4u2self-client');
      expect((err as ProtocolError).message).toMatch(/naming the service itself \(websvc@SAMBA.TEST\)/);
      expect((err as ProtocolError).hint).toMatch(/by certificate/);
    });

    it('Samba: user-to-user S4U2Self (enc-tkt-in-skey with its own TGT): the ticket opens with the TGT session key', async () => {
      const { client, tgt } = await service('websvc');
      const self = await s4u2self(client, tgt, 'alice', { u2uTgt: tgt, serviceKeys: [tgt.sessionKey] });
      expect(self.ticket.encPart.etype).toBe(tgt.sessionKey.etype);
      expect(formatPrincipal(self.ticketPart!.cname, self.ticketPart!.crealm)).toBe(alice());
      expect(self.pac?.summary.identityAssertion).toBe('service');
    });

    it('Samba: an enterprise name (alice@samba.test) reaches alice: the KDC keeps the name, the PAC has her SID', async () => {
      const { client, tgt } = await service('websvc');
      const upn = `alice@${L['dnsDomain'] as string}`;
      const self = await s4u2self(client, tgt, upn, { enterprise: true, serviceKeys: labKeys(P('websvc')) });
      expect(self.user.name.nameString).toEqual([upn]);
      expect(self.pac?.summary.user).toBe('alice');
      expect(self.pac?.summary.userSid).toBe(P('alice').sid);
    });

    it('Samba: strict mode (allowMissingUserCheck: false) refuses the reply without PA-S4U-X509-USER; lax accepts it', async () => {
      const { client, tgt } = await service('websvc');
      const err = await s4u2self(client, tgt, 'alice', { allowMissingUserCheck: false }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).check).toBe('s4u-x509-user');
      expect((err as ProtocolError).hint).toMatch(/allowMissingUserCheck/);
      const lax = await s4u2self(client, tgt, 'alice', { allowMissingUserCheck: true });
      expect(lax.userCheck?.status).toBe('absent');
    });

    it('Samba: requirePacVerified with the websvc and filesvc keytabs and the krbtgt key: both PACs verify', async () => {
      const { client, tgt } = await service('websvc');
      const kdcKeys = labKeys(krbtgt);
      const self = await s4u2self(client, tgt, 'alice', {
        serviceKeys: labKeys(P('websvc')),
        kdcKeys,
        requirePacVerified: true,
      });
      expect(self.pac?.verification.verified).toBe(true);
      expect(self.pac?.verification.kdc.status).toBe('valid');
      const proxy = await s4u2proxy(client, tgt, self, 'cifs/file.samba.test', {
        serviceKeys: labKeys(P('filesvc')),
        kdcKeys,
        requirePacVerified: true,
      });
      expect(proxy.pac?.verification.verified).toBe(true);
    });

    it('Samba: requirePacVerified with a krbtgt key that did not sign the PAC (filesvc keys): ProtocolError pac', async () => {
      const { client, tgt } = await service('websvc');
      const err = await s4u2self(client, tgt, 'alice', {
        serviceKeys: labKeys(P('websvc')),
        kdcKeys: labKeys(P('filesvc')),
        requirePacVerified: true,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).check).toBe('pac');
      expect((err as ProtocolError).hint).toBeTruthy();
    });

    it('Samba: with a renewable TGT, S4U2Self and S4U2Proxy ask renewable (rtime = renew-till) and get renewable tickets', async () => {
      const client = new KdcClient({ realm: L.realm, transport: labTransport(L) });
      const s = await client.login({
        principal: P('websvc').principal,
        keys: labKeys(P('websvc')),
        forwardable: true,
        renewableSec: 86_400,
      });
      expect(s.tgt.flags.renewable).toBe(true);
      const self = await s4u2self(client, s.tgt, 'alice');
      expect(self.credential.flags.renewable).toBe(true);
      const proxy = await s4u2proxy(client, s.tgt, self, 'cifs/file.samba.test');
      expect(proxy.credential.flags.renewable).toBe(true);
      const plain = await s4u2self(client, s.tgt, 'alice', { renewable: false });
      expect(plain.credential.flags.renewable).toBeFalsy();
    });

    it('Samba: DelegationClient with requirePacVerified (websvc keys, filesvc keys for the target, krbtgt keys) delivers verified tickets', async () => {
      const dc = new DelegationClient({
        service: P('websvc').principal,
        realm: L.realm,
        transport: labTransport(L),
        keys: labKeys(P('websvc')),
        requirePacVerified: true,
        kdcKeys: labKeys(krbtgt),
        targetKeys: () => labKeys(P('filesvc')),
      });
      const t = await dc.s4u2proxy('alice', 'cifs/file.samba.test');
      expect(t.result?.pac?.verification.verified).toBe(true);
      expect(t.result?.pac?.verification.kdc.status).toBe('valid');
      // Samba sends no PA-S4U-X509-USER echo: the same client in strict mode refuses the S4U2Self step.
      const strict = new DelegationClient({
        service: P('websvc').principal,
        realm: L.realm,
        transport: labTransport(L),
        keys: labKeys(P('websvc')),
        allowMissingUserCheck: false,
      });
      await expect(strict.s4u2self('alice')).rejects.toMatchObject({ check: 's4u-x509-user' });
    });
  },
);
