/**
 * PAC_CLIENT_CLAIMS_INFO and PAC_DEVICE_CLAIMS_INFO (MS-PAC 2.11, 2.13): a type-serialized
 * CLAIMS_SET_METADATA whose ClaimsSet bytes are themselves a type-serialized CLAIMS_SET (MS-ADTS 2.2.18).
 * The claims set is decoded when it is not compressed or compressed with XPRESS_HUFF (what Windows uses for large
 * sets, MS-XCA 2.2); for the other formats (LZNT1, plain XPRESS) the compression format is reported.
 */
import { ClaimsCompressionFormat, ClaimType, NdrSize } from './constants.js';
import { decodeNdrType, type Lazy, type NdrReader } from './ndr.js';
import { decompressXpressHuffman } from './xpress-huffman.js';

/** The values of one claim, by CLAIM_TYPE. */
export type ClaimValues =
  | { type: typeof ClaimType.Int64; values: bigint[] }
  | { type: typeof ClaimType.Uint64; values: bigint[] }
  | { type: typeof ClaimType.String; values: string[] }
  | { type: typeof ClaimType.Boolean; values: boolean[] };

/** CLAIM_ENTRY: a claim ID (e.g. `ad://ext/department`) and its typed values. */
export type ClaimEntry = { id: string } & ClaimValues;

/** CLAIMS_ARRAY: the claims from one source (AD or certificate). */
export interface ClaimsArray {
  claimsSourceType: number;
  claimEntries: ClaimEntry[];
}

/** CLAIMS_SET. */
export interface ClaimsSet {
  claimsArrays: ClaimsArray[];
  reservedType: number;
  reservedField: Uint8Array;
}

/** CLAIMS_SET_METADATA; `claimsSet` is present when the set is not compressed or is XPRESS_HUFF-compressed. */
export interface ClaimsSetMetadata {
  compressionFormat: number;
  uncompressedClaimsSetSize: number;
  reservedType: number;
  reservedField: Uint8Array;
  /** The ClaimsSet bytes as sent (compressed when `compressionFormat` is not 0). */
  claimsSetBytes: Uint8Array;
  claimsSet?: ClaimsSet;
}

/** Id pointer, Type, union discriminant, ValueCount, values pointer. */
const CLAIM_ENTRY_SIZE = NdrSize.pointer + 2 * NdrSize.u16 + NdrSize.u32 + NdrSize.pointer;
/** Source type (padded), count, pointer. */
const CLAIMS_ARRAY_SIZE = NdrSize.u32 + NdrSize.u32 + NdrSize.pointer;

function scalar<T>(read: (r: NdrReader) => T): (r: NdrReader) => Lazy<T> {
  return (r) => {
    const v = read(r);
    return () => v;
  };
}

function readStringValue(r: NdrReader): Lazy<string> {
  const s = r.stringPointer('CLAIM_STRING value');
  return () => s() ?? r.fail('null CLAIM_STRING value');
}

function readClaimEntry(r: NdrReader): Lazy<ClaimEntry> {
  const id = r.stringPointer('CLAIM_ENTRY.Id');
  const type = r.u16();
  const discriminant = r.u16();
  if (discriminant !== type) r.fail(`CLAIM_ENTRY union discriminant ${discriminant} for type ${type}`);
  const count = r.u32();
  const what = `CLAIM_ENTRY values of type ${type}`;
  let values: Lazy<ClaimValues>;
  if (type === ClaimType.Int64 || type === ClaimType.Uint64) {
    const read = scalar((q) => (type === ClaimType.Int64 ? q.i64() : q.u64()));
    const list = r.arrayPointer(count, NdrSize.u64, what, read);
    values = () => ({ type, values: list() });
  } else if (type === ClaimType.Boolean) {
    const list = r.arrayPointer(
      count,
      NdrSize.u64,
      what,
      scalar((q) => q.u64() !== 0n),
    );
    values = () => ({ type, values: list() });
  } else if (type === ClaimType.String) {
    const list = r.arrayPointer(count, NdrSize.pointer, what, readStringValue);
    values = () => ({ type, values: list() });
  } else {
    r.fail(`unknown CLAIM_TYPE ${type}`);
  }
  return () => ({ id: id() ?? r.fail('CLAIM_ENTRY with a null Id'), ...values() });
}

