import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeAsRep,
  decodeAsReq,
  decodeKrbError,
  decodeMethodData,
  decodePaFxFastRequest,
  encodeAsRep,
  encodeAsReq,
  encodeKrbError,
  encodeMethodData,
  type KrbError,
  PaDataType,
} from '../../src/asn1/index.js';
import {
  ccacheSaysFastAvailable,
  credentialFromCcache,
  credentialToCcache,
  fastAvailEntry,
  s4u2proxy,
  s4u2self,
} from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import type { TraceEvent } from '../../src/client/trace.js';
import { parseCcache, serializeCcache } from '../../src/creds/index.js';
import type { Key } from '../../src/crypto/index.js';
import { IntegrityError, ProtocolError } from '../../src/errors.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import {
  buildPaS4uX509User,
  checkS4uX509UserReply,
  makePaForUser,
  openTicket,
  paS4uX509UserData,
} from '../../src/s4u/index.js';
import type { Transport } from '../../src/transport/index.js';
import { type CapturedFrame, startCapture, tsharkPath } from '../fast/tshark-capture.js';
import { labKeys, labOrStandIn, labTransport, mitLab } from '../helpers/lab.js';

const lab = mitLab;
const fastInfo = lab?.['fast'] as { realm: string; user: string; armor: string } | undefined;

/** A transport that rewrites the KDC's AS-REP (to prove tampering is caught). */
function tampering(inner: Transport, edit: (rep: ReturnType<typeof decodeAsRep>) => void): Transport {
  const rewrite = (b: Uint8Array) => {
    if (b[0] !== 0x6b) return b;
    const rep = decodeAsRep(b);
    edit(rep);
    return encodeAsRep(rep);
  };
  return {
    send: async (realm, req, o) => rewrite(await inner.send(realm, req, o)),
    sendDetailed: async (realm, req, o) => {
      const r = await inner.sendDetailed(realm, req, o);
      return { ...r, reply: rewrite(r.reply) };
    },
  };
}

