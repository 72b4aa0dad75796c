/** PA-FOR-USER (padata 129): the user a service asks an S4U2Self ticket for, signed with its TGT session key. MS-SFU 2.2.1. */
import { encodePaForUser, type PaData, PaDataType, type PaForUser } from '../asn1/index.js';
import { ChecksumType, type Key, KeyUsage, makeChecksum } from '../crypto/index.js';
import type { Principal } from '../messages/principal.js';
import { utf8 } from '../util/bytes.js';
import { AUTH_PACKAGE } from './constants.js';

/**
 * S4UByteArray of MS-SFU 2.2.1: the name-type as a little-endian int32, then every name string, the realm and the
 * auth-package, concatenated without separators or terminators.
 */
export function forUserChecksumData(user: Principal, authPackage: string = AUTH_PACKAGE): Uint8Array {
  // One UTF-8 encoding of the joined strings: the same bytes as the parts' (the request's KerberosStrings refuse
  // lone surrogates, the one case where they would differ).
  const text = utf8(`${user.name.nameString.join('')}${user.realm}${authPackage}`);
  const out = new Uint8Array(4 + text.length);
  const t = user.name.nameType;
  out[0] = t & 0xff;
  out[1] = (t >>> 8) & 0xff;
  out[2] = (t >>> 16) & 0xff;
  out[3] = (t >>> 24) & 0xff;
  out.set(text, 4);
  return out;
}

/** The PA-FOR-USER value: KERB_CHECKSUM_HMAC_MD5 over S4UByteArray keyed with the TGT session key, usage 17. */
export function buildPaForUser(user: Principal, tgtSessionKey: Key): PaForUser {
  return {
    userName: user.name,
    userRealm: user.realm,
    cksum: {
      cksumtype: ChecksumType.HMAC_MD5,
      checksum: makeChecksum(
        ChecksumType.HMAC_MD5,
        tgtSessionKey,
        KeyUsage.PacSignature,
        forUserChecksumData(user),
      ),
    },
    authPackage: AUTH_PACKAGE,
  };
}

/** PA-FOR-USER as PA-DATA for an S4U2Self TGS-REQ. */
export function makePaForUser(user: Principal, tgtSessionKey: Key): PaData {
  return {
    padataType: PaDataType.FOR_USER,
    padataValue: encodePaForUser(buildPaForUser(user, tgtSessionKey)),
  };
}
