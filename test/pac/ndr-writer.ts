/**
 * Test-only NDR writer and PAC builder: produces type-serialized buffers and signed PACs from values,
 * written from MS-RPCE / MS-PAC independently of the reader under test.
 */
import { type Key, KeyUsage, makeChecksum } from '../../src/crypto/index.js';
import { encodeSid } from '../../src/pac/sid.js';
import { concat } from '../../src/util/bytes.js';

export interface Group {
  relativeId: number;
  attributes: number;
}
export interface SidAttr {
  sid: string;
  attributes: number;
}

/** Little-endian NDR writer with deferred pointees written depth first, like the reader expects. */
export class NdrWriter {
  private out: number[] = [];
  private queue: Array<() => void> = [];
  private nextId = 0x00020000;

  get length(): number {
    return this.out.length;
  }
  align(n: number): void {
    while (this.out.length % n !== 0) this.out.push(0);
  }
  u8(v: number): void {
    this.out.push(v & 0xff);
  }
  u16(v: number): void {
    this.align(2);
    this.out.push(v & 0xff, (v >>> 8) & 0xff);
  }
  u32(v: number): void {
    this.align(4);
    for (let i = 0; i < 4; i++) this.out.push((v >>> (8 * i)) & 0xff);
  }
  u64(v: bigint): void {
    this.align(8);
    for (let i = 0n; i < 8n; i++) this.out.push(Number((BigInt.asUintN(64, v) >> (8n * i)) & 0xffn));
  }
  raw(b: Uint8Array): void {
    for (const x of b) this.out.push(x);
  }
  fileTime(v: bigint): void {
    this.u32(Number(v & 0xffffffffn));
    this.u32(Number(v >> 32n));
  }
  /** A pointer: a fresh referent ID and a deferred pointee, or 0 when `write` is null. */
  pointer(write: (() => void) | null): void {
    if (write === null) {
      this.u32(0);
      return;
    }
    this.u32(this.nextId);
    this.nextId += 4;
    this.queue.push(write);
  }
  /** A pointer with an explicit referent ID (for full-pointer and repeated-ID tests). */
  pointerWithId(id: number, write: (() => void) | null): void {
    this.u32(id);
    if (write !== null) this.queue.push(write);
  }
  flush(): void {
    const list = this.queue;
    this.queue = [];
    for (const job of list) {
      job();
      this.flush();
    }
  }
  wchars(s: string): void {
    for (let i = 0; i < s.length; i++) this.u16(s.charCodeAt(i));
  }
  unicodeString(s: string | null): void {
    const bytes = s === null ? 0 : 2 * s.length;
    this.u16(bytes);
    this.u16(bytes);
    this.pointer(
      s === null
        ? null
        : () => {
            this.u32(s.length);
            this.u32(0);
            this.u32(s.length);
            this.wchars(s);
          },
    );
  }
  sidBody(sid: string): void {
    const b = encodeSid(sid);
    this.u32(b[1]!);
    this.raw(b);
  }
  sidPointer(sid: string | null): void {
    this.pointer(sid === null ? null : () => this.sidBody(sid));
  }
  groups(list: readonly Group[]): void {
    this.u32(list.length);
    this.pointer(
      list.length === 0
        ? null
        : () => {
            this.u32(list.length);
            for (const g of list) {
              this.u32(g.relativeId);
              this.u32(g.attributes);
            }
          },
    );
  }
  sids(list: readonly SidAttr[]): void {
    this.u32(list.length);
    this.pointer(
      list.length === 0
        ? null
        : () => {
            this.u32(list.length);
            for (const s of list) {
              this.sidPointer(s.sid);
              this.u32(s.attributes);
            }
          },
    );
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** MS-RPCE 2.2.6 type serialization v1: headers, top-level pointer, the object, padding to 8. */
export function serializeType(write: (w: NdrWriter) => void): Uint8Array {
  const body = new NdrWriter();
  body.raw(new Uint8Array(16));
  body.pointer(() => write(body));
  body.flush();
  body.align(8);
  const out = body.bytes();
  const len = out.length - 16;
  out.set([
    1,
    0x10,
    8,
    0,
    0xcc,
    0xcc,
    0xcc,
    0xcc,
    len & 0xff,
    (len >>> 8) & 0xff,
    (len >>> 16) & 0xff,
    len >>> 24,
  ]);
  return out;
}

export interface ValidationInfoInput {
  effectiveName: string;
  fullName?: string;
  logonServer: string;
  logonDomainName: string;
  logonDomainId: string;
  userId: number;
  primaryGroupId: number;
  groupIds: Group[];
  userFlags: number;
  extraSids: SidAttr[];
  resourceGroupDomainSid?: string;
  resourceGroupIds?: Group[];
  logonTime?: bigint;
}

/** KERB_VALIDATION_INFO, type-serialized (MS-PAC 2.5). */
export function encodeValidationInfo(v: ValidationInfoInput): Uint8Array {
  return serializeType((w) => {
    w.fileTime(v.logonTime ?? 0n);
    for (let i = 0; i < 5; i++) w.fileTime(0x7fffffffffffffffn);
    w.unicodeString(v.effectiveName);
    w.unicodeString(v.fullName ?? '');
    for (let i = 0; i < 4; i++) w.unicodeString('');
    w.u16(1);
    w.u16(0);
    w.u32(v.userId);
    w.u32(v.primaryGroupId);
    w.groups(v.groupIds);
    w.u32(v.userFlags);
    w.raw(new Uint8Array(16));
    w.unicodeString(v.logonServer);
    w.unicodeString(v.logonDomainName);
    w.sidPointer(v.logonDomainId);
    w.u32(0);
    w.u32(0);
    w.u32(0x10);
    w.u32(0);
    w.fileTime(0n);
    w.fileTime(0n);
    w.u32(0);
    w.u32(0);
    w.sids(v.extraSids);
    w.sidPointer(v.resourceGroupDomainSid ?? null);
    w.groups(v.resourceGroupIds ?? []);
  });
}

/** PAC_CLIENT_INFO (MS-PAC 2.7). */
export function encodeClientInfo(clientId: bigint, name: string): Uint8Array {
  const w = new NdrWriter();
  w.fileTime(clientId);
  w.u16(2 * name.length);
  w.wchars(name);
  return w.bytes();
}

/** A PAC from (type, data) buffers, each at an 8-aligned offset (MS-PAC 2.3, 2.4). */
export function buildPac(buffers: ReadonlyArray<{ type: number; data: Uint8Array }>): Uint8Array {
  const headerEnd = 8 + 16 * buffers.length;
  const w = new NdrWriter();
  w.u32(buffers.length);
  w.u32(0);
  let offset = headerEnd + ((8 - (headerEnd % 8)) % 8);
  const bodies: Uint8Array[] = [];
  for (const b of buffers) {
    w.u32(b.type);
    w.u32(b.data.length);
    w.u64(BigInt(offset));
    const padded = new Uint8Array(b.data.length + ((8 - (b.data.length % 8)) % 8));
    padded.set(b.data);
    bodies.push(padded);
    offset += padded.length;
  }
  w.align(8);
  return concat(w.bytes(), ...bodies);
}

/** A signature buffer placeholder: type, then zeros. */
export function signaturePlaceholder(cksumtype: number, length: number): Uint8Array {
  const out = new Uint8Array(4 + length);
  new DataView(out.buffer).setInt32(0, cksumtype, true);
  return out;
}

function bufferAt(pac: Uint8Array, type: number): { offset: number; size: number } | undefined {
  const view = new DataView(pac.buffer, pac.byteOffset, pac.byteLength);
  for (let i = 0; i < view.getUint32(0, true); i++) {
    if (view.getUint32(8 + 16 * i, true) === type) {
      return { offset: view.getUint32(16 + 16 * i, true), size: view.getUint32(12 + 16 * i, true) };
    }
  }
  return undefined;
}

/**
 * Fills the signatures of a PAC built with zeroed placeholders, in the MS-PAC 2.8.1 order: the full
 * signature (19, if present) over the PAC with all signatures zero, then the server signature (6) over
 * the PAC with the full signature in place, then the KDC signature (7) over the server signature.
 */
export function signPac(pac: Uint8Array, serverKey: Key, kdcKey: Key, cksumtype = -138): Uint8Array {
  const out = pac.slice();
  const server = bufferAt(out, 6)!;
  const kdc = bufferAt(out, 7)!;
  const full = bufferAt(out, 19);
  if (full !== undefined)
    out.set(makeChecksum(cksumtype, kdcKey, KeyUsage.PacSignature, out), full.offset + 4);
  const serverSig = makeChecksum(cksumtype, serverKey, KeyUsage.PacSignature, out);
  out.set(serverSig, server.offset + 4);
  out.set(makeChecksum(cksumtype, kdcKey, KeyUsage.PacSignature, serverSig), kdc.offset + 4);
  return out;
}

/** S4U_DELEGATION_INFO (MS-PAC 2.9). */
export function encodeDelegationInfo(target: string, transited: readonly string[]): Uint8Array {
  return serializeType((w) => {
    w.unicodeString(target);
    w.u32(transited.length);
    w.pointer(() => {
      w.u32(transited.length);
      for (const s of transited) w.unicodeString(s);
    });
  });
}

export interface DeviceInfoInput {
  userId: number;
  primaryGroupId: number;
  accountDomainId: string;
  accountGroupIds: Group[];
  extraSids: SidAttr[];
  domainGroup: Array<{ domainId: string; groupIds: Group[] }>;
}

/** PAC_DEVICE_INFO (MS-PAC 2.12). */
export function encodeDeviceInfo(v: DeviceInfoInput): Uint8Array {
  return serializeType((w) => {
    w.u32(v.userId);
    w.u32(v.primaryGroupId);
    w.sidPointer(v.accountDomainId);
    w.groups(v.accountGroupIds);
    w.sids(v.extraSids);
    w.u32(v.domainGroup.length);
    w.pointer(() => {
      w.u32(v.domainGroup.length);
      for (const d of v.domainGroup) {
        w.sidPointer(d.domainId);
        w.groups(d.groupIds);
      }
    });
  });
}

/** PAC_CREDENTIAL_DATA (MS-PAC 2.6.2): a conformant structure of SECPKG_SUPPLEMENTAL_CREDs. */
export function encodeCredentialData(
  creds: ReadonlyArray<{ packageName: string; credentials: Uint8Array }>,
): Uint8Array {
  return serializeType((w) => {
    w.u32(creds.length);
    w.u32(creds.length);
    for (const c of creds) {
      w.unicodeString(c.packageName);
      w.u32(c.credentials.length);
      w.pointer(() => {
        w.u32(c.credentials.length);
        w.raw(c.credentials);
      });
    }
  });
}
