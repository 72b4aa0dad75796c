/**
 * PA-ENCRYPTED-CHALLENGE (RFC 6113 5.4.6): the client proves its long-term key inside the FAST tunnel with a
 * timestamp encrypted in KRB-FX-CF2(armor key, long-term key, "clientchallengearmor", "challengelongterm")
 * (usage 54); the KDC answers with one in the "kdcchallengearmor" key (usage 55).
 */
import {
  decodePaEncryptedChallenge,
  decodePaEncTsEnc,
  encodePaEncryptedChallenge,
  encodePaEncTsEnc,
  type PaData,
  PaDataType,
  type PaEncTsEnc,
} from '../asn1/index.js';
import { cf2, decrypt, encrypt, type Key, KeyUsage } from '../crypto/index.js';
import { IntegrityError } from '../errors.js';
import { FastPepper } from './constants.js';

/** The client challenge key KRB-FX-CF2(armor key, long-term key, "clientchallengearmor", "challengelongterm"). */
export function clientChallengeKey(armorKey: Key, longTermKey: Key): Key {
  return cf2(armorKey, longTermKey, FastPepper.ClientChallengeArmor, FastPepper.ChallengeLongTerm);
}

/** The KDC challenge key KRB-FX-CF2(armor key, long-term key, "kdcchallengearmor", "challengelongterm"). */
export function kdcChallengeKey(armorKey: Key, longTermKey: Key): Key {
  return cf2(armorKey, longTermKey, FastPepper.KdcChallengeArmor, FastPepper.ChallengeLongTerm);
}

/** PA-ENCRYPTED-CHALLENGE (138): PA-ENC-TS-ENC { now, usec } in the client challenge key, usage 54. */
export function makePaEncryptedChallenge(
  armorKey: Key,
  longTermKey: Key,
  now: Date,
  usec: number,
  confounder?: Uint8Array,
): PaData {
  const key = clientChallengeKey(armorKey, longTermKey);
  const plain = encodePaEncTsEnc({ patimestamp: now, pausec: usec });
  const cipher = encrypt(key, KeyUsage.EncChallengeClient, plain, confounder ? { confounder } : {});
  return {
    padataType: PaDataType.ENCRYPTED_CHALLENGE,
    padataValue: encodePaEncryptedChallenge({ etype: key.etype, cipher }),
  };
}

/**
 * Verifies the KDC's PA-ENCRYPTED-CHALLENGE of an AS-REP: it must decrypt in the KDC challenge key (usage 55) and
 * its timestamp lie within `skewMs` of `now`. This proves the KDC knew the long-term key (mutual authentication).
 */
export function verifyKdcChallenge(
  pa: PaData,
  armorKey: Key,
  longTermKey: Key,
  now: Date,
  skewMs = 300_000,
): PaEncTsEnc {
  const enc = decodePaEncryptedChallenge(pa.padataValue);
  let plain: Uint8Array;
  try {
    plain = decrypt(kdcChallengeKey(armorKey, longTermKey), KeyUsage.EncChallengeKdc, enc.cipher);
  } catch (e) {
    if (e instanceof IntegrityError) {
      throw new IntegrityError('the KDC encrypted challenge did not decrypt (usage 55)', {
        hint: 'the reply did not come from a KDC that knows the client key, or the armor key differs',
        cause: e,
      });
    }
    throw e;
  }
  const ts = decodePaEncTsEnc(plain);
  if (Math.abs(ts.patimestamp.getTime() - now.getTime()) > skewMs) {
    throw new IntegrityError(
      `the KDC encrypted challenge time ${ts.patimestamp.toISOString()} is outside the allowed skew`,
      { hint: 'a replayed reply, or clocks out of sync' },
    );
  }
  return ts;
}
