/**
 * Delegated tickets as they leave the process for a shared {@link TicketStore}: sealed with AES-256-GCM (NIST SP
 * 800-38D) under a key the replicas share, the entry's identity (realm, service, user, target) as associated data,
 * so an entry cannot be read, altered, or moved to another user's or target's slot. The store never sees a session
 * key in the clear, nor (through {@link SealKeys.nameOf}) which users are delegated to which targets. Pure.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { exportKirbi, importKirbi } from '../creds/kirbi.js';
import { credentialFromCcache, credentialToCcache } from '../creds/message-credential.js';
import { IntegrityError } from '../errors.js';
import type { Credential } from '../messages/credential.js';
import type { S4uResult } from '../s4u/s4u-result.js';
import { concat, fromBase64, fromUtf8, toBase64, toHex, utf8 } from '../util/bytes.js';
import type { RandomSource } from '../util/env.js';

/** Length of the shared sealing key (AES-256). */
export const SEAL_KEY_BYTES = 32;
const FORMAT_V1 = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const LABEL = 'tskrb delegation entry v1';
const GENERATION_LABEL = 'tskrb delegation generation v1';

/** What the DelegationClient caches for one ticket (locally, and sealed in a shared store). */
export interface TicketRecord {
  readonly credential: Credential;
  /** Local time (ms) the ticket was obtained, on the replica that obtained it. */
  readonly obtainedAt: number;
  /** When the KDC last vouched for the user in this chain: the S4U2Self time, which bounds the TTL of what follows. */
  readonly vouchedAt: number;
  readonly warnings: readonly string[];
  /** The S4U outcome (delegation path, reply checks): only on the replica that ran the flow, never stored. */
  readonly result?: S4uResult | undefined;
  /** Set when the record was read from the shared store rather than fetched by this replica. */
  readonly fromStore?: true | undefined;
  /**
   * The user's store generation the record was read or fetched under (see {@link EntryId.generation}); local only,
   * never sealed. A replica serves a cached record only while this is the generation it last read from the store.
   */
  readonly generation?: string | undefined;
}

/** The identity of one entry: bound to the ciphertext as associated data. */
export interface EntryId {
  /** The DelegationClient's realm. */
  readonly realm: string;
  /** The delegating service, `name@REALM`. */
  readonly service: string;
  /** The impersonated user, `name@REALM`. */
  readonly user: string;
  /** The ticket's server: the service itself (S4U2Self evidence) or the back end (S4U2Proxy), `name@REALM`. */
  readonly target: string;
  /**
   * The generation of the user's entries: empty (or absent) until the user or the whole service is first cleared,
   * then the tokens the last clears wrote (see {@link SealKeys.generationName}). Part of the associated data, hence
   * of the name: an entry written before a clear is never found under the new generation, nor opens if moved there.
   */
  readonly generation?: string | undefined;
}

/** The subkeys of the caller's key: one seals entries, one names them in the store. RFC 5869 HKDF-SHA256. */
export class SealKeys {
  private readonly sealKey: Uint8Array;
  private readonly nameKey: Uint8Array;

  /** `key`: 32 bytes from the caller (a secret all replicas share); never generated here. */
  constructor(key: Uint8Array) {
    if (!(key instanceof Uint8Array) || key.length !== SEAL_KEY_BYTES)
      throw new RangeError(`the ticket store key must be ${SEAL_KEY_BYTES} bytes, not ${key?.length}`);
    this.sealKey = hkdf(sha256, key, undefined, utf8(`${LABEL} seal`), 32);
    this.nameKey = hkdf(sha256, key, undefined, utf8(`${LABEL} name`), 32);
  }

  /** The entry's name in the store: a keyed hash of its identity, so names reveal no user or target. */
  nameOf(id: EntryId): string {
    return toHex(hmac(sha256, this.nameKey, associatedData(id)).subarray(0, 20));
  }

  /**
   * The name of a generation: the user's, or without `user` the service's (a clear of every user writes it). A
   * keyed hash like an entry's, with a `:gen` suffix.
   */
  generationName(realm: string, service: string, user?: string): string {
    const parts =
      user === undefined ? [GENERATION_LABEL, realm, service] : [GENERATION_LABEL, realm, service, user];
    return `${toHex(hmac(sha256, this.nameKey, utf8(JSON.stringify(parts))).subarray(0, 20))}:gen`;
  }

  /** The sealed entry: format byte, 12-byte random nonce, ciphertext and 16-byte tag. */
  seal(id: EntryId, r: TicketRecord, staleAt: number, random: RandomSource): Uint8Array {
    const nonce = random(NONCE_BYTES);
    const body = {
      v: FORMAT_V1,
      staleAt,
      obtainedAt: r.obtainedAt,
      vouchedAt: r.vouchedAt,
      warnings: r.warnings,
      krbCred: toBase64(exportKirbi([credentialToCcache(r.credential)])),
    };
    const sealed = gcm(this.sealKey, nonce, associatedData(id)).encrypt(utf8(JSON.stringify(body)));
    return concat(Uint8Array.of(FORMAT_V1), nonce, sealed);
  }

  /**
   * Opens an entry sealed for `id`: the record and the time it goes stale (sealer's clock). Throws IntegrityError
   * when it was altered, sealed under another key or for another identity, or is not an entry at all.
   */
  open(id: EntryId, sealed: Uint8Array): { record: TicketRecord; staleAt: number } {
    if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== FORMAT_V1)
      throw new IntegrityError('ticket store entry: unknown format or truncated');
    let clear: Uint8Array;
    try {
      clear = gcm(this.sealKey, sealed.subarray(1, 1 + NONCE_BYTES), associatedData(id)).decrypt(
        sealed.subarray(1 + NONCE_BYTES),
      );
    } catch (e) {
      throw new IntegrityError(
        'ticket store entry: AES-GCM tag mismatch (altered, another key, or another user or target)',
        { cause: e },
      );
    }
    // Authentic from here on: a malformed body is a bug of a replica, still refused the same way.
    try {
      const b = JSON.parse(fromUtf8(clear)) as Record<string, unknown>;
      const [cred] = importKirbi(fromBase64(String(b['krbCred'])));
      if (b['v'] !== FORMAT_V1 || !cred) throw new Error('bad body');
      return {
        staleAt: Number(b['staleAt']),
        record: {
          credential: credentialFromCcache(cred),
          obtainedAt: Number(b['obtainedAt']),
          vouchedAt: Number(b['vouchedAt']),
          warnings: Array.isArray(b['warnings']) ? b['warnings'].map(String) : [],
          fromStore: true,
        },
      };
    } catch (e) {
      throw new IntegrityError('ticket store entry: sealed body does not decode', { cause: e });
    }
  }
}

// JSON of an array: unambiguous whatever characters the names hold. Without a generation it is the AD (and name)
// entries had before generations existed, so replicas of either version share a never-cleared user's entries.
function associatedData(id: EntryId): Uint8Array {
  const parts = [LABEL, id.realm, id.service, id.user, id.target];
  if (id.generation) parts.push(id.generation);
  return utf8(JSON.stringify(parts));
}
