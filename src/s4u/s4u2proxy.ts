/**
 * S4U2Proxy: the service presents a ticket a user gave it (or its S4U2Self ticket) as evidence and asks for a ticket
 * to another service in the user's name. Classic constrained delegation and resource-based constrained delegation
 * (PA-PAC-OPTIONS, always sent: a KDC that does not know it ignores it). MS-SFU 3.1.5.2, MS-KILE 2.2.10.
 */
import { encodePaPacOptions, NameType, type PaData, PaDataType, type Ticket } from '../asn1/index.js';
import type { KdcClient } from '../client/kdc-client.js';
import { KerberosError } from '../errors.js';
import type { Credential } from '../messages/credential.js';
import {
  formatPrincipal,
  krbtgt,
  type Principal,
  parsePrincipal,
  tgsRealmOf,
} from '../messages/principal.js';
import type { TicketKeys } from '../pac/ticket-pac.js';
import { type PacPolicy, type S4uResult, s4uResult } from './result.js';

/** The evidence ticket: an S4U2Self result, a credential, or a bare ticket a user presented. */
export type S4uEvidence = S4uResult | Credential | { readonly ticket: Ticket; readonly client?: Principal };

/** Options of {@link s4u2proxy}. */
export interface S4u2ProxyOptions extends TicketKeys, PacPolicy {
  /** Ask for a forwardable ticket (default true, so the target can delegate further). */
  readonly forwardable?: boolean | undefined;
  /** Send PA-PAC-OPTIONS with resource-based-constrained-delegation (default true). */
  readonly rbcd?: boolean | undefined;
  /** Enctypes to offer (default: the client's). */
  readonly etypes?: readonly number[] | undefined;
  /** Ask for a renewable ticket (until the TGT's renew-till) when the TGT is renewable, as MIT does (default true). */
  readonly renewable?: boolean | undefined;
}

/** PA-PAC-OPTIONS asking for resource-based constrained delegation (MS-SFU 2.2.5). */
export function makePaPacOptionsRbcd(): PaData {
  return {
    padataType: PaDataType.PAC_OPTIONS,
    padataValue: encodePaPacOptions({ flags: { resourceBasedConstrainedDelegation: true } }),
  };
}

function evidenceClient(e: S4uEvidence): Principal | undefined {
  if ('step' in e) return e.user;
  return e.client;
}

/** Referral hops followed in a cross-realm S4U2Proxy. */
const MAX_REFERRALS = 8;

const NON_FORWARDABLE_EVIDENCE =
  'the evidence ticket is not forwardable: classic constrained delegation will refuse it (KDC_ERR_BADOPTION); only RBCD on Windows accepts it';

/**
 * S4U2Proxy with the service's TGT: a ticket to `target` (`cifs/file.example.com`, in the TGT's realm unless named)
 * naming the evidence ticket's client. KDC option cname-in-addl-tkt, the evidence in additional-tickets.
 */
export async function s4u2proxy(
  client: KdcClient,
  tgt: Credential,
  evidence: S4uEvidence,
  target: string | Principal,
  opts: S4u2ProxyOptions = {},
): Promise<S4uResult> {
  const realm = tgsRealmOf(tgt.server.name) ?? tgt.server.realm;
  const server = typeof target === 'string' ? parsePrincipal(target, { defaultRealm: realm }) : target;
  const warnings: string[] = [];
  const evFlags =
    'flags' in evidence ? evidence.flags : 'credential' in evidence ? evidence.credential.flags : undefined;
  if (evFlags && evFlags.forwardable !== true) {
    warnings.push(NON_FORWARDABLE_EVIDENCE);
    client.trace(0, 'S4U2Proxy', 'warning', NON_FORWARDABLE_EVIDENCE);
  }
  const user = evidenceClient(evidence);
  const renewable = opts.renewable !== false && tgt.flags.renewable === true;
  const ask = (header: Credential, evidenceTicket: Ticket, to: Principal, final: boolean) =>
    client.tgs(header, to, {
      step: 'S4U2Proxy',
      options: {
        forwardable: opts.forwardable ?? true,
        cnameInAddlTkt: true,
        canonicalize: true,
        ...(renewable ? { renewable: true } : {}),
      },
      padata: opts.rbcd === false ? [] : [makePaPacOptionsRbcd()],
      additionalTickets: [evidenceTicket],
      ...(opts.etypes ? { etypes: opts.etypes } : {}),
      expectClient: (final ? user : undefined) ?? 'any',
      followReferrals: false,
    });
  // The service's own KDC always judges the delegation; for a target in another realm it answers with a referral
  // TGT naming the user, which is the evidence for the target realm's KDC, asked with the service's cross-realm
  // TGT (MS-SFU 3.1.5.2.1, MIT krb5 1.18+ cross-realm S4U2Proxy).
  // MIT refers a request for an unknown service to another realm only for host-based names (NT-SRV-HST).
  const name =
    server.realm !== realm && server.name.nameString.length === 2
      ? { nameType: NameType.NT_SRV_HST, nameString: server.name.nameString }
      : server.name;
  let r = await ask(tgt, evidence.ticket, { realm, name }, server.realm === realm);
  for (let hop = 0; r.referral !== undefined; hop++) {
    if (hop >= MAX_REFERRALS) throw new KerberosError(`S4U2Proxy: more than ${MAX_REFERRALS} referrals`);
    client.trace(
      0,
      'S4U2Proxy',
      'note',
      `S4U2Proxy referral to realm ${r.referral}: the referral TGT is the evidence there`,
    );
    const header = (await client.tgs(tgt, krbtgt(r.referral, realm), { options: { forwardable: true } }))
      .credential;
    r = await ask(header, r.credential.ticket, { realm: r.referral, name }, r.referral === server.realm);
  }
  const result = s4uResult('S4U2Proxy', r, warnings, opts);
  client.trace(
    0,
    'S4U2Proxy',
    'result',
    `S4U2Proxy ticket for ${formatPrincipal(result.service.name, result.service.realm)} naming ${formatPrincipal(result.user.name, result.user.realm)}${result.delegationPath.length ? `, delegation path ${result.delegationPath.join(' -> ')}` : ''}`,
  );
  return result;
}
