/**
 * Byte ranges for explain-tree nodes, found by matching each node's label to its field in the DER element tree the
 * byte pane shows (RFC 4120 5.2–5.9.1 field tags), so no decoder needs to carry offsets. A node inside a decrypted
 * part gets the range of the ciphertext it came from, marked as such.
 */
import type { ExplainNode } from '../src/explain/index.js';
import { type DerElement, derTree } from './der.js';

/** Where a node's bytes are: [start, end) of the part's bytes; `inCipher` when they are inside a ciphertext. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly inCipher?: boolean;
}

/** A field: its context tag and the type of its value (`T*` a SEQUENCE OF T). */
type Field = readonly [tag: number, type?: string];

// RFC 4120 5.2.9, 5.3, 5.4.1, 5.4.2, 5.5.1, 5.5.2, 5.9.1; MS-SFU 2.2.1; MS-KILE 2.2.3.
const TYPES: Readonly<Record<string, Readonly<Record<string, Field>>>> = {
  'KDC-REQ': { pvno: [1], padata: [3, 'PA-DATA*'], 'req-body': [4, 'KDC-REQ-BODY'] },
  'KDC-REQ-BODY': {
    'kdc-options': [0],
    cname: [1],
    realm: [2],
    sname: [3],
    from: [4],
    till: [5],
    rtime: [6],
    nonce: [7],
    etype: [8],
    addresses: [9],
    'enc-authorization-data': [10, 'EncryptedData'],
    'additional-tickets': [11, 'Ticket*'],
  },
  'KDC-REP': {
    pvno: [0],
    padata: [2, 'PA-DATA*'],
    crealm: [3],
    cname: [4],
    ticket: [5, 'Ticket'],
    'enc-part': [6, 'EncryptedData'],
  },
  Ticket: { 'tkt-vno': [0], realm: [1], sname: [2], 'enc-part': [3, 'EncryptedData'] },
  EncryptedData: { etype: [0], kvno: [1], cipher: [2] },
  'AP-REQ': { pvno: [0], 'ap-options': [2], ticket: [3, 'Ticket'], authenticator: [4, 'EncryptedData'] },
  'AP-REP': { pvno: [0], 'enc-part': [2, 'EncryptedData'] },
  'KRB-ERROR': {
    pvno: [0],
    ctime: [2],
    cusec: [3],
    stime: [4],
    susec: [5],
    'error-code': [6],
    crealm: [7],
    cname: [8],
    realm: [9],
    sname: [10],
    'e-text': [11],
    'e-data': [12],
  },
  // RFC 4178 4.2.1, 4.2.2: the fields NegTokenInit and NegTokenResp tag alike.
  NegotiationToken: {
    mechTypes: [0],
    negState: [0],
    reqFlags: [1],
    supportedMech: [1],
    mechToken: [2, 'token'],
    responseToken: [2, 'token'],
  },
  'PA-FOR-USER': { user: [0], cksum: [2], 'auth-package': [3] },
  'PA-PAC-REQUEST': { 'include-pac': [0] },
};

/** The messages by their APPLICATION tag (RFC 4120 5.10). */
const APPLICATION: Readonly<Record<number, string>> = {
  1: 'Ticket',
  10: 'KDC-REQ',
  11: 'KDC-REP',
  12: 'KDC-REQ',
  13: 'KDC-REP',
  14: 'AP-REQ',
  15: 'AP-REP',
  30: 'KRB-ERROR',
};

/** The explain labels of the messages, to find one nested in a token (GSS-API, SPNEGO). */
const MESSAGE_LABELS: Readonly<Record<string, number>> = {
  Ticket: 1,
  'AS-REQ': 10,
  'AS-REP': 11,
  'TGS-REQ': 12,
  'TGS-REP': 13,
  'AP-REQ': 14,
  'AP-REP': 15,
  'KRB-ERROR': 30,
};

/** What a PA-DATA's padata-value holds, by padata type name. */
const PADATA_VALUE: Readonly<Record<string, string>> = {
  'PA-TGS-REQ': 'AP-REQ',
  'PA-ENC-TIMESTAMP': 'EncryptedData',
  'PA-FOR-USER': 'PA-FOR-USER',
  'PA-PAC-REQUEST': 'PA-PAC-REQUEST',
};

function appTag(e: DerElement): number | undefined {
  const m = /^\[APPLICATION (\d+)\]$/.exec(e.name);
  return m === null ? undefined : Number(m[1]);
}

/** The fields of a SEQUENCE, or of the SEQUENCE inside an APPLICATION or context tag. */
function fieldsOf(e: DerElement): readonly DerElement[] {
  const seq = e.name === 'SEQUENCE' ? e : e.children[0];
  return seq?.name === 'SEQUENCE' ? seq.children : [];
}

function shifted(e: DerElement, by: number): DerElement {
  return { ...e, start: e.start + by, end: e.end + by, children: e.children.map((c) => shifted(c, by)) };
}

/** The contents of a primitive element (an OCTET STRING) read as DER: an encapsulated encoding. */
function encapsulated(b: Uint8Array, e: DerElement): DerElement[] {
  if (e.children.length > 0 || e.end - e.start < 2) return [];
  const first = b[e.start + 1]!;
  const from = e.start + 2 + (first >= 0x80 ? first & 0x7f : 0);
  return derTree(b.subarray(from, e.end)).map((c) => shifted(c, from));
}

/** The contents of a primitive element, without its tag and length. */
function contents(b: Uint8Array, e: DerElement): Span {
  const first = b[e.start + 1] ?? 0;
  return { start: e.start + 2 + (first >= 0x80 ? first & 0x7f : 0), end: e.end };
}

