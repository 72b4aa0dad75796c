/**
 * The web explorer: tskrb/explain and tskrb/pcap in a static page. Paste or drop a message (hex, base64, a
 * `Negotiate …` line), a ccache, keytab, kirbi or capture; add keys; read the explain tree beside the bytes: each
 * node carries the span its decoder read it from (in the message, or in a plaintext the explanation decrypted), so a
 * node and its bytes select each other, as do a DER element and its bytes; a capture's exchanges as a sequence
 * diagram. Nothing leaves the page: the page's Content-Security-Policy forbids every connection, and nothing here
 * asks for one.
 */

import { parseKeytab } from '../src/creds/index.js';
import {
  addKeytab,
  addPassword,
  type ExplainNode,
  Keyring,
  type NodeSpan,
  parseKeySpec,
} from '../src/explain/index.js';
import { fromHex } from '../src/util/bytes.js';
import { DEMO_RECORDING } from './demo-recording.js';
import { type DerElement, innermostAt } from './der.js';
import { demoShown, explainInput, type Part, type Shown } from './parts.js';
import { deepestAt } from './select.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
let shown: Shown = { parts: [] };
let keytabFiles: { name: string; bytes: Uint8Array }[] = [];
let demoKeys: { etype: number; hex: string; note: string; principal?: string }[] = [];

/** The key chest from the key fields: etype:hex lines, password with salt, keytab files, the demo's keys. */
function keyring(): Keyring {
  const ring = new Keyring();
  for (const k of demoKeys)
    ring.add(k.etype, fromHex(k.hex), k.note, k.principal === undefined ? {} : { principal: k.principal });
  ($('keys') as HTMLTextAreaElement).value
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .forEach((l, i) => {
      const { etype, bytes } = parseKeySpec(l);
      ring.add(etype, bytes, `key ${i + 1}`);
    });
  for (const f of keytabFiles) addKeytab(ring, parseKeytab(f.bytes), f.name);
  const password = ($('password') as HTMLInputElement).value;
  const salt = ($('salt') as HTMLInputElement).value;
  if (password !== '' && salt !== '') addPassword(ring, password, salt);
  return ring;
}

/** Explains input bytes: a capture by its magic, anything else as `tskrb describe` does. */
export function explainBytes(raw: Uint8Array): Shown {
  return explainInput(raw, keyring());
}

/** The shipped demo recording (the Samba lab's S4U flow) with its keys. */
export function loadDemo(): Shown {
  demoKeys = Object.values(DEMO_RECORDING.keys);
  return demoShown(keyring());
}

// --- rendering -------------------------------------------------------------------------------------------------

function el(tag: string, attrs: Record<string, string> = {}, text?: string): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The tree's nodes in the order they are drawn; a node's line carries its index as `data-n`. */
let drawn: ExplainNode[] = [];

function treeElement(n: ExplainNode): HTMLElement {
  const li = el('li');
  const line = el('span', { class: 'node', 'data-n': String(drawn.length) });
  drawn.push(n);
  line.addEventListener('click', () => selectNode(Number(line.dataset['n'])));
  line.append(el('span', { class: 'label' }, n.label));
  if (n.value !== undefined) line.append(': ', el('span', { class: 'value' }, n.value));
  if (n.note !== undefined) line.append(el('span', { class: 'note' }, `  — ${n.note}`));
  li.append(line);
  if (n.children && n.children.length > 0) {
    const ul = el('ul');
    for (const c of n.children) ul.append(treeElement(c));
    li.append(ul);
  }
  return li;
}

function derElementRow(e: DerElement, depth: number, out: HTMLElement): void {
  const row = el(
    'div',
    {
      class: 'der',
      'data-start': String(e.start),
      'data-end': String(e.end),
      style: `padding-left:${depth}em`,
    },
    `${e.name} (${e.end - e.start} bytes at ${e.start})`,
  );
  row.addEventListener('click', () => select(e.start, e.end));
  out.append(row);
  for (const c of e.children) derElementRow(c, depth + 1, out);
}

/** Marks the tree line of `n` (none when undefined) as selected. */
function markNode(n: ExplainNode | undefined): void {
  const at = n === undefined ? -1 : drawn.indexOf(n);
  for (const l of document.querySelectorAll<HTMLElement>('#tree .node'))
    l.classList.toggle('hl', Number(l.dataset['n']) === at);
}

