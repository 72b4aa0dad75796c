import { describe, expect, it } from 'vitest';
import {
  decodeApReq,
  decodeAuthenticator,
  decodeEncKdcRepPart,
  decodeTgsRep,
  decodeTgsReq,
  PaDataType,
} from '../../src/asn1/index.js';
import {
  decrypt,
  encrypt,
  generateKey,
  Key,
  KeyUsage,
  makeChecksum,
  verifyChecksum,
} from '../../src/crypto/index.js';
import { rc4MsUsage } from '../../src/crypto/rc4-hmac.js';
import { IntegrityError } from '../../src/errors.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { fromHex, utf8 } from '../../src/util/bytes.js';
import checksumVectors from '../vectors/checksum.json' with { type: 'json' };
import rc4TgsVectors from '../vectors/rc4-tgs-rep-subkey.json' with { type: 'json' };
import { BACKENDS, useBackend } from './vectors.js';

describe('rc4-hmac usage translation (RFC 4757 3, MS-KILE)', () => {
  it.each([
    [3, 8],
    // RFC 4757 3 lists 9 -> 8, but MIT 1.20 (krb5int_arcfour_translate_usage) and Samba 4.22 (Heimdal) encrypt a
    // TGS-REP under an rc4 subkey with 9: see the lab capture test/vectors/rc4-tgs-rep-subkey.json below.
    [9, 9],
    [23, 13],
    [1, 1],
    [8, 8],
    [17, 17],
  ])('usage %i is message type %i', (usage, ms) => {
    expect(rc4MsUsage(usage)).toBe(ms);
  });
});

describe.each(BACKENDS)('rc4-hmac (RFC 4757), %s backend', (name) => {
  useBackend(name);

  it('a ciphertext for usage 3 (AS-REP) decrypts with usage 8 but not with 9', () => {
    const key = generateKey(23);
    const ct = encrypt(key, KeyUsage.AsRepEncPart, utf8('enc-part'));
    expect(decrypt(key, KeyUsage.TgsRepEncPartSessionKey, ct)).toEqual(utf8('enc-part'));
    expect(() => decrypt(key, KeyUsage.TgsRepEncPartSubkey, ct)).toThrow(IntegrityError);
  });

  it('adds 16 bytes of MAC and 8 of confounder', () => {
    const key = generateKey(23);
    expect(encrypt(key, 1, new Uint8Array(10)).length).toBe(34);
  });

  it('HMAC-MD5 (-138) works with an AES key too (PA-FOR-USER with any session key)', () => {
    const aes = generateKey(17);
    const data = utf8('S4U2Self');
    const sig = makeChecksum(-138, aes, KeyUsage.PacSignature, data);
    expect(sig.length).toBe(16);
    expect(verifyChecksum(-138, aes, KeyUsage.PacSignature, data, sig)).toBe(true);
    // HMAC-MD5 is keyed by the raw key bytes whatever the enctype: an rc4 key with the same bytes agrees.
    expect(makeChecksum(-138, new Key(23, aes.bytes), KeyUsage.PacSignature, data)).toEqual(sig);
  });

  it('the MIT -138 vector verifies and a one-bit change does not', () => {
    const v = checksumVectors.find((r) => r.cksumtype === -138);
    expect(v).toBeDefined();
    if (!v) return;
    const key = new Key(23, fromHex(v.key));
    const sig = fromHex(v.checksum);
    expect(verifyChecksum(-138, key, v.usage, fromHex(v.plaintext), sig)).toBe(true);
    sig[0]! ^= 0x80;
    expect(verifyChecksum(-138, key, v.usage, fromHex(v.plaintext), sig)).toBe(false);
  });
});

describe.each(BACKENDS)('rc4-hmac TGS-REP under an rc4 subkey, captured from the lab, %s backend', (name) => {
  useBackend(name);

  it.each(rc4TgsVectors.vectors.map((v) => [v.kdc, v] as const))(
    '%s: the enc-part opens with the request subkey and key usage 9, not 8',
    (_kdc, v) => {
      const tgsReq = decodeTgsReq(fromHex(v.tgsReq));
      const paTgsReq = tgsReq.padata?.find((p) => p.padataType === PaDataType.TGS_REQ);
      expect(paTgsReq).toBeDefined();
      if (!paTgsReq) return;
      const tgtSessionKey = new Key(v.tgtSessionKey.etype, fromHex(v.tgtSessionKey.hex));
      const auth = decodeAuthenticator(
        decrypt(
          tgtSessionKey,
          KeyUsage.TgsReqAuthenticator,
          decodeApReq(paTgsReq.padataValue).authenticator.cipher,
        ),
      );
      expect(auth.subkey?.keytype).toBe(23);
      expect(auth.subkey?.keyvalue).toEqual(fromHex(v.subkey.hex));

      const rep = decodeTgsRep(fromHex(v.tgsRep));
      expect(rep.encPart.etype).toBe(23);
      const subkey = new Key(v.subkey.etype, fromHex(v.subkey.hex));
      const part = decodeEncKdcRepPart(decrypt(subkey, KeyUsage.TgsRepEncPartSubkey, rep.encPart.cipher));
      expect(part.nonce).toBe(tgsReq.reqBody.nonce);
      expect(formatPrincipal(part.sname, part.srealm)).toBe(v.server);
      expect(() => decrypt(subkey, KeyUsage.TgsRepEncPartSessionKey, rep.encPart.cipher)).toThrow(
        IntegrityError,
      );
    },
  );
});
