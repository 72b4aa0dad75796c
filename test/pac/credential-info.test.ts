import { describe, expect, it } from 'vitest';
import { encrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import { CryptoError, IntegrityError, PacDecodeError } from '../../src/errors.js';
import { PacBufferType } from '../../src/pac/constants.js';
import { decodeCredentialInfo, decryptCredentialInfo } from '../../src/pac/credential-info.js';
import { decodePac } from '../../src/pac/pac.js';
import { concat, fromHex } from '../../src/util/bytes.js';
import { buildPac, encodeCredentialData } from './ndr-writer.js';

const replyKey = new Key(18, fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'));
const ntOwf = fromHex('8846f7eaee8fb117ad06bdd830b7586c');
const ntlm = concat(fromHex('00000000 02000000'), new Uint8Array(16), ntOwf);
const plain = encodeCredentialData([
  { packageName: 'NTLM', credentials: ntlm },
  { packageName: 'Other', credentials: fromHex('0102') },
]);
const header = (etype: number) => fromHex(`00000000 ${etype.toString(16).padStart(2, '0')}000000`);
const buffer = concat(
  header(18),
  encrypt(replyKey, KeyUsage.AppDataEncrypt, plain, { confounder: new Uint8Array(16) }),
);

describe('PAC_CREDENTIAL_INFO (MS-PAC 2.6)', () => {
  it('stays encrypted in the decoded PAC', () => {
    const pac = decodePac(buildPac([{ type: PacBufferType.CredentialsInfo, data: buffer }]));
    expect(pac.credentialInfo).toEqual({
      version: 0,
      encryptionType: 18,
      serializedData: buffer.subarray(8),
    });
  });

  it('decrypts with the AS reply key (usage 16) and decodes the NTLM credential', () => {
    const data = decryptCredentialInfo(decodeCredentialInfo(buffer), replyKey);
    expect(data.credentials).toEqual([
      { packageName: 'NTLM', credentials: ntlm, ntlm: { version: 0, flags: 2, ntPassword: ntOwf } },
      { packageName: 'Other', credentials: fromHex('0102') },
    ]);
  });

  it('a wrong key fails the integrity check', () => {
    const wrong = new Key(18, new Uint8Array(32));
    expect(() => decryptCredentialInfo(decodeCredentialInfo(buffer), wrong)).toThrow(IntegrityError);
  });

  it('a key of another enctype is refused', () => {
    const rc4 = new Key(23, new Uint8Array(16));
    expect(() => decryptCredentialInfo(decodeCredentialInfo(buffer), rc4)).toThrow(CryptoError);
  });

  it('rejects a version other than 0', () => {
    expect(() => decodeCredentialInfo(concat(fromHex('01000000 12000000'), new Uint8Array(8)))).toThrow(
      PacDecodeError,
    );
  });
});
