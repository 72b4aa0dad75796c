/**
 * The key chest of the explain engine: keys given by the user (keys, keytabs, passwords) and the session keys and
 * subkeys it learns as parts open. It is the explain tree's opener: each encrypted part is tried with every key of
 * its enctype under the usages that part may use.
 */
import {
  type Authenticator,
  type DecodeOptions,
  decodeAuthenticator,
  decodeAuthorizationData,
  decodeEncApRepPart,
  decodeEncKdcRepPart,
  decodeEncKrbCredPart,
  decodeEncKrbPrivPart,
  decodeEncTicketPart,
  decodeKrbFastReq,
  decodeKrbFastResponse,
  decodePaEncTsEnc,
  type EncApRepPart,
  type EncKdcRepPart,
  type EncKrbCredPart,
  type EncryptedData,
  type EncryptionKey,
  type EncTicketPart,
  type KrbFastResponse,
} from '../asn1/index.js';
import { formatCredsPrincipal, type Keytab } from '../creds/index.js';
import { decrypt, enctypeName, Key, KeyUsage, stringToKey, supportedEnctypes } from '../crypto/index.js';
import { CryptoError, IntegrityError, KerberosError } from '../errors.js';
import {
  armorKeyOf,
  clientChallengeKey,
  explicitTgsArmorKey,
  kdcChallengeKey,
  strengthenReplyKey,
} from '../fast/index.js';
import { formatPrincipal } from '../messages/principal.js';
import { bytesEqual, fromHex } from '../util/bytes.js';
import type { OpenOutcome, PartKind } from './core.js';

/** A key with where it came from. */
export interface RingKey {
  readonly key: Key;
  /** How the user will see it: `keytab HTTP/web@R kvno 2`, `subkey of alice@R's authenticator`. */
  readonly label: string;
  readonly kvno?: number;
  /** The principal it belongs to, when known (`krbtgt/R@R` keys also check PAC KDC signatures). */
  readonly principal?: string;
  /** Learned from an opened part rather than given by the user. */
  readonly learned?: boolean;
  /** For a FAST armor key: the keys a reply to that request may be encrypted in (strengthened by the KDC). */
  readonly replyKeys?: readonly RingKey[];
}

/** The decoder of each encrypted-part kind. */
const PART_DECODERS: Readonly<Record<PartKind, (b: Uint8Array, opts?: DecodeOptions) => unknown>> = {
  EncTicketPart: decodeEncTicketPart,
  EncKdcRepPart: decodeEncKdcRepPart,
  Authenticator: decodeAuthenticator,
  EncApRepPart: decodeEncApRepPart,
  EncKrbCredPart: decodeEncKrbCredPart,
  EncKrbPrivPart: decodeEncKrbPrivPart,
  'PA-ENC-TS-ENC': decodePaEncTsEnc,
  AuthorizationData: decodeAuthorizationData,
  KrbFastReq: decodeKrbFastReq,
  KrbFastResponse: decodeKrbFastResponse,
};

type Learned = { key: EncryptionKey; label: string };

/** The keys an opened part teaches, by kind. */
const PART_KEYS: Partial<Record<PartKind, (v: unknown) => Learned[]>> = {
  EncTicketPart: (v) => {
    const t = v as EncTicketPart;
    return [{ key: t.key, label: `session key from the ticket of ${formatPrincipal(t.cname, t.crealm)}` }];
  },
  EncKdcRepPart: (v) => {
    const p = v as EncKdcRepPart;
    return [{ key: p.key, label: `session key of ${formatPrincipal(p.sname, p.srealm)} from the reply` }];
  },
  Authenticator: (v) => {
    const a = v as Authenticator;
    return a.subkey
      ? [{ key: a.subkey, label: `subkey from ${formatPrincipal(a.cname, a.crealm)}'s authenticator` }]
      : [];
  },
  EncApRepPart: (v) => {
    const a = v as EncApRepPart;
    return a.subkey ? [{ key: a.subkey, label: 'subkey from the AP-REP' }] : [];
  },
  EncKrbCredPart: (v) =>
    (v as EncKrbCredPart).ticketInfo.map((i) => ({
      key: i.key,
      label: `session key of ${i.sname ? formatPrincipal(i.sname, i.srealm) : 'a ticket'} from the KRB-CRED`,
    })),
};

