/**
 * krb5.conf (MIT profile syntax, krb5.conf(5)): a pure parser into a tree of Maps (no object keys from
 * the file, so no prototype pollution), and the settings the client needs. File reading, KRB5_CONFIG and
 * include directives are in krb5conf-file.ts.
 */
import { FormatError } from '../errors.js';
import { DEFAULT_UDP_PREFERENCE_LIMIT } from './constants.js';

/** A profile node: each tag maps to its values in order; a value is a string or a subsection. */
export type ProfileNode = Map<string, ProfileValue[]>;
/** A relation value. */
export type ProfileValue = string | ProfileNode;

/** Called for `include FILE` and `includedir DIR` lines; returns the texts to parse there, with their names. */
export type IncludeReader = (
  kind: 'include' | 'includedir',
  path: string,
) => { name: string; text: string }[];

/** Options for {@link parseKrb5Conf}. */
export interface ParseKrb5ConfOptions {
  /** Name of the text for error messages. */
  name?: string;
  /** Resolves include directives; without it they are refused. */
  readInclude?: IncludeReader;
  /** Tree to add to (several files parse into one profile, first value wins). */
  into?: ProfileNode;
}

const MAX_DEPTH = 32;
const MAX_INCLUDE_DEPTH = 8;

function unquote(v: string, where: () => string): string {
  if (!v.startsWith('"')) return v;
  let out = '';
  for (let i = 1; i < v.length; i++) {
    const c = v[i]!;
    if (c === '"') return out;
    if (c === '\\') {
      const n = v[++i];
      if (n === undefined) break;
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'b' ? '\b' : n;
    } else out += c;
  }
  throw new FormatError(`${where()}: unterminated quoted value`);
}

function add(node: ProfileNode, tag: string, value: ProfileValue): void {
  const list = node.get(tag);
  if (list) list.push(value);
  else node.set(tag, [value]);
}

/** Parses krb5.conf text into a profile tree: sections at the top level, relations and subsections below. */
export function parseKrb5Conf(text: string, opts: ParseKrb5ConfOptions = {}, includeDepth = 0): ProfileNode {
  const root: ProfileNode = opts.into ?? new Map();
  const name = opts.name ?? 'krb5.conf';
  const lines = text.split('\n');
  let section: ProfileNode | undefined;
  const stack: ProfileNode[] = [];
  let lineNo = 0;
  let lineStart = 0;
  let next = 0;
  const where = () => `${name} line ${lineNo}`;
  const fail = (why: string) => new FormatError(`${where()}: ${why}`, { offset: lineStart });
  for (const rawLine of lines) {
    lineNo++;
    lineStart = next;
    next += rawLine.length + 1;
    const raw = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    // Directives count only at the start of a line, outside braces (as MIT's profile parser has it).
    const directive = /^(include|includedir|module)\s+(.+)$/.exec(raw);
    if (directive && stack.length === 0) {
      const kind = directive[1]!;
      if (kind === 'module') continue;
      if (!opts.readInclude) throw fail(`${kind} is not allowed here`);
      if (includeDepth >= MAX_INCLUDE_DEPTH) throw fail('includes nested too deeply');
      for (const inc of opts.readInclude(kind as 'include' | 'includedir', directive[2]!.trim())) {
        parseKrb5Conf(
          inc.text,
          { name: inc.name, readInclude: opts.readInclude, into: root },
          includeDepth + 1,
        );
      }
      section = undefined;
    } else if (line.startsWith('[')) {
      const m = /^\[([^\]]+)\]\*?$/.exec(line);
      if (!m) throw fail(`malformed section header '${line}'`);
      if (stack.length > 0) throw fail('section header inside an open brace');
      section = new Map();
      add(root, m[1]!.trim(), section);
    } else if (/^}\*?$/.test(line)) {
      if (stack.length === 0) throw fail("'}' without an open '{'");
      stack.pop();
    } else {
      const m = /^([^=\s]+?)\*?\s*=\s*(.*)$/.exec(line);
      if (!m) throw fail(`expected 'tag = value', got '${line}'`);
      const target = stack[stack.length - 1] ?? section;
      if (!target) throw fail('relation outside any [section]');
      const tag = m[1]!;
      const value = m[2]!;
      if (value === '{') {
        if (stack.length >= MAX_DEPTH) throw fail('subsections nested too deeply');
        const sub: ProfileNode = new Map();
        add(target, tag, sub);
        stack.push(sub);
      } else {
        add(target, tag, unquote(value, where));
      }
    }
  }
  if (stack.length > 0)
    throw new FormatError(`${name}: ${stack.length} '{' left open at the end`, { offset: text.length });
  return root;
}

/** Every string value at `path` (a list of tags), across repeated sections and subsections, in order. */
export function profileStrings(root: ProfileNode, path: readonly string[]): string[] {
  let nodes: ProfileNode[] = [root];
  for (const tag of path.slice(0, -1)) {
    nodes = nodes.flatMap((n) => (n.get(tag) ?? []).filter((v): v is ProfileNode => typeof v !== 'string'));
  }
  const last = path[path.length - 1]!;
  return nodes.flatMap((n) => (n.get(last) ?? []).filter((v): v is string => typeof v === 'string'));
}

/** The first string value at `path`, or undefined. */
export function profileString(root: ProfileNode, path: readonly string[]): string | undefined {
  return profileStrings(root, path)[0];
}