describe.skipIf(!lab || !fastInfo)(
  `MIT KDC: FAST (RFC 6113) on the FAST-only realm${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(lab);
    const F = fastInfo!;
    const user = () => L.principals[F.user]!;
    const armorP = () => L.principals[F.armor]!;
    const keytabArmor = () => ({ principal: armorP().principal, keys: labKeys(armorP()) });
    const ca = () => readFileSync(L['caCert'] as string, 'utf8');
    const client = (trace?: (e: TraceEvent) => void, transport?: Transport) =>
      new KdcClient({ realm: F.realm, transport: transport ?? labTransport(L), trace });

    it('MIT: without armor the FAST-only KDC refuses, and the KdcError hints at FAST', async () => {
      const err = await client()
        .login({ principal: user().principal, password: user().password })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KdcError);
      expect((err as KdcError).codeName).toBe('KDC_ERR_PREAUTH_REQUIRED');
      expect((err as KdcError).padata.map((p) => p.padataType)).toContain(PaDataType.FX_FAST);
      expect((err as KdcError).hint).toMatch(/FAST/);
    });

    it('MIT: AS with ticket armor from a host keytab TGT, encrypted challenge both ways', async () => {
      const events: TraceEvent[] = [];
      const s = await client((e) => events.push(e)).login({
        principal: user().principal,
        password: user().password,
        armor: keytabArmor(),
      });
      expect(s.armored).toBe(true);
      expect(formatPrincipal(s.tgt.client.name, s.tgt.client.realm)).toBe(user().principal);
      expect(s.tgt.flags.preAuthent).toBe(true);
      const said = events.map((e) => e.summary).join('\n');
      expect(said).toMatch(/KDC advertises FAST/);
      expect(said).toMatch(/armored KRB-ERROR opened: KDC_ERR_PREAUTH_REQUIRED/);
      expect(said).toMatch(/KrbFastFinished verified/);
      expect(said).toMatch(/KDC encrypted challenge verified/);
      expect(said).toMatch(/protected negotiation: AS-REQ checksum verified, KDC supports FAST/);
      // MIT's PA-FX-COOKIE from the armored PREAUTH_REQUIRED comes back, unchanged, inside the next KrbFastReq.
      type Pa = { padataType: number; padataValue: Uint8Array };
      const opened = events.find((e) => e.step === 'FAST' && e.phase === 'decrypt');
      const cookie = ((opened?.details?.['padata'] ?? []) as Pa[]).find(
        (p) => p.padataType === PaDataType.FX_COOKIE,
      );
      expect(cookie).toBeDefined();
      const next = events.filter((e) => e.phase === 'request' && e.step === 'AS').at(-1);
      const inner =
        (next?.details?.['request'] as { fastInner?: { padata: Pa[] } } | undefined)?.fastInner?.padata ?? [];
      expect(inner.find((p) => p.padataType === PaDataType.FX_COOKIE)?.padataValue).toEqual(
        cookie?.padataValue,
      );
      const fastPadata = events.find((e) => e.step === 'FAST' && e.phase === 'validate')?.details?.[
        'fastPadata'
      ];
      expect((fastPadata as { padataType: number }[]).map((p) => p.padataType)).toContain(
        PaDataType.ENCRYPTED_CHALLENGE,
      );
    });

    it('MIT: AS with armor from a ccache written by MIT kinit -k (fast: required)', async () => {
      const cc = join(mkdtempSync(join(tmpdir(), 'tskrb-fast-cc-')), 'armor.cc');
      execFileSync(
        L.tools ? ((L.tools as Record<string, string>)['kinit'] ?? 'kinit') : 'kinit',
        ['-k', '-t', armorP().keytab!, '-c', cc, armorP().principal],
        { env: { ...process.env, ...L.env } },
      );
      const ccache = parseCcache(new Uint8Array(readFileSync(cc)));
      const s = await client().login({
        principal: user().principal,
        password: user().password,
        fast: 'required',
        armor: { ccache },
      });
      expect(s.armored).toBe(true);
      const rec = ccache.credentials.find((c) => c.server.components[0] === 'krbtgt')!;
      const s2 = await client().login({
        principal: user().principal,
        password: user().password,
        fast: 'required',
        armor: { tgt: credentialFromCcache(rec) },
      });
      expect(s2.armored).toBe(true);
      const other = await client()
        .login({
          principal: user().principal,
          password: user().password,
          armor: { ccache: { ...ccache, credentials: [] } },
          fast: 'required',
        })
        .catch((e: unknown) => e);
      expect(String((other as Error).message)).toMatch(/holds no krbtgt\/FAST.TEST/);
    });

    it('MIT: a ccache tskrb writes (host TGT + fast_avail) is armor for MIT kinit -T; klist -C lists fast_avail', async () => {
      const armorTgt = (await client().login({ principal: armorP().principal, keys: labKeys(armorP()) })).tgt;
      const rec = credentialToCcache(armorTgt);
      const dir = mkdtempSync(join(tmpdir(), 'tskrb-fast-armorcc-'));
      const cc = join(dir, 'armor.cc');
      writeFileSync(
        cc,
        serializeCcache({
          version: 0x0504,
          otherHeaderFields: [],
          defaultPrincipal: rec.client,
          credentials: [fastAvailEntry(armorTgt), rec],
        }),
      );
      const env = { ...process.env, ...L.env };
      expect(execFileSync('klist', ['-C', '-c', cc], { env, encoding: 'utf8' })).toContain(
        `config: fast_avail(krbtgt/${F.realm}@${F.realm}) = yes`,
      );
      expect(ccacheSaysFastAvailable(parseCcache(new Uint8Array(readFileSync(cc))), armorTgt)).toBe(true);
      const out = join(dir, 'user.cc');
      execFileSync('kinit', ['-T', cc, '-c', out, user().principal], { env, input: `${user().password}\n` });
      const listed = execFileSync('klist', ['-c', out], { env, encoding: 'utf8' });
      expect(listed).toContain(`Default principal: ${user().principal}`);
      expect(listed).toContain(`krbtgt/${F.realm}@${F.realm}`);
    });

    it('MIT: AS with anonymous PKINIT armor, the KDC certificate checked against the lab CA', async () => {
      const events: TraceEvent[] = [];
      const s = await client((e) => events.push(e)).login({
        principal: user().principal,
        password: user().password,
        fast: 'required',
        armor: { anonymous: true, trustAnchors: [ca()] },
      });
      expect(s.armored).toBe(true);
      expect(events.some((e) => /KDC signature and certificate verified/.test(e.summary))).toBe(true);
    });

    it('MIT: anonymous PKINIT alone gives WELLKNOWN/ANONYMOUS a TGT', async () => {
      const s = await client().loginAnonymous({ trustAnchors: [ca()] });
      expect(s.tgt.client.realm).toBe('WELLKNOWN:ANONYMOUS');
      expect(s.tgt.client.name.nameString).toEqual(['WELLKNOWN', 'ANONYMOUS']);
      expect(formatPrincipal(s.tgt.server.name, s.tgt.server.realm)).toBe(`krbtgt/${F.realm}@${F.realm}`);
      expect(s.tgt.flags.anonymous).toBe(true);
    });

    it('MIT 1.20: ECDH (P-256) anonymous PKINIT is refused with KDC_ERR_KEY_TOO_WEAK and TD-DH-PARAMETERS (recorded)', async () => {
      const err = await client()
        .loginAnonymous({ keyExchange: 'ecdh', trustAnchors: [ca()] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KdcError);
      expect((err as KdcError).codeName).toBe('KDC_ERR_KEY_TOO_WEAK');
      const ed = (err as KdcError).eData;
      expect(ed?.kind === 'typed-data' && ed.entries.some((x) => x.dataType === 109)).toBe(true);
    });

    it('MIT: anonymous PKINIT refuses a KDC whose certificate does not chain to the given CA', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tskrb-fast-ca-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          join(dir, 'k'),
          '-out',
          join(dir, 'c.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=not the lab CA',
        ],
        { stdio: 'pipe' },
      );
      const err = await client()
        .loginAnonymous({ trustAnchors: [readFileSync(join(dir, 'c.pem'), 'utf8')] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IntegrityError);
    });

    it('MIT: a wrong password under FAST gives the inner KDC_ERR_PREAUTH_FAILED (unwrapped from PA-FX-ERROR)', async () => {
      const events: TraceEvent[] = [];
      const err = await client((e) => events.push(e))
        .login({ principal: user().principal, password: 'not-the-password', armor: keytabArmor() })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KdcError);
      expect((err as KdcError).codeName).toBe('KDC_ERR_PREAUTH_FAILED');
      expect((err as KdcError).step).toBe('FAST');
      expect((err as KdcError).hint).toMatch(/encrypted challenge/);
      expect(events.some((e) => /armored KRB-ERROR opened: KDC_ERR_PREAUTH_FAILED/.test(e.summary))).toBe(
        true,
      );
    });

    it('MIT: TGS armored with the TGT (implicit armor); the service keytab opens the ticket', async () => {
      const events: TraceEvent[] = [];
      const k = client((e) => events.push(e));
      const s = await k.login({
        principal: user().principal,
        password: user().password,
        armor: keytabArmor(),
      });
      const st = await s.getServiceTicket(armorP().principal);
      expect(events.some((e) => e.step === 'FAST' && /armored TGS-REP/.test(e.summary))).toBe(true);
      const key = labKeys(armorP()).find((x) => x.etype === st.ticket.encPart.etype)!;
      const { decodeEncTicketPart } = await import('../../src/asn1/index.js');
      const { decrypt } = await import('../../src/crypto/index.js');
      const etp = decodeEncTicketPart(decrypt(key, 2, st.ticket.encPart.cipher));
      expect(formatPrincipal(etp.cname, etp.crealm)).toBe(user().principal);
      expect(etp.key.keyvalue).toEqual(st.sessionKey.bytes);
    });

    it('MIT 1.20: TGS with explicit armor is refused, unarmored (KDC log: "Ap-request armor not permitted with TGS"); implicit armor is the way', async () => {
      const events: TraceEvent[] = [];
      const k = client((e) => events.push(e));
      const s = await k.login({
        principal: user().principal,
        password: user().password,
        armor: keytabArmor(),
      });
      const target = { realm: F.realm, name: { nameType: 1, nameString: ['host', 'armor.fast.test'] } };
      const err = await k
        .tgs(s.tgt, target, { fast: 'required', armor: keytabArmor() })
        .catch((e: unknown) => e);
      // MIT answers before it has a FAST state, so the error is unarmored: reported, not acted on.
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).check).toBe('fast-error');
      expect(((err as ProtocolError).cause as KdcError).codeName).toBe('KDC_ERR_PREAUTH_FAILED');
      const req = events.filter((e) => e.phase === 'request' && e.step === 'TGS').at(-1)?.details?.[
        'request'
      ] as {
        padata: { padataType: number; padataValue: Uint8Array }[];
      };
      const fx = req.padata.find((p) => p.padataType === PaDataType.FX_FAST)!;
      expect(decodePaFxFastRequest(fx.padataValue).armoredData.armor?.armorType).toBe(1);
      const r = await k.tgs(s.tgt, target, { fast: 'required' });
      expect(r.armored).toBe(true);
    });

    it('MIT: a ticket modified in the armored AS-REP fails the KrbFastFinished check', async () => {
      const armorTgt = (await client().login({ principal: armorP().principal, keys: labKeys(armorP()) })).tgt;
      const t = tampering(labTransport(L), (rep) => {
        const c = rep.ticket.encPart.cipher.slice();
        c[c.length - 1]! ^= 1;
        rep.ticket.encPart.cipher = c;
      });
      const err = await client(undefined, t)
        .login({
          principal: user().principal,
          password: user().password,
          armor: { tgt: armorTgt },
          fast: 'required',
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IntegrityError);
      expect(String(err)).toMatch(/KrbFastFinished/);
    });

    it('MIT: a modified armored reply (PA-FX-FAST) is rejected', async () => {
      const armorTgt = (await client().login({ principal: armorP().principal, keys: labKeys(armorP()) })).tgt;
      const t = tampering(labTransport(L), (rep) => {
        for (const p of rep.padata ?? []) {
          if (p.padataType !== PaDataType.FX_FAST) continue;
          const v = p.padataValue.slice();
          v[v.length - 3]! ^= 0x40;
          p.padataValue = v;
        }
      });
      const err = await client(undefined, t)
        .login({
          principal: user().principal,
          password: user().password,
          armor: { tgt: armorTgt },
          fast: 'required',
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IntegrityError);
    });

    it('MIT: an armored AS-REP stripped of PA-FX-FAST (a downgrade) is a ProtocolError', async () => {
      const armorTgt = (await client().login({ principal: armorP().principal, keys: labKeys(armorP()) })).tgt;
      const t = tampering(labTransport(L), (rep) => {
        rep.padata = (rep.padata ?? []).filter((p) => p.padataType !== PaDataType.FX_FAST);
      });
      const err = await client(undefined, t)
        .login({
          principal: user().principal,
          password: user().password,
          armor: { tgt: armorTgt },
          fast: 'required',
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
    });

    it.skipIf(!tsharkPath)(
      `MIT: tshark on lo sees PA-FX-FAST (136) in every AS-REQ and TGS-REQ, and no PA-ENC-TIMESTAMP (2)${tsharkPath ? '' : ' (tshark not installed)'}`,
      async () => {
        const nonces = new Set<number>();
        const k = client((e) => {
          const req =
            e.phase === 'request' ? (e.details?.['request'] as { reqBody?: { nonce?: number } }) : undefined;
          if (req?.reqBody?.nonce !== undefined) nonces.add(req.reqBody.nonce);
        });
        const armorTgt = (await k.login({ principal: armorP().principal, keys: labKeys(armorP()) })).tgt;
        nonces.clear();
        const port = Number(L.realms?.[F.realm]?.kdcs[0]?.split(':')[1] ?? 10288);
        const cap = await startCapture(port);
        let frames: CapturedFrame[] = [];
        try {
          const s = await k.login({
            principal: user().principal,
            password: user().password,
            fast: 'required',
            armor: { tgt: armorTgt },
          });
          await s.getServiceTicket(armorP().principal);
        } finally {
          frames = (await cap.stop()).frames;
        }
        // Only our requests (other helpers may talk to the same KDC while we capture): matched by nonce.
        const ours = frames.filter(
          (f) => (f.msgType === 10 || f.msgType === 12) && nonces.has(f.nonce ?? -1),
        );
        expect(ours.length).toBe(nonces.size);
        expect(nonces.size).toBeGreaterThanOrEqual(3);
        for (const f of ours) {
          expect(f.padataTypes).toContain(PaDataType.FX_FAST);
          expect(f.padataTypes).not.toContain(PaDataType.ENC_TIMESTAMP);
        }
        expect(ours.some((f) => f.msgType === 12)).toBe(true);
      },
      30_000,
    );
  },
);

describe.skipIf(!lab)(
  `MIT KDC: S4U2Self and S4U2Proxy over FAST-armored TGS (MIT.TEST)${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(lab);
    const P = (n: string) => L.principals[n]!;
    const user = { realm: L.realm, name: { nameType: 1, nameString: ['alice'] } };

    async function armoredService(trace?: (e: TraceEvent) => void) {
      const web = P('web');
      const k = new KdcClient({
        realm: L.realm,
        transport: labTransport(L),
        fast: 'required',
        armor: { principal: web.principal, keys: labKeys(web) },
        trace,
      });
      const s = await k.login({ principal: web.principal, keys: labKeys(web), forwardable: true });
      expect(s.armored).toBe(true);
      return { k, tgt: s.tgt };
    }

    it('MIT: S4U2Self then S4U2Proxy, both armored; the back end keytab opens a ticket naming alice', async () => {
      const events: TraceEvent[] = [];
      const { k, tgt } = await armoredService((e) => events.push(e));
      const self = await s4u2self(k, tgt, 'alice', { serviceKeys: labKeys(P('web')) });
      expect(formatPrincipal(self.user.name, self.user.realm)).toBe(`alice@${L.realm}`);
      expect(self.forwardable).toBe(true);
      // The PA-S4U-X509-USER echo, found inside the KrbFastResponse, verifies (usage 27).
      expect(self.userCheck).toMatchObject({ status: 'verified', usage: 27 });
      expect(self.warnings).toEqual([]);
      const proxy = await s4u2proxy(k, tgt, self, 'cifs/file.mit.test');
      const etp = openTicket(proxy.ticket, labKeys(P('cifs')));
      expect(formatPrincipal(etp.cname, etp.crealm)).toBe(`alice@${L.realm}`);
      expect(etp.key.keyvalue).toEqual(proxy.credential.sessionKey.bytes);
      const armored = events.filter((e) => e.step === 'FAST' && /armored TGS-REP/.test(e.summary));
      expect(armored.length).toBe(2);
      expect(
        events.filter((e) => e.phase === 'result' && /\(FAST\)$/.test(e.summary)).map((e) => e.step),
      ).toEqual(expect.arrayContaining(['S4U2Self', 'S4U2Proxy']));
    });

    it('MIT: under FAST the PA-S4U-X509-USER echo is inside KrbFastResponse, keyed with the TGS subkey (usage 27), not the strengthened reply key', async () => {
      const { k, tgt } = await armoredService();
      let x509: ReturnType<typeof buildPaS4uX509User> | undefined;
      const r = await k.tgs(tgt, tgt.client, {
        step: 'S4U2Self',
        options: { forwardable: true },
        expectClient: 'any',
        padata: (nonce: number, subkey: Key) => {
          x509 = buildPaS4uX509User({ nonce, cname: user.name, crealm: user.realm }, subkey);
          return [makePaForUser(user, tgt.sessionKey), paS4uX509UserData(x509)];
        },
      });
      expect(r.armored).toBe(true);
      expect(r.rep.padata?.map((p) => p.padataType)).toEqual([PaDataType.FX_FAST]);
      expect(r.padata.map((p) => p.padataType)).toContain(PaDataType.S4U_X509_USER);
      expect(r.replyKey.bytes).not.toEqual(r.subkey!.bytes);
      const check = checkS4uX509UserReply(x509!, r.padata, r.encPart.encryptedPaData, r.subkey!, {});
      expect(check).toMatchObject({ status: 'verified', usage: 27 });
      expect(() =>
        checkS4uX509UserReply(x509!, r.padata, r.encPart.encryptedPaData, r.replyKey, {}),
      ).toThrow();
      expect(formatPrincipal(r.credential.client.name, r.credential.client.realm)).toBe(`alice@${L.realm}`);
    });

    /** A transport that rewrites requests and KRB-ERRORs on the way (a man in the middle). */
    function mitm(edit: {
      request?: (b: Uint8Array) => Uint8Array;
      error?: (e: KrbError) => KrbError;
    }): Transport {
      const inner = labTransport(L);
      const fix = (b: Uint8Array) =>
        b[0] === 0x7e && edit.error ? encodeKrbError(edit.error(decodeKrbError(b))) : b;
      return {
        send: async (realm, req, o) => fix(await inner.send(realm, edit.request?.(req) ?? req, o)),
        sendDetailed: async (realm, req, o) => {
          const r = await inner.sendDetailed(realm, edit.request?.(req) ?? req, o);
          return { ...r, reply: fix(r.reply) };
        },
      };
    }
    const webArmor = () => ({ principal: P('web').principal, keys: labKeys(P('web')) });

    it('MIT: PA-FX-FAST stripped from the KDC hints (if-available) is caught as a downgrade by the encrypted padata', async () => {
      const t = mitm({
        error: (e) =>
          e.eData
            ? {
                ...e,
                eData: encodeMethodData(
                  decodeMethodData(e.eData).filter((p) => p.padataType !== PaDataType.FX_FAST),
                ),
              }
            : e,
      });
      const a = P('alice');
      const err = await new KdcClient({ realm: L.realm, transport: t })
        .login({ principal: a.principal, password: a.password, armor: webArmor() })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).check).toBe('fast-negotiation');
    });

    it('MIT: a principal without pre-authentication gets its ticket at once under if-available (no false downgrade)', async () => {
      const k = new KdcClient({ realm: L.realm, transport: labTransport(L) });
      const s = await k.login({
        principal: P('cifs').principal,
        keys: labKeys(P('cifs')),
        armor: webArmor(),
      });
      expect(s.armored).toBe(false);
      expect(k.fastRealms.has(L.realm)).toBe(true);
    });

    it('MIT: an AS-REQ modified on the way (enctypes cut to 17) fails the PA-REQ-ENC-PA-REP checksum', async () => {
      const t = mitm({
        request: (b) => {
          if (b[0] !== 0x6a) return b;
          const req = decodeAsReq(b);
          return encodeAsReq({ ...req, reqBody: { ...req.reqBody, etype: [17] } });
        },
      });
      const a = P('alice');
      const err = await new KdcClient({ realm: L.realm, transport: t, fast: 'if-available' })
        .login({ principal: a.principal, password: a.password })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IntegrityError);
      expect(String(err)).toMatch(/PA-REQ-ENC-PA-REP/);
    });

    it('MIT: fast "required" on a TGS from an unarmored TGT uses implicit armor', async () => {
      const events: TraceEvent[] = [];
      const k = new KdcClient({ realm: L.realm, transport: labTransport(L), trace: (e) => events.push(e) });
      const a = P('alice');
      const s = await k.login({ principal: a.principal, password: a.password });
      expect(s.armored).toBe(false);
      const st = await s.getServiceTicket('cifs/file.mit.test', { fast: 'required' });
      expect(st.server.name.nameString).toEqual(['cifs', 'file.mit.test']);
      expect(events.some((e) => e.step === 'FAST' && /armored TGS-REP/.test(e.summary))).toBe(true);
    });
  },
);
