import { describe, expect, it } from 'vitest';
import { decodeApReq, decodeAuthenticator } from '../../src/asn1/index.js';
import { decrypt, KeyUsage } from '../../src/crypto/index.js';
import { armorKeyOf, explicitTgsArmorKey, makeTicketArmor } from '../../src/fast/armor.js';
import { ArmorType } from '../../src/fast/constants.js';
import type { Credential } from '../../src/messages/credential.js';
import { AES_ETYPES, cf2ByHand, counterRandom, testKey } from './spec.js';

function armorTgt(etype: number): Credential {
  const sessionKey = testKey(etype, 0x42);
  const ticket = {
    tktVno: 5,
    realm: 'FAST.TEST',
    sname: { nameType: 2, nameString: ['krbtgt', 'FAST.TEST'] },
    encPart: { etype: 18, kvno: 1, cipher: Uint8Array.of(1, 2, 3, 4) },
  };
  return {
    client: { realm: 'FAST.TEST', name: { nameType: 1, nameString: ['host', 'armor.fast.test'] } },
    server: { realm: 'FAST.TEST', name: ticket.sname },
    sessionKey,
    ticket,
    ticketBytes: new Uint8Array(0),
    flags: {},
    authtime: new Date(0),
    endtime: new Date(3_600_000),
    encPart: {} as Credential['encPart'],
  } as Credential;
}

describe('armor key (RFC 6113 5.4.1.1)', () => {
  it.each(AES_ETYPES)('etype %i: KRB-FX-CF2(subkey, session key, "subkeyarmor", "ticketarmor")', (etype) => {
    const sub = testKey(etype, 0x11);
    const ses = testKey(etype, 0x22);
    expect(armorKeyOf(sub, ses).bytes).toEqual(cf2ByHand(sub, ses, 'subkeyarmor', 'ticketarmor').bytes);
    expect(armorKeyOf(sub, ses).etype).toBe(etype);
  });

  it('the peppers are ordered: swapping the keys gives another armor key', () => {
    const a = testKey(18, 1);
    const b = testKey(18, 2);
    expect(armorKeyOf(a, b).bytes).not.toEqual(armorKeyOf(b, a).bytes);
  });
});

describe('AP-REQ armor (FX_FAST_ARMOR_AP_REQUEST)', () => {
  it.each(AES_ETYPES)(
    'etype %i: AP-REQ for the TGT, authenticator (usage 11) carries the subkey of the armor key',
    (etype) => {
      const tgt = armorTgt(etype);
      const now = new Date(Date.UTC(2026, 10, 23, 10, 0, 0));
      const a = makeTicketArmor({ tgt, now, usec: 123456, random: counterRandom(7) });
      expect(a.armor.armorType).toBe(ArmorType.AP_REQUEST);
      expect(ArmorType.AP_REQUEST).toBe(1);
      const ap = decodeApReq(a.armor.armorValue);
      expect(ap.ticket).toEqual(tgt.ticket);
      expect(ap.authenticator.etype).toBe(etype);
      const auth = decodeAuthenticator(decrypt(tgt.sessionKey, 11, ap.authenticator.cipher));
      expect(KeyUsage.ApReqAuthenticator).toBe(11);
      expect(auth.crealm).toBe('FAST.TEST');
      expect(auth.cname.nameString).toEqual(['host', 'armor.fast.test']);
      expect(auth.ctime).toEqual(now);
      expect(auth.cusec).toBe(123456);
      expect(auth.subkey?.keytype).toBe(etype);
      expect(auth.subkey?.keyvalue).toEqual(a.subkey.bytes);
      expect(a.armorKey.bytes).toEqual(
        cf2ByHand(a.subkey, tgt.sessionKey, 'subkeyarmor', 'ticketarmor').bytes,
      );
    },
  );

  it('a fixed subkey gives a fixed armor key; fresh subkeys differ', () => {
    const tgt = armorTgt(18);
    const now = new Date(0);
    const sub = testKey(18, 9);
    const a = makeTicketArmor({ tgt, now, usec: 0, random: counterRandom(), subkey: sub });
    expect(a.armorKey.bytes).toEqual(cf2ByHand(sub, tgt.sessionKey, 'subkeyarmor', 'ticketarmor').bytes);
    const b = makeTicketArmor({ tgt, now, usec: 0, random: counterRandom(1) });
    const c = makeTicketArmor({ tgt, now, usec: 0, random: counterRandom(100) });
    expect(b.armorKey.bytes).not.toEqual(c.armorKey.bytes);
  });
});

describe('explicit TGS armor (MS-KILE 3.3.5.7.4 compound identity; MIT, Heimdal)', () => {
  it.each(AES_ETYPES)(
    'etype %i: KRB-FX-CF2(explicit armor key, TGS subkey, "explicitarmor", "tgsarmor")',
    (etype) => {
      const armorKey = testKey(etype, 0x31);
      const tgsSubkey = testKey(etype, 0x32);
      expect(explicitTgsArmorKey(armorKey, tgsSubkey).bytes).toEqual(
        cf2ByHand(armorKey, tgsSubkey, 'explicitarmor', 'tgsarmor').bytes,
      );
    },
  );
});
