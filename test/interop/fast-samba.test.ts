import { describe, expect, it } from 'vitest';
import { PaDataType } from '../../src/asn1/index.js';
import { s4u2proxy, s4u2self } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import type { TraceEvent } from '../../src/client/trace.js';
import type { Key } from '../../src/crypto/index.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { buildPaS4uX509User, makePaForUser, openTicket, paS4uX509UserData } from '../../src/s4u/index.js';
import { labKeys, labOrStandIn, labTransport, sambaLab } from '../helpers/lab.js';

const lab = sambaLab;

describe.skipIf(!lab)(`Samba KDC: FAST (RFC 6113)${lab ? '' : ' (lab not running: npm run lab:up)'}`, () => {
  const L = labOrStandIn(lab);
  const P = (n: string) => L.principals[n]!;
  const armor = () => ({ principal: P('websvc').principal, keys: labKeys(P('websvc')) });
  const client = (trace?: (e: TraceEvent) => void, fast?: 'required') =>
    new KdcClient({ realm: L.realm, transport: labTransport(L), trace, fast, armor: armor() });

  it('Samba: advertises PA-FX-FAST in PREAUTH_REQUIRED (an unarmored login still works: FAST is optional)', async () => {
    const events: TraceEvent[] = [];
    const s = await new KdcClient({
      realm: L.realm,
      transport: labTransport(L),
      trace: (e) => events.push(e),
    }).login({
      principal: P('bob').principal,
      password: P('bob').password,
    });
    expect(s.armored).toBe(false);
    const hints = events.find((e) => /requires pre-authentication/.test(e.summary))?.details?.['padata'] as {
      padataType: number;
    }[];
    expect(hints.map((p) => p.padataType)).toContain(PaDataType.FX_FAST);
  });

  it('Samba: AS armored with a service TGT, encrypted challenge both ways; TGS armored; the keytab opens the ticket', async () => {
    const events: TraceEvent[] = [];
    const s = await client((e) => events.push(e)).login({
      principal: P('bob').principal,
      password: P('bob').password,
    });
    expect(s.armored).toBe(true);
    const said = events.map((e) => e.summary).join('\n');
    expect(said).toMatch(/KDC advertises FAST/);
    expect(said).toMatch(/KDC encrypted challenge verified/);
    expect(said).toMatch(/protected negotiation: AS-REQ checksum verified, KDC supports FAST/);
    const st = await s.getServiceTicket('cifs/file.samba.test');
    expect(events.some((e) => e.step === 'FAST' && /armored TGS-REP/.test(e.summary))).toBe(true);
    const etp = openTicket(st.ticket, labKeys(P('filesvc')));
    expect(formatPrincipal(etp.cname, etp.crealm)).toBe(`bob@${L.realm}`);
  });

  it('Samba: TGS with explicit armor (compound identity key: explicitarmor/tgsarmor)', async () => {
    const k = client();
    const s = await k.login({ principal: P('bob').principal, password: P('bob').password });
    const r = await k.tgs(
      s.tgt,
      { realm: L.realm, name: { nameType: 2, nameString: ['cifs', 'file.samba.test'] } },
      {
        fast: 'required',
        armor: armor(),
      },
    );
    expect(r.armored).toBe(true);
    const etp = openTicket(r.credential.ticket, labKeys(P('filesvc')));
    expect(formatPrincipal(etp.cname, etp.crealm)).toBe(`bob@${L.realm}`);
  });

  it('Samba: a wrong password under FAST gives the inner KDC_ERR_PREAUTH_FAILED', async () => {
    const err = await client()
      .login({ principal: P('bob').principal, password: 'Wrong-Password-1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KdcError);
    expect((err as KdcError).codeName).toBe('KDC_ERR_PREAUTH_FAILED');
    expect((err as KdcError).step).toBe('FAST');
  });

  it('Samba: S4U2Self then S4U2Proxy over armored TGS; the back end keytab opens a ticket naming alice', async () => {
    const k = client(undefined, 'required');
    const w = await k.login({
      principal: P('websvc').principal,
      keys: labKeys(P('websvc')),
      forwardable: true,
    });
    expect(w.armored).toBe(true);
    const self = await s4u2self(k, w.tgt, 'alice', { serviceKeys: labKeys(P('websvc')) });
    expect(formatPrincipal(self.user.name, self.user.realm)).toBe(`alice@${L.realm}`);
    expect(self.forwardable).toBe(true);
    const proxy = await s4u2proxy(k, w.tgt, self, 'cifs/file.samba.test', {
      serviceKeys: labKeys(P('filesvc')),
    });
    expect(formatPrincipal(proxy.ticketPart!.cname, proxy.ticketPart!.crealm)).toBe(`alice@${L.realm}`);
    expect(proxy.delegationPath.length).toBe(1);
  });

  it('Samba: under FAST, as without it, Samba 4.22 sends no PA-S4U-X509-USER echo (outer or inside KrbFastResponse)', async () => {
    const k = client(undefined, 'required');
    const w = await k.login({
      principal: P('websvc').principal,
      keys: labKeys(P('websvc')),
      forwardable: true,
    });
    const user = { realm: L.realm, name: { nameType: 1, nameString: ['alice'] } };
    const r = await k.tgs(w.tgt, w.tgt.client, {
      step: 'S4U2Self',
      options: { forwardable: true },
      expectClient: 'any',
      padata: (nonce: number, subkey: Key) => [
        makePaForUser(user, w.tgt.sessionKey),
        paS4uX509UserData(buildPaS4uX509User({ nonce, cname: user.name, crealm: user.realm }, subkey)),
      ],
    });
    expect(r.armored).toBe(true);
    expect(r.rep.padata?.map((p) => p.padataType)).toEqual([PaDataType.FX_FAST]);
    expect(r.padata.map((p) => p.padataType)).not.toContain(PaDataType.S4U_X509_USER);
    expect(formatPrincipal(r.credential.client.name, r.credential.client.realm)).toBe(`alice@${L.realm}`);
  });

  it('Samba: has no anonymous PKINIT (recorded: the KDC refuses WELLKNOWN/ANONYMOUS)', async () => {
    const err = await new KdcClient({ realm: L.realm, transport: labTransport(L) })
      .loginAnonymous()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KdcError);
    expect((err as KdcError).codeName).toBe('KDC_ERR_C_PRINCIPAL_UNKNOWN');
  });
});
