/**
 * Ccache configuration entries: credentials whose server is
 * `krb5_ccache_conf_data/KEY[/PRINCIPAL]@X-CACHECONF:` and whose ticket field holds the value.
 * MIT krb5 doc/formats/ccache_file_format.rst, "Credential cache configuration entries".
 */
import type { Ccache, Credential } from './ccache.js';
import { CCACHE_CONF_PREFIX, CCACHE_CONF_REALM } from './constants.js';
import { type CredsPrincipal, formatCredsPrincipal } from './types.js';

// MIT krb5 1.20 writes the configuration server principal with NT-PRINCIPAL.
const NT_PRINCIPAL = 1;
const EPOCH = new Date(0);

/** Whether a credential is a configuration entry rather than a ticket. */
export function isConfigEntry(c: Credential): boolean {
  return c.server.realm === CCACHE_CONF_REALM && c.server.components[0] === CCACHE_CONF_PREFIX;
}

/** A configuration entry for `client` (the cache's default principal) with every other field zeroed. */
export function makeConfigEntry(
  client: CredsPrincipal,
  key: string,
  value: Uint8Array,
  principal?: CredsPrincipal,
): Credential {
  const components = [CCACHE_CONF_PREFIX, key];
  if (principal) components.push(formatCredsPrincipal(principal));
  return {
    client,
    server: { realm: CCACHE_CONF_REALM, nameType: NT_PRINCIPAL, components },
    key: { etype: 0, bytes: new Uint8Array(0) },
    authtime: EPOCH,
    endtime: EPOCH,
    isSkey: false,
    flags: 0,
    addresses: [],
    authdata: [],
    ticket: value,
    secondTicket: new Uint8Array(0),
  };
}

/** The value of configuration key `key` (associated with `principal` when given), or undefined. */
export function getConfigValue(cc: Ccache, key: string, principal?: CredsPrincipal): Uint8Array | undefined {
  const want = principal ? formatCredsPrincipal(principal) : undefined;
  for (const c of cc.credentials) {
    if (!isConfigEntry(c) || c.server.components[1] !== key) continue;
    if (c.server.components[2] === want) return c.ticket;
  }
  return undefined;
}

/** The tickets of a cache, without its configuration entries. */
export function ticketsOf(cc: Ccache): Credential[] {
  return cc.credentials.filter((c) => !isConfigEntry(c));
}
