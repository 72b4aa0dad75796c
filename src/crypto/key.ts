/** A Kerberos key: enctype + bytes, with a cache of the keys derived from it (Ke/Ki/Kc per usage). */
import { CryptoError } from '../errors.js';
import { toHex } from '../util/bytes.js';
import { enctypeProfile } from './enctypes.js';

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
  readonly #derived = new Map<number, Uint8Array>();

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
    let k = this.#derived.get(slot);
    if (k === undefined) {
      k = compute();
      deriveHook?.(this.etype, slot);
      this.#derived.set(slot, k);
    }
    return k;
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
