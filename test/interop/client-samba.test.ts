import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEncTicketPart } from '../../src/asn1/index.js';
import { ccacheOf, credentialFromCcache } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { parseCcache, serializeCcache } from '../../src/creds/index.js';
import { decrypt, KeyUsage } from '../../src/crypto/index.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { decodePac, findPac, summarizePac } from '../../src/pac/index.js';
import { labKey, labKeys, labOrStandIn, labTransport, sambaLab } from '../helpers/lab.js';

const lab = sambaLab;

describe.skipIf(!lab)(
  `Samba AD DC: AS and TGS exchanges${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(lab);
    const client = (etypes?: number[]) =>
      new KdcClient({ realm: L.realm, transport: labTransport(L), etypes });
    const alice = () => L.principals['alice']!;
    const tgtName = `krbtgt/${L.realm}@${L.realm}`;

    it.each([18, 17, 23])('Samba: AS with password, etype %i', async (etype) => {
      const s = await client([etype]).login({
        principal: alice().principal,
        password: alice().password,
        forwardable: true,
      });
      expect(s.tgt.sessionKey.etype).toBe(etype);
      expect(formatPrincipal(s.tgt.server.name, s.tgt.server.realm)).toBe(tgtName);
      expect(s.tgt.flags.forwardable).toBe(true);
      expect(s.tgt.flags.preAuthent).toBe(true);
    });

    it.each([18, 17])(
      'Samba: AS with the exported keytab key of a service account, etype %i',
      async (etype) => {
        const web = L.principals['websvc']!;
        const s = await client([etype]).login({ principal: web.principal, keys: [labKey(web, etype)] });
        expect(s.tgt.client.name.nameString).toEqual(['websvc']);
        expect(s.tgt.sessionKey.etype).toBe(etype);
      },
    );

    it('Samba: AS with every keytab key offered: the KDC picks one and the reply opens with it', async () => {
      const web = L.principals['websvc']!;
      const s = await client().login({ principal: web.principal, keys: labKeys(web) });
      expect(formatPrincipal(s.tgt.server.name, s.tgt.server.realm)).toBe(tgtName);
    });

    it('Samba: a wrong password gives KDC_ERR_PREAUTH_FAILED with a hint', async () => {
      const err = await client()
        .login({ principal: alice().principal, password: 'not-the-password' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KdcError);
      expect((err as KdcError).codeName).toBe('KDC_ERR_PREAUTH_FAILED');
      expect((err as KdcError).hint).toMatch(/password/);
    });

    it('Samba: an unknown user gives KDC_ERR_C_PRINCIPAL_UNKNOWN', async () => {
      const err = await client()
        .login({ principal: `nobody-here@${L.realm}`, password: 'x' })
        .catch((e: unknown) => e);
      expect((err as KdcError).codeName).toBe('KDC_ERR_C_PRINCIPAL_UNKNOWN');
    });

    it('Samba: an enterprise name (alice@samba.test) is canonicalized to alice@SAMBA.TEST', async () => {
      const s = await client().login({
        principal: `${alice().name}@${String(L['dnsDomain'])}@${L.realm}`,
        enterprise: true,
        password: alice().password,
      });
      expect(formatPrincipal(s.tgt.client.name, s.tgt.client.realm)).toBe(`alice@${L.realm}`);
    });

    it('Samba: TGS for the back end; the ticket opens with its keytab and its PAC names the user', async () => {
      const s = await client().login({ principal: alice().principal, password: alice().password });
      const st = await s.getServiceTicket('cifs/file.samba.test');
      const key = labKey(L.principals['filesvc']!, st.ticket.encPart.etype);
      const etp = decodeEncTicketPart(decrypt(key, KeyUsage.KdcRepTicket, st.ticket.encPart.cipher));
      expect(formatPrincipal(etp.cname, etp.crealm)).toBe(`alice@${L.realm}`);
      expect(etp.key.keyvalue).toEqual(st.sessionKey.bytes);
      const pacBytes = findPac(etp.authorizationData ?? []);
      expect(pacBytes).toBeDefined();
      const summary = summarizePac(decodePac(pacBytes!));
      expect(summary.userSid).toBe(alice().sid);
    });

    it('Samba: a service whose account allows only rc4 gets an rc4-hmac ticket that its keytab opens', async () => {
      const s = await client().login({ principal: alice().principal, password: alice().password });
      const st = await s.getServiceTicket('HTTP/rc4.samba.test');
      expect(st.ticket.encPart.etype).toBe(23);
      const key = labKey(L.principals['rc4svc']!, 23);
      expect(() => decrypt(key, KeyUsage.KdcRepTicket, st.ticket.encPart.cipher)).not.toThrow();
    });

    it('Samba: TGS with an rc4 TGT session key: the reply under the rc4 subkey opens with key usage 9', async () => {
      const s = await client([23]).login({ principal: alice().principal, password: alice().password });
      expect(s.tgt.sessionKey.etype).toBe(23);
      const st = await s.getServiceTicket('HTTP/rc4.samba.test');
      expect(st.sessionKey.etype).toBe(23);
      const key = labKey(L.principals['rc4svc']!, 23);
      const etp = decodeEncTicketPart(decrypt(key, KeyUsage.KdcRepTicket, st.ticket.encPart.cipher));
      expect(formatPrincipal(etp.cname, etp.crealm)).toBe(`alice@${L.realm}`);
    });

    it('Samba: a ccache tskrb writes is listed by MIT klist and used by MIT kvno against Samba', async () => {
      const s = await client().login({
        principal: alice().principal,
        password: alice().password,
        forwardable: true,
      });
      const dir = mkdtempSync(join(tmpdir(), 'tskrb-'));
      const cc = join(dir, 'cc');
      writeFileSync(cc, serializeCcache(ccacheOf(s.tgt)));
      const env = { ...process.env, ...L.env, KRB5CCNAME: `FILE:${cc}` };
      const list = execFileSync('klist', ['-f'], { env, encoding: 'utf8' });
      expect(list).toContain(`Default principal: alice@${L.realm}`);
      expect(list).toContain(tgtName);
      expect(list).toMatch(/Flags: F/);
      const kvno = execFileSync('kvno', ['cifs/file.samba.test'], { env, encoding: 'utf8' });
      expect(kvno).toMatch(/kvno = \d+/);
    });

    it('Samba: a ccache from MIT kinit against Samba is read and its TGT used for a TGS exchange', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tskrb-'));
      const cc = join(dir, 'cc');
      const env = { ...process.env, ...L.env, KRB5CCNAME: `FILE:${cc}` };
      execFileSync('kinit', [alice().principal], { env, input: `${alice().password}\n` });
      const parsed = parseCcache(new Uint8Array(readFileSync(cc)));
      const tgtRec = parsed.credentials.find((c) => c.server.components[0] === 'krbtgt')!;
      const st = await client().tgs(credentialFromCcache(tgtRec), {
        realm: L.realm,
        name: { nameType: 2, nameString: ['cifs', 'file.samba.test'] },
      });
      expect(st.credential.client.name.nameString).toEqual(['alice']);
      const key = labKey(L.principals['filesvc']!, st.credential.ticket.encPart.etype);
      expect(() => decrypt(key, KeyUsage.KdcRepTicket, st.credential.ticket.encPart.cipher)).not.toThrow();
    });
  },
);
