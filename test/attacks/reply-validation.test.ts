/**
 * Reply-validation attacks (issue 9): the MIT lab KDC answers, an attacker in the path rewrites one thing in the
 * reply, and the client must refuse it with a typed error naming the check. Everything not rewritten is what the
 * real KDC sent, so each test isolates one check of RFC 4120 3.1.5 / 3.3.4 or MS-SFU 3.1.5.1.
 */
import { describe, expect, it } from 'vitest';
import {
  AdType,
  type AuthorizationData,
  decodeAuthorizationData,
  decodeEncTicketPart,
  decodePaS4uX509User,
  type EncKdcRepPart,
  encodeAuthorizationData,
  encodeEncTicketPart,
  encodeKrbError,
  encodeMethodData,
  encodePaS4uX509User,
  encodeTicket,
  PaDataType,
  type PrincipalName,
} from '../../src/asn1/index.js';
import { KdcClient, s4u2self } from '../../src/client/index.js';
import { decrypt, encrypt, generateKey, type Key, KeyUsage } from '../../src/crypto/index.js';
import { Asn1DecodeError, IntegrityError, ProtocolError } from '../../src/errors.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import { labKeys, labTransport, mitLab } from '../helpers/lab.js';
import { decodeRep, isKdcRep, type Rewrite, TamperTransport, tamperRep } from './tamper.js';

const lab = mitLab;
const REALM = lab?.realm ?? 'MIT.TEST';
const name = (...s: string[]): PrincipalName => ({ nameType: 1, nameString: s });
const keyOf = (keys: readonly Key[], etype: number): Key => {
  const k = keys.find((x) => x.etype === etype);
  if (!k) throw new Error(`no lab key of etype ${etype}`);
  return k;
};

/** A client of the lab behind a tampering relay, and alice's keys. */
function setup(etypes?: number[]) {
  if (!lab) throw new Error('no lab');
  const t = new TamperTransport(labTransport(lab));
  const client = new KdcClient({ realm: REALM, transport: t, ...(etypes ? { etypes } : {}) });
  const alice = lab.principals['alice']!;
  return { t, client, alice, keys: labKeys(alice) };
}

/** A rewrite of the AS-REP only: `inner` edits the enc-part (resealed in alice's key). */
function asRep(
  keys: readonly Key[],
  outer?: Parameters<typeof tamperRep>[1],
  inner?: Omit<NonNullable<Parameters<typeof tamperRep>[2]>, 'seal'> & {
    seal?: Partial<NonNullable<Parameters<typeof tamperRep>[2]>['seal']>;
  },
): Rewrite {
  return ({ reply }) => {
    if (!isKdcRep(reply)) return undefined;
    const etype = decodeRep(reply).encPart.etype;
    const seal = { key: keyOf(keys, etype), usage: KeyUsage.AsRepEncPart, ...inner?.seal };
    return tamperRep(reply, outer, inner ? { seal, edit: inner.edit } : undefined);
  };
}

/** Runs `f` and returns what it threw (failing the test when it returned). */
async function thrown(f: () => Promise<unknown>): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('the forged reply was accepted');
}

const expectCheck = (e: unknown, check: string): void => {
  expect(e).toBeInstanceOf(ProtocolError);
  expect((e as ProtocolError).check).toBe(check);
};