/** KRB-CRED from Windows tools (Rubeus, mimikatz .kirbi) carries its enc-part in the clear as etype 0. */
const ETYPE_NONE = 0;

/** `krbtgt/R@R`: the realm's own TGS (not a cross-realm krbtgt/OTHER@R, whose key is the inter-realm key). */
const KRBTGT_OF_REALM = /^krbtgt\/([^/@]+)@(.+)$/;

/** Keys given and learned, and the opener built on them. */
export class Keyring {
  readonly #keys: RingKey[] = [];
  /** The subkey of the last TGS authenticator opened and the TGT session key that opened it. */
  #tgs: { subkey: RingKey; tgt: RingKey } | undefined;

  /** Adds a key unless an identical one is already held. Keys of unsupported enctypes are skipped. */
  add(
    etype: number,
    bytes: Uint8Array,
    label: string,
    extra: { kvno?: number; principal?: string } = {},
  ): void {
    this.#add(etype, bytes, label, extra);
  }

  #add(
    etype: number,
    bytes: Uint8Array,
    label: string,
    extra: Omit<RingKey, 'key' | 'label'>,
  ): RingKey | undefined {
    const held = this.#keys.find((k) => k.key.etype === etype && bytesEqual(k.key.bytes, bytes));
    if (held) return held;
    let key: Key;
    try {
      key = new Key(etype, bytes);
    } catch (e) {
      if (e instanceof CryptoError) return undefined;
      throw e;
    }
    const k: RingKey = { key, label, ...extra };
    this.#keys.push(k);
    return k;
  }

  /** Every key held, given first, then learned in the order learned. */
  get keys(): readonly RingKey[] {
    return this.#keys;
  }

  /** Keys of krbtgt principals, for the PAC's KDC, ticket and full signatures. */
  kdcKeys(): Key[] {
    return this.#keys.filter((k) => k.principal?.startsWith('krbtgt/')).map((k) => k.key);
  }

  /**
   * Tries every key of `ed`'s enctype under each usage; decodes the plaintext as `kind` and learns its keys. A given
   * key without a principal that opens a ticket of `owner` `krbtgt/R@R` becomes a KDC key: a krbtgt key given as
   * `--key` or a password checks PAC KDC signatures as a keytab's does. `decode` goes to the plaintext's decoder.
   */
  open(
    ed: EncryptedData,
    usages: readonly number[],
    kind: PartKind,
    owner?: string,
    decode?: DecodeOptions,
  ): OpenOutcome {
    const decoder = (b: Uint8Array): unknown => PART_DECODERS[kind](b, decode);
    if (ed.etype === ETYPE_NONE && kind === 'EncKrbCredPart') {
      return this.#decoded(
        decoder,
        ed.cipher,
        kind,
        undefined,
        'not encrypted (etype 0): anyone holding the file can read the session keys',
        0,
      );
    }
    // A part with a kvno (a ticket) is in a long-term key: the given keys of that kvno first, then the other given
    // keys. Other parts: the most recently learned keys first, as a reply opens with the key its request just taught.
    const rank = (k: RingKey): number =>
      (k.kvno === ed.kvno ? 2 : 0) + (ed.kvno !== undefined && k.learned !== true ? 1 : 0);
    const candidates = [...this.#keys]
      .reverse()
      .filter((k) => k.key.etype === ed.etype)
      .sort((a, b) => rank(b) - rank(a));
    if (candidates.length === 0) {
      return { status: 'no-key', reason: `no ${enctypeName(ed.etype)} key at hand` };
    }
    for (const c of candidates) {
      for (const usage of usages) {
        let plain: Uint8Array;
        try {
          plain = decrypt(c.key, usage, ed.cipher);
        } catch (e) {
          if (e instanceof IntegrityError || e instanceof CryptoError) continue;
          throw e;
        }
        if (owner !== undefined && kind === 'EncTicketPart') this.#learnOwner(c, owner);
        return this.#decoded(decoder, plain, kind, c, c.label, usage);
      }
    }
    const n = candidates.length;
    return {
      status: 'failed',
      reason: `${n} ${enctypeName(ed.etype)} key${n === 1 ? '' : 's'} tried, none passed the integrity check`,
    };
  }

  #decoded(
    decode: (b: Uint8Array) => unknown,
    plain: Uint8Array,
    kind: PartKind,
    opener: RingKey | undefined,
    label: string,
    usage: number,
  ): OpenOutcome {
    let value: unknown;
    try {
      value = decode(plain);
    } catch (e) {
      if (!(e instanceof KerberosError)) throw e;
      return { status: 'failed', reason: `decrypted with ${label}, but not a valid ${kind}: ${e.message}` };
    }
    const learned = (PART_KEYS[kind]?.(value) ?? []).map((l) =>
      this.#add(l.key.keytype, l.key.keyvalue, l.label, { learned: true }),
    );
    if (opener !== undefined) this.#learnFast(kind, value, opener, usage, learned[0]);
    return opener === undefined
      ? { status: 'opened', value, keyLabel: label, usage }
      : { status: 'opened', value, key: opener.key, keyLabel: label, usage };
  }

  /** Records the principal of a given key that opened a ticket of the realm's own krbtgt. */
  #learnOwner(k: RingKey, owner: string): void {
    const m = KRBTGT_OF_REALM.exec(owner);
    if (k.learned === true || k.principal !== undefined || m === null || m[1] !== m[2]) return;
    const i = this.#keys.indexOf(k);
    if (i >= 0) this.#keys[i] = { ...k, principal: owner };
  }

  /** The keys the user gave (keytabs, --key, passwords, a ccache's session keys). */
  #given(): RingKey[] {
    return this.#keys.filter((k) => k.learned !== true);
  }

  /** The PA-ENCRYPTED-CHALLENGE keys of an AS armor key with each given key (RFC 6113 5.4.6). */
  #learnChallengeKeys(armor: Key): void {
    for (const r of this.#given()) {
      const c = clientChallengeKey(armor, r.key);
      this.#add(c.etype, c.bytes, `the FAST client challenge key of ${r.label}`, { learned: true });
      const k = kdcChallengeKey(armor, r.key);
      this.#add(k.etype, k.bytes, `the FAST KDC challenge key of ${r.label}`, { learned: true });
    }
  }

  /**
   * FAST keys (RFC 6113 5.4.1.1, 5.4.3): an authenticator with a subkey makes an armor key with the key that opened
   * it — the implicit armor of a TGS request (usage 7: the TGT session key), or an AP-REQ armor (usage 11: the armor
   * ticket's session key); a KrbFastResponse with a strengthen-key makes the strengthened reply keys.
   */
  #learnFast(
    kind: PartKind,
    value: unknown,
    opener: RingKey,
    usage: number,
    subkey: RingKey | undefined,
  ): void {
    if (kind === 'Authenticator' && subkey !== undefined) {
      const tgs = usage === KeyUsage.TgsReqAuthenticator;
      const armor = armorKeyOf(subkey.key, opener.key);
      this.#add(
        armor.etype,
        armor.bytes,
        `the FAST armor key, KRB-FX-CF2(${subkey.label}, ${opener.label})`,
        // A TGS reply is in the subkey or the TGT session key; an AS reply in a key the user gave.
        tgs ? { learned: true, replyKeys: [subkey, opener] } : { learned: true },
      );
      if (tgs) {
        this.#tgs = { subkey, tgt: opener };
        return;
      }
      this.#learnChallengeKeys(armor);
      // Explicit armor of a TGS request (Samba): the explanation opens PA-TGS-REQ before the armor of PA-FX-FAST.
      if (this.#tgs !== undefined) {
        const { subkey: s, tgt } = this.#tgs;
        const k = explicitTgsArmorKey(armor, s.key);
        this.#add(
          k.etype,
          k.bytes,
          `the FAST explicit TGS armor key, KRB-FX-CF2(the armor key, ${s.label})`,
          {
            learned: true,
            replyKeys: [s, tgt],
          },
        );
      }
      return;
    }
    if (kind !== 'KrbFastResponse') return;
    const sk = (value as KrbFastResponse).strengthenKey;
    if (sk === undefined) return;
    let strengthen: Key;
    try {
      strengthen = new Key(sk.keytype, sk.keyvalue);
    } catch (e) {
      if (e instanceof CryptoError) return;
      throw e;
    }
    this.#add(sk.keytype, sk.keyvalue, 'the strengthen-key from the KrbFastResponse', { learned: true });
    const replyKeys = opener.replyKeys ?? this.#given();
    for (const r of replyKeys) {
      const k = strengthenReplyKey(strengthen, r.key);
      this.#add(k.etype, k.bytes, `the reply key strengthened by FAST (from ${r.label})`, { learned: true });
    }
  }
}