function spanText(s: NodeSpan, p: Part): string {
  const b = p.buffers[s.buffer];
  const last = (at: number, n: number): number => at + Math.max(n, 1) - 1;
  const where = `bytes ${s.offset}–${last(s.offset, s.length)} of ${b?.label ?? `buffer ${s.buffer}`}`;
  const contents =
    s.valueOffset === s.offset && s.valueLength === s.length
      ? ''
      : `, contents ${s.valueOffset}–${last(s.valueOffset, s.valueLength)}`;
  const from =
    b?.from === undefined
      ? ''
      : `; decrypted from bytes ${b.from.offset}–${last(b.from.offset, b.from.length)} of ${p.buffers[b.from.buffer]?.label}`;
  return `${where}${contents}${from}`;
}

/**
 * Selects the explain node drawn `k`-th: shows the buffer its span is in (the message, or a plaintext the explanation
 * decrypted) and highlights its bytes, the contents apart from tag and length; or says that it has no bytes.
 */
export function selectNode(k: number): NodeSpan | undefined {
  const n = drawn[k];
  const p = shown.parts[currentPart];
  const span = n?.span;
  if (span !== undefined && span.buffer !== currentBuffer) showBuffer(span.buffer);
  highlight(span?.offset ?? 0, (span?.offset ?? 0) + (span?.length ?? 0), span);
  markNode(n);
  $('selection').textContent =
    span === undefined || p === undefined ? 'no bytes of its own in this part' : spanText(span, p);
  return span;
}

/** Highlights bytes [start, end) of the buffer shown and the DER element row that spans exactly them. */
export function select(start: number, end: number): { start: number; end: number } {
  const p = shown.parts[currentPart];
  markNode(p === undefined ? undefined : deepestAt(p.nodes, currentBuffer, start, end));
  $('selection').textContent = '';
  return highlight(start, end);
}

/** Marks bytes [start, end) (and, with `span`, the tag and length octets apart from the contents). */
function highlight(start: number, end: number, span?: NodeSpan): { start: number; end: number } {
  const v0 = span?.valueOffset ?? start;
  const v1 = span === undefined ? end : span.valueOffset + span.valueLength;
  for (const b of document.querySelectorAll<HTMLElement>('#bytes span')) {
    const i = Number(b.dataset['i']);
    b.classList.toggle('hl', i >= start && i < end);
    b.classList.toggle('hdr', i >= start && i < end && (i < v0 || i >= v1));
  }
  for (const r of document.querySelectorAll<HTMLElement>('#der .der'))
    r.classList.toggle('hl', Number(r.dataset['start']) === start && Number(r.dataset['end']) === end);
  return { start, end };
}

/**
 * Clicking byte `i` selects the innermost DER element holding it, or the deepest node holding it when that is
 * smaller (inside bytes that are not DER: a PAC's buffers, a GSS checksum's fields).
 */
export function selectByte(i: number): { start: number; end: number } | undefined {
  const p = shown.parts[currentPart];
  if (p === undefined) return undefined;
  const e = innermostAt(p.der[currentBuffer] ?? [], i);
  const n = deepestAt(p.nodes, currentBuffer, i, i + 1);
  const s = n?.span;
  if (s !== undefined && (e === undefined || s.length < e.end - e.start)) {
    markNode(n);
    $('selection').textContent = spanText(s, p);
    return highlight(s.offset, s.offset + s.length, s);
  }
  return e === undefined ? undefined : select(e.start, e.end);
}

let currentPart = 0;
let currentBuffer = 0;

/** Shows buffer `b` of the current part in the byte and DER panes. */
export function showBuffer(b: number): void {
  const p = shown.parts[currentPart];
  const buffer = p?.buffers[b];
  const bytes = $('bytes');
  const der = $('der');
  bytes.replaceChildren();
  der.replaceChildren();
  currentBuffer = b;
  for (const t of document.querySelectorAll<HTMLElement>('#buffers button'))
    t.classList.toggle('current', Number(t.dataset['b']) === b);
  if (p === undefined || buffer === undefined) return;
  buffer.bytes.forEach((x, k) => {
    const s = el('span', { 'data-i': String(k) }, x.toString(16).padStart(2, '0'));
    s.addEventListener('click', () => selectByte(k));
    bytes.append(s, k % 16 === 15 ? el('br') : ' ');
  });
  for (const e of p.der[b] ?? []) derElementRow(e, 0, der);
}

