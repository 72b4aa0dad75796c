/**
 * Turns any decoded Kerberos value into an annotated tree (label, value, note, children): message and padata
 * names with their meanings, flags spelled out, enctypes and checksums named, principals formatted, times in ISO,
 * keys hidden unless asked, and encrypted parts opened when the caller's opener has a key.
 */
import {
  type ApReq,
  type DecodeOptions,
  type EncryptedData,
  type PaData,
  PaDataType,
} from '../asn1/index.js';
import { Key } from '../crypto/index.js';
import type { NodeSpan } from './byte-spans.js';
import {
  bytesText,
  type Explain,
  type ExplainNode,
  type ExplainOptions,
  encryptedText,
  flagsNode,
  isoTime,
  keyText,
  node,
  type OpenOutcome,
  type PaDirection,
  type PartKind,
  usageText,
} from './core.js';
import { KIND_EXPLAINERS, type KindContext } from './messages.js';
import {
  type AnyFlags,
  AP_OPTIONS,
  type FlagFamily,
  KDC_OPTIONS,
  MESSAGE_TYPES,
  PAC_OPTIONS,
  S4U_OPTIONS,
  specName,
  TICKET_FLAGS,
} from './names.js';
import { explainPaData } from './padata.js';
import { SIMPLE_EXPLAINERS } from './small-kinds.js';
import { GSS_DETECTORS, GSS_EXPLAINERS } from './spnego.js';

export type { ExplainNode, ExplainOptions, Opener, OpenOutcome, PartKind } from './core.js';
export type { KindContext } from './messages.js';

type Obj = Record<string, unknown>;

/** Field names whose bare bytes are secrets. */
const SECRET_FIELDS = new Set(['keyvalue', 'sessionKey', 'subkey', 'replyKey', 'key', 'password', 'bytes']);

const FLAG_FAMILIES: readonly FlagFamily[] = [
  TICKET_FLAGS,
  KDC_OPTIONS,
  AP_OPTIONS,
  PAC_OPTIONS,
  S4U_OPTIONS,
];

function flagFamilyOf(o: Obj): FlagFamily | undefined {
  const keys = Object.keys(o);
  if (keys.length === 0 || !keys.every((k) => k === 'otherBits' || typeof o[k] === 'boolean'))
    return undefined;
  return FLAG_FAMILIES.find((f) => keys.every((k) => k === 'otherBits' || k in f.bits));
}

/** Shape detectors, in order: the first whose test passes names the value's kind. */
const DETECTORS: ReadonlyArray<readonly [string, (o: Obj) => boolean]> = [
  ['Ccache', (o) => 'defaultPrincipal' in o && Array.isArray(o['credentials'])],
  ['Keytab', (o) => typeof o['version'] === 'number' && Array.isArray(o['entries'])],
  ['Ticket', (o) => 'tktVno' in o && 'encPart' in o],
  ['EncTicketPart', (o) => 'transited' in o && 'cname' in o],
  ['EncKdcRepPart', (o) => 'lastReq' in o && 'srealm' in o],
  ['Authenticator', (o) => 'authenticatorVno' in o],
  ['EncKrbCredPart', (o) => 'ticketInfo' in o],
  ['PA-ENC-TS-ENC', (o) => o['patimestamp'] instanceof Date],
  ['PAC', (o) => o['bytes'] instanceof Uint8Array && Array.isArray(o['infoBuffers'])],
  ['EncryptedData', (o) => typeof o['etype'] === 'number' && o['cipher'] instanceof Uint8Array],
  ['EncryptionKey', (o) => typeof o['keytype'] === 'number' && 'keyvalue' in o],
  ['KeyBlock', (o) => typeof o['etype'] === 'number' && 'bytes' in o && Object.keys(o).length === 2],
  ['Checksum', (o) => typeof o['cksumtype'] === 'number' && o['checksum'] instanceof Uint8Array],
  ['PrincipalName', (o) => typeof o['nameType'] === 'number' && Array.isArray(o['nameString'])],
  ['PaData', (o) => typeof o['padataType'] === 'number' && o['padataValue'] instanceof Uint8Array],
  ['HostAddress', (o) => typeof o['addrType'] === 'number' && o['address'] instanceof Uint8Array],
  ['KdcAddress', (o) => typeof o['host'] === 'string' && typeof o['port'] === 'number'],
  [
    'Principal',
    (o) =>
      typeof o['realm'] === 'string' && isPlainObject(o['name']) && Array.isArray(o['name']['nameString']),
  ],
  ['ReplyCheck', (o) => typeof o['check'] === 'string' && typeof o['detail'] === 'string'],
  ['EData', (o) => o['kind'] === 'method-data' || o['kind'] === 'typed-data' || o['kind'] === 'raw'],
  ...GSS_DETECTORS,
];

