import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePaS4uX509User,
  encodePaS4uX509User,
  encodeS4uUserId,
  NameType,
  type PaData,
  PaDataType,
  type PaS4uX509User,
  type S4uUserId,
} from '../../src/asn1/index.js';
import { ChecksumType, Key, KeyUsage, makeChecksum, verifyChecksum } from '../../src/crypto/index.js';
import { IntegrityError, KerberosError, ProtocolError } from '../../src/errors.js';
import {
  buildPaS4uX509User,
  checkS4uX509UserReply,
  paS4uX509UserData,
  s4uChecksumType,
} from '../../src/s4u/index.js';
import { concat, fromHex } from '../../src/util/bytes.js';

const AES256 = new Key(18, fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'));
const AES128 = new Key(17, fromHex('f0e0d0c0b0a090807060504030201000'));
const RC4 = new Key(23, fromHex('8846f7eaee8fb117ad06bdd830b7586c'));
const OTHER = new Key(18, fromHex('ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'));
const alice = { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] };
const bob = { nameType: NameType.NT_PRINCIPAL, nameString: ['bob'] };

/** What a KDC puts in the reply: the user id echoed (options as it honours them), signed with the reply key. */
function kdcReply(userId: S4uUserId, key: Key, usage: number, cksumtype = s4uChecksumType(key)): PaData {
  const v: PaS4uX509User = {
    userId,
    checksum: { cksumtype, checksum: makeChecksum(cksumtype, key, usage, encodeS4uUserId(userId)) },
  };
  return { padataType: PaDataType.S4U_X509_USER, padataValue: encodePaS4uX509User(v) };
}

const request = (key: Key = AES256) =>
  buildPaS4uX509User({ nonce: 0x1234567, cname: alice, crealm: 'MIT.TEST' }, key);

describe('PA-S4U-X509-USER request (MS-SFU 2.2.2)', () => {
  it.each([
    ['aes256', AES256, ChecksumType.HMAC_SHA1_96_AES256],
    ['aes128', AES128, ChecksumType.HMAC_SHA1_96_AES128],
    [
      'rc4-hmac: rsa-md4, as MS-SFU says for the enctype without a mandatory checksum',
      RC4,
      ChecksumType.RSA_MD4,
    ],
  ])('%s key: checksum type and a usage-26 checksum over the DER S4UUserID', (_n, key, type) => {
    const v = request(key);
    expect(v.checksum.cksumtype).toBe(type);
    expect(verifyChecksum(type, key, 26, encodeS4uUserId(v.userId), v.checksum.checksum)).toBe(true);
  });

  it('carries the nonce, user, realm and asks for reply key usage 27', () => {
    const v = request();
    expect(v.userId).toEqual({
      nonce: 0x1234567,
      cname: alice,
      crealm: 'MIT.TEST',
      options: { signedWithKun27: true },
    });
    expect(decodePaS4uX509User(paS4uX509UserData(v).padataValue)).toEqual(
      decodePaS4uX509User(encodePaS4uX509User(v)),
    );
    expect(paS4uX509UserData(v).padataType).toBe(130);
  });

  it('by certificate: no cname, the certificate bytes, the realm', () => {
    const cert = fromHex('3003020101');
    const v = buildPaS4uX509User({ nonce: 1, crealm: 'SAMBA.TEST', subjectCertificate: cert }, AES256);
    expect(v.userId.cname).toBeUndefined();
    expect(v.userId.subjectCertificate).toEqual(cert);
  });

  it('without use-reply-key-usage when asked not to', () => {
    const v = buildPaS4uX509User({ nonce: 1, crealm: 'R', cname: alice, useReplyKeyUsage: false }, AES256);
    expect(v.userId.options).toBeUndefined();
  });
});

