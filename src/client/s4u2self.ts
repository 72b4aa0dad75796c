/**
 * The S4U2Self flow: a service asks the KDC for a ticket to itself in a user's name, naming the user in PA-FOR-USER
 * and PA-S4U-X509-USER (as MIT's client does, both in one request); across realms, one S4U2Self exchange per realm
 * on the referral path. MS-SFU 3.1.5.1. The padata and the reply checks are src/s4u's.
 */
import { NameType, type PaData, type PaS4uX509User } from '../asn1/index.js';
import type { Key } from '../crypto/index.js';
import { KerberosError } from '../errors.js';
import type { Credential } from '../messages/credential.js';
import { formatPrincipal, krbtgt, type Principal } from '../messages/principal.js';
import { readUserCertificate } from '../s4u/certificate.js';
import { referrableName, userPrincipal } from '../s4u/names.js';
import { makePaForUser } from '../s4u/pa-for-user.js';
import {
  buildPaS4uX509User,
  checkS4uX509UserReply,
  paS4uX509UserData,
  type S4uReplyCheck,
} from '../s4u/pa-s4u-x509-user.js';
import { type S4uResult, s4uResult } from '../s4u/s4u-result.js';
import { checkS4u2SelfClient, NO_USER_CHECK, NOT_FORWARDABLE } from '../s4u/s4u2self-checks.js';
import { withCall } from './call-context.js';
import type { ExchangeContext } from './exchange-context.js';
import { followReferrals, tgsRealmOfTgt } from './referrals.js';
import type { S4uRequestOptions } from './s4u-options.js';
import { resolveTgsArmor, tgsExchange } from './tgs-exchange.js';
import type { ExchangeResult, TgsOptions } from './tgs-options.js';

/** Options of {@link s4u2self}. */
export interface S4u2SelfOptions extends S4uRequestOptions {
  /** Treat a string user as an enterprise name (`alice@upn.suffix`, NT-ENTERPRISE). */
  readonly enterprise?: boolean | undefined;
  /** DER X.509 certificate of the user: S4U2Self by certificate (no PA-FOR-USER, no cname unless `user` given). */
  readonly certificate?: Uint8Array | undefined;
  /** Send PA-FOR-USER (default true when the user is named). */
  readonly paForUser?: boolean | undefined;
  /** Send PA-S4U-X509-USER (default true). */
  readonly paS4uX509User?: boolean | undefined;
  /**
   * Accept a reply without PA-S4U-X509-USER (KDCs that ignore padata 130, e.g. Samba); default true, with a
   * warning. `false`: a missing echo is a ProtocolError (check 's4u-x509-user').
   */
  readonly allowMissingUserCheck?: boolean | undefined;
  /** The service principal the ticket is for (default: the TGT's client). */
  readonly service?: Principal | undefined;
  /** User-to-user: encrypt the ticket in this TGT's session key (enc-tkt-in-skey), for accounts without SPN keys. */
  readonly u2uTgt?: Credential | undefined;
}

/**
 * S4U2Self with the service's TGT: a ticket to the service naming `user` (or the certificate's user). The reply's
 * PA-S4U-X509-USER is verified with the reply key and its user matched to the request.
 */
