/** A Kerberos key: enctype + bytes, with a cache of the keys derived from it (Ke/Ki/Kc per usage). */
import { CryptoError } from '../errors.js';
import { toHex } from '../util/bytes.js';
import type { AesKey, CryptoBackend, HashName, HmacKey } from './backend.js';
import { enctypeProfile } from './enctypes.js';

/**
 * One key a Key caches (its own bytes or a derived key) and the forms the active backend prepared from it:
 * cipher contexts or an expanded schedule, a keyed HMAC state (see prepared.ts). They live and die with the Key.
 */
export interface CachedKey {
  readonly bytes: Uint8Array;
  backend: CryptoBackend | undefined;
  aes: AesKey | undefined;
  mac: HmacKey | undefined;
  macAlg: HashName | undefined;
}

function cachedKey(bytes: Uint8Array): CachedKey {
  return { bytes, backend: undefined, aes: undefined, mac: undefined, macAlg: undefined };
}

let deriveHook: ((etype: number, slot: number) => void) | undefined;

/** Internal, for tests: `hook` is called every time a Key computes (not reuses) a derived key. */
export function setDeriveHook(hook: ((etype: number, slot: number) => void) | undefined): void {
  deriveHook = hook;
}

/** A protocol key of one enctype. Immutable; derived keys are computed once per usage and reused. */
export class Key {
  /** Enctype number. */
  readonly etype: number;
  // Private, behind a getter: JSON.stringify, util.inspect, console.log and object spread never show the bytes.
  readonly #bytes: Uint8Array;
  readonly #derived = new Map<number, CachedKey>();
  #own: CachedKey | undefined;

  constructor(etype: number, bytes: Uint8Array) {
    const p = enctypeProfile(etype);
    if (bytes.length !== p.keySize)
      throw new CryptoError(`${p.name} key must be ${p.keySize} bytes, got ${bytes.length}`);
    this.etype = etype;
    this.#bytes = bytes.slice();
  }

  /** Key bytes (a private copy; do not modify). Not an own property, so serializers and inspectors skip it. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /** The derived key in `slot` (a usage-based index or a {@link KeySlot}), computing it on first use. */
  derived(slot: number, compute: () => Uint8Array): Uint8Array {
    return this.cached(slot, compute).bytes;
  }

  /** The derived key in `slot` and the backend forms prepared from it, computed on first use (crypto layer only). */
  cached(slot: number, compute: () => Uint8Array): CachedKey {
    let k = this.#derived.get(slot);
    if (k === undefined) {
      k = cachedKey(compute());
      deriveHook?.(this.etype, slot);
      this.#derived.set(slot, k);
    }
    return k;
  }

  /** The key's own bytes with the backend forms prepared from them, for key derivation (crypto layer only). */
  own(): CachedKey {
    this.#own ??= cachedKey(this.#bytes);
    return this.#own;
  }

  /** Short description without the key bytes. */
  toString(): string {
    return `Key(${enctypeProfile(this.etype).name})`;
  }

  /** Hex of the key bytes (secret: for debugging and test output only). */
  toHex(): string {
    return toHex(this.bytes);
  }
}
