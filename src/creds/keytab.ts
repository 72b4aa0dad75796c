/**
 * MIT keytab files (version 0x502, and 0x501 read-only), pure parse/serialize over Uint8Array.
 * Layout: MIT krb5 doc/formats/keytab_file_format.rst, with 16-bit component counts and key
 * lengths (as MIT writes them) and the trailing 32-bit kvno extension.
 */
import { FormatError } from '../errors.js';
import { ByteReader, ByteWriter, secondsOf } from './byte-io.js';
import { KeytabVersion } from './constants.js';
import { type CredsPrincipal, type KeyBlock, samePrincipal } from './types.js';

/** One key of one principal. */
export interface KeytabEntry {
  principal: CredsPrincipal;
  /** When the entry was written (whole seconds). */
  timestamp: Date;
  /** Key version number (from the 32-bit extension when present and non-zero, else the 8-bit field). */
  kvno: number;
  key: KeyBlock;
}

/** A parsed keytab: its version and entries in file order (holes dropped). */
export interface Keytab {
  version: number;
  entries: KeytabEntry[];
}

/** Options for {@link parseKeytab}. */
export interface ParseKeytabOptions {
  /** Byte order of a version 0x501 file, which uses the writer's host order (default little-endian, as on x86). */
  v1LittleEndian?: boolean;
}

const NT_UNKNOWN = 0;
const KEYTAB_MAGIC = 0x05;

/** Parses a keytab file. Throws FormatError (with the byte offset) on any malformed or truncated part. */
export function parseKeytab(bytes: Uint8Array, opts: ParseKeytabOptions = {}): Keytab {
  const head = new ByteReader(bytes, 'keytab');
  const magic = head.u8('format magic');
  const minor = head.u8('format version');
  const version = (magic << 8) | minor;
  if (magic !== KEYTAB_MAGIC || (version !== KeytabVersion.V1 && version !== KeytabVersion.V2)) {
    throw new FormatError(`keytab: unknown format version 0x${version.toString(16)}`, { offset: 0 });
  }
  const v1 = version === KeytabVersion.V1;
  const little = v1 && (opts.v1LittleEndian ?? true);
  const r = new ByteReader(bytes, 'keytab', little, 2);
  const entries: KeytabEntry[] = [];
  while (r.remaining > 0) {
    const at = r.offset;
    const size = r.i32('record length');
    if (size === 0) break;
    const n = Math.abs(size);
    if (n > r.remaining) {
      throw new FormatError(`keytab: record length ${size} exceeds the ${r.remaining} bytes left`, {
        offset: at,
      });
    }
    if (size > 0) {
      const record = new ByteReader(bytes.subarray(0, r.offset + n), 'keytab', little, r.offset);
      entries.push(readEntry(record, v1));
    }
    r.offset += n;
  }
  return { version, entries };
}

function readEntry(r: ByteReader, v1: boolean): KeytabEntry {
  const at = r.offset;
  let count = r.count(16, 2, 'component count');
  if (v1) {
    if (count === 0)
      throw new FormatError('keytab: v1 component count must include the realm', { offset: at });
    count -= 1;
  }
  const realm = r.text(16, 'realm');
  const components: string[] = [];
  for (let i = 0; i < count; i++) components.push(r.text(16, `component ${i}`));
  const nameType = v1 ? NT_UNKNOWN : r.u32('name type');
  const timestamp = new Date(r.u32('timestamp') * 1000);
  const vno8 = r.u8('key version');
  const etype = r.u16('enctype');
  const keyBytes = r.data(16, 'key');
  let kvno = vno8;
  // The 32-bit kvno supersedes the 8-bit one when present and non-zero; other trailing bytes are ignored.
  if (r.remaining >= 4) {
    const vno32 = r.u32('32-bit key version');
    if (vno32 !== 0) kvno = vno32;
  }
  return { principal: { realm, nameType, components }, timestamp, kvno, key: { etype, bytes: keyBytes } };
}

/** Serializes a keytab as version 0x502, each entry with the 32-bit kvno extension (as MIT writes it). */
export function serializeKeytab(kt: Keytab): Uint8Array {
  const w = new ByteWriter();
  w.u16(KeytabVersion.V2, 'version');
  for (const e of kt.entries) {
    const at = w.length;
    w.i32(0, 'record length');
    w.u16(e.principal.components.length, 'component count');
    w.text(16, e.principal.realm, 'realm');
    for (const c of e.principal.components) w.text(16, c, 'component');
    w.u32(e.principal.nameType, 'name type');
    w.u32(secondsOf(e.timestamp, 'timestamp'), 'timestamp');
    w.u8(e.kvno & 0xff, 'key version');
    w.u16(e.key.etype, 'enctype');
    w.data(16, e.key.bytes, 'key');
    w.u32(e.kvno, 'key version');
    w.patchI32(at, w.length - at - 4);
  }
  return w.finish();
}

/** What to look for in a keytab. */
export interface KeytabQuery {
  principal: CredsPrincipal;
  /** Exact kvno; when absent the highest kvno among the matching entries. */
  kvno?: number;
  /** Exact enctype; when absent every enctype. */
  etype?: number;
}

/** Entries for the principal (and enctype) at the requested kvno, or at the highest one present; file order. */
export function findKeytabEntries(kt: Keytab, q: KeytabQuery): KeytabEntry[] {
  const matching = kt.entries.filter(
    (e) => samePrincipal(e.principal, q.principal) && (q.etype === undefined || e.key.etype === q.etype),
  );
  const kvno = q.kvno ?? matching.reduce((max, e) => Math.max(max, e.kvno), -1);
  return matching.filter((e) => e.kvno === kvno);
}

/** The first entry {@link findKeytabEntries} returns, or undefined. */
export function findKeytabEntry(kt: Keytab, q: KeytabQuery): KeytabEntry | undefined {
  return findKeytabEntries(kt, q)[0];
}
