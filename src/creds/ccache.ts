/**
 * MIT FILE credential caches: read versions 3 and 4, write version 4 (or 3), pure over Uint8Array.
 * Layout: MIT krb5 doc/formats/ccache_file_format.rst. Times are `Date`s of whole seconds; a zero
 * starttime or renew-till in the file is an absent property, and an absent one is written as zero.
 */
import { FormatError } from '../errors.js';
import { ByteReader, ByteWriter, secondsOf } from './byte-io.js';
import { CcacheHeaderTag, CcacheVersion, KDC_TIME_OFFSET_LENGTH } from './constants.js';
import type { CredsPrincipal, KeyBlock } from './types.js';

/** A client address (RFC 4120 HostAddress). */
export interface CredsAddress {
  addrType: number;
  address: Uint8Array;
}

/** One authorization-data element (RFC 4120 AuthorizationData entry). */
export interface CredsAuthData {
  adType: number;
  adData: Uint8Array;
}

/** A credential: a ticket with its session key and the times and flags the KDC reported. */
export interface Credential {
  client: CredsPrincipal;
  server: CredsPrincipal;
  key: KeyBlock;
  authtime: Date;
  /** Absent when the file holds 0 (the ticket is valid from authtime). */
  starttime?: Date;
  endtime: Date;
  /** Absent when the file holds 0 (not renewable). */
  renewTill?: Date;
  /** Whether the ticket is encrypted in a session key (user-to-user). */
  isSkey: boolean;
  /** Ticket flags as the unsigned 32-bit value of the TicketFlags BIT STRING (see TicketFlag). */
  flags: number;
  addresses: CredsAddress[];
  authdata: CredsAuthData[];
  /** The Ticket, DER-encoded (for a configuration entry: the value). */
  ticket: Uint8Array;
  /** The second ticket for user-to-user, DER-encoded, or empty. */
  secondTicket: Uint8Array;
}

/** Offset of the KDC clock from the client's: add it to local time to get KDC time. */
export interface KdcTimeOffset {
  seconds: number;
  microseconds: number;
}

/** A header field with a tag this codec does not interpret, kept as is. */
export interface CcacheHeaderField {
  tag: number;
  value: Uint8Array;
}

/** A parsed credential cache. Configuration entries stay in `credentials`, in file order. */
export interface Ccache {
  version: number;
  kdcTimeOffset?: KdcTimeOffset;
  /** Header fields other than the KDC time offset, written after it. */
  otherHeaderFields: CcacheHeaderField[];
  defaultPrincipal: CredsPrincipal;
  credentials: Credential[];
}

const CCACHE_MAGIC = 0x05;
// Smallest encodings, used to bound counts before allocating: a component is at least its
// 4-byte length; an address or authdata entry at least its 2-byte type and 4-byte length.
const MIN_DATA = 4;
const MIN_ADDRESS = 6;

/** Parses a FILE ccache (version 3 or 4). Throws FormatError with the byte offset on malformed input. */
export function parseCcache(bytes: Uint8Array): Ccache {
  const r = new ByteReader(bytes, 'ccache');
  const magic = r.u8('format magic');
  const minor = r.u8('format version');
  const version = (magic << 8) | minor;
  if (magic !== CCACHE_MAGIC || (version !== CcacheVersion.V3 && version !== CcacheVersion.V4)) {
    const hint =
      magic === CCACHE_MAGIC ? 'versions 1 and 2 use host byte order and are not supported' : undefined;
    throw new FormatError(`ccache: unsupported format version 0x${version.toString(16)}`, {
      offset: 0,
      ...(hint ? { hint } : {}),
    });
  }
  const cc: Ccache = {
    version,
    otherHeaderFields: [],
    defaultPrincipal: { realm: '', nameType: 0, components: [] },
    credentials: [],
  };
  if (version === CcacheVersion.V4) readHeader(r, cc);
  cc.defaultPrincipal = readPrincipal(r, 'default principal');
  while (r.remaining > 0) cc.credentials.push(readCredential(r, version));
  return cc;
}

function readHeader(r: ByteReader, cc: Ccache): void {
  const headerLength = r.u16('header length');
  r.need(headerLength, 'header');
  const end = r.offset + headerLength;
  while (r.offset < end) {
    const at = r.offset;
    const tag = r.u16('header tag');
    const len = r.u16('header field length');
    if (r.offset + len > end) {
      throw new FormatError(`ccache: header field ${tag} of ${len} bytes overruns the header`, {
        offset: at,
      });
    }
    if (tag === CcacheHeaderTag.KdcTimeOffset) {
      if (len !== KDC_TIME_OFFSET_LENGTH) {
        throw new FormatError(`ccache: KDC time offset field has length ${len}, not 8`, { offset: at });
      }
      cc.kdcTimeOffset = {
        seconds: r.i32('time offset seconds'),
        microseconds: r.i32('time offset microseconds'),
      };
    } else {
      cc.otherHeaderFields.push({ tag, value: r.take(len, `header field ${tag}`) });
    }
  }
}

