import { describe, expect, it } from 'vitest';
import {
  decodePaEncryptedChallenge,
  decodePaEncTsEnc,
  encodeEncryptedData,
  encodePaEncTsEnc,
  PaDataType,
} from '../../src/asn1/index.js';
import { decrypt, encrypt } from '../../src/crypto/index.js';
import { IntegrityError } from '../../src/errors.js';
import {
  clientChallengeKey,
  kdcChallengeKey,
  makePaEncryptedChallenge,
  verifyKdcChallenge,
} from '../../src/fast/challenge.js';
import { AES_ETYPES, cf2ByHand, testKey } from './spec.js';

const now = new Date(Date.UTC(2026, 10, 23, 10, 30, 0));

function kdcChallenge(etype: number, at: Date, usage = 55) {
  const key = cf2ByHand(testKey(etype, 1), testKey(etype, 2), 'kdcchallengearmor', 'challengelongterm');
  const cipher = encrypt(key, usage, encodePaEncTsEnc({ patimestamp: at, pausec: 5 }));
  return { padataType: PaDataType.ENCRYPTED_CHALLENGE, padataValue: encodeEncryptedData({ etype, cipher }) };
}

describe('PA-ENCRYPTED-CHALLENGE (RFC 6113 5.4.6)', () => {
  it.each(AES_ETYPES)('etype %i: challenge keys are KRB-FX-CF2 of armor key and long-term key', (etype) => {
    const armor = testKey(etype, 1);
    const lt = testKey(etype, 2);
    expect(clientChallengeKey(armor, lt).bytes).toEqual(
      cf2ByHand(armor, lt, 'clientchallengearmor', 'challengelongterm').bytes,
    );
    expect(kdcChallengeKey(armor, lt).bytes).toEqual(
      cf2ByHand(armor, lt, 'kdcchallengearmor', 'challengelongterm').bytes,
    );
  });

  it.each(AES_ETYPES)(
    'etype %i: the client challenge is PA-ENC-TS-ENC in the client challenge key, usage 54',
    (etype) => {
      const armor = testKey(etype, 1);
      const lt = testKey(etype, 2);
      const pa = makePaEncryptedChallenge(armor, lt, now, 777);
      expect(pa.padataType).toBe(138);
      const enc = decodePaEncryptedChallenge(pa.padataValue);
      expect(enc.etype).toBe(etype);
      const key = cf2ByHand(armor, lt, 'clientchallengearmor', 'challengelongterm');
      const ts = decodePaEncTsEnc(decrypt(key, 54, enc.cipher));
      expect(ts).toEqual({ patimestamp: now, pausec: 777 });
      expect(() => decrypt(key, 55, enc.cipher)).toThrow(IntegrityError);
    },
  );

  it.each(AES_ETYPES)(
    'etype %i: the KDC challenge (usage 55) verifies and returns its timestamp',
    (etype) => {
      const ts = verifyKdcChallenge(kdcChallenge(etype, now), testKey(etype, 1), testKey(etype, 2), now);
      expect(ts.patimestamp).toEqual(now);
    },
  );

  it.each([
    ['wrong usage (54)', () => kdcChallenge(18, now, 54), 2],
    ['wrong long-term key', () => kdcChallenge(18, now), 3],
    ['timestamp outside the skew', () => kdcChallenge(18, new Date(now.getTime() - 600_000)), 2],
  ] as const)('a KDC challenge with %s is an IntegrityError', (_n, make, ltFill) => {
    expect(() => verifyKdcChallenge(make(), testKey(18, 1), testKey(18, ltFill), now)).toThrow(
      IntegrityError,
    );
  });
});
