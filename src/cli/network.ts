/**
 * What every command that talks to a KDC shares: the KDC and realm options, krb5.conf discovery, enctype lists,
 * the trace (an annotated tree, or JSON lines) and the KdcClient built from them.
 */
import { KdcClient } from '../client/index.js';
import type { TraceEvent } from '../client/trace.js';
import { isSupportedEnctype } from '../crypto/index.js';
import { parseEnctype } from '../explain/keyring.js';
import { type Krb5Settings, loadKrb5Conf, transportFromKrb5Conf } from '../transport/index.js';
import type { OptionSpec, ParsedArgs } from './args.js';
import type { CliIo } from './command.js';
import { UsageError } from './errors.js';
import { toJson, traceWriter } from './render.js';

/** Options of every network command. */
export const NETWORK_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'kdc',
    value: '[REALM=]HOST:PORT',
    repeat: true,
    help: 'a KDC of the realm, or of REALM (else krb5.conf from KRB5_CONFIG or /etc/krb5.conf)',
  },
  {
    name: 'realm',
    value: 'REALM',
    help: 'the realm (default: the principal’s, else default_realm of krb5.conf)',
  },
  { name: 'timeout', value: 'SECONDS', help: 'give up on the KDCs after this long (default 30)' },
  { name: 'trace', help: 'show every exchange as an annotated tree (with --json: JSON lines)' },
  { name: 'json', help: 'print JSON lines instead of text' },
  { name: 'show-keys', help: 'show key bytes in the trace instead of redacting them' },
];

/** A client ready for a command, and the end of its trace. */
export interface NetContext {
  readonly client: KdcClient;
  /** Writes the trace of exchanges still open (a failed one); call it whether the command succeeded or not. */
  flush(): void;
}

/** The krb5.conf settings of the environment (KRB5_CONFIG, else /etc/krb5.conf; missing files skipped). */
export function settingsOf(io: CliIo): Krb5Settings {
  return loadKrb5Conf(io.env as NodeJS.ProcessEnv);
}

/** The realm to use when a name carries none: --realm, else krb5.conf's default_realm. */
export function defaultRealmOf(args: ParsedArgs, settings: Krb5Settings): string | undefined {
  return args.get('realm') ?? settings.defaultRealm;
}

/** Parses `aes256-cts,aes128-cts` or `18,17` (commas or spaces); unknown and unsupported names are usage errors. */
export function parseEnctypeList(text: string, what = '-e'): number[] {
  const names = text.split(/[\s,]+/).filter((s) => s.length > 0);
  if (names.length === 0) throw new UsageError(`${what}: no enctype given`);
  return names.map((n) => {
    const e = parseEnctype(n);
    if (e === undefined || !isSupportedEnctype(e))
      throw new UsageError(`${what}: unknown or unsupported enctype '${n}'`, {
        hint: 'use aes256-cts, aes128-cts, aes256-sha2, aes128-sha2, rc4-hmac or their numbers 18, 17, 20, 19, 23',
      });
    return e;
  });
}

/** Enctypes to offer: -e, else krb5.conf default_tkt_enctypes (names tskrb knows), else the library default. */
export function enctypesOf(args: ParsedArgs, settings: Krb5Settings): number[] | undefined {
  const given = args.get('enctypes');
  if (given !== undefined) return parseEnctypeList(given);
  const conf = (settings.defaultTktEnctypes ?? [])
    .map((n) => parseEnctype(n))
    .filter((e): e is number => e !== undefined && isSupportedEnctype(e));
  return conf.length > 0 ? conf : undefined;
}

function timeoutMsOf(args: ParsedArgs): number | undefined {
  const t = args.get('timeout');
  if (t === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(t) || Number(t) <= 0)
    throw new UsageError(`--timeout '${t}' is not a positive number of seconds`);
  return Number(t) * 1000;
}

/** KDCs from --kdc: `host:port` for `realm`, `REALM=host:port` for another realm (cross-realm referrals). */
export function kdcsOf(args: ParsedArgs, realm: string): Record<string, string[]> {
  // A Map, not an object: a realm named __proto__ must stay a key.
  const out = new Map<string, string[]>();
  for (const v of args.all('kdc')) {
    const eq = v.indexOf('=');
    const r = eq < 0 ? realm : v.slice(0, eq);
    if (r.length === 0) throw new UsageError(`--kdc '${v}': empty realm before '='`);
    const list = out.get(r) ?? [];
    list.push(eq < 0 ? v : v.slice(eq + 1));
    out.set(r, list);
  }
  return Object.fromEntries(out);
}

/** The trace sink of --trace: trees written as each exchange ends, or JSON lines with --json. */
function traceSinkOf(
  args: ParsedArgs,
  io: CliIo,
): { sink: ((ev: TraceEvent) => void) | undefined; flush: () => void } {
  if (!args.has('trace')) return { sink: undefined, flush: () => undefined };
  const showKeys = args.has('show-keys');
  if (args.has('json'))
    return { sink: (ev) => io.stdout(`${toJson({ trace: ev }, { showKeys })}\n`), flush: () => undefined };
  return traceWriter(io.stdout, { color: io.color, showKeys });
}

/** A KdcClient for `realm`: KDCs from --kdc (for that realm) ahead of krb5.conf's, the trace, timeouts. */
export function clientFor(
  args: ParsedArgs,
  io: CliIo,
  settings: Krb5Settings,
  realm: string,
  extra: { etypes?: readonly number[] | undefined; lifetimeSec?: number | undefined } = {},
): NetContext {
  const kdcs = kdcsOf(args, realm);
  const timeoutMs = timeoutMsOf(args);
  const transport = transportFromKrb5Conf(settings, {
    ...(Object.keys(kdcs).length > 0 ? { kdcs } : {}),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  const { sink, flush } = traceSinkOf(args, io);
  // Warnings (a non-forwardable S4U2Self ticket, a skipped reply check) reach stderr with or without --trace.
  const trace = (ev: TraceEvent): void => {
    if (ev.phase === 'warning') io.stderr(`tskrb: warning: ${ev.summary}\n`);
    sink?.(ev);
  };
  const client = new KdcClient({
    realm,
    transport,
    trace,
    clock: io.clock,
    ...(args.has('show-keys') ? { redact: false } : {}),
    ...(extra.etypes ? { etypes: extra.etypes } : {}),
    ...(extra.lifetimeSec ? { lifetimeSec: extra.lifetimeSec } : {}),
  });
  return { client, flush };
}

/** Runs `body` with the client, flushing the trace afterwards even when the body throws. */
export async function withClient<T>(ctx: NetContext, body: (client: KdcClient) => Promise<T>): Promise<T> {
  try {
    return await body(ctx.client);
  } finally {
    ctx.flush();
  }
}
