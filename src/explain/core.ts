/** The explain tree's shape, the options and callbacks that drive it, and leaf formatters shared by its parts. */
import type {
  ApReq,
  DecodeOptions,
  EncryptedData,
  EncryptionKey,
  PaData,
  PrincipalName,
} from '../asn1/index.js';
import { checksumTypeName, enctypeName, type Key } from '../crypto/index.js';
import type { ExchangeStep } from '../messages/exchange-step.js';
import { formatPrincipal } from '../messages/principal.js';
import { toHex } from '../util/bytes.js';
import type { ByteSpans, NodeSpan } from './byte-spans.js';
import { type AnyFlags, type FlagFamily, KEY_USAGES, NAME_TYPES, setFlagNames, specName } from './names.js';

/** One node of an annotated tree: a label, an optional value, a one-line note, and children. */
export interface ExplainNode {
  label: string;
  value?: string;
  note?: string;
  children?: ExplainNode[];
  /** The bytes it was decoded from, when asked for ({@link ExplainOptions.spans}) and known. */
  span?: NodeSpan;
}

/** The plaintext types an encrypted part can hold. */
export type PartKind =
  | 'EncTicketPart'
  | 'EncKdcRepPart'
  | 'Authenticator'
  | 'EncApRepPart'
  | 'EncKrbCredPart'
  | 'EncKrbPrivPart'
  | 'PA-ENC-TS-ENC'
  | 'AuthorizationData'
  | 'KrbFastReq'
  | 'KrbFastResponse';

/** What happened when an encrypted part was offered to the keys at hand. */
export type OpenOutcome =
  | { status: 'opened'; value: unknown; key?: Key; keyLabel: string; usage: number }
  | { status: 'failed'; reason: string }
  | { status: 'no-key'; reason: string };

/**
 * Tries to decrypt `ed` under the usages given and decode it as `kind`; `owner` names the principal whose long-term
 * key a ticket is in (its sname@realm), so that the key that opens a TGT is known as the KDC's. `decode` is for the
 * plaintext's decoder: with it the explanation knows where each field of the plaintext was read.
 */
export type Opener = (
  ed: EncryptedData,
  usages: readonly number[],
  kind: PartKind,
  owner?: string,
  decode?: DecodeOptions,
) => OpenOutcome;

/** How to explain. */
export interface ExplainOptions {
  /** Show key bytes instead of `[key etype 18, 32 bytes]`. */
  showKeys?: boolean;
  /** Decrypts encrypted parts; without it they are shown closed. */
  open?: Opener;
  /** krbtgt keys, to check the PAC's KDC signature of tickets that open. */
  kdcKeys?: () => readonly Key[];
  /** The exchange a KRB-ERROR answered, for a sharper hint. */
  step?: ExchangeStep;
  /** Label of the root node (default: the kind's name). */
  label?: string;
  /** Collects each node's bytes (`span`) and the buffers they are in; decode the input with its `table`. */
  spans?: ByteSpans;
}

/** The recursion an explainer part may call back into. */
export interface Explain {
  readonly opts: ExplainOptions;
  /** Explains any value, detecting its kind from its shape. */
  value(label: string, v: unknown): ExplainNode;
  /** Explains an encrypted part, opening it when a key fits; `owner` as for Opener. */
  encrypted(
    label: string,
    ed: EncryptedData,
    usages: readonly number[],
    kind: PartKind,
    owner?: string,
  ): ExplainNode;
  /** Explains an AP-REQ whose authenticator is encrypted under `authenticatorUsage` (7 in PA-TGS-REQ, 11 alone). */
  apReq(label: string, v: ApReq, authenticatorUsage: number): ExplainNode;
  /** Explains a list of PA-DATA sent in a request or a reply (KRB-ERROR e-data counts as a reply). */
  padata(label: string, list: readonly PaData[], direction: PaDirection): ExplainNode;
  /** `n` with the span `v` was decoded from, when spans are collected and known. */
  span(n: ExplainNode, v: unknown): ExplainNode;
  /** The node `make` builds for field `key` of `owner`, with the field's span; none when the field is absent. */
  field<T extends object, K extends keyof T & string>(
    owner: T,
    key: K,
    make: (v: NonNullable<T[K]>) => ExplainNode,
  ): ExplainNode[];
  /** The flag set in field `key` of `owner` as a {@link flagsNode}, with the field's span and each set bit's octet. */
  flags<T extends object, K extends keyof T & string>(
    owner: T,
    key: K,
    label: string,
    family: FlagFamily,
  ): ExplainNode[];
  /** `n` with the span of item `i` of the SEQUENCE OF `list`. */
  itemSpan(n: ExplainNode, list: readonly unknown[], i: number): ExplainNode;
  /** Decode options for the DER held in byte field `key` of `owner`, so that what it decodes to has spans. */
  nested<T extends object>(owner: T, key: keyof T & string): Readonly<DecodeOptions> | undefined;
  /**
   * Offers `ed` to the opener (undefined without one); an opened plaintext becomes a span buffer, labelled as the
   * plaintext of `label`.
   */
  open(
    label: string,
    ed: EncryptedData,
    usages: readonly number[],
    kind: PartKind,
    owner?: string,
  ): OpenOutcome | undefined;
}

