/** Resolving an ArmorSource to the armor TGT of a realm: a given TGT, a ccache entry, a keytab login, anonymous PKINIT. */

import { credentialFromCcache } from '../creds/index.js';
import { KerberosError } from '../errors.js';
import type { Credential } from '../messages/credential.js';
import { formatPrincipal, parsePrincipal, tgsRealmOf } from '../messages/principal.js';
import { anonymousExchange } from './anonymous.js';
import { asExchange } from './as-exchange.js';
import type { ExchangeContext } from './exchange-context.js';
import type { ArmorSource } from './fast-options.js';

function usable(ctx: ExchangeContext, tgt: Credential): Credential {
  if (tgt.endtime.getTime() <= ctx.now().getTime())
    throw new KerberosError(`the armor ticket expired at ${tgt.endtime.toISOString()}`, {
      hint: 'renew the armor TGT (kinit -k host/…) or use a keytab or anonymous armor source',
    });
  return tgt;
}

/**
 * The armor TGT (krbtgt/REALM@REALM) for `realm` from `source`. TGTs got by a keytab login (unarmored, as
 * `kinit -k`) or anonymous PKINIT are kept in `cache` and reused until a minute before they expire.
 */
export async function resolveArmorTicket(
  ctx: ExchangeContext,
  realm: string,
  source: ArmorSource,
  cache: Map<string, Credential>,
): Promise<Credential> {
  if ('ccache' in source) {
    const rec = source.ccache.credentials.find(
      (c) =>
        c.server.components.length === 2 &&
        c.server.components[0] === 'krbtgt' &&
        c.server.components[1] === realm &&
        c.server.realm === realm,
    );
    if (!rec)
      throw new KerberosError(`the armor ccache holds no krbtgt/${realm}@${realm}`, {
        hint: `get one first (kinit -k host/… for realm ${realm}), or use a keytab or anonymous armor`,
      });
    return usable(ctx, credentialFromCcache(rec));
  }
  if ('tgt' in source) {
    if (tgsRealmOf(source.tgt.server.name) !== realm)
      throw new KerberosError(
        `the armor ticket is for ${formatPrincipal(source.tgt.server.name, source.tgt.server.realm)}, not krbtgt/${realm}`,
        { hint: `armor with a TGT of realm ${realm}` },
      );
    return usable(ctx, source.tgt);
  }
  const cacheKey =
    'anonymous' in source
      ? `anonymous@${realm}`
      : `${typeof source.principal === 'string' ? source.principal : formatPrincipal(source.principal.name, source.principal.realm)}@${realm}`;
  const cached = cache.get(cacheKey);
  if (cached && cached.endtime.getTime() - 60_000 > ctx.now().getTime()) return cached;
  let tgt: Credential;
  if ('anonymous' in source) {
    // An unauthenticated KDC would hand a man in the middle the armor key, and with it the encrypted challenge.
    if (source.trustAnchors.length === 0)
      throw new KerberosError('anonymous PKINIT armor needs trustAnchors to authenticate the KDC', {
        hint: "pass the realm's PKINIT CA certificate (MIT pkinit_anchors) as trustAnchors",
      });
    tgt = await anonymousExchange(ctx, realm, { trustAnchors: source.trustAnchors });
  } else {
    const principal =
      typeof source.principal === 'string'
        ? parsePrincipal(source.principal, { defaultRealm: realm })
        : source.principal;
    tgt = (await asExchange(ctx, principal, { principal, keys: source.keys, fast: 'off' })).credential;
  }
  cache.set(cacheKey, tgt);
  return tgt;
}