/** Enctype numbers by name: `aes256-cts-hmac-sha1-96`, its short form `aes256-sha1`, and the usual aliases. */
const ETYPE_ALIASES: ReadonlyMap<string, number> = new Map([
  ...supportedEnctypes().map((e) => [enctypeName(e), e] as const),
  ['aes256', 18],
  ['aes128', 17],
  ['aes256-sha1', 18],
  ['aes128-sha1', 17],
  ['aes256-sha2', 20],
  ['aes128-sha2', 19],
  ['rc4', 23],
  ['arcfour-hmac', 23],
  // MIT's krb5.conf aliases (krb5_string_to_enctype).
  ['aes256-cts', 18],
  ['aes128-cts', 17],
  ['arcfour-hmac-md5', 23],
  ['rc4-hmac', 23],
]);

/** The enctype a user wrote, by number or name; undefined when unknown. */
export function parseEnctype(text: string): number | undefined {
  if (/^-?\d+$/.test(text)) return Number(text);
  return ETYPE_ALIASES.get(text.toLowerCase());
}

/** Parses `etype:hex` (etype by number or name); KerberosError saying what is wrong otherwise. */
export function parseKeySpec(spec: string): { etype: number; bytes: Uint8Array } {
  const colon = spec.lastIndexOf(':');
  if (colon <= 0)
    throw new KerberosError(`--key '${spec}' is not etype:hex`, {
      hint: 'e.g. --key 18:0011…ff or --key aes256:0011…ff',
    });
  const etype = parseEnctype(spec.slice(0, colon));
  if (etype === undefined) throw new KerberosError(`--key: unknown enctype '${spec.slice(0, colon)}'`);
  const hex = spec.slice(colon + 1);
  if (!/^([0-9a-fA-F]{2})+$/.test(hex))
    throw new KerberosError('--key: the key is not an even-length hex string');
  return { etype, bytes: fromHex(hex) };
}

/** Adds every key of a keytab, labelled with its principal and kvno. */
export function addKeytab(ring: Keyring, kt: Keytab, source: string): void {
  for (const e of kt.entries) {
    const principal = formatCredsPrincipal(e.principal);
    ring.add(e.key.etype, e.key.bytes, `${source} key of ${principal} kvno ${e.kvno}`, {
      kvno: e.kvno,
      principal,
    });
  }
}

/** Adds the keys a password makes with `salt` for every supported enctype (default iteration counts). */
export function addPassword(ring: Keyring, password: string, salt: string): void {
  for (const etype of supportedEnctypes()) {
    const key = stringToKey(etype, password, salt);
    ring.add(etype, key.bytes, `the password (salt ${JSON.stringify(salt)})`);
  }
}