/** Whether padata travels in a request or a reply; some types differ by direction. */
export type PaDirection = 'request' | 'reply';

/** A node, leaving out absent value and note. */
export function node(label: string, value?: string, note?: string, children?: ExplainNode[]): ExplainNode {
  const n: ExplainNode = { label };
  if (value !== undefined) n.value = value;
  if (note !== undefined) n.note = note;
  if (children !== undefined && children.length > 0) n.children = children;
  return n;
}

/** Gives `n` and the nodes below it that have none the span `s`: parts read from bytes the decoder keeps no offsets in. */
export function spanAll(n: ExplainNode, s: NodeSpan): ExplainNode {
  n.span ??= s;
  for (const c of n.children ?? []) spanAll(c, s);
  return n;
}

/** ISO 8601 in UTC, whole seconds shown without a fraction. */
export function isoTime(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'invalid date' : d.toISOString().replace('.000Z', 'Z');
}

const BYTES_SHOWN = 32;

/** `12 bytes 0a0b…`: length and leading hex. */
export function bytesText(b: Uint8Array): string {
  if (b.length === 0) return '0 bytes';
  const hex = toHex(b.subarray(0, BYTES_SHOWN));
  return `${b.length} bytes ${hex}${b.length > BYTES_SHOWN ? '…' : ''}`;
}

/** `aes256-cts-hmac-sha1-96 (18)`. */
export function etypeText(etype: number): string {
  return `${enctypeName(etype)} (${etype})`;
}

/** `hmac-sha1-96-aes256 (16)`. */
export function cksumText(cksumtype: number): string {
  return `${checksumTypeName(cksumtype)} (${cksumtype})`;
}

/** `[key etype 18, 32 bytes]`, or the hex when keys are shown; key bytes a trace already redacted stay as they are. */
export function keyText(etype: number, bytes: Uint8Array | string, show: boolean | undefined): string {
  if (typeof bytes === 'string') return `etype ${etype} ${bytes}`;
  return show ? `etype ${etype} ${toHex(bytes)}` : `[key etype ${etype}, ${bytes.length} bytes]`;
}

/** A node for an EncryptionKey. */
export function keyNode(label: string, k: EncryptionKey, opts: ExplainOptions, note?: string): ExplainNode {
  // A trace event redacts keyvalue to a string before it reaches us.
  const bytes: Uint8Array | string = k.keyvalue instanceof Uint8Array ? k.keyvalue : String(k.keyvalue);
  return node(label, keyText(k.keytype, bytes, opts.showKeys), note ?? enctypeName(k.keytype));
}

/** A node for a PrincipalName: its text form, with the name type as the note. */
export function principalNode(
  label: string,
  name: PrincipalName,
  realm?: string,
  note?: string,
): ExplainNode {
  const type = NAME_TYPES.get(name.nameType) ?? `name-type ${name.nameType}`;
  return node(label, formatPrincipal(name, realm), note === undefined ? type : `${type}; ${note}`);
}

/** The octet of KerberosFlags contents `bits` (the unused-bits octet, then 32 bits) that holds bit `n` (X.690 8.6). */
function bitOctet(bits: NodeSpan, n: number): NodeSpan {
  const at = bits.valueOffset + 1 + (n >> 3);
  return { buffer: bits.buffer, offset: at, length: 1, valueOffset: at, valueLength: 1 };
}

/**
 * A node listing the set flags of a flag set, each a child with its meaning; with `bits` (the BIT STRING's contents
 * as decoded), each child spans the octet that holds its bit.
 */
export function flagsNode(label: string, family: FlagFamily, set: AnyFlags, bits?: NodeSpan): ExplainNode {
  const names = setFlagNames(family, set);
  const children = Object.keys(family.bits)
    .filter((k) => set[k] === true)
    .sort((a, b) => (family.bits[a] ?? 0) - (family.bits[b] ?? 0))
    .map((k) => {
      const n = node(specName(k), undefined, family.meanings[k]);
      const bit = family.bits[k];
      if (bits !== undefined && bit !== undefined) n.span = bitOctet(bits, bit);
      return n;
    });
  const other = set['otherBits'];
  if (typeof other === 'number' && other !== 0) {
    const n = node('unnamed bits', `0x${(other >>> 0).toString(16).padStart(8, '0')}`);
    if (bits !== undefined) n.span = bits;
    children.push(n);
  }
  return node(label, names.length === 0 ? 'none' : names.join(', '), family.title, children);
}

/** `usage 3 (AS-REP enc-part, client key)`. */
export function usageText(usage: number): string {
  const what = KEY_USAGES.get(usage);
  return what === undefined ? `usage ${usage}` : `usage ${usage} (${what})`;
}

/** `aes256-cts-hmac-sha1-96 (18), kvno 2, 180 bytes`. */
export function encryptedText(ed: EncryptedData): string {
  const kvno = ed.kvno === undefined ? '' : `, kvno ${ed.kvno >>> 0}`;
  return `${etypeText(ed.etype)}${kvno}, ${ed.cipher.length} bytes`;
}
