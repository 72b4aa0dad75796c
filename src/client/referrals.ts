/**
 * The client's one referral loop (RFC 6806 8, RFC 4120 3.3.1): TGS requests and both S4U flows run their hops
 * through it, so `maxReferrals` bounds them all.
 */
import { KerberosError } from '../errors.js';
import type { Credential } from '../messages/credential.js';
import type { ExchangeStep } from '../messages/exchange-step.js';
import { formatPrincipal, krbtgt, type Principal, tgsRealmOf } from '../messages/principal.js';
import type { ExchangeContext } from './exchange-context.js';
import { resolveTgsArmor, tgsExchange } from './tgs-exchange.js';
import type { ExchangeResult, TgsOptions } from './tgs-options.js';

/** What one hop of a flow ended with: the final reply, or a referral (or cross-realm TGT) to follow. */
export type Hop<T> =
  | { readonly kind: 'final'; readonly result: T }
  | { readonly kind: 'referral'; readonly follow: () => Promise<void> | void };

/**
 * Runs `hop` (one exchange) until it returns a final result, following at most `ctx.maxReferrals` referrals: the
 * limit is checked before a referral is followed, so no exchange is made for a referral that will not be asked.
 */
export async function followReferrals<T>(
  ctx: ExchangeContext,
  step: ExchangeStep,
  target: Principal,
  hop: () => Promise<Hop<T>>,
): Promise<T> {
  for (let n = 0; ; n++) {
    const h = await hop();
    if (h.kind === 'final') return h.result;
    if (n >= ctx.maxReferrals)
      throw new KerberosError(
        `${step}: referral loop limit (${ctx.maxReferrals}) reached for ${formatPrincipal(target.name, target.realm)}`,
      );
    await h.follow();
  }
}

/** The realm of the KDC that a TGT is for (krbtgt/REALM), else the ticket's realm. */
export function tgsRealmOfTgt(tgt: Credential): string {
  return tgsRealmOf(tgt.server.name) ?? tgt.server.realm;
}

/**
 * TGS with `tgt` for `server`, following cross-realm referrals. The server's realm decides where the chase ends;
 * when it differs from the TGT's realm the client first asks for krbtgt/SERVER_REALM.
 */
export function tgsFlow(
  ctx: ExchangeContext,
  tgt: Credential,
  server: Principal,
  request: TgsOptions = {},
): Promise<ExchangeResult> {
  const step = request.step ?? 'TGS';
  const follow = request.followReferrals !== false;
  let current = tgt;
  let wanted = server;
  return followReferrals(ctx, step, server, async () => {
    const tgsRealm = tgsRealmOfTgt(current);
    const askingFinal = wanted.realm === tgsRealm || !follow;
    const target = askingFinal ? wanted : krbtgt(wanted.realm, tgsRealm);
    const hopOptions: TgsOptions = askingFinal
      ? request
      : { step, fast: request.fast, options: { forwardable: current.flags.forwardable === true } };
    const armor = await resolveTgsArmor(ctx, tgsRealm, hopOptions);
    const r = await tgsExchange(ctx, current, tgsRealm, target, hopOptions, armor);
    const referral = follow && r.referral !== tgsRealm ? r.referral : undefined;
    if (askingFinal && referral === undefined) return { kind: 'final', result: r };
    return {
      kind: 'referral',
      follow: () => {
        if (referral) ctx.trace(0, step, 'note', `referral to realm ${referral}`);
        current = r.credential;
        // The KDC referred a same-realm request elsewhere (server referral): chase to the service's true realm.
        if (askingFinal && referral !== undefined && referral !== wanted.realm)
          wanted = { realm: referral, name: wanted.name };
      },
    };
  });
}
