/**
 * PACTYPE and PAC_INFO_BUFFER (MS-PAC 2.3, 2.4): the PAC header, its buffer table, and a registry
 * of buffer decoders keyed by ulType. Unknown buffer types are kept as raw bytes.
 */
import { PacDecodeError } from '../errors.js';
import { decodeAttributesInfo, type PacAttributesInfo } from './attributes.js';
import { type ClaimsSetMetadata, decodeClaimsInfo } from './claims.js';
import { decodeClientInfo, type PacClientInfo } from './client-info.js';
import { PacBufferType, PacLayout } from './constants.js';
import { decodeCredentialInfo, type PacCredentialInfo } from './credential-info.js';
import { decodeDelegationInfo, type S4uDelegationInfo } from './delegation-info.js';
import { decodeDeviceInfo, type PacDeviceInfo } from './device-info.js';
import { decodeLogonInfo, type KerbValidationInfo } from './logon-info.js';
import { decodeRequestor, type PacRequestor } from './requestor.js';
import { decodeSignature, type PacSignatureData } from './signatures.js';
import { decodeUpnDnsInfo, type UpnDnsInfo } from './upn-dns-info.js';

/** PAC_INFO_BUFFER: a buffer's type, size and offset in the PAC. */
export interface PacInfoBuffer {
  ulType: number;
  cbBufferSize: number;
  offset: number;
}

/** The decoded value of every known buffer type, by field name. */
export interface PacBuffers {
  logonInfo: KerbValidationInfo;
  credentialInfo: PacCredentialInfo;
  serverChecksum: PacSignatureData;
  kdcChecksum: PacSignatureData;
  clientInfo: PacClientInfo;
  delegationInfo: S4uDelegationInfo;
  upnDnsInfo: UpnDnsInfo;
  /** null when the buffer is present but empty. */
  clientClaims: ClaimsSetMetadata | null;
  deviceInfo: PacDeviceInfo;
  /** null when the buffer is present but empty. */
  deviceClaims: ClaimsSetMetadata | null;
  ticketChecksum: PacSignatureData;
  attributesInfo: PacAttributesInfo;
  requestor: PacRequestor;
  fullChecksum: PacSignatureData;
}

/** A buffer of a type this library does not know, kept as sent. */
export interface UnknownPacBuffer {
  ulType: number;
  data: Uint8Array;
}

/** A decoded PAC: the original bytes, the buffer table, and each known buffer decoded. */
export interface Pac extends Partial<PacBuffers> {
  version: number;
  /** The PAC exactly as received (signatures are computed over it). */
  bytes: Uint8Array;
  infoBuffers: PacInfoBuffer[];
  unknownBuffers: UnknownPacBuffer[];
}

interface BufferSpec<K extends keyof PacBuffers> {
  field: K;
  decode: (data: Uint8Array, base: number) => PacBuffers[K];
}

function spec<K extends keyof PacBuffers>(field: K, decode: BufferSpec<K>['decode']): BufferSpec<K> {
  return { field, decode };
}

/** Buffer decoders by ulType. */
const BUFFER_DECODERS: ReadonlyMap<number, BufferSpec<keyof PacBuffers>> = new Map<
  number,
  BufferSpec<keyof PacBuffers>
>([
  [PacBufferType.LogonInfo, spec('logonInfo', decodeLogonInfo)],
  [PacBufferType.CredentialsInfo, spec('credentialInfo', decodeCredentialInfo)],
  [PacBufferType.ServerChecksum, spec('serverChecksum', decodeSignature)],
  [PacBufferType.KdcChecksum, spec('kdcChecksum', decodeSignature)],
  [PacBufferType.ClientInfo, spec('clientInfo', decodeClientInfo)],
  [PacBufferType.DelegationInfo, spec('delegationInfo', decodeDelegationInfo)],
  [PacBufferType.UpnDnsInfo, spec('upnDnsInfo', decodeUpnDnsInfo)],
  [PacBufferType.ClientClaimsInfo, spec('clientClaims', decodeClaimsInfo)],
  [PacBufferType.DeviceInfo, spec('deviceInfo', decodeDeviceInfo)],
  [PacBufferType.DeviceClaimsInfo, spec('deviceClaims', decodeClaimsInfo)],
  [PacBufferType.TicketChecksum, spec('ticketChecksum', decodeSignature)],
  [PacBufferType.AttributesInfo, spec('attributesInfo', decodeAttributesInfo)],
  [PacBufferType.Requestor, spec('requestor', decodeRequestor)],
  [PacBufferType.FullChecksum, spec('fullChecksum', decodeSignature)],
]);

