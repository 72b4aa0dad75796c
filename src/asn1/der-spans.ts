/**
 * Where decoded values came from: the byte span of every element a decode read (X.690 8.1: identifier, length and
 * contents octets), kept beside the values, for the explain engine and the explorer's byte pane. Opt-in through
 * `DecodeOptions.spans`: such a decode runs {@link SpanReader}, a DerReader that also records what it takes; every
 * other decode runs the plain reader, unchanged, and keeps nothing.
 */
import { DerReader } from './der.js';

/** One element of the input: its whole encoding `[offset, offset + length)` and its contents `[valueOffset, …)`. */
export interface DerSpan {
  readonly offset: number;
  readonly length: number;
  readonly valueOffset: number;
  readonly valueLength: number;
  /** The field name the decoder read it as (`req-body`), or '' (an element of a SEQUENCE OF, a value in a field). */
  readonly name: string;
  /** The elements read inside its contents, in order: an EXPLICIT field's value, a SEQUENCE's fields. */
  readonly children: readonly DerSpan[];
}

/** A DerSpan while it is being read: its children are known once its contents are. */
interface Recorded extends DerSpan {
  children: DerSpan[];
}

/** What is known of one decoded object (a structure, a list, a Date, a byte field). */
interface Entry {
  readonly input: Uint8Array;
  /** The innermost element that decoded to the object: its children are the object's fields or items. */
  readonly element: DerSpan;
  /** The outermost: a field's `[n]` tag, a message's APPLICATION tag. */
  outer: DerSpan;
  /** The same object came out of two unrelated elements (a shared constant): its spans say nothing. */
  shared: boolean;
  fields?: ReadonlyMap<string, DerSpan>;
}

type Note = (v: unknown, span: DerSpan, input: Uint8Array) => void;

/** `req-body` → `reqBody`: the property name the codecs give an ASN.1 field (DESIGN: spec names in TypeScript case). */
function propertyName(field: string): string {
  return field.replace(/-([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
}

/** A DerReader that records the span of each element it takes and notes which object each constructed one made. */
class SpanReader extends DerReader {
  /** The elements taken by this reader, in order (shared with the readers of a SEQUENCE OF's elements). */
  kids: Recorded[] = [];

  constructor(
    buf: Uint8Array,
    start: number,
    end: number,
    path: string,
    views: boolean,
    private readonly note: Note,
  ) {
    super(buf, start, end, path, views);
  }

  protected override below(start: number, end: number, step: string | number): DerReader {
    const r = this.linked(new SpanReader(this.buf, start, end, '', this.views, this.note), step);
    // Each element of a SEQUENCE OF has a reader of its own; what they take are the SEQUENCE's children.
    if (typeof step === 'number') r.kids = this.kids;
    return r;
  }

  protected override take(tag: number, what: string, name = '', fieldNo = -1): number {
    const at = this.offset;
    const start = super.take(tag, what, name, fieldNo);
    const end = this.offset;
    this.kids.push({
      offset: at,
      length: end - at,
      valueOffset: start,
      valueLength: end - start,
      name,
      children: [],
    });
    return start;
  }

  override enter<T>(tag: number, what: string, read: (inner: DerReader) => T, name = '', fieldNo = -1): T {
    const i = this.kids.length;
    let inner: SpanReader | undefined;
    const v = super.enter(
      tag,
      what,
      (r) => {
        inner = r as SpanReader;
        return read(r);
      },
      name,
      fieldNo,
    );
    const span = this.kids[i]!;
    span.children = inner!.kids;
    this.note(v, span, this.buf);
    return v;
  }
}

function encloses(outer: DerSpan, inner: DerSpan): boolean {
  return outer.offset <= inner.offset && outer.offset + outer.length >= inner.offset + inner.length;
}

/**
 * The spans of the values decoded with it (`decodeX(bytes, { spans })`), looked up by the decoded objects
 * themselves: a structure, a SEQUENCE OF, a Date or byte field read from a field. Offsets are into the bytes that
 * decode was given. Values are held weakly; one table may serve several decodes of several inputs.
 */
export class DerSpans {
  readonly #entries = new WeakMap<object, Entry>();

  /** The reader `decodeTop` runs over `bytes` when these spans are asked for. */
  reader(bytes: Uint8Array, path: string, views: boolean): DerReader {
    return new SpanReader(bytes, 0, bytes.length, path, views, (v, span, input) =>
      this.#note(v, span, input),
    );
  }

  #note(v: unknown, span: DerSpan, input: Uint8Array): void {
    if (typeof v !== 'object' || v === null) return;
    const e = this.#entries.get(v);
    if (e === undefined) this.#entries.set(v, { input, element: span, outer: span, shared: false });
    // A wrapper around the element that made `v` (its field tag, its APPLICATION tag) widens it; anything else
    // returning the same object means the object is shared and its spans cannot be told apart.
    else if (e.input === input && encloses(span, e.outer)) e.outer = span;
    else e.shared = true;
  }

  #entry(v: object): Entry | undefined {
    const e = this.#entries.get(v);
    return e === undefined || e.shared ? undefined : e;
  }

  /** The input `v` was decoded from, and the outermost element it was read from (a field's whole `[n]` element). */
  of(v: object): { readonly input: Uint8Array; readonly span: DerSpan } | undefined {
    const e = this.#entry(v);
    return e === undefined ? undefined : { input: e.input, span: e.outer };
  }

  /** The element of field `key` of the structure `v`, by its property name (`reqBody` for `req-body`). */
  field(v: object, key: string): DerSpan | undefined {
    const e = this.#entry(v);
    if (e === undefined) return undefined;
    e.fields ??= new Map(
      e.element.children.filter((c) => c.name !== '').map((c) => [propertyName(c.name), c]),
    );
    return e.fields.get(key);
  }

  /** The element of item `i` of the SEQUENCE OF `v`. */
  item(v: readonly unknown[], i: number): DerSpan | undefined {
    return this.#entry(v)?.element.children[i];
  }
}

/** The element inside an EXPLICIT field's tag (its one child), or `span` itself (a primitive, an IMPLICIT field). */
export function unwrapped(span: DerSpan): DerSpan {
  const [only] = span.children;
  return span.children.length === 1 && only!.offset === span.valueOffset && only!.length === span.valueLength
    ? only!
    : span;
}
