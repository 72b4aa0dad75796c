/**
 * The recorded exchange `tskrb demo` replays: lab keys and the request/reply bytes of each step, as JSON.
 * The package ships one recording (s4u-recording.json, made from the Samba lab); `--recording` reads another.
 */
import { FormatError } from '../../errors.js';
import shipped from './s4u-recording.json' with { type: 'json' };

/** A lab key of the recording. Lab keys are not secrets: they exist only in the throwaway lab realm. */
export interface DemoKey {
  readonly etype: number;
  readonly hex: string;
  /** Whose key it is, in words (`long-term key of svc-front`, `TGT session key`). */
  readonly note: string;
  /** The principal it belongs to, when it is a long-term key (`krbtgt/R@R` keys check PAC KDC signatures). */
  readonly principal?: string;
}

/** One request/reply pair. */
export interface DemoExchange {
  /** The exchange kind: `AS`, `TGS`, `S4U2Self`, `S4U2Proxy`. */
  readonly step: string;
  readonly title: string;
  /** DER of the request, hex. */
  readonly request: string;
  /** DER of the reply (KDC-REP or KRB-ERROR), hex. */
  readonly reply: string;
  /** Name of the key the reply's enc-part is encrypted in. */
  readonly replyKey: string;
  /** Key usage of the reply's enc-part (3 AS, 8 TGS session key, 9 TGS subkey). */
  readonly replyUsage: number;
  /** Name of the key the reply's ticket is encrypted in (the target service's long-term key). */
  readonly ticketKey?: string;
  /** What the recorder wants the reader to notice. */
  readonly notes: readonly string[];
}

/** A recording: where it was made, its keys by name, and its exchanges in order. */
export interface DemoRecording {
  readonly realm: string;
  readonly kdc: string;
  readonly recordedAt: string;
  readonly keys: Readonly<Record<string, DemoKey>>;
  readonly exchanges: readonly DemoExchange[];
}

type Obj = Record<string, unknown>;

function fail(where: string, what: string): never {
  throw new FormatError(`demo recording: ${where} ${what}`);
}

function str(o: Obj, field: string, where: string): string {
  const v = o[field];
  if (typeof v !== 'string') fail(where, `needs a string '${field}'`);
  return v;
}

function hex(o: Obj, field: string, where: string): string {
  const v = str(o, field, where);
  if (!/^([0-9a-fA-F]{2})+$/.test(v)) fail(where, `'${field}' is not hex`);
  return v;
}

function int(o: Obj, field: string, where: string): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(where, `needs an integer '${field}'`);
  return v;
}

function obj(v: unknown, where: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'is not an object');
  return v as Obj;
}

function key(v: unknown, where: string): DemoKey {
  const o = obj(v, where);
  const k = { etype: int(o, 'etype', where), hex: hex(o, 'hex', where), note: str(o, 'note', where) };
  return typeof o['principal'] === 'string' ? { ...k, principal: o['principal'] } : k;
}

function exchange(v: unknown, where: string, keys: Readonly<Record<string, DemoKey>>): DemoExchange {
  const o = obj(v, where);
  const named = (field: string): string => {
    const name = str(o, field, where);
    if (!Object.hasOwn(keys, name)) fail(where, `names key '${name}', which the recording does not hold`);
    return name;
  };
  const rawNotes = o['notes'];
  const notes =
    typeof rawNotes === 'string' ? [rawNotes] : Array.isArray(rawNotes) ? rawNotes.map(String) : [];
  const ex = {
    step: str(o, 'step', where),
    title: str(o, 'title', where),
    request: hex(o, 'request', where),
    reply: hex(o, 'reply', where),
    replyKey: named('replyKey'),
    replyUsage: int(o, 'replyUsage', where),
    notes,
  };
  return o['ticketKey'] === undefined ? ex : { ...ex, ticketKey: named('ticketKey') };
}

/** Checks a parsed JSON recording; FormatError naming the first problem. */
export function parseRecording(v: unknown): DemoRecording {
  const o = obj(v, 'the recording');
  const keysObj = obj(o['keys'], 'keys');
  const keys: Record<string, DemoKey> = {};
  for (const [name, k] of Object.entries(keysObj)) keys[name] = key(k, `key '${name}'`);
  const list = o['exchanges'];
  if (!Array.isArray(list) || list.length === 0) fail('the recording', 'has no exchanges');
  return {
    realm: str(o, 'realm', 'the recording'),
    kdc: str(o, 'kdc', 'the recording'),
    recordedAt: str(o, 'recordedAt', 'the recording'),
    keys,
    exchanges: list.map((e, i) => exchange(e, `exchange ${i + 1}`, keys)),
  };
}

/** The recording shipped in the package, or undefined when this build carries none. */
export function shippedRecording(): DemoRecording | undefined {
  return shipped === null ? undefined : parseRecording(shipped);
}
