import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEncTicketPart } from '../../src/asn1/index.js';
import { ccacheOf, credentialFromCcache } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import type { TraceEvent } from '../../src/client/trace.js';
import { parseCcache, serializeCcache } from '../../src/creds/index.js';
import { decrypt, KeyUsage } from '../../src/crypto/index.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { labKey, labKeys, labOrStandIn, labTransport, mitLab } from '../helpers/lab.js';

const lab = mitLab;

describe.skipIf(!lab)(
  `MIT KDC: AS and TGS exchanges${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(lab);
    const client = (etypes?: number[], trace?: (e: TraceEvent) => void) =>
      new KdcClient({ realm: L.realm, transport: labTransport(L), etypes, trace });
    const alice = () => L.principals['alice']!;

    it.each([18, 17, 20, 19])('MIT: AS with password, etype %i', async (etype) => {
      const s = await client([etype]).login({
        principal: alice().principal,
        password: alice().password,
        forwardable: true,
      });
      expect(s.tgt.sessionKey.etype).toBe(etype);
      expect(formatPrincipal(s.tgt.server.name, s.tgt.server.realm)).toBe(`krbtgt/${L.realm}@${L.realm}`);
      expect(s.tgt.flags.forwardable).toBe(true);
      expect(s.tgt.flags.preAuthent).toBe(true);
    });

    it('MIT: AS with password, rc4 (etype 23) for the rc4 principal', async () => {
      const u = L.principals['rc4user']!;
      const s = await client([23]).login({ principal: u.principal, password: u.password });
      expect(s.tgt.sessionKey.etype).toBe(23);
    });

    it('MIT: TGS with an rc4 TGT session key: the reply under the rc4 subkey opens with key usage 9', async () => {
      const u = L.principals['rc4user']!;
      const s = await client([23]).login({ principal: u.principal, password: u.password });
      expect(s.tgt.sessionKey.etype).toBe(23);
      const st = await s.getServiceTicket('cifs/file.mit.test');
      expect(st.sessionKey.etype).toBe(23);
      const key = labKey(L.principals['cifs']!, st.ticket.encPart.etype);
      const etp = decodeEncTicketPart(decrypt(key, KeyUsage.KdcRepTicket, st.ticket.encPart.cipher));
      expect(formatPrincipal(etp.cname, etp.crealm)).toBe(u.principal);
    });

    it.each([18, 17, 20, 19, 23])('MIT: AS with keytab key, etype %i', async (etype) => {
      const web = L.principals['web']!;
      const s = await client([etype]).login({ principal: web.principal, keys: [labKey(web, etype)] });
      expect(s.tgt.client.name.nameString).toEqual(['HTTP', 'web.mit.test']);
    });

    it('MIT: a wrong password gives KDC_ERR_PREAUTH_FAILED with a hint', async () => {
      const err = await client()
        .login({ principal: alice().principal, password: 'not-the-password' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KdcError);
      expect((err as KdcError).codeName).toBe('KDC_ERR_PREAUTH_FAILED');
      expect((err as KdcError).hint).toMatch(/password/);
    });

    it('MIT: an unknown user gives KDC_ERR_C_PRINCIPAL_UNKNOWN', async () => {
      const err = await client()
        .login({ principal: `nobody-here@${L.realm}`, password: 'x' })
        .catch((e: unknown) => e);
      expect((err as KdcError).codeName).toBe('KDC_ERR_C_PRINCIPAL_UNKNOWN');
    });

    it('MIT: TGS for the back end; the ticket opens with the back end keytab and names the user', async () => {
      const events: TraceEvent[] = [];
      const s = await client(undefined, (e) => events.push(e)).login({
        principal: alice().principal,
        password: alice().password,
      });
      const st = await s.getServiceTicket('cifs/file.mit.test');
      const cifs = L.principals['cifs']!;
      const key = labKey(cifs, st.ticket.encPart.etype);
      const etp = decodeEncTicketPart(decrypt(key, KeyUsage.KdcRepTicket, st.ticket.encPart.cipher));
      expect(formatPrincipal(etp.cname, etp.crealm)).toBe(`alice@${L.realm}`);
      expect(etp.key.keyvalue).toEqual(st.sessionKey.bytes);
      expect(events.some((e) => e.phase === 'validate' && e.step === 'TGS')).toBe(true);
      // Traces carry no key material.
      expect(
        JSON.stringify(events, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)),
      ).not.toContain(Buffer.from(st.sessionKey.bytes).toString('hex'));
    });

    it('MIT: cross-realm TGS to OTHER.TEST via the referral TGT', async () => {
      const s = await client().login({ principal: alice().principal, password: alice().password });
      const st = await s.getServiceTicket('HTTP/svc.other.test@OTHER.TEST');
      expect(st.server.realm).toBe('OTHER.TEST');
      const svc = L.principals['svcOther']!;
      const etp = decodeEncTicketPart(
        decrypt(labKey(svc, st.ticket.encPart.etype), KeyUsage.KdcRepTicket, st.ticket.encPart.cipher),
      );
      expect(etp.crealm).toBe(L.realm);
      expect(etp.transited.contents.length).toBeGreaterThanOrEqual(0);
    });

    it('MIT: a ccache tskrb writes is listed by MIT klist and used by MIT kvno', async () => {
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
      expect(list).toContain(`krbtgt/${L.realm}@${L.realm}`);
      expect(list).toMatch(/Flags: F/);
      const kvno = execFileSync('kvno', ['cifs/file.mit.test'], { env, encoding: 'utf8' });
      expect(kvno).toMatch(/kvno = \d+/);
    });

    it('MIT: a ccache from MIT kinit is read and its TGT used for a TGS exchange', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tskrb-'));
      const cc = join(dir, 'cc');
      const env = { ...process.env, ...L.env, KRB5CCNAME: `FILE:${cc}` };
      execFileSync('kinit', [alice().principal], { env, input: `${alice().password}\n` });
      const parsed = parseCcache(new Uint8Array(readFileSync(cc)));
      const tgtRec = parsed.credentials.find((c) => c.server.components[0] === 'krbtgt')!;
      const tgt = credentialFromCcache(tgtRec);
      const st = await client().tgs(tgt, {
        realm: L.realm,
        name: { nameType: 1, nameString: ['cifs', 'file.mit.test'] },
      });
      expect(st.credential.client.name.nameString).toEqual(['alice']);
      const key = labKeys(L.principals['cifs']!).find((k) => k.etype === st.credential.ticket.encPart.etype)!;
      expect(() => decrypt(key, KeyUsage.KdcRepTicket, st.credential.ticket.encPart.cipher)).not.toThrow();
    });
  },
);