/** Reads and checks the PACTYPE header and PAC_INFO_BUFFER table (MS-PAC 2.3, 2.4). */
export function decodePacHeader(bytes: Uint8Array): { version: number; infoBuffers: PacInfoBuffer[] } {
  const fail = (offset: number, reason: string): never => {
    throw new PacDecodeError(offset, reason);
  };
  if (bytes.length < PacLayout.headerSize) fail(0, `PAC of ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0, true);
  const version = view.getUint32(4, true);
  if (count === 0) fail(0, 'PAC with no buffers');
  if (version !== PacLayout.version) fail(4, `PAC version ${version}`);
  const headerEnd = PacLayout.headerSize + PacLayout.infoBufferSize * count;
  if (headerEnd > bytes.length) fail(0, `${count} PAC_INFO_BUFFERs cannot fit in ${bytes.length} bytes`);
  const infoBuffers: PacInfoBuffer[] = [];
  for (let i = 0; i < count; i++) {
    const at = PacLayout.headerSize + PacLayout.infoBufferSize * i;
    const ulType = view.getUint32(at, true);
    const cbBufferSize = view.getUint32(at + 4, true);
    const offsetLow = view.getUint32(at + 8, true);
    const offsetHigh = view.getUint32(at + 12, true);
    if (offsetHigh !== 0) fail(at + 12, `buffer ${ulType} offset above 4 GiB`);
    if (offsetLow % PacLayout.alignment !== 0)
      fail(at + 8, `buffer ${ulType} offset ${offsetLow} not 8-aligned`);
    if (offsetLow < headerEnd) fail(at + 8, `buffer ${ulType} offset ${offsetLow} inside the header`);
    if (cbBufferSize > bytes.length - offsetLow) {
      fail(at + 4, `buffer ${ulType}: ${cbBufferSize} bytes at ${offsetLow} run past the PAC end`);
    }
    infoBuffers.push({ ulType, cbBufferSize, offset: offsetLow });
  }
  const byOffset = [...infoBuffers].sort((a, b) => a.offset - b.offset || a.cbBufferSize - b.cbBufferSize);
  let end = headerEnd;
  for (const b of byOffset) {
    if (b.offset < end) fail(b.offset, `buffer ${b.ulType} overlaps the one before it`);
    end = b.offset + b.cbBufferSize;
  }
  if (bytes.length - end >= PacLayout.alignment)
    fail(end, `${bytes.length - end} bytes after the last buffer`);
  return { version, infoBuffers };
}

/** Decodes a PAC (the ad-data of AD-WIN2K-PAC) strictly; throws PacDecodeError on any malformation. */
export function decodePac(bytes: Uint8Array): Pac {
  const { version, infoBuffers } = decodePacHeader(bytes);
  const pac: Pac = { version, bytes, infoBuffers, unknownBuffers: [] };
  const out = pac as Record<keyof PacBuffers, unknown>;
  for (const info of infoBuffers) {
    const data = bytes.subarray(info.offset, info.offset + info.cbBufferSize);
    const decoder = BUFFER_DECODERS.get(info.ulType);
    if (decoder === undefined) {
      pac.unknownBuffers.push({ ulType: info.ulType, data: data.slice() });
      continue;
    }
    if (out[decoder.field] !== undefined) {
      throw new PacDecodeError(info.offset, `second buffer of type ${info.ulType}`);
    }
    out[decoder.field] = decoder.decode(data, info.offset);
  }
  return pac;
}
