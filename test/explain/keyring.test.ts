import { describe, expect, it } from 'vitest';
import {
  decodeApReq,
  decodeKerberosMessage,
  decodePaFxFastReply,
  decodePaFxFastRequest,
  type EncTicketPart,
  encodeEncKrbCredPart,
  type KdcRep,
  type KdcReq,
  type KrbFastReq,
  type PaData,
  PaDataType,
} from '../../src/asn1/index.js';
import { parseKeytab } from '../../src/creds/index.js';
import { KerberosError } from '../../src/errors.js';
import { addKeytab, addPassword, Keyring, parseEnctype, parseKeySpec } from '../../src/explain/keyring.js';
import {
  armorKeyOf,
  clientChallengeKey,
  explicitTgsArmorKey,
  kdcChallengeKey,
  strengthenReplyKey,
} from '../../src/fast/index.js';
import { toHex } from '../../src/util/bytes.js';
import { labKeytab } from '../cli/creds-fixtures.js';
import { armorSubkey, fastAsExchange, fastS4u2SelfExchange, strengthenKey } from '../cli/fast-fixtures.js';
import {
  krbtgtKey,
  openVector,
  REALM,
  s4u2SelfExchange,
  serviceKey,
  subkey,
  tgtSessionKey,
} from '../cli/fixtures.js';

const tgt = openVector('tgt_ticket', krbtgtKey);
const selfRep = decodeKerberosMessage(s4u2SelfExchange().reply).value as KdcRep;

describe('Keyring.open', () => {
  it('says when no key of the enctype is at hand', () => {
    expect(new Keyring().open(tgt.ticket.encPart, [2], 'EncTicketPart')).toEqual({
      status: 'no-key',
      reason: 'no aes256-cts-hmac-sha1-96 key at hand',
    });
  });

  it('says how many keys failed the integrity check', () => {
    const ring = new Keyring();
    ring.add(18, new Uint8Array(32), 'zero key');
    ring.add(18, new Uint8Array(32).fill(1), 'ones key');
    expect(ring.open(tgt.ticket.encPart, [2], 'EncTicketPart')).toEqual({
      status: 'failed',
      reason: '2 aes256-cts-hmac-sha1-96 keys tried, none passed the integrity check',
    });
  });

  it('opens with the key that fits, under the usage that fits, and decodes the part', () => {
    const ring = new Keyring();
    ring.add(18, new Uint8Array(32), 'zero key');
    ring.add(krbtgtKey.etype, krbtgtKey.bytes, 'krbtgt');
    const o = ring.open(tgt.ticket.encPart, [9, 2], 'EncTicketPart');
    expect(o.status).toBe('opened');
    if (o.status !== 'opened') return;
    expect(o.keyLabel).toBe('krbtgt');
    expect(o.usage).toBe(2);
    expect((o.value as EncTicketPart).cname.nameString).toEqual(['apache']);
  });

  it('learns the session key of an opened ticket and the subkey of an opened authenticator', () => {
    const ring = new Keyring();
    ring.add(serviceKey.etype, serviceKey.bytes, 'service');
    ring.open(selfRep.ticket.encPart, [2], 'EncTicketPart');
    const learned = ring.keys[1]!;
    const part = openVector('s4u2self_ticket', serviceKey).part;
    expect(learned.label).toBe(`session key from the ticket of admin@${REALM}`);
    expect(toHex(learned.key.bytes)).toBe(toHex(part.key.keyvalue));
    ring.add(subkey.etype, subkey.bytes, 'subkey');
    expect(ring.open(selfRep.encPart, [9, 8], 'EncKdcRepPart')).toMatchObject({ status: 'opened', usage: 9 });
  });

  it('reads a KRB-CRED part sent in the clear (etype 0) and learns its session keys', () => {
    const enc = encodeEncKrbCredPart({
      ticketInfo: [{ key: tgt.part.key, srealm: REALM, sname: tgt.ticket.sname }],
    });
    const ring = new Keyring();
    expect(ring.open({ etype: 0, cipher: enc }, [14], 'EncKrbCredPart')).toMatchObject({
      status: 'opened',
      usage: 0,
    });
    expect(ring.keys.map((k) => k.label)).toEqual([
      `session key of krbtgt/${REALM}@${REALM} from the KRB-CRED`,
    ]);
  });

  it('reports a part that decrypts but does not decode as the kind asked', () => {
    const ring = new Keyring();
    ring.add(krbtgtKey.etype, krbtgtKey.bytes, 'krbtgt');
    const o = ring.open(tgt.ticket.encPart, [2], 'Authenticator');
    expect(o.status).toBe('failed');
    if (o.status === 'failed')
      expect(o.reason).toMatch(/^decrypted with krbtgt, but not a valid Authenticator: /);
  });

  it('keeps one copy of a key, and skips keys of enctypes it cannot use', () => {
    const ring = new Keyring();
    ring.add(18, krbtgtKey.bytes, 'a');
    ring.add(18, krbtgtKey.bytes, 'b');
    ring.add(1, new Uint8Array(8), 'des');
    ring.add(18, new Uint8Array(5), 'short');
    expect(ring.keys.map((k) => k.label)).toEqual(['a']);
  });
});