function readClaimsArray(r: NdrReader): Lazy<ClaimsArray> {
  const claimsSourceType = r.u16();
  const count = r.u32();
  const entries = r.arrayPointer(count, CLAIM_ENTRY_SIZE, 'ClaimEntries', readClaimEntry);
  return () => ({ claimsSourceType, claimEntries: entries() });
}

function readClaimsSet(r: NdrReader): Lazy<ClaimsSet> {
  const count = r.u32();
  const arrays = r.arrayPointer(count, CLAIMS_ARRAY_SIZE, 'ClaimsArrays', readClaimsArray);
  const reservedType = r.u16();
  const reservedFieldSize = r.u32();
  const reservedField = r.bytesPointer(reservedFieldSize, 'CLAIMS_SET.ReservedField');
  return () => ({ claimsArrays: arrays(), reservedType, reservedField: reservedField() });
}

function readClaimsSetMetadata(r: NdrReader): Lazy<ClaimsSetMetadata> {
  const claimsSetSize = r.u32();
  const claimsSetPointee = r.unique((q) => {
    q.expectCount(q.conformance(NdrSize.u8, 'ClaimsSet'), claimsSetSize, 'ClaimsSet');
    const at = q.absolute;
    const bytes = q.bytesOf(claimsSetSize, 'ClaimsSet');
    return () => ({ at, bytes });
  });
  const compressionFormat = r.u16();
  const uncompressedClaimsSetSize = r.u32();
  const reservedType = r.u16();
  const reservedFieldSize = r.u32();
  const reservedField = r.bytesPointer(reservedFieldSize, 'CLAIMS_SET_METADATA.ReservedField');
  const uncompressed = compressionFormat === ClaimsCompressionFormat.None;
  if (uncompressed && uncompressedClaimsSetSize !== claimsSetSize) {
    r.fail(`uncompressed ClaimsSet of ${claimsSetSize} bytes claims ${uncompressedClaimsSetSize}`);
  }
  return () => {
    const pointee = claimsSetPointee();
    if (pointee === null && claimsSetSize !== 0) r.fail(`ClaimsSet: null pointer for ${claimsSetSize} bytes`);
    const claimsSetBytes = pointee?.bytes ?? new Uint8Array(0);
    const out: ClaimsSetMetadata = {
      compressionFormat,
      uncompressedClaimsSetSize,
      reservedType,
      reservedField: reservedField(),
      claimsSetBytes,
    };
    if (uncompressed && pointee !== null && claimsSetBytes.length > 0) {
      out.claimsSet = decodeNdrType(claimsSetBytes, pointee.at, 'CLAIMS_SET', readClaimsSet);
    } else if (compressionFormat === ClaimsCompressionFormat.XpressHuff && pointee !== null) {
      const set = decompressXpressHuffman(claimsSetBytes, uncompressedClaimsSetSize, pointee.at);
      // Offsets in errors of the decompressed set are relative to its start.
      if (set.length > 0) out.claimsSet = decodeNdrType(set, 0, 'CLAIMS_SET', readClaimsSet);
    }
    return out;
  };
}

/**
 * Decodes a client or device claims buffer; an empty buffer (a KDC with no claims for the client)
 * decodes to null.
 */
export function decodeClaimsInfo(data: Uint8Array, base = 0): ClaimsSetMetadata | null {
  if (data.length === 0) return null;
  return decodeNdrType(data, base, 'CLAIMS_SET_METADATA', readClaimsSetMetadata);
}
