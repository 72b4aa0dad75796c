/**
 * The KCM protocol (Heimdal's Kerberos cache manager, as MIT's cc_kcm.c speaks it and sssd-kcm serves it): request
 * and reply bodies, and the caches and collection it offers, over a caller's `call` (a Unix socket in
 * files-kcm.ts). MIT krb5 src/include/kcm.h: a request is major version 2, minor 0, a 16-bit opcode and the
 * arguments; a reply is a 32-bit status and the results. Names are NUL-terminated, principals and credentials in
 * the version 4 FILE ccache encoding, UUIDs 16 bytes, lists of UUIDs undelimited.
 */
import { KerberosError } from '../errors.js';
import { bytesEqual } from '../util/bytes.js';
import { ByteReader, ByteWriter } from './byte-io.js';
import {
  type Ccache,
  type Credential,
  readCredential,
  readPrincipal,
  writeCredential,
  writePrincipal,
} from './ccache.js';
import type { CcacheCollection, CcacheStore } from './ccache-store.js';
import { CcacheVersion } from './constants.js';
import type { CredsPrincipal } from './types.js';

/** Opcodes of kcm.h that tskrb sends. */
export const KcmOp = {
  GEN_NEW: 3,
  INITIALIZE: 4,
  DESTROY: 5,
  STORE: 6,
  GET_PRINCIPAL: 8,
  GET_CRED_UUID_LIST: 9,
  GET_CRED_BY_UUID: 10,
  GET_CACHE_UUID_LIST: 18,
  GET_CACHE_BY_UUID: 19,
  GET_DEFAULT_CACHE: 20,
  SET_DEFAULT_CACHE: 21,
  GET_KDC_OFFSET: 22,
  SET_KDC_OFFSET: 23,
} as const;

const VERSION_MAJOR = 2;
const VERSION_MINOR = 0;
const UUID_LEN = 16;

/** Sends one request body to the KCM and returns the reply body (status first); the framing is the caller's. */
export type KcmCall = (request: Uint8Array) => Promise<Uint8Array>;