function isPlainObject(v: unknown): v is Obj {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Uint8Array) &&
    !(v instanceof Date) &&
    !(v instanceof Key)
  );
}

function kindOf(o: Obj): string | undefined {
  const msgType = o['msgType'];
  if (typeof msgType === 'number') {
    const name = MESSAGE_TYPES.get(msgType)?.name;
    if (name !== undefined) return name;
  }
  return DETECTORS.find(([, test]) => test(o))?.[0];
}

function sameLabel(a: string, b: string): boolean {
  const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return norm(a) === norm(b);
}

/** `n` under another label; a kind name that the new label hides moves into the value. */
function relabel(n: ExplainNode, label: string): ExplainNode {
  if (n.label === label) return n;
  if (sameLabel(n.label, label)) return { ...n, label };
  return { ...n, label, value: n.value === undefined ? n.label : `${n.label} ${n.value}` };
}

/** Values nested deeper than this are shown closed (hostile input nests KRB-ERRORs in PA-FX-ERROR thousands deep). */
const MAX_EXPLAIN_DEPTH = 64;

/** The explainer: recursion for every part, driven by the options. */
class Explainer implements Explain {
  #depth = 0;
  constructor(readonly opts: ExplainOptions) {}

  /** Runs one level of recursion, or returns a closed leaf past the depth limit. */
  private deeper(label: string, f: () => ExplainNode): ExplainNode {
    if (this.#depth >= MAX_EXPLAIN_DEPTH)
      return node(label, 'not opened', `nested deeper than ${MAX_EXPLAIN_DEPTH} levels`);
    this.#depth++;
    try {
      return f();
    } finally {
      this.#depth--;
    }
  }

  value(label: string, v: unknown): ExplainNode {
    return this.deeper(label, () => this.valueOf(label, v));
  }

  private valueOf(label: string, v: unknown): ExplainNode {
    if (v === undefined || v === null) return node(label, 'none');
    if (v instanceof Date) return node(label, isoTime(v));
    if (v instanceof Uint8Array) {
      return SECRET_FIELDS.has(label) && !this.opts.showKeys
        ? node(label, `[${v.length} secret bytes]`)
        : node(label, bytesText(v));
    }
    if (v instanceof Key) return node(label, keyText(v.etype, v.bytes, this.opts.showKeys));
    if (Array.isArray(v))
      return this.span(
        node(
          label,
          `${v.length}`,
          undefined,
          v.map((x, i) => this.itemSpan(this.item(x, i), v, i)),
        ),
        v,
      );
    // Timings arrive as fractional milliseconds: three decimals say all there is to say.
    if (typeof v === 'number' && !Number.isInteger(v))
      return node(label, String(Math.round(v * 1000) / 1000));
    if (typeof v !== 'object') return node(label, String(v));
    const o = v as Obj;
    const family = flagFamilyOf(o);
    if (family !== undefined) return flagsNode(label, family, o as AnyFlags);
    const k = kindOf(o);
    // A small structure's own label says nothing the field name does not; a message's name is worth keeping.
    if (k !== undefined)
      return SIMPLE_EXPLAINERS.has(k) ? { ...this.kind(k, o), label } : relabel(this.kind(k, o), label);
    return this.span(
      node(
        label,
        undefined,
        undefined,
        Object.entries(o)
          .filter(([, x]) => x !== undefined)
          .map(([f, x]) => spanned(this.value(specName(f), x), this.opts.spans?.field(o, f))),
      ),
      o,
    );
  }

  /** A list element: under its own kind's label (a check, a ticket, a padata) when it has one, else `[i]`. */
  item(x: unknown, i: number): ExplainNode {
    const k = isPlainObject(x) ? kindOf(x) : undefined;
    return k === undefined ? this.value(`[${i}]`, x) : this.kind(k, x);
  }

  kind(name: string, v: unknown, c: KindContext = {}): ExplainNode {
    const f = KIND_EXPLAINERS.get(name) ?? SIMPLE_EXPLAINERS.get(name) ?? GSS_EXPLAINERS.get(name);
    return f
      ? this.span(
          this.deeper(name, () => f(v, this, c)),
          v,
        )
      : this.value(name, v);
  }

  span(n: ExplainNode, v: unknown): ExplainNode {
    return n.span === undefined ? spanned(n, this.opts.spans?.of(v)) : n;
  }

  field<T extends object, K extends keyof T & string>(
    owner: T,
    key: K,
    make: (v: NonNullable<T[K]>) => ExplainNode,
  ): ExplainNode[] {
    const v = owner[key];
    if (v === undefined || v === null) return [];
    // The field's span, whatever span the node of its value had.
    return [spanned(make(v as NonNullable<T[K]>), this.opts.spans?.field(owner, key))];
  }

  flags<T extends object, K extends keyof T & string>(
    owner: T,
    key: K,
    label: string,
    family: FlagFamily,
  ): ExplainNode[] {
    const bits = this.opts.spans?.octets(owner, key);
    return this.field(owner, key, (set) => flagsNode(label, family, set as AnyFlags, bits));
  }

  itemSpan(n: ExplainNode, list: readonly unknown[], i: number): ExplainNode {
    return spanned(n, this.opts.spans?.item(list, i));
  }

  nested<T extends object>(owner: T, key: keyof T & string): Readonly<DecodeOptions> | undefined {
    return this.opts.spans?.nested(owner, key);
  }

  open(
    label: string,
    ed: EncryptedData,
    usages: readonly number[],
    kind: PartKind,
    owner?: string,
  ): OpenOutcome | undefined {
    const spans = this.opts.spans;
    if (spans === undefined) return this.opts.open?.(ed, usages, kind, owner);
    // The cipher is placed first: a plaintext that is the cipher itself (etype 0) stays in the buffer holding it.
    const outcome = this.opts.open?.(ed, usages, kind, owner, spans.nested(ed, 'cipher'));
    if (outcome?.status === 'opened')
      spans.plaintext(outcome.value, `plaintext of ${label} (${kind})`, spans.octets(ed, 'cipher'));
    return outcome;
  }

  encrypted(
    label: string,
    ed: EncryptedData,
    usages: readonly number[],
    kind: PartKind,
    owner?: string,
  ): ExplainNode {
    const text = encryptedText(ed);
    const outcome = this.open(label, ed, usages, kind, owner);
    if (outcome === undefined)
      return this.span(node(label, text, `encrypted, ${usages.map(usageText).join(' or ')}`), ed);
    if (outcome.status !== 'opened') return this.span(node(label, text, `closed: ${outcome.reason}`), ed);
    const inner = this.kind(kind, outcome.value, outcome.key === undefined ? {} : { key: outcome.key });
    const how =
      outcome.key === undefined
        ? outcome.keyLabel
        : `opened with ${outcome.keyLabel}, ${usageText(outcome.usage)}`;
    return this.span(node(label, text, how, [inner]), ed);
  }

  apReq(label: string, v: ApReq, authenticatorUsage: number): ExplainNode {
    return relabel(this.kind('AP-REQ', v, { authenticatorUsage }), label);
  }

  padata(label: string, list: readonly PaData[], direction: PaDirection): ExplainNode {
    return this.deeper(label, () => {
      // PA-TGS-REQ opens first, whatever its place: its authenticator subkey makes the armor key PA-FX-FAST needs.
      const order = list.map((_, i) => i);
      order.sort((a, b) => Number(isTgsReq(list[b])) - Number(isTgsReq(list[a])));
      const explained = new Map(order.map((i) => [i, explainPaData(list[i] as PaData, this, direction)]));
      return this.span(
        node(
          label,
          String(list.length),
          undefined,
          list.map((p, i) => this.span(explained.get(i) as ExplainNode, p)),
        ),
        list,
      );
    });
  }
}

/** `n` with span `s`, when there is one. */
function spanned(n: ExplainNode, s: NodeSpan | undefined): ExplainNode {
  if (s !== undefined) n.span = s;
  return n;
}

function isTgsReq(p: PaData | undefined): boolean {
  return p?.padataType === PaDataType.TGS_REQ;
}

/** Explains any decoded Kerberos value, naming its kind from its shape (message type, fields). */
export function explain(value: unknown, opts: ExplainOptions = {}): ExplainNode {
  opts.spans?.input(value);
  const ex = new Explainer(opts);
  if (opts.label !== undefined) return ex.value(opts.label, value);
  const k = isPlainObject(value) ? kindOf(value) : undefined;
  return k === undefined ? ex.value('value', value) : ex.kind(k, value);
}

/** Explains `value` as the kind named: a message name (`TGS-REQ`), `Ticket`, `PAC`, or an encrypted-part kind. */
export function explainAs(
  kind: string,
  value: unknown,
  opts: ExplainOptions = {},
  c: KindContext = {},
): ExplainNode {
  opts.spans?.input(value);
  const n = new Explainer(opts).kind(kind, value, c);
  return opts.label === undefined ? n : relabel(n, opts.label);
}
