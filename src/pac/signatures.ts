/**
 * PAC_SIGNATURE_DATA (MS-PAC 2.8) and the four PAC signatures: server (2.8.1), KDC (2.8.2),
 * ticket (2.8.3) and full/extended KDC (2.8.4 in later revisions), with their verification.
 */
import { RODC_IDENTIFIER_LENGTH, SignatureLength } from './constants.js';
import { NdrReader } from './ndr.js';

/** PAC_SIGNATURE_DATA: checksum type, checksum, and the RODCIdentifier when a read-only DC signed. */
export interface PacSignatureData {
  signatureType: number;
  signature: Uint8Array;
  rodcIdentifier?: number;
}

/**
 * Decodes a PAC_SIGNATURE_DATA buffer. For a known checksum type the signature has that type's
 * length and only a 2-byte RODCIdentifier may follow; for an unknown type the rest is the signature.
 */
export function decodeSignature(data: Uint8Array, base = 0): PacSignatureData {
  const r = new NdrReader(data, base);
  const signatureType = r.u32() | 0;
  const length = SignatureLength[signatureType];
  if (length === undefined) return { signatureType, signature: r.bytesOf(r.remaining, 'Signature') };
  const signature = r.bytesOf(length, 'Signature');
  if (r.remaining === 0) return { signatureType, signature };
  if (r.remaining !== RODC_IDENTIFIER_LENGTH) r.fail(`${r.remaining} bytes after the signature`);
  return { signatureType, signature, rodcIdentifier: r.u16() };
}
