/** PA-FOR-USER (padata 129): the user a service asks an S4U2Self ticket for, signed with its TGT session key. MS-SFU 2.2.1. */
import { encodePaForUser, type PaData, PaDataType, type PaForUser } from '../asn1/index.js';
import { ChecksumType, type Key, KeyUsage, makeChecksum } from '../crypto/index.js';
import type { Principal } from '../messages/principal.js';
import { concat, utf8 } from '../util/bytes.js';
import { AUTH_PACKAGE } from './constants.js';

/**
 * S4UByteArray of MS-SFU 2.2.1: the name-type as a little-endian int32, then every name string, the realm and the
 * auth-package, concatenated without separators or terminators.
 */
export function forUserChecksumData(user: Principal, authPackage: string = AUTH_PACKAGE): Uint8Array {
  const t = user.name.nameType;
  const nameType = Uint8Array.of(t & 0xff, (t >>> 8) & 0xff, (t >>> 16) & 0xff, (t >>> 24) & 0xff);
  return concat(nameType, ...user.name.nameString.map(utf8), utf8(user.realm), utf8(authPackage));
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