describe('checking the reply PA-S4U-X509-USER', () => {
  const req = request();
  const echo: S4uUserId = { ...req.userId };

  it('MIT style: echoed user, usage 27 with the reply key: verified', () => {
    const r = checkS4uX509UserReply(req, [kdcReply(echo, AES256, 27)], undefined, AES256);
    expect(r).toMatchObject({ status: 'verified', usage: 27 });
  });

  it('a KDC that does not know use-reply-key-usage signs with 26 and clears it: verified with 26', () => {
    const old = { ...echo };
    delete old.options;
    const r = checkS4uX509UserReply(req, [kdcReply(old, AES256, 26)], undefined, AES256);
    expect(r).toMatchObject({ status: 'verified', usage: 26 });
  });

  it('absent: refused unless allowed (Samba sends none)', () => {
    expect(() => checkS4uX509UserReply(req, [], undefined, AES256)).toThrow(ProtocolError);
    expect(checkS4uX509UserReply(req, undefined, undefined, AES256, { allowAbsent: true }).status).toBe(
      'absent',
    );
  });

  it('rc4 reply key: the encrypted-pa-data copy of both checksums must match', () => {
    const rq = request(RC4);
    const pa = kdcReply(rq.userId, RC4, 27);
    const rep = decodePaS4uX509User(pa.padataValue);
    const good = { padataType: 130, padataValue: concat(rq.checksum.checksum, rep.checksum.checksum) };
    expect(checkS4uX509UserReply(rq, [pa], [good], RC4).status).toBe('verified');
    const tampered = rep.checksum.checksum.slice();
    tampered[0]! ^= 1;
    const bad = { padataType: 130, padataValue: concat(rq.checksum.checksum, tampered) };
    expect(() => checkS4uX509UserReply(rq, [pa], [bad], RC4)).toThrow(ProtocolError);
    expect(() => checkS4uX509UserReply(rq, [pa], [], RC4)).toThrow(/encrypted-pa-data/);
  });

  const failures: [string, () => unknown, typeof KerberosError, RegExp][] = [
    [
      'wrong user in the reply',
      () => checkS4uX509UserReply(req, [kdcReply({ ...echo, cname: bob }, AES256, 27)], undefined, AES256),
      ProtocolError,
      /user bob@MIT.TEST != requested alice@MIT.TEST/,
    ],
    [
      'wrong realm in the reply',
      () =>
        checkS4uX509UserReply(
          req,
          [kdcReply({ ...echo, crealm: 'EVIL.TEST' }, AES256, 27)],
          undefined,
          AES256,
        ),
      ProtocolError,
      /realm EVIL.TEST/,
    ],
    [
      'another nonce',
      () => checkS4uX509UserReply(req, [kdcReply({ ...echo, nonce: 7 }, AES256, 27)], undefined, AES256),
      ProtocolError,
      /nonce 7/,
    ],
    [
      'bad checksum (signed with another key)',
      () => checkS4uX509UserReply(req, [kdcReply(echo, OTHER, 27)], undefined, AES256),
      IntegrityError,
      /checksum does not verify \(usage 27\)/,
    ],
    [
      'bad checksum (usage 26 while the reply claims 27)',
      () => checkS4uX509UserReply(req, [kdcReply(echo, AES256, 26)], undefined, AES256),
      IntegrityError,
      /usage 27/,
    ],
    [
      'an unkeyed checksum with an AES reply key',
      () => checkS4uX509UserReply(req, [kdcReply(echo, AES256, 27, ChecksumType.RSA_MD4)], undefined, AES256),
      ProtocolError,
      /unkeyed checksum/,
    ],
    [
      'only in encrypted-pa-data',
      () => checkS4uX509UserReply(req, [], [kdcReply(echo, AES256, 27)], AES256, { allowAbsent: true }),
      ProtocolError,
      /missing from the reply padata/,
    ],
  ];
  it.each(failures)('refuses %s', (_n, run, cls, message) => {
    expect(run).toThrow(cls);
    expect(run).toThrow(message);
  });

  it('property: any byte flipped in the reply value is refused with a typed error', () => {
    const good = kdcReply(echo, AES256, 27);
    fc.assert(
      fc.property(fc.nat(good.padataValue.length - 1), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const v = good.padataValue.slice();
        v[at]! ^= x;
        let threw: unknown;
        try {
          checkS4uX509UserReply(req, [{ padataType: 130, padataValue: v }], undefined, AES256);
        } catch (e) {
          threw = e;
        }
        expect(threw).toBeInstanceOf(KerberosError);
      }),
    );
  });

  it('property: a reply echoing any request, signed with usage 27, verifies', () => {
    fc.assert(
      fc.property(
        fc.nat(0x7fffffff),
        fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 2 }),
        fc.string({ minLength: 1, maxLength: 10 }),
        (nonce, nameString, crealm) => {
          const rq = buildPaS4uX509User({ nonce, cname: { nameType: 1, nameString }, crealm }, AES128);
          const r = checkS4uX509UserReply(
            rq,
            [kdcReply(rq.userId, AES128, KeyUsage.PaS4uX509UserReply)],
            undefined,
            AES128,
          );
          expect(r.status).toBe('verified');
        },
      ),
    );
  });
});
