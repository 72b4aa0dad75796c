/**
 * PAC_CREDENTIAL_INFO (MS-PAC 2.6): supplemental credentials (NTLM hashes after PKINIT), encrypted
 * with the AS reply key under key usage KERB_NON_KERB_SALT (16). Kept encrypted unless the caller
 * supplies that key to decryptCredentialInfo.
 */
import { decrypt, type Key, KeyUsage } from '../crypto/index.js';
import { CryptoError } from '../errors.js';
import {
  NdrSize,
  NTLM_PACKAGE_NAME,
  NTLM_SUPPLEMENTAL_CREDENTIAL_LENGTH,
  NtlmCredentialFlag,
} from './constants.js';
import { decodeNdrType, type Lazy, NdrReader } from './ndr.js';

/** PAC_CREDENTIAL_INFO header and its still-encrypted PAC_CREDENTIAL_DATA. */
export interface PacCredentialInfo {
  version: number;
  encryptionType: number;
  serializedData: Uint8Array;
}

/** NTLM_SUPPLEMENTAL_CREDENTIAL (MS-PAC 2.6.4): the LM and NT one-way functions of the password. */
export interface NtlmSupplementalCredential {
  version: number;
  flags: number;
  lmPassword?: Uint8Array;
  ntPassword?: Uint8Array;
}

/** SECPKG_SUPPLEMENTAL_CRED (MS-PAC 2.6.3): one security package's credentials. */
export interface SecPkgSupplementalCred {
  packageName: string;
  credentials: Uint8Array;
  /** Decoded when the package is NTLM. */
  ntlm?: NtlmSupplementalCredential;
}

/** PAC_CREDENTIAL_DATA (MS-PAC 2.6.2). */
export interface PacCredentialData {
  credentials: SecPkgSupplementalCred[];
}

/** PackageName (RPC_UNICODE_STRING), CredentialSize, Credentials pointer. */
const SUPPLEMENTAL_CRED_SIZE = 2 * NdrSize.u16 + NdrSize.pointer + NdrSize.u32 + NdrSize.pointer;
/** Version, Flags, then two 16-byte OWFs. */
const OWF_LENGTH = 16;

/** Decodes a PAC_CREDENTIAL_INFO buffer without decrypting it; Version must be 0. */
export function decodeCredentialInfo(data: Uint8Array, base = 0): PacCredentialInfo {
  const r = new NdrReader(data, base);
  const version = r.u32();
  if (version !== 0) r.fail(`PAC_CREDENTIAL_INFO version ${version}`);
  const encryptionType = r.u32() | 0;
  return { version, encryptionType, serializedData: r.bytesOf(r.remaining, 'SerializedData') };
}

function decodeNtlm(bytes: Uint8Array): NtlmSupplementalCredential | undefined {
  if (bytes.length !== NTLM_SUPPLEMENTAL_CREDENTIAL_LENGTH) return undefined;
  const r = new NdrReader(bytes);
  const out: NtlmSupplementalCredential = { version: r.u32(), flags: r.u32() };
  const lm = r.bytesOf(OWF_LENGTH, 'LmPassword');
  const nt = r.bytesOf(OWF_LENGTH, 'NtPassword');
  if ((out.flags & NtlmCredentialFlag.LmOwfPresent) !== 0) out.lmPassword = lm;
  if ((out.flags & NtlmCredentialFlag.NtOwfPresent) !== 0) out.ntPassword = nt;
  return out;
}

function readSupplementalCred(r: NdrReader): Lazy<SecPkgSupplementalCred> {
  const packageName = r.unicodeString('PackageName');
  const size = r.u32();
  const credentials = r.bytesPointer(size, 'Credentials');
  return () => {
    const cred: SecPkgSupplementalCred = { packageName: packageName(), credentials: credentials() };
    const ntlm = cred.packageName === NTLM_PACKAGE_NAME ? decodeNtlm(cred.credentials) : undefined;
    if (ntlm !== undefined) cred.ntlm = ntlm;
    return cred;
  };
}

/** PAC_CREDENTIAL_DATA is a conformant structure: the array's conformance comes first. */
function readCredentialData(r: NdrReader): Lazy<PacCredentialData> {
  const max = r.conformance(SUPPLEMENTAL_CRED_SIZE, 'Credentials');
  const count = r.u32();
  r.expectCount(max, count, 'Credentials');
  const creds: Array<Lazy<SecPkgSupplementalCred>> = [];
  for (let i = 0; i < count; i++) creds.push(readSupplementalCred(r));
  return () => ({ credentials: creds.map((c) => c()) });
}

/**
 * Decrypts and decodes the credentials with the AS reply key (KERB_NON_KERB_SALT usage).
 * CryptoError when the key's enctype is not the buffer's; IntegrityError when decryption fails.
 */
export function decryptCredentialInfo(info: PacCredentialInfo, asReplyKey: Key): PacCredentialData {
  if (info.encryptionType !== asReplyKey.etype) {
    throw new CryptoError(
      `PAC credentials are encrypted with enctype ${info.encryptionType}, key is ${asReplyKey.etype}`,
    );
  }
  const plain = decrypt(asReplyKey, KeyUsage.AppDataEncrypt, info.serializedData);
  return decodeNdrType(plain, 0, 'PAC_CREDENTIAL_DATA', readCredentialData);
}