const TRUE_WORDS = new Set(['y', 'yes', 'true', 't', '1', 'on']);
const FALSE_WORDS = new Set(['n', 'no', 'false', 'nil', '0', 'off']);

/** A profile boolean (MIT's words), or `fallback` when absent or not a boolean word. */
export function profileBoolean(root: ProfileNode, path: readonly string[], fallback: boolean): boolean {
  const v = profileString(root, path)?.toLowerCase();
  if (v !== undefined && TRUE_WORDS.has(v)) return true;
  if (v !== undefined && FALSE_WORDS.has(v)) return false;
  return fallback;
}

/** One realm's entries from [realms]. */
export interface Krb5Realm {
  /** `kdc` values in order (host, host:port, tcp/…, udp/…, https://…). */
  kdcs: string[];
  adminServers: string[];
}

/** The settings of krb5.conf that tskrb uses, with MIT's defaults filled in. */
export interface Krb5Settings {
  defaultRealm?: string;
  udpPreferenceLimit: number;
  dnsLookupKdc: boolean;
  kdcTimesync: boolean;
  forwardable: boolean;
  /** Enctype names as written (e.g. `aes256-cts-hmac-sha1-96`), or undefined for the library default. */
  defaultTktEnctypes?: string[];
  /**
   * `dns_canonicalize_hostname`: whether the host of a host-based SPN is canonicalized by name lookups first
   * (`true`, MIT's default), kept as written (`false`), or canonicalized only when the KDC does not know the name
   * as written (`fallback`, MIT 1.18+).
   */
  dnsCanonicalizeHostname: HostCanonicalization;
  /** `rdns`: canonicalization also looks the address up in reverse (MIT's default true). */
  rdns: boolean;
  realms: Map<string, Krb5Realm>;
  /** [domain_realm] pairs in file order: `.example.com` (suffix) or `host.example.com` (exact). */
  domainRealm: [string, string][];
  /** The whole tree, for settings not modelled here. */
  profile: ProfileNode;
}

/** MIT's `dns_canonicalize_hostname` values. */
export type HostCanonicalization = 'true' | 'false' | 'fallback';

/** `dns_canonicalize_hostname` as MIT reads it: a boolean word, or `fallback`; else the default `true`. */
function hostCanonicalization(profile: ProfileNode): HostCanonicalization {
  const path = ['libdefaults', 'dns_canonicalize_hostname'];
  if (profileString(profile, path)?.toLowerCase() === 'fallback') return 'fallback';
  return profileBoolean(profile, path, true) ? 'true' : 'false';
}

/** The tskrb settings of a parsed profile. */
export function krb5Settings(profile: ProfileNode): Krb5Settings {
  const lib = (tag: string) => ['libdefaults', tag];
  const limitText = profileString(profile, lib('udp_preference_limit'));
  const limit =
    limitText !== undefined && /^\d+$/.test(limitText) ? Number(limitText) : DEFAULT_UDP_PREFERENCE_LIMIT;
  const realms = new Map<string, Krb5Realm>();
  for (const section of profile.get('realms') ?? []) {
    if (typeof section === 'string') continue;
    for (const [realm, values] of section) {
      const r = realms.get(realm) ?? { kdcs: [], adminServers: [] };
      for (const v of values) {
        if (typeof v === 'string') continue;
        r.kdcs.push(...profileStrings(v, ['kdc']));
        r.adminServers.push(...profileStrings(v, ['admin_server']));
      }
      realms.set(realm, r);
    }
  }
  const domainRealm: [string, string][] = [];
  for (const section of profile.get('domain_realm') ?? []) {
    if (typeof section === 'string') continue;
    for (const [domain, values] of section) {
      for (const v of values) if (typeof v === 'string') domainRealm.push([domain.toLowerCase(), v]);
    }
  }
  const enctypes = profileString(profile, lib('default_tkt_enctypes'));
  const defaultRealm = profileString(profile, lib('default_realm'));
  return {
    ...(defaultRealm ? { defaultRealm } : {}),
    udpPreferenceLimit: limit,
    dnsLookupKdc: profileBoolean(profile, lib('dns_lookup_kdc'), true),
    kdcTimesync: profileBoolean(profile, lib('kdc_timesync'), true),
    forwardable: profileBoolean(profile, lib('forwardable'), false),
    dnsCanonicalizeHostname: hostCanonicalization(profile),
    rdns: profileBoolean(profile, lib('rdns'), true),
    ...(enctypes ? { defaultTktEnctypes: enctypes.split(/[\s,]+/).filter((s) => s.length > 0) } : {}),
    realms,
    domainRealm,
    profile,
  };
}

/**
 * The realm of a host from [domain_realm], MIT's search order: for `a.b.c` try `a.b.c`, `.b.c`, `b.c`,
 * `.c`, `c`; the first mapped name wins. Undefined when unmapped.
 */
export function realmOfHost(settings: Krb5Settings, host: string): string | undefined {
  let cp: string | undefined = host.toLowerCase().replace(/\.$/, '');
  while (cp) {
    const key: string = cp;
    const hit = settings.domainRealm.find(([d]) => d === key);
    if (hit) return hit[1];
    if (key.startsWith('.')) cp = key.slice(1);
    else {
      const dot = key.indexOf('.');
      cp = dot < 0 ? undefined : key.slice(dot);
    }
  }
  return undefined;
}
