/**
 * Output: explain trees as indented box-drawing trees (ANSI colour only when asked), trace events grouped by
 * exchange (request → KDC → reply → decrypt → checks → result, each with its explain subtree), and JSON lines
 * (Uint8Array as hex, Date as ISO, keys redacted unless shown).
 */
import type { TraceEvent, TracePhase } from '../client/trace.js';
import { Key } from '../crypto/index.js';
import { type ExplainNode, type ExplainOptions, explain } from '../explain/explain.js';
import { specName } from '../explain/names.js';
import { toHex } from '../util/bytes.js';

/** How to render. */
export interface RenderOptions {
  /** ANSI colour (use only on a TTY). */
  color?: boolean;
}

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', cyan: '\x1b[36m' } as const;

// Control characters would break the tree's lines or inject terminal escapes.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function clean(s: string): string {
  return s.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function line(n: ExplainNode, color: boolean): string {
  const paint = (code: string, s: string): string => (color ? `${code}${s}${ANSI.reset}` : s);
  let out = paint(ANSI.cyan, clean(n.label));
  if (n.value !== undefined) out += `: ${paint(ANSI.bold, clean(n.value))}`;
  if (n.note !== undefined) out += paint(ANSI.dim, `  — ${clean(n.note)}`);
  return out;
}

function walk(
  n: ExplainNode,
  prefix: string,
  last: boolean,
  root: boolean,
  color: boolean,
  out: string[],
): void {
  out.push(root ? line(n, color) : `${prefix}${last ? '└─ ' : '├─ '}${line(n, color)}`);
  const kids = n.children ?? [];
  const childPrefix = root ? '' : `${prefix}${last ? '   ' : '│  '}`;
  kids.forEach((k, i) => {
    walk(k, childPrefix, i === kids.length - 1, false, color, out);
  });
}

/** The tree as text lines joined by `\n`, with a trailing newline. */
export function renderTree(n: ExplainNode, opts: RenderOptions = {}): string {
  const out: string[] = [];
  walk(n, '', true, true, opts.color === true, out);
  return `${out.join('\n')}\n`;
}

/** What each trace phase is called in the tree. */
const PHASE_LABELS: Readonly<Record<TracePhase, string>> = {
  request: 'request',
  send: 'sent',
  receive: 'reply from KDC',
  error: 'KDC error',
  decrypt: 'decrypt',
  validate: 'checks',
  result: 'result',
  note: 'note',
  warning: 'warning',
};

/** The explain tree of one trace event: phase, summary, time, and each detail explained. */
export function explainTraceEvent(ev: TraceEvent, opts: ExplainOptions = {}): ExplainNode {
  const details = Object.entries(ev.details ?? {}).filter(([, v]) => v !== undefined);
  const children = details.map(([k, v]) => explain(v, { ...opts, step: ev.step, label: specName(k) }));
  const n: ExplainNode = { label: PHASE_LABELS[ev.phase], value: ev.summary, note: `+${ev.t} ms` };
  if (children.length > 0) n.children = children;
  return n;
}

/** Groups events by exchange number, in the order each exchange first appears. */
export function groupByExchange(events: readonly TraceEvent[]): TraceEvent[][] {
  const groups = new Map<number, TraceEvent[]>();
  for (const ev of events) {
    const g = groups.get(ev.exchange);
    if (g === undefined) groups.set(ev.exchange, [ev]);
    else g.push(ev);
  }
  return [...groups.values()];
}

/** The explain tree of one exchange: a header naming the step, then its events in order. */
export function explainExchange(events: readonly TraceEvent[], opts: ExplainOptions = {}): ExplainNode {
  const first = events[0];
  const last = events[events.length - 1];
  if (first === undefined || last === undefined) return { label: 'exchange', value: 'no events' };
  const label = first.exchange === 0 ? first.step : `#${first.exchange} ${first.step}`;
  return {
    label,
    value: `${last.t - first.t} ms`,
    note: first.exchange === 0 ? 'outside any exchange' : 'request → KDC → reply → decrypt → checks → result',
    children: events.map((ev) => explainTraceEvent(ev, opts)),
  };
}

/** Renders trace events as one tree per exchange. */
export function renderTrace(
  events: readonly TraceEvent[],
  opts: RenderOptions & ExplainOptions = {},
): string {
  return groupByExchange(events)
    .map((g) => renderTree(explainExchange(g, opts), opts))
    .join('');
}

/**
 * A trace sink that writes each exchange's tree when its result or error arrives, or when a later exchange starts
 * (an exchange the client retried, e.g. after PREAUTH_REQUIRED, ends without either); events outside any exchange
 * (number 0) are written as they come, after what came before them. `flush` writes the rest.
 */
export function traceWriter(
  write: (text: string) => void,
  opts: RenderOptions & ExplainOptions = {},
): { sink: (ev: TraceEvent) => void; flush: () => void } {
  const pending = new Map<number, TraceEvent[]>();
  const emit = (id: number): void => {
    const g = pending.get(id);
    pending.delete(id);
    if (g !== undefined) write(renderTree(explainExchange(g, opts), opts));
  };
  const emitBefore = (id: number): void => {
    for (const k of [...pending.keys()].sort((x, y) => x - y)) if (k < id) emit(k);
  };
  return {
    sink: (ev) => {
      if (ev.exchange === 0) {
        emitBefore(Number.POSITIVE_INFINITY);
        write(renderTree(explainExchange([ev], opts), opts));
        return;
      }
      if (!pending.has(ev.exchange)) emitBefore(ev.exchange);
      const g = pending.get(ev.exchange) ?? [];
      g.push(ev);
      pending.set(ev.exchange, g);
      if (ev.phase === 'result' || ev.phase === 'error') emit(ev.exchange);
    },
    flush: () => {
      emitBefore(Number.POSITIVE_INFINITY);
    },
  };
}

/** JSON text of `value`: Uint8Array as hex, Date as ISO, bigint as a string, keys redacted unless `showKeys`. */
export function toJson(value: unknown, opts: { showKeys?: boolean } = {}): string {
  return JSON.stringify(value, function (this: unknown, k: string, v: unknown): unknown {
    const parent = this as Record<string, unknown>;
    if (v instanceof Key)
      return opts.showKeys
        ? { etype: v.etype, bytes: v.toHex() }
        : `[key etype ${v.etype}, ${v.bytes.length} bytes]`;
    if (v instanceof Uint8Array) {
      const secret = k === 'keyvalue' || (k === 'bytes' && typeof parent['etype'] === 'number');
      return secret && !opts.showKeys ? `[key, ${v.length} bytes]` : toHex(v);
    }
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
}

/** Trace events as JSON lines, one per event. */
export function renderTraceJson(events: readonly TraceEvent[], opts: { showKeys?: boolean } = {}): string {
  return events.map((ev) => `${toJson(ev, opts)}\n`).join('');
}