export async function s4u2self(
  client: ExchangeContext,
  tgt: Credential,
  user: string | Principal | undefined,
  opts: S4u2SelfOptions = {},
): Promise<S4uResult> {
  const ctx = withCall(client, opts);
  const realm = tgsRealmOfTgt(tgt);
  const who = user === undefined ? undefined : userPrincipal(user, realm, opts.enterprise);
  if (who === undefined && opts.certificate === undefined)
    throw new KerberosError('S4U2Self needs a user name or a certificate');
  const crossRealm = who !== undefined && who.realm !== realm && who.name.nameType !== NameType.NT_ENTERPRISE;
  // Across realms the user's KDC does not know the service and must refer the request home.
  const service = opts.service ?? (crossRealm ? referrableName(tgt.client) : tgt.client);
  if (opts.certificate) {
    const c = readUserCertificate(opts.certificate);
    ctx.trace(
      0,
      'S4U2Self',
      'note',
      `S4U2Self by certificate: subject ${c.subject}, issuer ${c.issuer}, serial ${c.serial}`,
    );
  }
  const forwardable = opts.forwardable ?? true;
  const renewable = opts.renewable !== false && tgt.flags.renewable === true;
  /** One S4U2Self exchange with `current` (the service TGT, or a referral TGT) to the KDC it is for. */
  const hop = async (current: Credential, final: boolean) => {
    const kdcRealm = tgsRealmOfTgt(current);
    let x509: PaS4uX509User | undefined;
    const padata = (nonce: number, subkey: Key): PaData[] => {
      const out: PaData[] = [];
      // PA-FOR-USER is keyed with the session key of the TGT this hop presents (a referral TGT after the first).
      if (who && opts.paForUser !== false) out.push(makePaForUser(who, current.sessionKey));
      if (opts.paS4uX509User !== false) {
        x509 = buildPaS4uX509User(
          { nonce, cname: who?.name, crealm: who?.realm ?? realm, subjectCertificate: opts.certificate },
          subkey,
        );
        out.push(paS4uX509UserData(x509));
      }
      return out;
    };
    const request: TgsOptions = {
      step: 'S4U2Self',
      options: {
        forwardable,
        canonicalize: true,
        ...(renewable ? { renewable: true } : {}),
        ...(opts.u2uTgt ? { encTktInSkey: true } : {}),
      },
      padata,
      ...(opts.u2uTgt
        ? { additionalTickets: [opts.u2uTgt.ticket], additionalTicketsDer: [opts.u2uTgt.ticketBytes] }
        : {}),
      ...(opts.etypes ? { etypes: opts.etypes } : {}),
      expectClient: final && who && who.name.nameType !== NameType.NT_ENTERPRISE ? who : 'any',
    };
    const armor = await resolveTgsArmor(ctx, kdcRealm, request);
    const r = await tgsExchange(ctx, current, kdcRealm, service, request, armor);
    return { r, x509 };
  };

  // A user of another realm: ask that realm's KDC first (with a cross-realm TGT), then follow the referral TGTs
  // back to the service's realm, repeating the S4U2Self request at each hop (MS-SFU 3.1.5.1.1.2).
  let current = crossRealm
    ? (await ctx.tgs(tgt, krbtgt(who.realm, realm), { options: { forwardable: true } })).credential
    : tgt;
  let final = current === tgt;
  const last = await followReferrals<{ r: ExchangeResult; x509: PaS4uX509User | undefined }>(
    ctx,
    'S4U2Self',
    service,
    async () => {
      const h = await hop(current, final);
      const referral = h.r.referral;
      if (referral === undefined) return { kind: 'final', result: h };
      if (h.x509 && h.r.subkey) {
        checkS4uX509UserReply(h.x509, h.r.padata, h.r.encPart.encryptedPaData, h.r.subkey, {
          allowAbsent: true,
        });
      }
      return {
        kind: 'referral',
        follow: () => {
          ctx.trace(0, 'S4U2Self', 'note', `S4U2Self referral to realm ${referral}`);
          current = h.r.credential;
          final = referral === realm;
        },
      };
    },
  );
  const { r, x509 } = last;
  checkS4u2SelfClient(r.credential.client, tgt.client, who, opts.certificate !== undefined);
  const warnings: string[] = [];
  let userCheck: S4uReplyCheck | undefined;
  if (x509 && r.subkey) {
    userCheck = checkS4uX509UserReply(x509, r.padata, r.encPart.encryptedPaData, r.subkey, {
      allowAbsent: opts.allowMissingUserCheck !== false,
    });
    if (userCheck.status === 'absent') warnings.push(NO_USER_CHECK);
  }
  const result0 = s4uResult('S4U2Self', r, [], opts, userCheck);
  if (forwardable && !result0.forwardable) warnings.push(NOT_FORWARDABLE);
  for (const w of warnings) ctx.trace(0, 'S4U2Self', 'warning', w);
  if (ctx.tracing !== false)
    ctx.trace(
      0,
      'S4U2Self',
      'result',
      `S4U2Self ticket for ${formatPrincipal(result0.service.name, result0.service.realm)} naming ${formatPrincipal(result0.user.name, result0.user.realm)}${result0.forwardable ? ', forwardable' : ', NOT forwardable'}`,
    );
  return { ...result0, warnings };
}
