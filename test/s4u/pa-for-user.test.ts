import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePaForUser, decodeTgsReq, NameType, PaDataType } from '../../src/asn1/index.js';
import { ChecksumType, Key } from '../../src/crypto/index.js';
import type { Principal } from '../../src/messages/principal.js';
import { buildPaForUser, forUserChecksumData, makePaForUser } from '../../src/s4u/index.js';
import { fromHex, toHex } from '../../src/util/bytes.js';

/** KERB_CHECKSUM_HMAC_MD5 as RFC 4757 writes it, with node:crypto, independently of src/crypto. */
function hmacMd5ByHand(key: Uint8Array, usage: number, data: Uint8Array): string {
  const ksign = createHmac('md5', key).update(Buffer.from('signaturekey\0', 'latin1')).digest();
  const le = Buffer.from([usage & 0xff, (usage >> 8) & 0xff, (usage >> 16) & 0xff, (usage >> 24) & 0xff]);
  const tmp = createHash('md5').update(le).update(data).digest();
  return createHmac('md5', ksign).update(tmp).digest('hex');
}

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
const KEYS = [
  new Key(18, fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f')),
  new Key(17, fromHex('f0e0d0c0b0a090807060504030201000')),
  new Key(23, fromHex('8846f7eaee8fb117ad06bdd830b7586c')),
];

// S4UByteArray written out from MS-SFU 2.2.1: name-type (int32 LE) ‖ name strings ‖ realm ‖ "Kerberos".
const USERS: [string, Principal, string][] = [
  [
    'alice@MIT.TEST (NT-PRINCIPAL)',
    { realm: 'MIT.TEST', name: { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] } },
    `01000000${hex('alice')}${hex('MIT.TEST')}${hex('Kerberos')}`,
  ],
  [
    'HTTP/web.mit.test (two components, NT-SRV-HST)',
    { realm: 'MIT.TEST', name: { nameType: NameType.NT_SRV_HST, nameString: ['HTTP', 'web.mit.test'] } },
    `03000000${hex('HTTP')}${hex('web.mit.test')}${hex('MIT.TEST')}${hex('Kerberos')}`,
  ],
  [
    'enterprise alice@samba.test (NT-ENTERPRISE = 10)',
    { realm: 'SAMBA.TEST', name: { nameType: NameType.NT_ENTERPRISE, nameString: ['alice@samba.test'] } },
    `0a000000${hex('alice@samba.test')}${hex('SAMBA.TEST')}${hex('Kerberos')}`,
  ],
  [
    'NT-UNKNOWN (0), a UTF-8 name',
    { realm: 'R', name: { nameType: 0, nameString: ['zoë'] } },
    `00000000${hex('zoë')}${hex('R')}${hex('Kerberos')}`,
  ],
  [
    'a negative name type is written as its two-complement int32',
    { realm: 'R', name: { nameType: -130, nameString: ['x'] } },
    `7effffff${hex('x')}${hex('R')}${hex('Kerberos')}`,
  ],
];

describe('PA-FOR-USER (MS-SFU 2.2.1)', () => {
  it.each(USERS)('S4UByteArray of %s', (_n, user, expected) => {
    expect(toHex(forUserChecksumData(user))).toBe(expected);
  });

  it.each(USERS.flatMap(([n, user, data]) => KEYS.map((k) => [n, k.etype, user, data, k] as const)))(
    'checksum of %s with an etype %i TGT session key is HMAC-MD5, usage 17, built by hand',
    (_n, _e, user, data, key) => {
      const v = buildPaForUser(user, key);
      expect(v.cksum.cksumtype).toBe(ChecksumType.HMAC_MD5);
      expect(toHex(v.cksum.checksum)).toBe(hmacMd5ByHand(key.bytes, 17, fromHex(data)));
      expect(v.authPackage).toBe('Kerberos');
    },
  );

  it('is padata 129 and decodes back to the user, realm and auth-package', () => {
    const [, user] = USERS[0]!;
    const pa = makePaForUser(user, KEYS[0]!);
    expect(pa.padataType).toBe(PaDataType.FOR_USER);
    const v = decodePaForUser(pa.padataValue);
    expect(v).toEqual(buildPaForUser(user, KEYS[0]!));
    expect(v.userName.nameString).toEqual(['alice']);
    expect(v.userRealm).toBe('MIT.TEST');
  });

  const component = fc.string({ minLength: 1, maxLength: 12 });
  const principal = fc.record({
    realm: component,
    name: fc.record({
      nameType: fc.integer({ min: -2147483648, max: 2147483647 }),
      nameString: fc.array(component, { minLength: 1, maxLength: 3 }),
    }),
  });

  it('property: S4UByteArray is 4 bytes of name type plus the UTF-8 of every string, in order', () => {
    fc.assert(
      fc.property(principal, (p) => {
        const expected = Buffer.concat([
          (() => {
            const b = Buffer.alloc(4);
            b.writeInt32LE(p.name.nameType);
            return b;
          })(),
          ...p.name.nameString.map((s) => Buffer.from(s, 'utf8')),
          Buffer.from(p.realm, 'utf8'),
          Buffer.from('Kerberos', 'utf8'),
        ]);
        expect(toHex(forUserChecksumData(p))).toBe(expected.toString('hex'));
      }),
    );
  });

  it('property: the checksum binds the user: another realm or name gives another checksum', () => {
    fc.assert(
      fc.property(principal, component, (p, other) => {
        fc.pre(other !== p.realm);
        const a = buildPaForUser(p, KEYS[0]!).cksum.checksum;
        const b = buildPaForUser({ ...p, realm: other }, KEYS[0]!).cksum.checksum;
        expect(toHex(a)).not.toBe(toHex(b));
      }),
    );
  });
});

describe('PA-FOR-USER in a request a real KDC accepted (the shipped demo recording, Samba 4.22)', () => {
  const rec = JSON.parse(
    readFileSync(new URL('../../src/cli/demo/s4u-recording.json', import.meta.url), 'utf8'),
  ) as {
    keys: Record<string, { etype: number; hex: string }>;
    exchanges: { step: string; request: string }[];
  };
  const ex = rec.exchanges.find((e) => e.step === 'S4U2Self')!;
  const req = decodeTgsReq(fromHex(ex.request));
  const pa = req.padata!.find((p) => p.padataType === PaDataType.FOR_USER)!;
  const v = decodePaForUser(pa.padataValue);
  const k = rec.keys['tgt-session']!;

  it('its checksum is the one buildPaForUser makes with the recorded TGT session key', () => {
    const session = new Key(k.etype, fromHex(k.hex));
    expect(buildPaForUser({ realm: v.userRealm, name: v.userName }, session)).toEqual(v);
    expect(toHex(v.cksum.checksum)).toBe(
      hmacMd5ByHand(session.bytes, 17, forUserChecksumData({ realm: v.userRealm, name: v.userName })),
    );
  });
});