/** Reads a principal in the FILE ccache encoding (also KCM's). */
export function readPrincipal(r: ByteReader, what: string): CredsPrincipal {
  const nameType = r.u32(`${what} name type`);
  const count = r.count(32, MIN_DATA, `${what} component count`);
  const realm = r.text(32, `${what} realm`);
  const components: string[] = [];
  for (let i = 0; i < count; i++) components.push(r.text(32, `${what} component ${i}`));
  return { realm, nameType, components };
}

/** Reads a credential in the FILE ccache encoding of `version` (KCM uses version 4's). */
export function readCredential(r: ByteReader, version: number): Credential {
  const client = readPrincipal(r, 'client');
  const server = readPrincipal(r, 'server');
  const etype = r.u16('keyblock enctype');
  if (version === CcacheVersion.V3) r.u16('keyblock enctype (repeated)');
  const key = { etype, bytes: r.data(32, 'keyblock') };
  const authtime = r.u32('authtime');
  const starttime = r.u32('starttime');
  const endtime = r.u32('endtime');
  const renewTill = r.u32('renew_till');
  const isSkey = r.u8('is_skey') !== 0;
  const flags = r.u32('ticket_flags');
  const addresses: CredsAddress[] = [];
  const naddr = r.count(32, MIN_ADDRESS, 'address count');
  for (let i = 0; i < naddr; i++) {
    addresses.push({ addrType: r.u16(`address ${i} type`), address: r.data(32, `address ${i}`) });
  }
  const authdata: CredsAuthData[] = [];
  const nad = r.count(32, MIN_ADDRESS, 'authdata count');
  for (let i = 0; i < nad; i++) {
    authdata.push({ adType: r.u16(`authdata ${i} type`), adData: r.data(32, `authdata ${i}`) });
  }
  const ticket = r.data(32, 'ticket');
  const secondTicket = r.data(32, 'second_ticket');
  return {
    client,
    server,
    key,
    authtime: new Date(authtime * 1000),
    ...(starttime ? { starttime: new Date(starttime * 1000) } : {}),
    endtime: new Date(endtime * 1000),
    ...(renewTill ? { renewTill: new Date(renewTill * 1000) } : {}),
    isSkey,
    flags,
    addresses,
    authdata,
    ticket,
    secondTicket,
  };
}

/** Serializes a ccache; version 4 unless `cc.version` is 0x0503. Throws FormatError on out-of-range values. */
export function serializeCcache(cc: Ccache): Uint8Array {
  const v3 = cc.version === CcacheVersion.V3;
  const w = new ByteWriter();
  w.u16(v3 ? CcacheVersion.V3 : CcacheVersion.V4, 'version');
  if (!v3) {
    const header = new ByteWriter();
    if (cc.kdcTimeOffset) {
      header
        .u16(CcacheHeaderTag.KdcTimeOffset, 'header tag')
        .u16(KDC_TIME_OFFSET_LENGTH, 'header field length');
      header.i32(cc.kdcTimeOffset.seconds, 'time offset seconds');
      header.i32(cc.kdcTimeOffset.microseconds, 'time offset microseconds');
    }
    for (const f of cc.otherHeaderFields) header.u16(f.tag, 'header tag').data(16, f.value, 'header field');
    w.data(16, header.finish(), 'header');
  }
  writePrincipal(w, cc.defaultPrincipal);
  for (const c of cc.credentials) writeCredential(w, c, v3);
  return w.finish();
}

/** Writes a principal in the FILE ccache encoding (also KCM's). */
export function writePrincipal(w: ByteWriter, p: CredsPrincipal): void {
  w.u32(p.nameType, 'name type').u32(p.components.length, 'component count');
  w.text(32, p.realm, 'realm');
  for (const c of p.components) w.text(32, c, 'component');
}

/** Writes a credential in the FILE ccache encoding, version 3 or 4 (KCM uses version 4's). */
export function writeCredential(w: ByteWriter, c: Credential, v3: boolean): void {
  writePrincipal(w, c.client);
  writePrincipal(w, c.server);
  w.u16(c.key.etype, 'keyblock enctype');
  if (v3) w.u16(c.key.etype, 'keyblock enctype');
  w.data(32, c.key.bytes, 'keyblock');
  w.u32(secondsOf(c.authtime, 'authtime'), 'authtime');
  w.u32(c.starttime ? secondsOf(c.starttime, 'starttime') : 0, 'starttime');
  w.u32(secondsOf(c.endtime, 'endtime'), 'endtime');
  w.u32(c.renewTill ? secondsOf(c.renewTill, 'renew_till') : 0, 'renew_till');
  w.u8(c.isSkey ? 1 : 0, 'is_skey');
  w.u32(c.flags, 'ticket_flags');
  w.u32(c.addresses.length, 'address count');
  for (const a of c.addresses) w.u16(a.addrType, 'address type').data(32, a.address, 'address');
  w.u32(c.authdata.length, 'authdata count');
  for (const a of c.authdata) w.u16(a.adType, 'authdata type').data(32, a.adData, 'authdata');
  w.data(32, c.ticket, 'ticket');
  w.data(32, c.secondTicket, 'second_ticket');
}
