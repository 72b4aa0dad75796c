/**
 * The S4U2Proxy flow: the service presents a ticket a user gave it (or its S4U2Self ticket) as evidence and asks
 * for a ticket to another service in the user's name. Classic constrained delegation and resource-based constrained
 * delegation (PA-PAC-OPTIONS, always sent: a KDC that does not know it ignores it). Across realms, the service's
 * KDC answers with a referral TGT naming the user, the evidence for the next realm's KDC. MS-SFU 3.1.5.2, MS-KILE
 * 2.2.10. The padata, evidence and result are src/s4u's.
 */
import type { Ticket } from '../asn1/index.js';
import type { Credential } from '../messages/credential.js';
import { formatPrincipal, krbtgt, type Principal, parsePrincipal } from '../messages/principal.js';
import {
  evidenceClient,
  evidenceTicket,
  evidenceTicketDer,
  evidenceWarnings,
  type S4uEvidenceInput,
  toS4uEvidence,
} from '../s4u/evidence.js';
import { referrableName } from '../s4u/names.js';
import { makePaPacOptionsRbcd } from '../s4u/pa-pac-options.js';
import { type S4uResult, s4uResult } from '../s4u/s4u-result.js';
import { withCall } from './call-context.js';
import type { ExchangeContext } from './exchange-context.js';
import { followReferrals, tgsRealmOfTgt } from './referrals.js';
import type { S4uRequestOptions } from './s4u-options.js';
import { resolveTgsArmor, tgsExchange } from './tgs-exchange.js';
import type { ExchangeResult, TgsOptions } from './tgs-options.js';

/** Options of {@link s4u2proxy}. */
export interface S4u2ProxyOptions extends S4uRequestOptions {
  /** Send PA-PAC-OPTIONS with resource-based-constrained-delegation (default true). */
  readonly rbcd?: boolean | undefined;
}

/**
 * S4U2Proxy with the service's TGT: a ticket to `target` (`cifs/file.example.com`, in the TGT's realm unless named)
 * naming the evidence ticket's client. KDC option cname-in-addl-tkt, the evidence in additional-tickets.
 */
export async function s4u2proxy(
  client: ExchangeContext,
  tgt: Credential,
  evidenceInput: S4uEvidenceInput,
  target: string | Principal,
  opts: S4u2ProxyOptions = {},
): Promise<S4uResult> {
  const ctx = withCall(client, opts);
  const evidence = toS4uEvidence(evidenceInput);
  const realm = tgsRealmOfTgt(tgt);
  const server = typeof target === 'string' ? parsePrincipal(target, { defaultRealm: realm }) : target;
  const warnings = evidenceWarnings(evidence);
  for (const w of warnings) ctx.trace(0, 'S4U2Proxy', 'warning', w);
  const user = evidenceClient(evidence);
  const renewable = opts.renewable !== false && tgt.flags.renewable === true;
  // The service's own KDC always judges the delegation; for a target in another realm it answers with a referral
  // TGT naming the user, which is the evidence for the target realm's KDC, asked with the service's cross-realm
  // TGT (MS-SFU 3.1.5.2.1, MIT krb5 1.18+ cross-realm S4U2Proxy).
  const asked = server.realm !== realm ? referrableName(server) : server;
  /** One S4U2Proxy exchange: `header` (the service TGT, or its cross-realm TGT) and the evidence `presented`. */
  const ask = async (
    header: Credential,
    presented: Ticket,
    presentedDer: Uint8Array | undefined,
    kdcRealm: string,
    final: boolean,
  ) => {
    const request: TgsOptions = {
      step: 'S4U2Proxy',
      options: {
        forwardable: opts.forwardable ?? true,
        cnameInAddlTkt: true,
        canonicalize: true,
        ...(renewable ? { renewable: true } : {}),
      },
      padata: opts.rbcd === false ? [] : [makePaPacOptionsRbcd()],
      additionalTickets: [presented],
      additionalTicketsDer: [presentedDer],
      ...(opts.etypes ? { etypes: opts.etypes } : {}),
      expectClient: (final ? user : undefined) ?? 'any',
    };
    const armor = await resolveTgsArmor(ctx, kdcRealm, request);
    return tgsExchange(ctx, header, kdcRealm, asked, request, armor);
  };
  let header = tgt;
  let evidenceNow = evidenceTicket(evidence);
  let evidenceNowDer = evidenceTicketDer(evidence);
  let kdcRealm = realm;
  const r = await followReferrals<ExchangeResult>(ctx, 'S4U2Proxy', server, async () => {
    const reply = await ask(header, evidenceNow, evidenceNowDer, kdcRealm, kdcRealm === server.realm);
    const referral = reply.referral;
    if (referral === undefined) return { kind: 'final', result: reply };
    return {
      kind: 'referral',
      follow: async () => {
        ctx.trace(
          0,
          'S4U2Proxy',
          'note',
          `S4U2Proxy referral to realm ${referral}: the referral TGT is the evidence there`,
        );
        header = (await ctx.tgs(tgt, krbtgt(referral, realm), { options: { forwardable: true } })).credential;
        evidenceNow = reply.credential.ticket;
        evidenceNowDer = reply.credential.ticketBytes;
        kdcRealm = referral;
      },
    };
  });
  const result = s4uResult('S4U2Proxy', r, warnings, opts);
  if (ctx.tracing !== false)
    ctx.trace(
      0,
      'S4U2Proxy',
      'result',
      `S4U2Proxy ticket for ${formatPrincipal(result.service.name, result.service.realm)} naming ${formatPrincipal(result.user.name, result.user.realm)}${result.delegationPath.length ? `, delegation path ${result.delegationPath.join(' -> ')}` : ''}`,
    );
  return result;
}
