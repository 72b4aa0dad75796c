/**
 * What the explorer shows, apart from how: each input explained into parts (a tree, the buffers its spans point
 * into with their DER elements, the nodes that have spans), a capture's exchanges with their actors, the demo.
 */

import { decodeKerberosMessage } from '../src/asn1/index.js';
import {
  ByteSpans,
  decodeInputText,
  detectInput,
  type Exchange,
  type ExplainNode,
  type ExplainOptions,
  explainAs,
  type KerberosRecord,
  type Keyring,
  kerberosExchanges,
  type SpanBuffer,
  sniffGss,
  stepOf,
} from '../src/explain/index.js';
import { readCapture } from '../src/pcap/index.js';
import { fromHex, toHex } from '../src/util/bytes.js';
import { DEMO_RECORDING } from './demo-recording.js';
import { type DerElement, derTree } from './der.js';
import { spannedNodes } from './select.js';

/** One explained part: its tree, the buffers its spans point into (each with its DER elements), its spanned nodes. */
export interface Part {
  title: string;
  tree: ExplainNode;
  buffers: readonly SpanBuffer[];
  der: DerElement[][];
  nodes: ExplainNode[];
}

/** What the page shows: one part (tree + bytes), or a capture's exchanges and the part selected. */
export interface Shown {
  parts: Part[];
  exchanges?: { label: string; from: string; to: string; part: number; reply: boolean }[];
  actors?: string[];
}

function optsOf(ring: Keyring): ExplainOptions {
  return {
    open: (ed, usages, kind, owner, decode) => ring.open(ed, usages, kind, owner, decode),
    kdcKeys: () => ring.kdcKeys(),
  };
}

/**
 * A part: `explained` decodes its input with the spans it is given and explains it; the part shows the buffers the
 * spans point into, or `bytes` when nothing was decoded as DER (a ccache, a keytab).
 */
function part(title: string, bytes: Uint8Array, explained: (spans: ByteSpans) => ExplainNode): Part {
  const spans = new ByteSpans();
  const tree = explained(spans);
  const buffers: readonly SpanBuffer[] =
    spans.buffers.length > 0 ? spans.buffers : [{ label: 'input', bytes }];
  return { title, tree, buffers, der: buffers.map((b) => derTree(b.bytes)), nodes: spannedNodes(tree) };
}

/** The bytes of a text input (hex, base64), or `raw` itself. */
function inputBytes(raw: Uint8Array): Uint8Array {
  try {
    return decodeInputText(raw).bytes;
  } catch {
    // A Negotiate line or several lines: the buffers of the explanation are what the page shows.
    return raw;
  }
}

/** Explains input bytes with the keys of `ring`: a capture by its magic, anything else as `tskrb describe` does. */
export function explainInput(raw: Uint8Array, ring: Keyring): Shown {
  const opts = optsOf(ring);
  const magic = toHex(raw.subarray(0, 4));
  if (['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d', '0a0d0d0a'].includes(magic))
    return captureShown(raw, ring);
  let name = 'input';
  const p = part(name, inputBytes(raw), (spans) => {
    const d = detectInput(raw, { spans: spans.table });
    name = d.name;
    return explainAs(d.name, d.value, { ...opts, spans });
  });
  return { parts: [{ ...p, title: name }] };
}

/** A record's tree, its bytes decoded again with spans (the capture reader keeps none). */
function recordTree(r: KerberosRecord, opts: ExplainOptions, spans: ByteSpans): ExplainNode {
  const o = { ...opts, spans };
  if (r.gss !== undefined) {
    const g = sniffGss(r.bytes, spans.decode) ?? r.gss;
    return explainAs(g.name, g.value, o);
  }
  if (r.message !== undefined) {
    const m = decodeKerberosMessage(r.bytes, spans.decode);
    return explainAs(m.type, m.value, o);
  }
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
      s.parts.push(
        part(`#${i + 1} ${step} ${reply ? 'reply' : 'request'}`, r.bytes, (spans) =>
          recordTree(r, opts, spans),
        ),
      );
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

/** The shipped demo recording (the Samba lab's S4U flow), explained with the keys of `ring` (its keys among them). */
export function demoShown(ring: Keyring): Shown {
  const opts = optsOf(ring);
  const s: Shown = { parts: [], exchanges: [], actors: ['client', `KDC ${DEMO_RECORDING.kdc}`] };
  DEMO_RECORDING.exchanges.forEach((x, i) => {
    for (const [hex, reply] of [
      [x.request, false],
      [x.reply, true],
    ] as const) {
      const bytes = fromHex(hex);
      s.parts.push(
        part(`#${i + 1} ${x.step} ${reply ? 'reply' : 'request'}`, bytes, (spans) => {
          const d = detectInput(bytes, { spans: spans.table });
          return explainAs(d.name, d.value, { ...opts, spans });
        }),
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