describe.skipIf(!lab)(
  'attacks on AS-REP validation, MIT lab KDC behind a tampering relay (lab not running)',
  () => {
    const login = (c: ReturnType<typeof setup>, extra: Record<string, unknown> = {}) =>
      c.client.login({ principal: c.alice.principal, keys: c.keys, canonicalize: false, ...extra });

    it('the untouched relay works (control)', async () => {
      const c = setup();
      const s = await login(c);
      expect(s.tgt.client.name.nameString).toEqual(['alice']);
    });

    it.each(
      (<[string, (k: readonly Key[]) => Rewrite, string][]>[
        [
          'nonce in the enc-part off by one',
          (k) => asRep(k, undefined, { edit: (e) => ({ ...e, nonce: e.nonce + 1 }) }),
          'nonce',
        ],
        ['cname substituted (bob)', (k) => asRep(k, (r) => ({ ...r, cname: name('bob') })), 'cname'],
        [
          'crealm substituted (OTHER.TEST)',
          (k) => asRep(k, (r) => ({ ...r, crealm: 'OTHER.TEST' })),
          'cname',
        ],
        [
          'enc-part sname differs from the ticket (HTTP/web.mit.test)',
          (k) => asRep(k, undefined, { edit: (e) => ({ ...e, sname: name('HTTP', 'web.mit.test') }) }),
          'sname',
        ],
        [
          'ticket and enc-part both for another server (HTTP/web.mit.test)',
          (k) =>
            asRep(k, (r) => ({ ...r, ticket: { ...r.ticket, sname: name('HTTP', 'web.mit.test') } }), {
              edit: (e) => ({ ...e, sname: name('HTTP', 'web.mit.test') }),
            }),
          'sname',
        ],
        [
          'enc-part srealm differs from the ticket realm',
          (k) => asRep(k, undefined, { edit: (e) => ({ ...e, srealm: 'OTHER.TEST' }) }),
          'sname',
        ],
        [
          'session key of a 16-byte aes256 key (wrong length)',
          (k) =>
            asRep(k, undefined, {
              edit: (e) => ({ ...e, key: { keytype: 18, keyvalue: new Uint8Array(16) } }),
            }),
          'session-key',
        ],
        [
          'outer enc-part etype relabelled (23) so that another key would be tried',
          (k) => asRep(k, (r) => ({ ...r, encPart: { ...r.encPart, etype: 23 } })),
          'enc-part-etype',
        ],
      ]).map(([attack, rewrite, check]) => ({ attack, rewrite, check })),
    )('$attack: refused by check $check', async ({ check, rewrite }) => {
      const c = setup();
      c.t.rewrite = rewrite(c.keys);
      expectCheck(await thrown(() => login(c)), check);
    });

    it('downgrade: the client offered aes256 only, the reply session key is rc4-hmac: session-key-etype', async () => {
      const c = setup([18]);
      c.t.rewrite = asRep(c.keys, undefined, {
        edit: (e) => ({ ...e, key: { keytype: 23, keyvalue: new Uint8Array(16).fill(1) } }),
      });
      const e = await thrown(() => login(c));
      expectCheck(e, 'session-key-etype');
      expect((e as ProtocolError).hint).toMatch(/downgrade/);
    });

    it('enc-part sealed under key usage 8 (a TGS-REP usage) instead of 3: IntegrityError', async () => {
      const c = setup();
      c.t.rewrite = asRep(c.keys, undefined, {
        seal: { resealUsage: KeyUsage.TgsRepEncPartSessionKey },
        edit: (e) => e,
      });
      expect(await thrown(() => login(c))).toBeInstanceOf(IntegrityError);
    });

    it('enc-part of the wrong message type (a Ticket, right key and usage): Asn1DecodeError', async () => {
      const c = setup();
      c.t.rewrite = ({ reply }) => {
        if (!isKdcRep(reply)) return undefined;
        const rep = decodeRep(reply);
        return tamperRep(reply, undefined, {
          seal: {
            key: keyOf(c.keys, rep.encPart.etype),
            usage: KeyUsage.AsRepEncPart,
            plaintext: () => encodeTicket(rep.ticket),
          },
          edit: (e) => e,
        });
      };
      const e = await thrown(() => login(c));
      expect(e).toBeInstanceOf(Asn1DecodeError);
      expect((e as Asn1DecodeError).message).toMatch(/EncTGSRepPart|EncASRepPart|EncKDCRepPart/);
    });

    it("enc-part swapped in from bob's AS-REP: IntegrityError (not alice's key)", async () => {
      const c = setup();
      const bob = lab!.principals['bob']!;
      await c.client.login({ principal: bob.principal, keys: labKeys(bob), canonicalize: false });
      const bobRep = decodeRep(c.t.seen.filter((s) => isKdcRep(s.reply)).at(-1)!.reply);
      c.t.rewrite = ({ reply }) => {
        if (!isKdcRep(reply)) return undefined;
        const rep = decodeRep(reply);
        return tamperRep(reply, () => ({ ...rep, encPart: bobRep.encPart }));
      };
      expect(await thrown(() => login(c))).toBeInstanceOf(IntegrityError);
    });

    it('a replayed AS-REP from a previous login: nonce', async () => {
      const c = setup();
      await login(c);
      const old = c.t.seen.filter((s) => isKdcRep(s.reply)).at(-1)!.reply;
      c.t.rewrite = ({ reply }) => (isKdcRep(reply) ? old : undefined);
      expectCheck(await thrown(() => login(c)), 'nonce');
    });

    it.each<[string, Uint8Array | undefined]>([
      ['random bytes', Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff)],
      [
        'truncated METHOD-DATA',
        encodeMethodData([{ padataType: 2, padataValue: new Uint8Array(40) }]).subarray(0, 20),
      ],
      [
        'PA-FX-ERROR holding garbage',
        encodeMethodData([
          { padataType: PaDataType.FX_ERROR, padataValue: Uint8Array.of(0x7e, 0x84, 0xff, 0xff) },
        ]),
      ],
      ['empty', new Uint8Array(0)],
    ])(
      'KRB-ERROR with garbage e-data (%s): a KdcError, e-data decoded as far as possible',
      async (_, eData) => {
        const c = setup();
        c.t.rewrite = ({ reply }) =>
          encodeKrbError({
            pvno: 5,
            msgType: 30,
            stime: new Date(),
            susec: 0,
            errorCode: 12,
            realm: REALM,
            sname: name('krbtgt', REALM),
            ...(eData ? { eData } : {}),
            eText: reply.length > 0 ? 'forged' : '',
          });
        const e = await thrown(() => login(c));
        expect(e).toBeInstanceOf(KdcError);
        expect((e as KdcError).errorCode).toBe(12);
        expect((e as KdcError).code).toBe('KDC_ERR_POLICY');
        expect(['raw', 'method-data', 'typed-data']).toContain((e as KdcError).eData!.kind);
      },
    );
  },
);

