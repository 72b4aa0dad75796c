/**
 * Which explain nodes hold which bytes, read from the span each node carries (`ExplainNode.span`, set by the explain
 * engine from where the decoders read each field): a node selects its bytes, a byte its deepest node.
 */
import type { ExplainNode, NodeSpan } from '../src/explain/index.js';

/** Every node of `tree` that carries a span, in tree order. */
export function spannedNodes(tree: ExplainNode, out: ExplainNode[] = []): ExplainNode[] {
  if (tree.span !== undefined) out.push(tree);
  for (const c of tree.children ?? []) spannedNodes(c, out);
  return out;
}

/** Whether `s` holds bytes [start, end) of buffer `buffer`. */
function holds(s: NodeSpan, buffer: number, start: number, end: number): boolean {
  return s.buffer === buffer && start >= s.offset && end <= s.offset + s.length;
}

/** The deepest node holding bytes [start, end) of buffer `buffer`: the smallest span, the first in tree order among equals. */
export function deepestAt(
  nodes: readonly ExplainNode[],
  buffer: number,
  start: number,
  end: number,
): ExplainNode | undefined {
  let best: ExplainNode | undefined;
  let size = Number.POSITIVE_INFINITY;
  for (const n of nodes) {
    const s = n.span!;
    if (holds(s, buffer, start, end) && s.length < size) {
      best = n;
      size = s.length;
    }
  }
  return best;
}
