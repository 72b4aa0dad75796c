/** The names an S4U request carries: the impersonated user, and the server name across realms. MS-SFU 3.1.5. */
import { NameType } from '../asn1/index.js';
import { type Principal, parsePrincipal } from '../messages/principal.js';

/** The user as a Principal: `alice`, `alice@REALM`, or an enterprise name. */
export function userPrincipal(
  user: string | Principal,
  defaultRealm: string,
  enterprise?: boolean,
): Principal {
  if (typeof user !== 'string') return user;
  return parsePrincipal(user, {
    defaultRealm,
    ...(enterprise ? { enterprise: true } : { nameType: NameType.NT_PRINCIPAL }),
  });
}

/**
 * The name of a two-part service asked of a KDC that must refer the request to another realm: host-based
 * (NT-SRV-HST), since MIT refers only host-based names (host mapped by [domain_realm]); other names unchanged.
 */
export function referrableName(p: Principal): Principal {
  if (p.name.nameString.length !== 2) return p;
  return { realm: p.realm, name: { nameType: NameType.NT_SRV_HST, nameString: p.name.nameString } };
}
