/**
 * PAC_SIGNATURE_DATA (MS-PAC 2.8) and verification of the four PAC signatures: the server signature
 * (2.8.1) over the whole PAC, the KDC signature (2.8.2) over the server signature, the ticket signature
 * (2.8.3) over the EncTicketPart without the PAC, and the full (extended KDC) signature (2.8.4) over the
 * whole PAC. Signature fields are zeroed before hashing; comparison is in constant time.
 */
import {
  ChecksumType,
  checksumSize,
  checksumTypeOf,
  type Key,
  KeyUsage,
  makeChecksum,
} from '../crypto/index.js';
import { CryptoError } from '../errors.js';
import { constantTimeEqual } from '../util/bytes.js';
import {
  PAC_SIGNATURE_TYPES,
  PacBufferType,
  RODC_IDENTIFIER_LENGTH,
  SIGNATURE_TYPE_LENGTH,
} from './constants.js';
import { NdrReader } from './ndr.js';
import type { Pac, PacInfoBuffer } from './pac.js';

/** PAC_SIGNATURE_DATA: checksum type, checksum, and the RODCIdentifier when a read-only DC signed. */
export interface PacSignatureData {
  signatureType: number;
  signature: Uint8Array;
  rodcIdentifier?: number;
}

/**
 * Decodes a PAC_SIGNATURE_DATA buffer. For a PAC signature type the signature has that type's length
 * and only a 2-byte RODCIdentifier may follow; for any other type the rest is kept as the signature.
 */
export function decodeSignature(data: Uint8Array, base = 0): PacSignatureData {
  const r = new NdrReader(data, base);
  const signatureType = r.u32() | 0;
  if (!PAC_SIGNATURE_TYPES.has(signatureType)) {
    return { signatureType, signature: r.bytesOf(r.remaining, 'Signature') };
  }
  const signature = r.bytesOf(checksumSize(signatureType), 'Signature');
  if (r.remaining === 0) return { signatureType, signature };
  if (r.remaining !== RODC_IDENTIFIER_LENGTH) r.fail(`${r.remaining} bytes after the signature`);
  return { signatureType, signature, rodcIdentifier: r.u16() };
}

/** Outcome of one signature check. */
export type SignatureStatus = 'valid' | 'invalid' | 'not-checkable';

/** One signature's status, with the reason in words. */
export interface SignatureCheck {
  status: SignatureStatus;
  reason: string;
}

/** The four signature checks; `verified` needs a valid server signature and no invalid one. */
export interface PacVerification {
  server: SignatureCheck;
  kdc: SignatureCheck;
  ticket: SignatureCheck;
  full: SignatureCheck;
  verified: boolean;
}

/** Keys and data for verifyPac. A keytab may hold several keys of one principal: pass them all. */
export interface PacVerifyOptions {
  /** Long-term key(s) of the ticket's server (its keytab). */
  serverKeys?: Key | readonly Key[];
  /** Key(s) of the krbtgt account that issued the ticket. */
  kdcKeys?: Key | readonly Key[];
  /**
   * The ticket's EncTicketPart, DER-encoded with the PAC's ad-data replaced by one zero byte
   * (MS-PAC 2.8.3); see `ticketChecksumData`. Or a function that makes it, called only when the ticket
   * signature is checked (a KDC key is given and the PAC has one): encoding it costs as much as decoding the ticket.
   */
  ticketChecksumData?: Uint8Array | (() => Uint8Array);
}

function keyList(keys: Key | readonly Key[] | undefined): readonly Key[] {
  if (keys === undefined) return [];
  return Array.isArray(keys) ? keys : [keys as Key];
}

/** Whether `key` can make a checksum of `type`: HMAC-MD5 takes any key, the others their enctype's. */
function fits(type: number, key: Key): boolean {
  if (type === ChecksumType.HMAC_MD5) return true;
  try {
    return checksumTypeOf(key.etype) === type;
  } catch (e) {
    if (e instanceof CryptoError) return false;
    throw e;
  }
}