/** The KCM refused a request: `status` is its (krb5) error code. */
export class KcmError extends KerberosError {
  static override readonly code: string = 'ERR_TSKRB_KCM';
  readonly status: number;
  readonly opcode: number;
  constructor(opcode: number, status: number) {
    const op = Object.entries(KcmOp).find(([, v]) => v === opcode)?.[0] ?? String(opcode);
    super(`KCM ${op}: error ${status}`, {
      hint: 'the cache may not exist, or belong to another user (sssd-kcm keeps each uid apart)',
    });
    this.status = status;
    this.opcode = opcode;
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

function nameBytes(name: string): Uint8Array {
  const b = enc.encode(name);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/** A request body: version, opcode, then the arguments as given. */
export function kcmRequest(opcode: number, ...args: Uint8Array[]): Uint8Array {
  const w = new ByteWriter().u8(VERSION_MAJOR, 'major').u8(VERSION_MINOR, 'minor').u16(opcode, 'opcode');
  for (const a of args) w.raw(a);
  return w.finish();
}

/** A client of one KCM: each method one request. */
export class KcmClient {
  constructor(private readonly call: KcmCall) {}

  /** Sends a request; the reply's payload (after the status), or KcmError. */
  private async send(opcode: number, ...args: Uint8Array[]): Promise<Uint8Array> {
    const reply = await this.call(kcmRequest(opcode, ...args));
    const r = new ByteReader(reply, 'KCM reply');
    const status = r.i32('status');
    if (status !== 0) throw new KcmError(opcode, status);
    return reply.subarray(4);
  }

  private static name(payload: Uint8Array): string {
    const nul = payload.indexOf(0);
    return dec.decode(payload.subarray(0, nul < 0 ? payload.length : nul));
  }

  private static uuids(payload: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let o = 0; o + UUID_LEN <= payload.length; o += UUID_LEN) out.push(payload.slice(o, o + UUID_LEN));
    return out;
  }

  /** The default (primary) cache's name. */
  async defaultCache(): Promise<string> {
    return KcmClient.name(await this.send(KcmOp.GET_DEFAULT_CACHE));
  }
  async setDefaultCache(name: string): Promise<void> {
    await this.send(KcmOp.SET_DEFAULT_CACHE, nameBytes(name));
  }
  /** A new cache's name, chosen by the KCM. */
  async genNew(): Promise<string> {
    return KcmClient.name(await this.send(KcmOp.GEN_NEW));
  }
  /** Empties `name` and sets its principal (creating it). */
  async initialize(name: string, principal: CredsPrincipal): Promise<void> {
    const w = new ByteWriter().raw(nameBytes(name));
    writePrincipal(w, principal);
    await this.send(KcmOp.INITIALIZE, w.finish());
  }
  async destroy(name: string): Promise<void> {
    await this.send(KcmOp.DESTROY, nameBytes(name));
  }
  async store(name: string, cred: Credential): Promise<void> {
    const w = new ByteWriter().raw(nameBytes(name));
    writeCredential(w, cred, false);
    await this.send(KcmOp.STORE, w.finish());
  }
  /** The principal of `name`; undefined when the KCM has no such cache (or it is not initialized). */
  async principal(name: string): Promise<CredsPrincipal | undefined> {
    let p: Uint8Array;
    try {
      p = await this.send(KcmOp.GET_PRINCIPAL, nameBytes(name));
    } catch (e) {
      if (e instanceof KcmError) return undefined;
      throw e;
    }
    if (p.length === 0) return undefined;
    return readPrincipal(new ByteReader(p, 'KCM principal'), 'principal');
  }
  async credentials(name: string): Promise<Credential[]> {
    const ids = KcmClient.uuids(await this.send(KcmOp.GET_CRED_UUID_LIST, nameBytes(name)));
    const out: Credential[] = [];
    for (const id of ids) {
      const p = await this.send(KcmOp.GET_CRED_BY_UUID, nameBytes(name), id);
      out.push(readCredential(new ByteReader(p, 'KCM credential'), CcacheVersion.V4));
    }
    return out;
  }
  /** Every cache's name. */
  async caches(): Promise<string[]> {
    let list: Uint8Array;
    try {
      list = await this.send(KcmOp.GET_CACHE_UUID_LIST);
    } catch (e) {
      // sssd-kcm answers KRB5_FCC_NOFILE when the caller has no cache at all.
      if (e instanceof KcmError) return [];
      throw e;
    }
    const ids = KcmClient.uuids(list);
    const out: string[] = [];
    for (const id of ids) out.push(KcmClient.name(await this.send(KcmOp.GET_CACHE_BY_UUID, id)));
    return out;
  }
  /** The KDC time offset of `name` in seconds (0 when the KCM keeps none). */
  async kdcOffset(name: string): Promise<number> {
    try {
      return new ByteReader(await this.send(KcmOp.GET_KDC_OFFSET, nameBytes(name)), 'KCM offset').i32(
        'offset',
      );
    } catch (e) {
      if (e instanceof KcmError) return 0;
      throw e;
    }
  }
  async setKdcOffset(name: string, seconds: number): Promise<void> {
    await this.send(KcmOp.SET_KDC_OFFSET, nameBytes(name), new ByteWriter().i32(seconds, 'offset').finish());
  }
}

/** The KCM cache `name` as a CcacheStore. */
export function kcmCcache(kcm: KcmClient, name: string): CcacheStore {
  return {
    name: `KCM:${name}`,
    async read(): Promise<Ccache | undefined> {
      const principal = await kcm.principal(name);
      if (principal === undefined) return undefined;
      const credentials = await kcm.credentials(name);
      const offset = await kcm.kdcOffset(name);
      return {
        version: CcacheVersion.V4,
        ...(offset ? { kdcTimeOffset: { seconds: offset, microseconds: 0 } } : {}),
        otherHeaderFields: [],
        defaultPrincipal: principal,
        credentials,
      };
    },
    async write(cc: Ccache): Promise<void> {
      // A cache that gains tickets (kvno, s4u into an existing cache) gets only the new ones stored, as MIT's KCM
      // client does: re-initializing the cache would also make sssd-kcm pick another default cache at times.
      const had = await kcm.principal(name);
      if (had !== undefined && bytesEqual(principalBytes(had), principalBytes(cc.defaultPrincipal))) {
        const old = (await kcm.credentials(name)).map(credentialBytes);
        const now = cc.credentials.map(credentialBytes);
        if (old.length <= now.length && old.every((c, i) => bytesEqual(c, now[i]!))) {
          for (const c of cc.credentials.slice(old.length)) await kcm.store(name, c);
          return;
        }
      }
      await kcm.initialize(name, cc.defaultPrincipal);
      if (cc.kdcTimeOffset?.seconds) await kcm.setKdcOffset(name, cc.kdcTimeOffset.seconds);
      for (const c of cc.credentials) await kcm.store(name, c);
    },
    async destroy(): Promise<void> {
      try {
        await kcm.destroy(name);
      } catch (e) {
        if (!(e instanceof KcmError)) throw e;
      }
    },
  };
}

function principalBytes(p: CredsPrincipal): Uint8Array {
  const w = new ByteWriter();
  writePrincipal(w, p);
  return w.finish();
}

function credentialBytes(c: Credential): Uint8Array {
  const w = new ByteWriter();
  writeCredential(w, c, false);
  return w.finish();
}

/** The KCM's caches as a collection: the default cache is the primary. */
export function kcmCollection(kcm: KcmClient): CcacheCollection {
  return {
    name: 'KCM:',
    primary: async () => kcmCcache(kcm, await kcm.defaultCache()),
    async caches(): Promise<CcacheStore[]> {
      const primary = await kcm.defaultCache();
      const names = await kcm.caches();
      const ordered = [primary, ...names.filter((n) => n !== primary)];
      const out: CcacheStore[] = [];
      for (const n of ordered) if ((await kcm.principal(n)) !== undefined) out.push(kcmCcache(kcm, n));
      return out;
    },
    newUnique: async () => kcmCcache(kcm, await kcm.genNew()),
    switchTo: async (c) => kcm.setDefaultCache(c.name.replace(/^KCM:/, '')),
  };
}