export function showPart(i: number): void {
  currentPart = i;
  const p = shown.parts[i];
  const tree = $('tree');
  const tabs = $('buffers');
  tree.replaceChildren();
  tabs.replaceChildren();
  drawn = [];
  $('selection').textContent = '';
  if (p === undefined) {
    showBuffer(0);
    return;
  }
  $('part-title').textContent = p.title;
  const ul = el('ul');
  ul.append(treeElement(p.tree));
  tree.append(ul);
  p.buffers.forEach((b, k) => {
    const t = el('button', { type: 'button', 'data-b': String(k) }, `${b.label} (${b.bytes.length} bytes)`);
    t.addEventListener('click', () => showBuffer(k));
    tabs.append(t);
  });
  showBuffer(0);
}

/** The sequence diagram: one lifeline per actor, one clickable arrow per message. */
function diagram(s: Shown): void {
  const host = $('diagram');
  host.replaceChildren();
  if (s.exchanges === undefined || s.actors === undefined) return;
  const ns = 'http://www.w3.org/2000/svg';
  const W = 220;
  const H = 28;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', String(W * s.actors.length + 40));
  svg.setAttribute('height', String(H * (s.exchanges.length + 2)));
  const x = (a: string) => 20 + W * s.actors!.indexOf(a) + W / 2;
  s.actors.forEach((a) => {
    const t = document.createElementNS(ns, 'text');
    t.setAttribute('x', String(x(a)));
    t.setAttribute('y', '16');
    t.setAttribute('text-anchor', 'middle');
    t.textContent = a;
    const l = document.createElementNS(ns, 'line');
    for (const [k, v] of [
      ['x1', x(a)],
      ['x2', x(a)],
      ['y1', 22],
      ['y2', H * (s.exchanges!.length + 2)],
    ] as const)
      l.setAttribute(k, String(v));
    l.setAttribute('class', 'lifeline');
    svg.append(t, l);
  });
  s.exchanges.forEach((m, i) => {
    const g = document.createElementNS(ns, 'g');
    g.setAttribute('class', `arrow${m.reply ? ' reply' : ''}`);
    g.setAttribute('data-part', String(m.part));
    const y = H * (i + 1.5);
    const line = document.createElementNS(ns, 'line');
    for (const [k, v] of [
      ['x1', x(m.from)],
      ['x2', x(m.to)],
      ['y1', y],
      ['y2', y],
    ] as const)
      line.setAttribute(k, String(v));
    const t = document.createElementNS(ns, 'text');
    t.setAttribute('x', String((x(m.from) + x(m.to)) / 2));
    t.setAttribute('y', String(y - 4));
    t.setAttribute('text-anchor', 'middle');
    t.textContent = `${m.label} ${x(m.from) < x(m.to) ? '→' : '←'}`;
    g.append(line, t);
    g.addEventListener('click', () => showPart(m.part));
    svg.append(g);
  });
  host.append(svg);
}

export function show(s: Shown): Shown {
  shown = s;
  diagram(s);
  showPart(0);
  $('error').textContent = '';
  return s;
}

function fail(e: unknown): void {
  $('error').textContent = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

async function fileBytes(f: File): Promise<Uint8Array> {
  return new Uint8Array(await f.arrayBuffer());
}

function wire(): void {
  $('explain').addEventListener('click', () => {
    try {
      show(explainBytes(new TextEncoder().encode(($('input') as HTMLTextAreaElement).value)));
    } catch (e) {
      fail(e);
    }
  });
  $('demo').addEventListener('click', () => {
    try {
      show(loadDemo());
    } catch (e) {
      fail(e);
    }
  });
  $('file').addEventListener('change', async () => {
    const f = ($('file') as HTMLInputElement).files?.[0];
    if (f === undefined) return;
    try {
      show(explainBytes(await fileBytes(f)));
    } catch (e) {
      fail(e);
    }
  });
  $('keytab').addEventListener('change', async () => {
    const files = [...(($('keytab') as HTMLInputElement).files ?? [])];
    keytabFiles = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: await fileBytes(f) })));
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => e.preventDefault());
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    const f = e.dataTransfer?.files[0];
    if (f === undefined) return;
    try {
      show(explainBytes(await fileBytes(f)));
    } catch (err) {
      fail(err);
    }
  });
}

/** What the browser test drives. */
declare global {
  interface Window {
    explorer: {
      explainBytes: typeof explainBytes;
      loadDemo: typeof loadDemo;
      show: typeof show;
      showPart: typeof showPart;
      showBuffer: typeof showBuffer;
      select: typeof select;
      selectNode: typeof selectNode;
      selectByte: typeof selectByte;
      shown: () => Shown;
    };
  }
}
window.explorer = {
  explainBytes,
  loadDemo,
  show,
  showPart,
  showBuffer,
  select,
  selectNode,
  selectByte,
  shown: () => shown,
};
wire();
if (location.hash === '#demo') show(loadDemo());