describe.skipIf(!lab)(
  'attacks on TGS-REP validation, MIT lab KDC behind a tampering relay (lab not running)',
  () => {
    const cifs = { realm: REALM, name: name('cifs', 'file.mit.test') };

    it('a replayed TGS-REP (same service, previous request): IntegrityError (another subkey)', async () => {
      const c = setup();
      const s = await c.client.login({ principal: c.alice.principal, keys: c.keys });
      await c.client.tgs(s.tgt, cifs);
      const old = c.t.seen.at(-1)!.reply;
      c.t.rewrite = ({ reply }) => (isKdcRep(reply) ? old : undefined);
      expect(await thrown(() => c.client.tgs(s.tgt, cifs))).toBeInstanceOf(IntegrityError);
    });

    /**
     * A client whose randomness is a fixed byte string, so the attacker knows the TGS subkey (generateKey of the same
     * bytes) and can reseal a TGS-REP enc-part (usage 9) after editing it. Only the TGS exchanges are rewritten.
     */
    async function knownSubkey(etypes?: number[]) {
      if (!lab) throw new Error('no lab');
      const t = new TamperTransport(labTransport(lab));
      const fixed = (n: number) => new Uint8Array(n).fill(0x5a);
      const client = new KdcClient({
        realm: REALM,
        transport: t,
        random: fixed,
        ...(etypes ? { etypes } : {}),
      });
      const alice = lab.principals['alice']!;
      const s = await client.login({ principal: alice.principal, keys: labKeys(alice) });
      const subkey = generateKey(s.tgt.sessionKey.etype, fixed);
      const tgsRep =
        (edit: (e: EncKdcRepPart) => EncKdcRepPart): Rewrite =>
        ({ reply }) =>
          reply[0] === 0x6d
            ? tamperRep(reply, undefined, {
                seal: { key: subkey, usage: KeyUsage.TgsRepEncPartSubkey },
                edit,
              })
            : undefined;
      return { t, client, tgt: s.tgt, tgsRep };
    }

    it('control: with the known subkey an unedited reseal is accepted', async () => {
      const c = await knownSubkey();
      c.t.rewrite = c.tgsRep((e) => e);
      const r = await c.client.tgs(c.tgt, cifs);
      expect(r.credential.server.name.nameString).toEqual(['cifs', 'file.mit.test']);
    });

    it.each(
      (<[string, (e: EncKdcRepPart) => EncKdcRepPart, string][]>[
        ['nonce off by one', (e) => ({ ...e, nonce: e.nonce + 1 }), 'nonce'],
        ['enc-part sname another service', (e) => ({ ...e, sname: name('HTTP', 'web.mit.test') }), 'sname'],
        [
          'session key of 16 bytes for aes256',
          (e) => ({ ...e, key: { keytype: 18, keyvalue: new Uint8Array(16) } }),
          'session-key',
        ],
        [
          'session key rc4-hmac (not offered)',
          (e) => ({ ...e, key: { keytype: 23, keyvalue: new Uint8Array(16) } }),
          'session-key-etype',
        ],
      ]).map(([attack, edit, check]) => ({ attack, edit, check })),
    )('TGS-REP $attack (resealed in the subkey): refused by check $check', async ({ edit, check }) => {
      const c = await knownSubkey([18, 17]);
      c.t.rewrite = c.tgsRep(edit);
      expectCheck(await thrown(() => c.client.tgs(c.tgt, cifs)), check);
    });

    it("ticket's sname rewritten in the clear part (HTTP/web.mit.test): sname", async () => {
      const c = setup();
      const s = await c.client.login({ principal: c.alice.principal, keys: c.keys });
      c.t.rewrite = ({ reply }) =>
        isKdcRep(reply)
          ? tamperRep(reply, (r) => ({ ...r, ticket: { ...r.ticket, sname: name('HTTP', 'web.mit.test') } }))
          : undefined;
      expectCheck(await thrown(() => c.client.tgs(s.tgt, cifs)), 'sname');
    });

    it('cname substituted in the TGS-REP (bob): cname', async () => {
      const c = setup();
      const s = await c.client.login({ principal: c.alice.principal, keys: c.keys });
      c.t.rewrite = ({ reply }) =>
        isKdcRep(reply) ? tamperRep(reply, (r) => ({ ...r, cname: name('bob') })) : undefined;
      expectCheck(await thrown(() => c.client.tgs(s.tgt, cifs)), 'cname');
    });
  },
);

