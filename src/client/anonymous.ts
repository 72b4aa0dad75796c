/**
 * Anonymous PKINIT (RFC 8062): an AS exchange for WELLKNOWN/ANONYMOUS with PA-PK-AS-REQ and Diffie-Hellman, giving
 * a TGT without any long-term key (as `kinit -n`). Its main use here is FAST armor.
 */
import { ErrorCode, encodeAsReq, encodeKdcReqBody, type KdcOptions, NameType } from '../asn1/index.js';
import { KeyUsage } from '../crypto/index.js';
import { dhKeyPair, MODP_GROUP_14 } from '../fast/dh.js';
import { dhAgreement, ecdhP256Agreement } from '../fast/key-agreement.js';
import { makeAnonymousPkAsReq, openPkAsRep } from '../fast/pkinit.js';
import { buildAsReq } from '../messages/as-req.js';
import type { Credential } from '../messages/credential.js';
import { krbtgt, type Principal } from '../messages/principal.js';
import { validateKdcRep } from '../messages/reply.js';
import type { CallOptions } from '../util/abort.js';
import type { ExchangeContext } from './exchange-context.js';

/** Options of an anonymous PKINIT login; `signal`/`timeout` cancel it. */
export interface AnonymousLoginOptions extends CallOptions {
  /** The realm to ask (default the client's). */
  readonly realm?: string | undefined;
  /** CA certificates (DER or PEM) the KDC certificate must chain to; without them the KDC is not authenticated. */
  readonly trustAnchors?: readonly (Uint8Array | string)[] | undefined;
  /** `dh` (MODP group 14, default, as `kinit -n`) or `ecdh` (P-256 with WebCrypto, RFC 5349). */
  readonly keyExchange?: 'dh' | 'ecdh' | undefined;
}

/** The anonymous principal WELLKNOWN/ANONYMOUS in `realm` (RFC 8062 3). */
export function anonymousPrincipal(realm: string): Principal {
  return { realm, name: { nameType: NameType.NT_WELLKNOWN, nameString: ['WELLKNOWN', 'ANONYMOUS'] } };
}

/** Runs the anonymous PKINIT AS exchange with `realm`'s KDC. */
export async function anonymousExchange(
  ctx: ExchangeContext,
  realm: string,
  opts: AnonymousLoginOptions,
): Promise<Credential> {
  const client = anonymousPrincipal(realm);
  const server = krbtgt(realm);
  const options: Partial<KdcOptions> = { requestAnonymous: true, canonicalize: true };
  let skewRetried = false;
  for (;;) {
    const now = ctx.now();
    const usec = (now.getTime() % 1000) * 1000;
    const nonce = ctx.nonce();
    const agreement =
      opts.keyExchange === 'ecdh'
        ? await ecdhP256Agreement()
        : dhAgreement(dhKeyPair(MODP_GROUP_14, (n) => ctx.randomBytes(n)));
    const base = buildAsReq({
      client,
      server,
      options,
      nonce,
      till: new Date(now.getTime() + ctx.lifetimeSec * 1000),
      etypes: ctx.etypes,
    });
    const pa = makeAnonymousPkAsReq({
      reqBodyBytes: encodeKdcReqBody(base.reqBody),
      nonce,
      now,
      usec,
      agreement,
    });
    const req = { ...base, padata: [pa] };
    const { reply, id, kdc } = await ctx.send(realm, 'AS', encodeAsReq(req), 'AS-REP', req);
    if (reply.kind === 'error') {
      if (reply.error.errorCode === ErrorCode.KRB_AP_ERR_SKEW && !skewRetried) {
        skewRetried = true;
        ctx.learnSkew(reply.error, id, 'AS');
        continue;
      }
      throw ctx.kdcError(reply.error, 'AS', id, kdc);
    }
    const pk = await openPkAsRep({
      padata: reply.rep.padata,
      agreement,
      nonce,
      etype: reply.rep.encPart.etype,
      realm,
      trustAnchors: opts.trustAnchors,
      now: ctx.now(),
    });
    ctx.trace(
      id,
      'AS',
      pk.verified ? 'validate' : 'warning',
      pk.verified
        ? `PKINIT: KDC signature and certificate verified against the trust anchors; ${agreement.name} reply key derived`
        : `PKINIT: ${agreement.name} reply key derived; the KDC was NOT authenticated (no trust anchors given)`,
    );
    const v = validateKdcRep(reply, {
      step: 'AS',
      replyKey: pk.replyKey,
      usage: KeyUsage.AsRepEncPart,
      nonce,
      etypes: ctx.etypes,
      client,
      clientMayChange: true,
      server,
      serverMayChange: false,
      options,
      now: ctx.now(),
    });
    ctx.trace(id, 'AS', 'result', `anonymous TGT for ${realm}`, { checks: v.checks });
    return v.credential;
  }
}
