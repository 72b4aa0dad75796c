/**
 * MIT's host canonicalization for host-based SPNs (krb5 `sn2princ.c`, `k5_expand_hostname`), driven by krb5.conf's
 * `dns_canonicalize_hostname` and `rdns`: the host a client puts in `HTTP/<host>`.
 */
import { lookup, lookupService, resolveCname } from 'node:dns/promises';
import { KdcError } from '../messages/kdc-error.js';
import type { Krb5Settings } from '../transport/index.js';

/** The name lookups canonicalization makes (node:dns by default; tests give their own). */
export interface HostResolver {
  /** The canonical name of `host` (its CNAME chain followed), or undefined when the lookup fails. */
  canonicalName(host: string): Promise<string | undefined>;
  /** The name of `host`'s address by reverse lookup, or undefined when it has none. */
  reverseName(host: string): Promise<string | undefined>;
}

/** Most CNAMEs followed, as resolvers bound a chain. */
const MAX_CNAMES = 8;

/**
 * HostResolver on node:dns. A failed lookup keeps the name as MIT does, so errors become `undefined`. Node has no
 * AI_CANONNAME: the canonical name is the end of the host's DNS CNAME chain (a name only in /etc/hosts is its own).
 */
export const nodeHostResolver: HostResolver = {
  async canonicalName(host) {
    let name = host;
    for (let i = 0; i < MAX_CNAMES; i++) {
      const next = (await resolveCname(name).catch(() => []))[0];
      if (next === undefined) break;
      name = next;
    }
    return (await lookup(name).then(
      () => true,
      () => false,
    ))
      ? name
      : undefined;
  },
  async reverseName(host) {
    const found = await lookup(host).catch(() => undefined);
    if (found === undefined) return undefined;
    const { hostname } = await lookupService(found.address, 0).catch(() => ({ hostname: found.address }));
    // getnameinfo without NI_NAMEREQD answers the address itself when there is no name; MIT asks for a name.
    return hostname === found.address ? undefined : hostname;
  },
};

/**
 * `host` canonicalized as MIT's `k5_expand_hostname` with DNS: lower case, then the canonical name, then with `rdns`
 * the reverse lookup's name; no trailing dot. A lookup that finds nothing keeps the name it had.
 */
export async function canonicalHost(
  host: string,
  o: Pick<Krb5Settings, 'rdns'>,
  resolver: HostResolver = nodeHostResolver,
): Promise<string> {
  const normal = (n: string) => n.toLowerCase().replace(/\.$/, '');
  let name = normal(host);
  name = normal((await resolver.canonicalName(name)) ?? name);
  if (o.rdns) name = normal((await resolver.reverseName(name)) ?? name);
  return name;
}

/**
 * The host of the SPN `tskrb http` asks for first, per `dns_canonicalize_hostname`: canonicalized (`true`), or as
 * written (`false`, and `fallback`, which canonicalizes only after the KDC does not know that name).
 */
export function firstSpnHost(
  host: string,
  settings: Pick<Krb5Settings, 'dnsCanonicalizeHostname' | 'rdns'>,
  resolver: HostResolver = nodeHostResolver,
): Promise<string> {
  if (settings.dnsCanonicalizeHostname === 'true') return canonicalHost(host, settings, resolver);
  return Promise.resolve(host.toLowerCase());
}

/**
 * `get(spn)`; under `fallback`, when the KDC does not know that name (KDC_ERR_S_PRINCIPAL_UNKNOWN), `get` once more
 * with the host canonicalized, as MIT 1.18+ retries. `spn` is `service/host`.
 */
export async function withHostFallback<T>(
  spn: string,
  settings: Pick<Krb5Settings, 'dnsCanonicalizeHostname' | 'rdns'>,
  get: (spn: string) => Promise<T>,
  resolver: HostResolver = nodeHostResolver,
): Promise<T> {
  try {
    return await get(spn);
  } catch (e) {
    const slash = spn.indexOf('/');
    if (
      settings.dnsCanonicalizeHostname !== 'fallback' ||
      slash < 0 ||
      !(e instanceof KdcError && e.code === 'KDC_ERR_S_PRINCIPAL_UNKNOWN')
    )
      throw e;
    const canonical = `${spn.slice(0, slash + 1)}${await canonicalHost(spn.slice(slash + 1), settings, resolver)}`;
    if (canonical === spn) throw e;
    return get(canonical);
  }
}