describe.skipIf(!lab)('attacks on S4U2Self reply validation, MIT lab (lab not running)', () => {
  async function webSession(c: ReturnType<typeof setup>) {
    const web = lab!.principals['web']!;
    return c.client.login({ principal: web.principal, keys: labKeys(web) });
  }

  it('control: S4U2Self for alice verifies PA-S4U-X509-USER', async () => {
    const c = setup();
    const s = await webSession(c);
    const r = await s4u2self(c.client, s.tgt, 'alice');
    expect(r.userCheck?.status).toBe('verified');
  });

  it('PA-S4U-X509-USER in the reply names another user (bob): s4u-x509-user', async () => {
    const c = setup();
    const s = await webSession(c);
    c.t.rewrite = ({ reply }) =>
      isKdcRep(reply)
        ? tamperRep(reply, (r) => ({
            ...r,
            padata: (r.padata ?? []).map((p) => {
              if (p.padataType !== PaDataType.S4U_X509_USER) return p;
              const v = decodePaS4uX509User(p.padataValue);
              return {
                ...p,
                padataValue: encodePaS4uX509User({ ...v, userId: { ...v.userId, cname: name('bob') } }),
              };
            }),
          }))
        : undefined;
    expectCheck(await thrown(() => s4u2self(c.client, s.tgt, 'alice')), 's4u-x509-user');
  });

  /** `ad` with one byte of the PAC's server signature (PAC_SERVER_CHECKSUM, ulType 6) flipped. */
  function flipServerSignature(ad: AuthorizationData): AuthorizationData {
    return ad.map((e) => {
      if (e.adType === AdType.IF_RELEVANT)
        return {
          ...e,
          adData: encodeAuthorizationData(flipServerSignature(decodeAuthorizationData(e.adData))),
        };
      if (e.adType !== AdType.WIN2K_PAC) return e;
      const pac = e.adData.slice();
      const v = new DataView(pac.buffer);
      for (let i = 0; i < v.getUint32(0, true); i++) {
        const at = 8 + 16 * i;
        if (v.getUint32(at, true) === 6) pac[v.getUint32(at + 8, true) + 4]! ^= 0x01;
      }
      return { ...e, adData: pac };
    });
  }

  it('S4U2Self ticket whose PAC server signature was altered (ticket resealed in the service key): not verified', async () => {
    const c = setup();
    const s = await webSession(c);
    const webKeys = labKeys(lab!.principals['web']!);
    c.t.rewrite = ({ reply }) =>
      isKdcRep(reply)
        ? tamperRep(reply, (r) => {
            const key = keyOf(webKeys, r.ticket.encPart.etype);
            const part = decodeEncTicketPart(decrypt(key, KeyUsage.KdcRepTicket, r.ticket.encPart.cipher));
            const altered = { ...part, authorizationData: flipServerSignature(part.authorizationData ?? []) };
            const cipher = encrypt(key, KeyUsage.KdcRepTicket, encodeEncTicketPart(altered));
            return { ...r, ticket: { ...r.ticket, encPart: { ...r.ticket.encPart, cipher } } };
          })
        : undefined;
    const r = await s4u2self(c.client, s.tgt, 'alice', { serviceKeys: webKeys });
    expect(r.pac?.verification.server.status).toBe('invalid');
    expect(r.pac?.verification.verified).toBe(false);
  });

  it('control: the same S4U2Self untouched verifies its PAC server signature', async () => {
    const c = setup();
    const s = await webSession(c);
    const r = await s4u2self(c.client, s.tgt, 'alice', { serviceKeys: labKeys(lab!.principals['web']!) });
    expect(r.pac?.verification.server.status).toBe('valid');
  });

  it('PA-S4U-X509-USER removed and the cname changed to bob: cname', async () => {
    const c = setup();
    const s = await webSession(c);
    c.t.rewrite = ({ reply }) =>
      isKdcRep(reply)
        ? tamperRep(reply, (r) => ({
            ...r,
            cname: name('bob'),
            padata: (r.padata ?? []).filter((p) => p.padataType !== PaDataType.S4U_X509_USER),
          }))
        : undefined;
    expectCheck(await thrown(() => s4u2self(c.client, s.tgt, 'alice')), 'cname');
  });
});
