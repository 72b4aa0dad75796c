/**
 * The web explorer: tskrb/explain and tskrb/pcap in a static page. Paste or drop a message (hex, base64, a
 * `Negotiate …` line), a ccache, keytab, kirbi or capture; add keys; read the explain tree beside the bytes (each
 * DER element and its bytes select each other); a capture's exchanges as a sequence diagram. Nothing leaves the
 * page: the page's Content-Security-Policy forbids every connection, and nothing here asks for one.
 */

import { parseKeytab } from '../src/creds/index.js';
import {
  addKeytab,
  addPassword,
  decodeInputText,
  detectInput,
  type Exchange,
  type ExplainNode,
  type ExplainOptions,
  explainAs,
  type KerberosRecord,
  Keyring,
  kerberosExchanges,
  parseKeySpec,
  stepOf,
} from '../src/explain/index.js';
import { readCapture } from '../src/pcap/index.js';
import { fromHex, toHex } from '../src/util/bytes.js';
import { DEMO_RECORDING } from './demo-recording.js';
import { type DerElement, derTree, innermostAt } from './der.js';
import { deepestAt, explainSpans, type Span } from './spans.js';

/** What the page shows: one part (tree + bytes), or a capture's exchanges and the part selected. */
interface Shown {
  parts: {
    title: string;
    tree: ExplainNode;
    bytes: Uint8Array;
    der: DerElement[];
    spans: Map<ExplainNode, Span>;
  }[];
  exchanges?: { label: string; from: string; to: string; part: number; reply: boolean }[];
  actors?: string[];
}

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

function optsOf(ring: Keyring): ExplainOptions {
  return {
    open: (ed, usages, kind, owner) => ring.open(ed, usages, kind, owner),
    kdcKeys: () => ring.kdcKeys(),
  };
}

function part(title: string, tree: ExplainNode, bytes: Uint8Array): Shown['parts'][number] {
  const der = derTree(bytes);
  return { title, tree, bytes, der, spans: explainSpans(tree, bytes, der) };
}

/** Explains input bytes: a capture by its magic, anything else as `tskrb describe` does. */
export function explainBytes(raw: Uint8Array): Shown {
  const ring = keyring();
  const opts = optsOf(ring);
  const magic = toHex(raw.subarray(0, 4));
  if (['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d', '0a0d0d0a'].includes(magic))
    return captureShown(raw, ring);
  const d = detectInput(raw);
  const bytes = d.encoding === 'binary' ? raw : decodeInputText(raw).bytes;
  return { parts: [part(d.name, explainAs(d.name, d.value, opts), bytes)] };
}

function recordTree(r: KerberosRecord, opts: ExplainOptions): ExplainNode {
  if (r.gss !== undefined) return explainAs(r.gss.name, r.gss.value, opts);
  if (r.message !== undefined) return explainAs(r.message.type, r.message.value, opts);
  return { label: 'undecodable', value: `${r.bytes.length} bytes`, note: r.error ?? '' };
}

function actorOf(x: Exchange): string {
  const port = x.server.port;
  const role = x.carrier === 'http-negotiate' ? 'HTTP' : x.carrier === 'ldap-sasl' ? 'LDAP' : 'KDC';
  return `${role} ${x.server.addr}:${port}`;
}

function captureShown(raw: Uint8Array, ring: Keyring): Shown {
  const report = kerberosExchanges(readCapture(raw), new Set([88]), { scan: true });
  const opts = optsOf(ring);
  const s: Shown = { parts: [], exchanges: [], actors: [] };
  const actors = new Set<string>();
  report.exchanges.forEach((x, i) => {
    const client = `client ${x.client.addr}`;
    const server = actorOf(x);
    actors.add(client);
    actors.add(server);
    const step = stepOf(x) ?? x.request?.message?.type ?? x.reply?.message?.type ?? 'GSS-API';
    for (const [r, reply] of [
      [x.request, false],
      [x.reply, true],
    ] as const) {
      if (r === undefined) continue;
      s.parts.push(part(`#${i + 1} ${step} ${reply ? 'reply' : 'request'}`, recordTree(r, opts), r.bytes));
      s.exchanges!.push({
        label: `#${i + 1} ${step}${reply ? ' reply' : ''}`,
        from: reply ? server : client,
        to: reply ? client : server,
        part: s.parts.length - 1,
        reply,
      });
    }
  });
  s.actors = [...actors];
  return s;
}