describe('Keyring: FAST keys (RFC 6113 5.4.1.1, 5.4.3)', () => {
  const fast = fastS4u2SelfExchange();
  const req = decodeKerberosMessage(fast.request).value as KdcReq;
  const rep = decodeKerberosMessage(fast.reply).value as KdcRep;
  const pa = (list: readonly PaData[] | undefined, type: number): Uint8Array =>
    list!.find((p) => p.padataType === type)!.padataValue;
  const apReq = decodeApReq(pa(req.padata, PaDataType.TGS_REQ));

  it('an opened TGS authenticator with a subkey yields the implicit armor key KRB-FX-CF2(subkey, TGT session key)', () => {
    const ring = new Keyring();
    ring.add(krbtgtKey.etype, krbtgtKey.bytes, 'krbtgt');
    ring.open(apReq.ticket.encPart, [2], 'EncTicketPart');
    ring.open(apReq.authenticator, [7], 'Authenticator');
    const armor = ring.keys.find((k) => k.label.startsWith('the FAST armor key'));
    expect(toHex(armor!.key.bytes)).toBe(toHex(armorKeyOf(subkey, tgtSessionKey).bytes));
    const enc = decodePaFxFastRequest(pa(req.padata, PaDataType.FX_FAST)).armoredData.encFastReq;
    const o = ring.open(enc, [51], 'KrbFastReq');
    expect(o).toMatchObject({ status: 'opened', usage: 51 });
    if (o.status === 'opened')
      expect((o.value as KrbFastReq).padata.map((p) => p.padataType)).toEqual([PaDataType.FOR_USER]);
  });

  it('an opened KrbFastResponse with a strengthen-key yields the strengthened reply keys, which open the TGS-REP', () => {
    const ring = new Keyring();
    ring.add(krbtgtKey.etype, krbtgtKey.bytes, 'krbtgt');
    ring.open(apReq.ticket.encPart, [2], 'EncTicketPart');
    ring.open(apReq.authenticator, [7], 'Authenticator');
    const enc = decodePaFxFastReply(pa(rep.padata, PaDataType.FX_FAST)).armoredData.encFastRep;
    expect(ring.open(enc, [52], 'KrbFastResponse')).toMatchObject({ status: 'opened', usage: 52 });
    const strengthened = toHex(strengthenReplyKey(strengthenKey, subkey).bytes);
    expect(ring.keys.some((k) => toHex(k.key.bytes) === strengthened)).toBe(true);
    expect(ring.open(rep.encPart, [9, 8], 'EncKdcRepPart')).toMatchObject({
      status: 'opened',
      usage: 9,
      keyLabel: `the reply key strengthened by FAST (from subkey from apache@${REALM}'s authenticator)`,
    });
  });
});

