/**
 * Finding the KDCs of a realm: an explicit list, krb5.conf [realms] kdc entries, or DNS SRV records
 * `_kerberos._udp.REALM` / `_kerberos._tcp.REALM` (RFC 4120 7.2.3.2) when dns_lookup_kdc is on.
 */
import { promises as dns } from 'node:dns';
import { TransportError } from '../errors.js';
import { parseKdcAddress } from './kdc-address.js';
import type { Krb5Settings } from './krb5conf.js';
import type { KdcEndpoint } from './types.js';

/** Returns the KDC endpoints of a realm, in the order to try them (empty when it knows none). */
export type KdcLocator = (realm: string) => Promise<KdcEndpoint[]>;

/** One SRV record, as node:dns returns it. */
export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

/** The part of node:dns a SRV lookup needs (inject a Resolver pointed at a test server, or a stub). */
export interface SrvResolver {
  resolveSrv(name: string): Promise<SrvRecord[]>;
}

/** KDCs from an explicit map of realm to addresses (`host:port`, `tcp/…`, `udp/…`, `[::1]:88`). */
export function staticLocator(kdcs: Readonly<Record<string, readonly string[]>>): KdcLocator {
  const table = new Map<string, KdcEndpoint[]>();
  for (const [realm, list] of Object.entries(kdcs))
    table.set(
      realm,
      list.map((a) => parseKdcAddress(a)),
    );
  return async (realm) => table.get(realm) ?? [];
}

const NO_RECORDS = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

async function srvRecords(resolver: SrvResolver, name: string): Promise<SrvRecord[]> {
  try {
    return await resolver.resolveSrv(name);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NO_RECORDS.has(code)) return [];
    throw new TransportError(
      `DNS SRV lookup of ${name} failed: ${e instanceof Error ? e.message : String(e)}`,
      {
        cause: e,
        hint: 'the name server did not answer; list the KDCs in krb5.conf or pass them explicitly',
      },
    );
  }
}

/** KDCs from DNS SRV records, by priority then weight; a target of "." (service not offered) is skipped. */
export function srvLocator(resolver: SrvResolver = dns): KdcLocator {
  return async (realm) => {
    const [udp, tcp] = await Promise.all([
      srvRecords(resolver, `_kerberos._udp.${realm}`),
      srvRecords(resolver, `_kerberos._tcp.${realm}`),
    ]);
    const tagged = [
      ...udp.map((r) => ({ r, protocol: 'udp' as const })),
      ...tcp.map((r) => ({ r, protocol: 'tcp' as const })),
    ].filter(({ r }) => r.name !== '' && r.name !== '.');
    tagged.sort((a, b) => a.r.priority - b.r.priority || b.r.weight - a.r.weight);
    const out: KdcEndpoint[] = [];
    for (const { r, protocol } of tagged) {
      const host = r.name.replace(/\.$/, '');
      const same = out.find((e) => e.host === host && e.port === r.port);
      // A host offering both protocols becomes one `auto` endpoint: UDP first, TCP when needed.
      if (same) same.protocol = same.protocol === protocol ? protocol : 'auto';
      else out.push({ host, port: r.port, protocol });
    }
    return out;
  };
}

/** KDCs from krb5.conf [realms] REALM kdc entries, or from DNS SRV when there are none and dns_lookup_kdc is on. */
export function krb5ConfLocator(settings: Krb5Settings, resolver?: SrvResolver): KdcLocator {
  const srv = srvLocator(resolver);
  return async (realm) => {
    const listed = settings.realms.get(realm)?.kdcs ?? [];
    if (listed.length > 0) return listed.map((a) => parseKdcAddress(a));
    return settings.dnsLookupKdc ? srv(realm) : [];
  };
}

/** The first locator that knows any KDC for the realm. */
export function chainLocators(...locators: KdcLocator[]): KdcLocator {
  return async (realm) => {
    for (const l of locators) {
      const found = await l(realm);
      if (found.length > 0) return found;
    }
    return [];
  };
}