function check(
  what: string,
  sig: PacSignatureData | undefined,
  keys: readonly Key[],
  data: (() => Uint8Array) | string,
): SignatureCheck {
  if (sig === undefined) return { status: 'not-checkable', reason: `the PAC has no ${what} signature` };
  if (keys.length === 0) return { status: 'not-checkable', reason: `no key given for the ${what} signature` };
  if (typeof data === 'string') return { status: 'not-checkable', reason: data };
  if (!PAC_SIGNATURE_TYPES.has(sig.signatureType)) {
    return {
      status: 'invalid',
      reason: `${what} signature type ${sig.signatureType} is not a PAC checksum type`,
    };
  }
  const candidates = keys.filter((k) => fits(sig.signatureType, k));
  if (candidates.length === 0) {
    return {
      status: 'not-checkable',
      reason: `no given key fits the ${what} signature type ${sig.signatureType}`,
    };
  }
  const input = data();
  for (const key of candidates) {
    const expected = makeChecksum(sig.signatureType, key, KeyUsage.PacSignature, input);
    if (constantTimeEqual(expected, sig.signature))
      return { status: 'valid', reason: `${what} signature verified` };
  }
  return { status: 'invalid', reason: `${what} signature does not match` };
}

function infoBuffer(pac: Pac, ulType: number): PacInfoBuffer | undefined {
  return pac.infoBuffers.find((b) => b.ulType === ulType);
}

/** A copy of the PAC with the Signature fields (everything after SignatureType) of `types` zeroed. */
function zeroSignatures(pac: Pac, types: readonly number[]): Uint8Array {
  const copy = pac.bytes.slice();
  for (const type of types) {
    const info = infoBuffer(pac, type);
    if (info !== undefined && info.cbBufferSize > SIGNATURE_TYPE_LENGTH) {
      copy.fill(0, info.offset + SIGNATURE_TYPE_LENGTH, info.offset + info.cbBufferSize);
    }
  }
  return copy;
}

/**
 * Verifies the PAC's signatures with the keys given. Each is 'valid', 'invalid' or 'not-checkable'
 * (no such signature, no key, or no ticket data); the PAC is `verified` only when the server
 * signature is valid and no other signature is invalid.
 */
export function verifyPac(pac: Pac, opts: PacVerifyOptions): PacVerification {
  const serverKeys = keyList(opts.serverKeys);
  const kdcKeys = keyList(opts.kdcKeys);
  // The full signature is made before the server signature, so the server signature covers it
  // (MS-PAC 2.8.4; MIT krb5 verify_pac_checksums); the full signature itself is computed with all three zeroed.
  const server = check('server', pac.serverChecksum, serverKeys, () =>
    zeroSignatures(pac, [PacBufferType.ServerChecksum, PacBufferType.KdcChecksum]),
  );
  const serverInfo = infoBuffer(pac, PacBufferType.ServerChecksum);
  const kdc = check('KDC', pac.kdcChecksum, kdcKeys, () =>
    serverInfo === undefined
      ? new Uint8Array(0)
      : pac.bytes.subarray(
          serverInfo.offset + SIGNATURE_TYPE_LENGTH,
          serverInfo.offset + serverInfo.cbBufferSize,
        ),
  );
  const ticketData = opts.ticketChecksumData;
  const ticket = check(
    'ticket',
    pac.ticketChecksum,
    kdcKeys,
    ticketData === undefined
      ? 'no ticket data given for the ticket signature'
      : typeof ticketData === 'function'
        ? ticketData
        : () => ticketData,
  );
  const full = check('full PAC', pac.fullChecksum, kdcKeys, () =>
    zeroSignatures(pac, [
      PacBufferType.ServerChecksum,
      PacBufferType.KdcChecksum,
      PacBufferType.FullChecksum,
    ]),
  );
  const verified = server.status === 'valid' && [kdc, ticket, full].every((c) => c.status !== 'invalid');
  return { server, kdc, ticket, full, verified };
}
