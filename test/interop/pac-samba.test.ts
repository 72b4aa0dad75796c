import { describe, expect, it } from 'vitest';
import type { EncTicketPart } from '../../src/asn1/index.js';
import { s4u2proxy, s4u2self } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { PacDecodeError } from '../../src/errors.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import {
  AssertedIdentitySid,
  checkClientInfo,
  decodePac,
  findPac,
  summarizePac,
  ticketChecksumData,
  verifyPac,
} from '../../src/pac/index.js';
import { openTicket } from '../../src/s4u/index.js';
import { type LabPrincipal, labKeys, labOrStandIn, labTransport, sambaLab } from '../helpers/lab.js';

const lab = sambaLab;

describe.skipIf(!lab)(
  `Samba AD DC: PACs of AS, S4U2Self and S4U2Proxy tickets${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(lab);
    const P = (n: string) => L.principals[n]!;
    const krbtgt: LabPrincipal = {
      name: 'krbtgt',
      realm: L.realm,
      principal: `krbtgt/${L.realm}@${L.realm}`,
      password: '',
      keytab: (L['krbtgt'] as { keytab: string }).keytab,
    };
    const client = () => new KdcClient({ realm: L.realm, transport: labTransport(L) });

    /** alice's own ticket to websvc, straight from the AS exchange (she typed her password). */
    async function asTicket(): Promise<EncTicketPart> {
      const s = await client().login({
        principal: P('alice').principal,
        password: P('alice').password,
        service: 'HTTP/web.samba.test',
      });
      return openTicket(s.tgt.ticket, labKeys(P('websvc')));
    }

    /** websvc's S4U2Self ticket in alice's name (no password: the service vouches). */
    async function s4uTickets() {
      const c = client();
      const s = await c.login({
        principal: P('websvc').principal,
        keys: labKeys(P('websvc')),
        forwardable: true,
      });
      const self = await s4u2self(c, s.tgt, 'alice', { serviceKeys: labKeys(P('websvc')) });
      const proxy = await s4u2proxy(c, s.tgt, self, 'cifs/file.samba.test', {
        serviceKeys: labKeys(P('filesvc')),
        kdcKeys: labKeys(krbtgt),
      });
      return { self: self.ticketPart!, proxy };
    }

    const pacOf = (t: EncTicketPart) => decodePac(findPac(t.authorizationData ?? [])!);
    const verify = (t: EncTicketPart, server: LabPrincipal, bytes?: Uint8Array) =>
      verifyPac(decodePac(bytes ?? findPac(t.authorizationData ?? [])!), {
        serverKeys: labKeys(server),
        kdcKeys: labKeys(krbtgt),
        ticketChecksumData: ticketChecksumData(t),
      });

    it('Samba: the AS ticket says S-1-18-1 (authentication authority), the S4U2Self ticket S-1-18-2 (service)', async () => {
      const as = summarizePac(pacOf(await asTicket()));
      const self = summarizePac(pacOf((await s4uTickets()).self));
      const extra = (s: typeof as) => s.extraSids.map((x) => x.sid);
      expect(extra(as)).toContain(AssertedIdentitySid.AuthenticationAuthority);
      expect(extra(as)).not.toContain(AssertedIdentitySid.Service);
      expect(as.identityAssertion).toBe('authentication-authority');
      expect(extra(self)).toContain(AssertedIdentitySid.Service);
      expect(extra(self)).not.toContain(AssertedIdentitySid.AuthenticationAuthority);
      expect(self.identityAssertion).toBe('service');
      expect(extra(as)).toContain('S-1-18-1');
      expect(extra(self)).toContain('S-1-18-2');
    });

    it('Samba: both PACs name alice, her SID, and the groups samba-tool gave her (lab JSON)', async () => {
      const alice = P('alice');
      const groups = alice['groups'] as { sid: string; primary: boolean }[];
      for (const t of [await asTicket(), (await s4uTickets()).self]) {
        const s = summarizePac(pacOf(t));
        expect(s.user).toBe('alice');
        expect(s.domain).toBe(L['netbiosDomain']);
        expect(s.userSid).toBe(alice.sid);
        expect(s.primaryGroup?.sid).toBe(groups.find((g) => g.primary)!.sid);
        expect(s.groups.map((g) => g.sid).sort()).toEqual(groups.map((g) => g.sid).sort());
        expect(s.upn).toBe(`alice@${L['dnsDomain'] as string}`);
        expect(checkClientInfo(pacOf(t), { authtime: t.authtime, clientName: 'alice' }).status).toBe('valid');
      }
    });

    it('Samba: server, KDC, ticket and full PAC signatures all verify with websvc and krbtgt keys', async () => {
      for (const t of [await asTicket(), (await s4uTickets()).self]) {
        const v = verify(t, P('websvc'));
        expect([v.server.status, v.kdc.status, v.ticket.status, v.full.status]).toEqual([
          'valid',
          'valid',
          'valid',
          'valid',
        ]);
        expect(v.verified).toBe(true);
      }
    });

    it('Samba: flipping any byte of the S4U2Self PAC makes verification fail', async () => {
      const t = (await s4uTickets()).self;
      const bytes = findPac(t.authorizationData ?? [])!;
      expect(verify(t, P('websvc'), bytes).verified).toBe(true);
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes.slice();
        b[i]! ^= 0x01;
        let verified = false;
        try {
          verified = verify(t, P('websvc'), b).verified;
        } catch (e) {
          expect(e).toBeInstanceOf(PacDecodeError);
        }
        expect(verified, `byte ${i} of ${bytes.length}`).toBe(false);
      }
    });

    it('Samba: after S4U2Proxy, S4U_DELEGATION_INFO names the front service; the PAC verifies with filesvc keys', async () => {
      const { proxy } = await s4uTickets();
      expect(formatPrincipal(proxy.ticketPart!.cname, proxy.ticketPart!.crealm)).toBe(`alice@${L.realm}`);
      expect(proxy.pac?.summary.delegationTarget).toBe('cifs/file.samba.test');
      expect(proxy.delegationPath).toEqual([P('websvc').principal]);
      expect(proxy.pac?.summary.identityAssertion).toBe('service');
      const v = proxy.pac!.verification;
      expect([v.server.status, v.kdc.status, v.ticket.status, v.full.status]).toEqual([
        'valid',
        'valid',
        'valid',
        'valid',
      ]);
    });
  },
);
