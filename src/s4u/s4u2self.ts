/**
 * S4U2Self: a service asks the KDC for a ticket to itself in a user's name, naming the user in PA-FOR-USER and
 * PA-S4U-X509-USER (as MIT's client does, both in one request). MS-SFU 3.1.5.1.
 */
import { NameType, type PaData, type PaS4uX509User } from '../asn1/index.js';
import type { KdcClient } from '../client/kdc-client.js';
import type { Key } from '../crypto/index.js';
import { KerberosError, ProtocolError } from '../errors.js';
import type { Credential } from '../messages/credential.js';
import {
  formatPrincipal,
  krbtgt,
  type Principal,
  parsePrincipal,
  sameName,
  tgsRealmOf,
} from '../messages/principal.js';
import type { TicketKeys } from '../pac/ticket-pac.js';
import { readUserCertificate } from './certificate.js';
import { makePaForUser } from './pa-for-user.js';
import {
  buildPaS4uX509User,
  checkS4uX509UserReply,
  paS4uX509UserData,
  type S4uReplyCheck,
} from './pa-s4u-x509-user.js';
import { type PacPolicy, type S4uResult, s4uResult } from './result.js';

/** Options of {@link s4u2self}. */
export interface S4u2SelfOptions extends TicketKeys, PacPolicy {
  /** Ask for a forwardable ticket (default true: S4U2Proxy needs one). */
  readonly forwardable?: boolean | undefined;
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
  /** Enctypes to offer (default: the client's). */
  readonly etypes?: readonly number[] | undefined;
  /** Ask for a renewable ticket (until the TGT's renew-till) when the TGT is renewable, as MIT does (default true). */
  readonly renewable?: boolean | undefined;
}

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
 * The name the service asks for itself. Across realms the user's KDC does not know the service and must refer the
 * request home: MIT does that for host-based names only (NT-SRV-HST, host mapped by [domain_realm]).
 */
function serviceName(self: Principal, crossRealm: boolean): Principal {
  if (!crossRealm || self.name.nameString.length !== 2) return self;
  return { realm: self.realm, name: { nameType: NameType.NT_SRV_HST, nameString: self.name.nameString } };
}

/** Referral hops followed in a cross-realm S4U2Self. */
const MAX_REFERRALS = 8;

const NOT_FORWARDABLE =
  'the S4U2Self ticket is not forwardable: S4U2Proxy with it will fail on classic constrained delegation (the service lacks protocol transition: MIT ok_to_auth_as_delegate, AD TrustedToAuthForDelegation; or its TGT is not forwardable; or the user may not be delegated)';

/**
 * S4U2Self with the service's TGT: a ticket to the service naming `user` (or the certificate's user). The reply's
 * PA-S4U-X509-USER is verified with the reply key and its user matched to the request.
 */
export async function s4u2self(
  client: KdcClient,
  tgt: Credential,
  user: string | Principal | undefined,
  opts: S4u2SelfOptions = {},
): Promise<S4uResult> {
  const realm = tgsRealmOf(tgt.server.name) ?? tgt.server.realm;
  const who = user === undefined ? undefined : userPrincipal(user, realm, opts.enterprise);
  if (who === undefined && opts.certificate === undefined)
    throw new KerberosError('S4U2Self needs a user name or a certificate');
  const crossRealm = who !== undefined && who.realm !== realm && who.name.nameType !== NameType.NT_ENTERPRISE;
  const service = opts.service ?? serviceName(tgt.client, crossRealm);
  if (opts.certificate) {
    const c = readUserCertificate(opts.certificate);
    client.trace(
      0,
      'S4U2Self',
      'note',
      `S4U2Self by certificate: subject ${c.subject}, issuer ${c.issuer}, serial ${c.serial}`,
    );
  }
  const forwardable = opts.forwardable ?? true;
  const renewable = opts.renewable !== false && tgt.flags.renewable === true;
  const hop = async (current: Credential, final: boolean) => {
    const kdcRealm = tgsRealmOf(current.server.name) ?? current.server.realm;
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
    const r = await client.tgs(
      current,
      { realm: kdcRealm, name: service.name },
      {
        step: 'S4U2Self',
        options: {
          forwardable,
          canonicalize: true,
          ...(renewable ? { renewable: true } : {}),
          ...(opts.u2uTgt ? { encTktInSkey: true } : {}),
        },
        padata,
        ...(opts.u2uTgt ? { additionalTickets: [opts.u2uTgt.ticket] } : {}),
        ...(opts.etypes ? { etypes: opts.etypes } : {}),
        expectClient: final && who && who.name.nameType !== NameType.NT_ENTERPRISE ? who : 'any',
        followReferrals: false,
      },
    );
    return { r, x509 };
  };

  // A user of another realm: ask that realm's KDC first (with a cross-realm TGT), then follow the referral TGTs
  // back to the service's realm, repeating the S4U2Self request at each hop (MS-SFU 3.1.5.1.1.2).
  let current = tgt;
  if (crossRealm) {
    current = (await client.tgs(tgt, krbtgt(who.realm, realm), { options: { forwardable: true } }))
      .credential;
  }
  let { r, x509 } = await hop(current, current === tgt);
  for (let n = 0; r.referral !== undefined; n++) {
    if (n >= MAX_REFERRALS) throw new KerberosError(`S4U2Self: more than ${MAX_REFERRALS} referrals`);
    if (x509 && r.subkey) {
      checkS4uX509UserReply(x509, r.padata, r.encPart.encryptedPaData, r.subkey, {
        allowAbsent: true,
      });
    }
    client.trace(0, 'S4U2Self', 'note', `S4U2Self referral to realm ${r.referral}`);
    current = r.credential;
    ({ r, x509 } = await hop(current, r.referral === realm));
  }
  const named = r.credential.client;
  if (
    named.realm === tgt.client.realm &&
    sameName(named.name, tgt.client.name) &&
    !(who && sameName(who.name, named.name))
  ) {
    // MS-SFU 1.5: a KDC that does not understand the S4U padata answers as to a plain TGS-REQ, naming the service.
    throw new ProtocolError(
      `S4U2Self: the KDC issued a ticket naming the service itself (${formatPrincipal(named.name, named.realm)}), not the user: it ignored the S4U2Self padata`,
      {
        check: 's4u2self-client',
        hint:
          opts.certificate && !who
            ? 'this KDC does not implement S4U2Self by certificate (PA-S4U-X509-USER without a name); name the user instead'
            : 'this KDC does not implement S4U2Self (MS-SFU 1.5)',
      },
    );
  }
  const warnings: string[] = [];
  let userCheck: S4uReplyCheck | undefined;
  if (x509 && r.subkey) {
    userCheck = checkS4uX509UserReply(x509, r.padata, r.encPart.encryptedPaData, r.subkey, {
      allowAbsent: opts.allowMissingUserCheck !== false,
    });
    if (userCheck.status === 'absent') {
      warnings.push(
        'the KDC returned no PA-S4U-X509-USER: the reply is bound to the request by its nonce and subkey only',
      );
    }
  }
  const result0 = s4uResult('S4U2Self', r, [], opts, userCheck);
  if (forwardable && !result0.forwardable) warnings.push(NOT_FORWARDABLE);
  for (const w of warnings) client.trace(0, 'S4U2Self', 'warning', w);
  client.trace(
    0,
    'S4U2Self',
    'result',
    `S4U2Self ticket for ${formatPrincipal(result0.service.name, result0.service.realm)} naming ${formatPrincipal(result0.user.name, result0.user.realm)}${result0.forwardable ? ', forwardable' : ', NOT forwardable'}`,
  );
  return { ...result0, warnings };
}