/** The shipped demo recording (the Samba lab's S4U flow) with its keys. */
export function loadDemo(): Shown {
  demoKeys = Object.values(DEMO_RECORDING.keys);
  const ring = keyring();
  const opts = optsOf(ring);
  const s: Shown = { parts: [], exchanges: [], actors: ['client', `KDC ${DEMO_RECORDING.kdc}`] };
  DEMO_RECORDING.exchanges.forEach((x, i) => {
    for (const [hex, reply] of [
      [x.request, false],
      [x.reply, true],
    ] as const) {
      const d = detectInput(new TextEncoder().encode(hex));
      const bytes = fromHex(hex);
      s.parts.push(
        part(`#${i + 1} ${x.step} ${reply ? 'reply' : 'request'}`, explainAs(d.name, d.value, opts), bytes),
      );
      s.exchanges!.push({
        label: `#${i + 1} ${x.step}${reply ? ' reply' : ''}`,
        from: reply ? s.actors![1]! : 'client',
        to: reply ? 'client' : s.actors![1]!,
        part: s.parts.length - 1,
        reply,
      });
    }
  });
  return s;
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

/**
 * Selects the explain node drawn `k`-th: highlights its bytes, or says that it has none of its own here; a node of a
 * decrypted part points at the ciphertext it was decrypted from.
 */
export function selectNode(k: number): Span | undefined {
  const n = drawn[k];
  const span = n === undefined ? undefined : shown.parts[currentPart]?.spans.get(n);
  highlight(span?.start ?? 0, span?.end ?? 0);
  markNode(n);
  $('selection').textContent =
    span === undefined
      ? 'no bytes of its own in this part'
      : `bytes ${span.start}–${span.end - 1}${span.inCipher ? ': inside the ciphertext this part was decrypted out of' : ''}`;
  return span;
}

/** Highlights bytes [start, end) and the DER element row that spans exactly them. */
export function select(start: number, end: number): { start: number; end: number } {
  const p = shown.parts[currentPart];
  markNode(p === undefined ? undefined : deepestAt(p.spans, start, end));
  $('selection').textContent = '';
  return highlight(start, end);
}

function highlight(start: number, end: number): { start: number; end: number } {
  for (const b of document.querySelectorAll<HTMLElement>('#bytes span')) {
    const i = Number(b.dataset['i']);
    b.classList.toggle('hl', i >= start && i < end);
  }
  for (const r of document.querySelectorAll<HTMLElement>('#der .der'))
    r.classList.toggle('hl', Number(r.dataset['start']) === start && Number(r.dataset['end']) === end);
  return { start, end };
}

/** Clicking byte `i` selects the innermost DER element holding it. */
export function selectByte(i: number): { start: number; end: number } | undefined {
  const p = shown.parts[currentPart];
  const e = p === undefined ? undefined : innermostAt(p.der, i);
  return e === undefined ? undefined : select(e.start, e.end);
}

let currentPart = 0;

export function showPart(i: number): void {
  currentPart = i;
  const p = shown.parts[i];
  const tree = $('tree');
  const bytes = $('bytes');
  const der = $('der');
  tree.replaceChildren();
  drawn = [];
  $('selection').textContent = '';
  bytes.replaceChildren();
  der.replaceChildren();
  if (p === undefined) return;
  $('part-title').textContent = p.title;
  const ul = el('ul');
  ul.append(treeElement(p.tree));
  tree.append(ul);
  p.bytes.forEach((b, k) => {
    const s = el('span', { 'data-i': String(k) }, b.toString(16).padStart(2, '0'));
    s.addEventListener('click', () => selectByte(k));
    bytes.append(s, k % 16 === 15 ? el('br') : ' ');
  });
  for (const e of p.der) derElementRow(e, 0, der);
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
  select,
  selectNode,
  selectByte,
  shown: () => shown,
};
wire();
if (location.hash === '#demo') show(loadDemo());
