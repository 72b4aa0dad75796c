/**
 * The explorer's selection (explorer/select.ts) reads the spans the explain engine attached, never the labels: the
 * label-matching module it replaced (explorer/spans.ts, a table of explain labels to RFC 4120 field tags) is gone,
 * and renaming every label of a tree changes no selection.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deepestAt, spannedNodes } from '../../explorer/select.js';
import { shippedRecording } from '../../src/cli/demo/recording.js';
import { ByteSpans, detectInput, type ExplainNode, explainAs, Keyring } from '../../src/explain/index.js';
import { fromHex } from '../../src/util/bytes.js';

const explorer = new URL('../../explorer/', import.meta.url);

/** The demo's S4U2Self request explained with its keys and spans, as the explorer does. */
function s4u2self(): ExplainNode {
  const rec = shippedRecording()!;
  const ring = new Keyring();
  for (const k of Object.values(rec.keys))
    ring.add(k.etype, fromHex(k.hex), k.note, k.principal === undefined ? {} : { principal: k.principal });
  const bytes = fromHex(rec.exchanges[1]!.request);
  const spans = new ByteSpans();
  const d = detectInput(bytes, { spans: spans.table });
  return explainAs(d.name, d.value, {
    open: (ed, u, kind, owner, decode) => ring.open(ed, u, kind, owner, decode),
    spans,
  });
}

/** A deep copy of `n` with every label replaced. */
function relabelled(n: ExplainNode, i = { n: 0 }): ExplainNode {
  return {
    ...n,
    label: `node ${i.n++}`,
    ...(n.children ? { children: n.children.map((c) => relabelled(c, i)) } : {}),
  };
}

describe('explorer selection', () => {
  it('the label-matching module is gone, and nothing in the explorer maps labels to DER fields', () => {
    expect(existsSync(new URL('spans.ts', explorer))).toBe(false);
    for (const f of readdirSync(explorer).filter((x) => x.endsWith('.ts'))) {
      const text = readFileSync(new URL(f, explorer), 'utf8');
      expect(text, f).not.toMatch(/explainSpans|'req-body': \[|MESSAGE_LABELS/);
    }
    expect(readFileSync(new URL('select.ts', explorer), 'utf8')).not.toMatch(/\.label\b/);
  });

  it('every byte selects the same node whatever the labels', () => {
    const tree = s4u2self();
    const nodes = spannedNodes(tree);
    const renamed = spannedNodes(relabelled(tree));
    expect(renamed).toHaveLength(nodes.length);
    const buffers = Math.max(...nodes.map((n) => n.span!.buffer)) + 1;
    expect(buffers).toBeGreaterThan(1);
    for (let b = 0; b < buffers; b++) {
      const size = Math.max(
        ...nodes.filter((n) => n.span!.buffer === b).map((n) => n.span!.offset + n.span!.length),
      );
      for (let i = 0; i < size; i++) {
        const a = deepestAt(nodes, b, i, i + 1);
        const r = deepestAt(renamed, b, i, i + 1);
        expect(a === undefined ? -1 : nodes.indexOf(a)).toBe(r === undefined ? -1 : renamed.indexOf(r));
      }
    }
  });

  it('a byte selects the smallest node holding it, in its own buffer only', () => {
    const tree = s4u2self();
    const nodes = spannedNodes(tree);
    const realm = tree
      .children!.find((c) => c.label === 'req-body')!
      .children!.find((c) => c.label === 'realm')!;
    const s = realm.span!;
    expect(deepestAt(nodes, s.buffer, s.valueOffset + 2, s.valueOffset + 3)).toBe(realm);
    // The same offset in a plaintext buffer is another node.
    expect(deepestAt(nodes, 1, s.valueOffset + 2, s.valueOffset + 3)).not.toBe(realm);
  });
});
