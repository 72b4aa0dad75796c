/**
 * An attacker between the client and a real KDC: a Transport that relays every request to the lab and rewrites
 * the replies it chooses. With the reply key (the lab's throwaway keys) it can re-encrypt a modified enc-part, so
 * a test isolates exactly one check: everything else in the reply is what the real KDC sent.
 */
import {
  type AsRep,
  decodeAsRep,
  decodeEncKdcRepPart,
  decodeTgsRep,
  type EncKdcRepPart,
  encodeAsRep,
  encodeEncAsRepPart,
  encodeEncTgsRepPart,
  encodeTgsRep,
  type KdcRep,
} from '../../src/asn1/index.js';
import { decrypt, encrypt, type Key } from '../../src/crypto/index.js';
import type { SendOptions, SendResult, Transport } from '../../src/transport/index.js';

const TAG_AS_REP = 0x6b;
const TAG_TGS_REP = 0x6d;

/** What a rewrite sees: the request, the reply, and the exchange number (1-based, every exchange counts). */
export interface Seen {
  readonly n: number;
  readonly request: Uint8Array;
  readonly reply: Uint8Array;
}

/** Returns replacement reply bytes, or undefined to relay the reply as the KDC sent it. */
export type Rewrite = (seen: Seen) => Uint8Array | undefined;

/** A relay to `inner` whose replies pass through `rewrite`; it keeps every reply it saw. */
export class TamperTransport implements Transport {
  readonly seen: Seen[] = [];
  rewrite: Rewrite | undefined;
  constructor(private readonly inner: Transport) {}

  /** Relays the request and returns the (possibly rewritten) reply. */
  async sendDetailed(realm: string, request: Uint8Array, opts?: SendOptions): Promise<SendResult> {
    const res = await this.inner.sendDetailed(realm, request, opts);
    const seen = { n: this.seen.length + 1, request, reply: res.reply };
    this.seen.push(seen);
    const out = this.rewrite?.(seen);
    return out ? { ...res, reply: out } : res;
  }

  /** The reply bytes only. */
  async send(realm: string, request: Uint8Array, opts?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, request, opts)).reply;
  }
}

/** True for an AS-REP or TGS-REP (not a KRB-ERROR). */
export const isKdcRep = (b: Uint8Array): boolean => b[0] === TAG_AS_REP || b[0] === TAG_TGS_REP;

/** The KDC-REP in `b`, decoded by its tag. */
export function decodeRep(b: Uint8Array): KdcRep {
  return b[0] === TAG_AS_REP ? decodeAsRep(b) : decodeTgsRep(b);
}

/** `rep` encoded under the same APPLICATION tag as `like`. */
export function encodeRepLike(like: Uint8Array, rep: KdcRep): Uint8Array {
  return like[0] === TAG_AS_REP ? encodeAsRep(rep as AsRep) : encodeTgsRep(rep);
}

/** How to open and re-seal an enc-part. */
export interface SealWith {
  readonly key: Key;
  readonly usage: number;
  /** Re-seal under another usage (an enc-part of the wrong key usage). */
  readonly resealUsage?: number;
  /** Encrypt these bytes instead of the modified EncKDCRepPart (an enc-part of the wrong message type). */
  readonly plaintext?: (enc: EncKdcRepPart) => Uint8Array;
}

/**
 * Rewrites a KDC-REP: `outer` edits the clear part, `inner` the EncKDCRepPart (opened with `seal.key`, re-encrypted
 * under the same APPLICATION tag, with `seal.resealUsage` or the same usage).
 */
export function tamperRep(
  reply: Uint8Array,
  outer: ((rep: KdcRep) => KdcRep) | undefined,
  inner?: { seal: SealWith; edit: (enc: EncKdcRepPart) => EncKdcRepPart },
): Uint8Array {
  let rep = decodeRep(reply);
  if (inner) {
    const { key, usage } = inner.seal;
    const plain = decrypt(key, usage, rep.encPart.cipher);
    const enc = inner.edit(decodeEncKdcRepPart(plain));
    const bytes =
      inner.seal.plaintext?.(enc) ?? (plain[0] === 0x79 ? encodeEncAsRepPart(enc) : encodeEncTgsRepPart(enc));
    const cipher = encrypt(key, inner.seal.resealUsage ?? usage, bytes);
    rep = { ...rep, encPart: { ...rep.encPart, cipher } };
  }
  return encodeRepLike(reply, outer ? outer(rep) : rep);
}
