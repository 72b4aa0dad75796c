/**
 * Named diagnostics channels: trace and audit events are also published where Node's instrumentation looks for them
 * (`node:diagnostics_channel`, as undici, http and the OpenTelemetry instrumentations use). The module is found
 * through `globalThis.process.getBuiltinModule` (Node 20.16+, 22.3+), so nothing here imports Node and elsewhere
 * publishing is a no-op unless a runtime's module is given to {@link useDiagnosticsChannels}. When no one
 * subscribes, a publisher costs one `hasSubscribers` read and builds no message.
 */

/** The channels tskrb publishes on. */
export const DiagnosticsChannelName = {
  /** Every step of every KDC exchange of a KdcClient (its TraceEvent, always redacted), with `client` and `realm`. */
  exchange: 'tskrb:exchange',
  /** One event per DelegationClient call (its DelegationAuditEvent: names, outcome, KDCs, timing). */
  delegation: 'tskrb:delegation',
} as const;

/** What a channel of `node:diagnostics_channel` offers a publisher. */
export interface DiagnosticsChannel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

/** What tskrb needs of a `node:diagnostics_channel` module. */
export interface DiagnosticsChannelModule {
  channel(name: string): DiagnosticsChannel;
}

let found: DiagnosticsChannelModule | null | undefined;
const channels = new Map<string, DiagnosticsChannel | null>();

/**
 * Publishes on this module's channels (`import * as dc from 'node:diagnostics_channel'`) where the runtime lacks
 * `process.getBuiltinModule`; `null` stops publishing.
 */
export function useDiagnosticsChannels(module: DiagnosticsChannelModule | null): void {
  found = module;
  channels.clear();
}

function moduleOf(): DiagnosticsChannelModule | null {
  if (found === undefined) {
    try {
      // The documented feature probe (scripts/check-core-imports.mjs allows it here): no import of Node.
      const proc = globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined;
      const m = proc?.getBuiltinModule?.('node:diagnostics_channel') as DiagnosticsChannelModule | undefined;
      found = typeof m?.channel === 'function' ? m : null;
    } catch {
      found = null;
    }
  }
  return found;
}

/** The channel `name`, when the runtime has diagnostics channels and someone subscribes to it. */
export function subscribedChannel(name: string): DiagnosticsChannel | undefined {
  let ch = channels.get(name);
  if (ch === undefined) {
    ch = moduleOf()?.channel(name) ?? null;
    channels.set(name, ch);
  }
  return ch?.hasSubscribers ? ch : undefined;
}