/** The first element with APPLICATION `tag` in `list` or below, looking inside OCTET STRINGs too. */
function findApplication(b: Uint8Array, list: readonly DerElement[], tag: number): DerElement | undefined {
  for (const e of list) {
    if (appTag(e) === tag) return e;
    const inner = findApplication(b, e.children.length > 0 ? e.children : encapsulated(b, e), tag);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** The label's name part: `PA-TGS-REQ (1)` → `PA-TGS-REQ`. */
const nameOf = (label: string): string => label.split(' ')[0] ?? label;

/** Gives `n` and everything below it the span `s` (the plaintext of a ciphertext). */
function allIn(n: ExplainNode, s: Span, out: Map<ExplainNode, Span>): void {
  out.set(n, s);
  for (const c of n.children ?? []) allIn(c, s, out);
}

/** Gives `n` the range of `e`, and its children theirs, reading `e` as `type` (a TYPES key, `T*`, or a token). */
function walk(
  b: Uint8Array,
  n: ExplainNode,
  e: DerElement,
  type: string | undefined,
  out: Map<ExplainNode, Span>,
): void {
  out.set(n, { start: e.start, end: e.end });
  const kids = n.children ?? [];
  if (type?.endsWith('*')) {
    const items = e.children[0]?.children ?? [];
    kids.forEach((k, i) => {
      const item = items[i];
      if (item !== undefined) walk(b, k, item, type.slice(0, -1), out);
    });
    return;
  }
  if (type === 'PA-DATA') {
    const value = fieldsOf(e).find((f) => f.name === '[2]')?.children[0];
    const inner = value === undefined ? [] : encapsulated(b, value);
    const valueType = PADATA_VALUE[nameOf(n.label)];
    if (inner[0] === undefined || valueType === undefined) return;
    // A value that is one message or EncryptedData is the node's one child; a SEQUENCE's fields are its children.
    if (valueType === 'AP-REQ' || valueType === 'EncryptedData') {
      if (kids.length === 1) walk(b, kids[0]!, inner[0], valueType, out);
    } else matchFields(b, kids, inner[0], valueType, out);
    return;
  }
  if (type === 'EncryptedData') {
    const cipher = fieldsOf(e).find((f) => f.name === '[2]')?.children[0];
    if (cipher === undefined) return;
    // The decrypted part's fields are not in these bytes: each points at the ciphertext it came from.
    for (const k of kids) allIn(k, { ...contents(b, cipher), inCipher: true }, out);
    return;
  }
  if (type !== undefined && TYPES[type] !== undefined) {
    matchFields(b, kids, e, type, out);
    return;
  }
  if (n.label === 'SPNEGO') {
    const token = e.name === '[APPLICATION 0]' ? e.children[1] : e;
    const seq = token?.children[0];
    if (seq !== undefined) matchFields(b, kids, seq, 'NegotiationToken', out);
    return;
  }
  inToken(b, kids, e, out);
}

/** The nodes of a token (GSS-API, SPNEGO): the Kerberos messages it carries, found by their APPLICATION tag. */
function inToken(
  b: Uint8Array,
  kids: readonly ExplainNode[],
  e: DerElement,
  out: Map<ExplainNode, Span>,
): void {
  for (const k of kids) {
    const tag = MESSAGE_LABELS[nameOf(k.label)];
    const m =
      tag === undefined ? undefined : findApplication(b, e.children.length > 0 ? e.children : [e], tag);
    if (m !== undefined) walk(b, k, m, APPLICATION[tag!], out);
    else inToken(b, k.children ?? [], e, out);
  }
}

/** Matches `kids` by label to the fields of the SEQUENCE `e` (or the one inside it) of `type`. */
function matchFields(
  b: Uint8Array,
  kids: readonly ExplainNode[],
  e: DerElement,
  type: string,
  out: Map<ExplainNode, Span>,
): void {
  const fields = fieldsOf(e);
  for (const k of kids) {
    const f = TYPES[type]![k.label];
    const el = f === undefined ? undefined : fields.find((x) => x.name === `[${f[0]}]`);
    if (el === undefined) continue;
    const [, fieldType] = f!;
    const value = el.children[0];
    if (fieldType === undefined || fieldType.endsWith('*') || value === undefined)
      walk(b, k, el, fieldType, out);
    else {
      // What is inside the field is read as its type; the field's own range includes its tag.
      walk(b, k, value, fieldType, out);
      out.set(k, { start: el.start, end: el.end });
    }
  }
}

/** The span of each node of `tree` that could be matched to the DER elements `der` of `bytes`. */
export function explainSpans(
  tree: ExplainNode,
  bytes: Uint8Array,
  der: readonly DerElement[],
): Map<ExplainNode, Span> {
  const out = new Map<ExplainNode, Span>();
  const root = der[0];
  if (root === undefined) return out;
  const app = appTag(root);
  walk(bytes, tree, root, app === undefined ? undefined : APPLICATION[app], out);
  return out;
}

/** The deepest node whose span holds bytes [start, end) (the first in tree order among equals). */
export function deepestAt(
  spans: ReadonlyMap<ExplainNode, Span>,
  start: number,
  end: number,
): ExplainNode | undefined {
  let best: ExplainNode | undefined;
  let size = Number.POSITIVE_INFINITY;
  for (const [n, s] of spans)
    if (start >= s.start && end <= s.end && s.end - s.start < size) {
      best = n;
      size = s.end - s.start;
    }
  return best;
}
