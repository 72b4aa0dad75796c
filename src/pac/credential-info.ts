/**
 * PAC_CREDENTIAL_INFO (MS-PAC 2.6): supplemental credentials (NTLM hashes after PKINIT), encrypted
 * with the AS reply key. Kept encrypted unless the caller supplies that key.
 */
import { NdrReader } from './ndr.js';

/** PAC_CREDENTIAL_INFO header and its still-encrypted PAC_CREDENTIAL_DATA. */
export interface PacCredentialInfo {
  version: number;
  encryptionType: number;
  serializedData: Uint8Array;
}

/** Decodes a PAC_CREDENTIAL_INFO buffer without decrypting it. */
export function decodeCredentialInfo(data: Uint8Array, base = 0): PacCredentialInfo {
  const r = new NdrReader(data, base);
  const version = r.u32();
  const encryptionType = r.u32() | 0;
  return { version, encryptionType, serializedData: r.bytesOf(r.remaining, 'SerializedData') };
}