describe('Keyring: FAST keys of an armored AS exchange', () => {
  const as = fastAsExchange();
  const req = decodeKerberosMessage(as.request).value as KdcReq;
  const armored = decodePaFxFastRequest(
    req.padata!.find((p) => p.padataType === PaDataType.FX_FAST)!.padataValue,
  ).armoredData;
  const armorApReq = decodeApReq(armored.armor!.armorValue);

  it('the armor AP-REQ (usage 11) yields the armor key and, with each given key, the encrypted-challenge keys', () => {
    const ring = new Keyring();
    ring.add(krbtgtKey.etype, krbtgtKey.bytes, 'krbtgt');
    ring.add(serviceKey.etype, serviceKey.bytes, 'apache');
    ring.open(armorApReq.ticket.encPart, [2], 'EncTicketPart');
    expect(ring.open(armorApReq.authenticator, [11], 'Authenticator')).toMatchObject({ status: 'opened' });
    const hex = new Map(ring.keys.map((k) => [k.label, toHex(k.key.bytes)]));
    expect(toHex(as.armorKey.bytes)).toBe(toHex(armorKeyOf(armorSubkey, tgtSessionKey).bytes));
    expect([...hex.values()]).toContain(toHex(as.armorKey.bytes));
    expect(hex.get('the FAST client challenge key of apache')).toBe(
      toHex(clientChallengeKey(as.armorKey, serviceKey).bytes),
    );
    expect(hex.get('the FAST KDC challenge key of apache')).toBe(
      toHex(kdcChallengeKey(as.armorKey, serviceKey).bytes),
    );
    expect(ring.open(armored.encFastReq, [51], 'KrbFastReq')).toMatchObject({ status: 'opened', usage: 51 });
  });

  it('an armor AP-REQ after a TGS authenticator also yields the explicit TGS armor key KRB-FX-CF2(armor key, TGS subkey)', () => {
    const tgsReq = decodeKerberosMessage(fastS4u2SelfExchange().request).value as KdcReq;
    const tgsApReq = decodeApReq(
      tgsReq.padata!.find((p) => p.padataType === PaDataType.TGS_REQ)!.padataValue,
    );
    const ring = new Keyring();
    ring.add(krbtgtKey.etype, krbtgtKey.bytes, 'krbtgt');
    ring.open(tgsApReq.ticket.encPart, [2], 'EncTicketPart');
    ring.open(tgsApReq.authenticator, [7], 'Authenticator');
    ring.open(armorApReq.authenticator, [11], 'Authenticator');
    const explicit = ring.keys.find((k) => k.label.startsWith('the FAST explicit TGS armor key'));
    expect(toHex(explicit!.key.bytes)).toBe(toHex(explicitTgsArmorKey(as.armorKey, subkey).bytes));
  });
});

describe('Keyring.kdcKeys', () => {
  it('a key given without a principal that opens a TGT of the realm becomes a KDC key', () => {
    const ring = new Keyring();
    ring.add(krbtgtKey.etype, krbtgtKey.bytes, '--key 1');
    expect(ring.kdcKeys()).toEqual([]);
    expect(ring.open(tgt.ticket.encPart, [2], 'EncTicketPart', `krbtgt/${REALM}@${REALM}`).status).toBe(
      'opened',
    );
    expect(ring.kdcKeys().map((k) => toHex(k.bytes))).toEqual([toHex(krbtgtKey.bytes)]);
    expect(ring.keys[0]).toMatchObject({ label: '--key 1', principal: `krbtgt/${REALM}@${REALM}` });
  });

  it('not when the ticket is a cross-realm TGT or a service ticket, or no owner is named', () => {
    for (const owner of [`krbtgt/OTHER.TEST@${REALM}`, `HTTP/web.example.test@${REALM}`, undefined]) {
      const ring = new Keyring();
      ring.add(krbtgtKey.etype, krbtgtKey.bytes, '--key 1');
      ring.open(tgt.ticket.encPart, [2], 'EncTicketPart', owner);
      expect(ring.kdcKeys()).toEqual([]);
    }
  });
});

describe('key sources', () => {
  it('labels keytab keys with principal and kvno, and treats krbtgt keys as KDC keys', () => {
    const ring = new Keyring();
    addKeytab(ring, parseKeytab(labKeytab()), 'lab.keytab');
    expect(ring.keys.map((k) => k.label)).toEqual([
      `lab.keytab key of krbtgt/${REALM}@${REALM} kvno 2`,
      `lab.keytab key of krbtgt/${REALM}@${REALM} kvno 2`,
      `lab.keytab key of apache@${REALM} kvno 2`,
    ]);
    expect(ring.kdcKeys()).toHaveLength(2);
  });

  it('derives the rc4 key of a password as MD4 of its UTF-16 (the NT hash of "password")', () => {
    const ring = new Keyring();
    addPassword(ring, 'password', 'EXAMPLE.COMalice');
    const rc4 = ring.keys.find((k) => k.key.etype === 23);
    expect(toHex(rc4!.key.bytes)).toBe('8846f7eaee8fb117ad06bdd830b7586c');
    expect(ring.keys.map((k) => k.key.etype).sort()).toEqual([17, 18, 19, 20, 23]);
  });

  it.each([
    ['18', 18],
    ['aes256-cts-hmac-sha1-96', 18],
    ['AES128', 17],
    ['rc4', 23],
    ['aes256-sha2', 20],
    ['des', undefined],
  ])('enctype %s is %s', (text, etype) => {
    expect(parseEnctype(text)).toBe(etype);
  });

  it('parses etype:hex', () => {
    expect(parseKeySpec('aes128:00112233445566778899aabbccddeeff')).toEqual({
      etype: 17,
      bytes: Uint8Array.from([
        0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
      ]),
    });
  });

  it.each(['00112233', 'blowfish:0011', '18:xyz', '18:0'])('refuses the key spec %s', (spec) => {
    expect(() => parseKeySpec(spec)).toThrow(KerberosError);
  });
});
