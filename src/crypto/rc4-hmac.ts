/**
 * rc4-hmac (23): RFC 4757. Ciphertext = HMAC-MD5(K1, c || p) || RC4(K3, c || p) with an 8-byte
 * confounder c, K1 = HMAC-MD5(key, ms-usage), K3 = HMAC-MD5(K1, checksum). Also the HMAC-MD5
 * checksum (-138), which MS-PAC and MS-SFU use with keys of any enctype.
 */
import { CryptoError, IntegrityError } from '../errors.js';
import { concat, constantTimeEqual, utf8 } from '../util/bytes.js';
import { backend } from './backend.js';
import { ChecksumType, KeyUsage } from './constants.js';
import type { Key } from './key.js';
import { md4 } from './md4.js';
import type { EncProfile } from './profile.js';
import { rc4 } from './rc4.js';
import { KeySlot, usageSlot } from './slots.js';

const KEY_SIZE = 16;
const MAC_SIZE = 16;
const CONFOUNDER_SIZE = 8;
const SIGNATURE_KEY = utf8('signaturekey\0');
/** Cache tag for K1 (not one of the RFC 3961 tags). */
const K1_TAG = 0;

/**
 * RFC 4757 3: the Microsoft message type for a Kerberos key usage (3 -> 8, 23 -> 13, others unchanged).
 * RFC 4757's table also says 9 -> 8, but KDCs encrypt a TGS-REP under an rc4 authenticator subkey with 9: MIT 1.20
 * (krb5int_arcfour_translate_usage keeps 9; older MIT mapped it to 8) and Samba 4.22 (Heimdal's _krb5_usage2arcfour
 * translates only 3), as captured in test/vectors/rc4-tgs-rep-subkey.json.
 */
export function rc4MsUsage(usage: number): number {
  if (usage === KeyUsage.AsRepEncPart) return KeyUsage.TgsRepEncPartSessionKey;
  if (usage === KeyUsage.GssAcceptorSign) return KeyUsage.KrbPrivEncPart;
  return usage;
}

function le32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}

function k1(key: Key, usage: number): Uint8Array {
  const ms = rc4MsUsage(usage);
  return key.derived(usageSlot(ms, K1_TAG), () => backend().hmac('md5', key.bytes, le32(ms)));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-16LE bytes of the password (given as text or UTF-8 bytes). */
function utf16le(password: Uint8Array): Uint8Array {
  let text: string;
  try {
    text = strictUtf8.decode(password);
  } catch (e) {
    throw new CryptoError('rc4-hmac string-to-key: password bytes are not valid UTF-8', { cause: e });
  }
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    out[2 * i] = u & 0xff;
    out[2 * i + 1] = u >> 8;
  }
  return out;
}

/**
 * KERB_CHECKSUM_HMAC_MD5 (-138, RFC 4757 4): HMAC-MD5(Ksign, MD5(ms-usage LE32 || data)) with
 * Ksign = HMAC-MD5(key, "signaturekey\0"). The usage is translated as for encryption, as MIT does.
 */
export function hmacMd5Checksum(key: Key, usage: number, data: Uint8Array): Uint8Array {
  const be = backend();
  const ksign = key.derived(KeySlot.Sign, () => be.hmac('md5', key.bytes, SIGNATURE_KEY));
  return be.hmac('md5', ksign, be.hash('md5', concat(le32(rc4MsUsage(usage)), data)));
}

/** The rc4-hmac profile row. */
export const rc4HmacProfile: EncProfile = {
  etype: 23,
  name: 'rc4-hmac',
  keySize: KEY_SIZE,
  seedSize: KEY_SIZE,
  blockSize: 1,
  confounderSize: CONFOUNDER_SIZE,
  overhead: MAC_SIZE + CONFOUNDER_SIZE,
  checksumType: ChecksumType.HMAC_MD5,
  prfSize: 20,
  stringToKey(password, _salt, params) {
    // The salt is ignored: the key is the NT hash, MD4(UTF-16LE(password)).
    if (params !== undefined && params.length !== 0)
      throw new CryptoError(`rc4-hmac string-to-key takes no s2kparams, got ${params.length} bytes`);
    return md4(utf16le(password));
  },
  randomToKey: (seed) => seed.slice(),
  encrypt(key, usage, plaintext, confounder) {
    const be = backend();
    const kUsage = k1(key, usage);
    const data = concat(confounder, plaintext);
    const checksum = be.hmac('md5', kUsage, data);
    return concat(checksum, rc4(be.hmac('md5', kUsage, checksum), data));
  },
  decrypt(key, usage, ciphertext) {
    if (ciphertext.length < MAC_SIZE + CONFOUNDER_SIZE)
      throw new IntegrityError(
        `rc4-hmac ciphertext too short: ${ciphertext.length} bytes, need at least ${MAC_SIZE + CONFOUNDER_SIZE}`,
      );
    const be = backend();
    const kUsage = k1(key, usage);
    const checksum = ciphertext.subarray(0, MAC_SIZE);
    const data = rc4(be.hmac('md5', kUsage, checksum), ciphertext.subarray(MAC_SIZE));
    if (!constantTimeEqual(be.hmac('md5', kUsage, data), checksum))
      throw new IntegrityError(
        `rc4-hmac decrypt: integrity check failed (wrong key or key usage ${usage}, or tampered)`,
      );
    return data.slice(CONFOUNDER_SIZE);
  },
  checksum: hmacMd5Checksum,
  // RFC 4757 defines no PRF; MIT and Heimdal use HMAC-SHA1(key, input).
  prf: (key, input) => backend().hmac('sha1', key.bytes, input),
};
