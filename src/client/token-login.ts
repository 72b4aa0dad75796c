/**
 * Token pre-authentication (Apache Kerby; the 2014 krbdev "Token Pre-Authentication for Kerberos" proposal): an AS
 * exchange whose credential is a third-party JWT, carried in PA-TOKEN-REQUEST (Kerby padata 148) sealed in the FAST
 * armor key (usage 57). The rule this module exists to keep: the token travels only inside FAST. Every request is
 * armored from the first one; with FAST off, or no armor source, nothing is sent at all.
 */
import {
  ErrorCode,
  encodeAsReq,
  encodeKdcReqBody,
  type KdcOptions,
  type PaData,
  PaDataType,
} from '../asn1/index.js';
import { KeyUsage } from '../crypto/index.js';
import { KerberosError } from '../errors.js';
import { makeTicketArmor } from '../fast/armor.js';
import { makePaReqEncPaRep } from '../fast/negotiation.js';
import {
  fastReplyKey,
  findPaData,
  openArmoredError,
  openFastResponse,
  verifyFastFinished,
} from '../fast/reply.js';
import { makePaFxFastRequest } from '../fast/request.js';
import { makePaTokenRequest } from '../fast/token.js';
import { buildAsReq, makePaPacRequest } from '../messages/as-req.js';
import { formatPrincipal, krbtgt, type Principal, parsePrincipal } from '../messages/principal.js';
import { validateKdcRep } from '../messages/reply.js';
import { parseJwt } from '../util/jwt.js';
import type { AsResult } from './as-exchange.js';
import type { ExchangeContext } from './exchange-context.js';
import type { LoginOptions } from './kdc-client.js';

/** Code of the refusal to send a token outside FAST. */
export const TOKEN_NEEDS_FAST = 'ERR_TSKRB_TOKEN_NEEDS_FAST';

/**
 * Where PA-TOKEN-REQUEST goes. `fast` (default): in the KrbFastReq padata, inside the tunnel (RFC 6113 5.4.2).
 * `kerby-outer`: beside PA-FX-FAST in the outer padata, where Apache Kerby 2.x's KDC reads it
 * (kerb-server request/KdcRequest.java `PreauthHandler.isToken(getKdcReq().getPaData())`); still sealed in the
 * armor key, so never in the clear.
 */
export type TokenPlacement = 'fast' | 'kerby-outer';

function vendorOf(login: LoginOptions, jwt: string): string {
  if (login.tokenVendor !== undefined) return login.tokenVendor;
  const iss = parseJwt(jwt).claims['iss'];
  if (typeof iss !== 'string' || iss === '')
    throw new KerberosError('the JWT has no `iss` claim to name the token vendor', {
      hint: 'pass tokenVendor: the issuer name the KDC is configured to trust',
    });
  return iss;
}

/** Runs the armored AS exchange with token pre-authentication for `client0`. */
export async function tokenAsExchange(
  ctx: ExchangeContext,
  client0: Principal,
  login: LoginOptions,
): Promise<AsResult> {
  const jwt = login.token;
  if (jwt === undefined) throw new KerberosError('token login without a token');
  if (login.password !== undefined || login.keys !== undefined)
    throw new KerberosError('a token login takes no password or keys: the token is the credential');
  const armorSource = login.armor ?? ctx.armorSource;
  const mode = login.fast ?? ctx.fastModeFor(armorSource);
  if (mode === 'off' || armorSource === undefined)
    throw new KerberosError(
      `token pre-authentication needs FAST: ${mode === 'off' ? 'FAST is off' : 'no armor source was given'}, and the token is never sent outside FAST`,
      {
        code: TOKEN_NEEDS_FAST,
        hint: "pass `armor` (anonymous PKINIT { anonymous: true, trustAnchors } as Kerby's ktinit does, a host keytab, or a TGT) and leave `fast` on",
      },
    );
  const vendor = vendorOf(login, jwt);
  const placement: TokenPlacement = login.tokenPlacement ?? 'fast';
  const options: Partial<KdcOptions> = {
    forwardable: login.forwardable ?? false,
    proxiable: login.proxiable ?? false,
    canonicalize: login.canonicalize ?? true,
    ...(login.renewableSec ? { renewable: true } : {}),
  };
  const etypes = login.etypes ?? ctx.etypes;
  const client = client0;
  let cookie: PaData | undefined;
  let skewRetried = false;
  let extraRounds = 0;
  for (let round = 0; round < 4; round++) {
    const server = login.service
      ? parsePrincipal(login.service, { defaultRealm: client.realm })
      : krbtgt(client.realm);
    const now = ctx.now();
    const usec = (now.getTime() % 1000) * 1000;
    const nonce = ctx.nonce();
    const armorTgt = await ctx.armorTicket(server.realm, armorSource);
    const armor = makeTicketArmor({ tgt: armorTgt, now, usec, random: (n) => ctx.randomBytes(n) });
    const token = makePaTokenRequest(armor.armorKey, { jwt, vendor }, { random: (n) => ctx.randomBytes(n) });
    const inner: PaData[] = [];
    if (cookie) inner.push(cookie);
    if (placement === 'fast') inner.push(token);
    if (login.pac !== false) inner.push(makePaPacRequest(true));
    inner.push(makePaReqEncPaRep());
    const req = buildAsReq({
      client,
      server,
      options,
      nonce,
      till: new Date(now.getTime() + ctx.lifetimeSec * 1000),
      rtime: login.renewableSec ? new Date(now.getTime() + login.renewableSec * 1000) : undefined,
      etypes,
      padata: [],
    });
    const fx = makePaFxFastRequest({
      armorKey: armor.armorKey,
      armor: armor.armor,
      checksummed: encodeKdcReqBody(req.reqBody),
      reqBody: req.reqBody,
      padata: inner,
    });
    const outer = { ...req, padata: placement === 'kerby-outer' ? [token, fx] : [fx] };
    const { reply, id, kdc } = await ctx.send(server.realm, 'TOKEN', encodeAsReq(outer), 'AS-REP', {
      ...outer,
      fastInner: { padata: inner, reqBody: req.reqBody },
    });
    if (reply.kind === 'error') {
      const u = openArmoredError(reply.error, armor.armorKey, nonce, 'TOKEN');
      const e = u.error;
      ctx.trace(id, 'FAST', 'decrypt', `armored KRB-ERROR opened (error ${e.errorCode})`, {
        padata: u.padata,
      });
      if (e.errorCode === ErrorCode.KRB_AP_ERR_SKEW && !skewRetried) {
        skewRetried = true;
        ctx.learnSkew(e, id, 'TOKEN');
        continue;
      }
      const nextCookie = findPaData(u.padata, PaDataType.FX_COOKIE);
      if (e.errorCode === ErrorCode.KDC_ERR_MORE_PREAUTH_DATA_REQUIRED && nextCookie && extraRounds++ < 2) {
        cookie = nextCookie;
        continue;
      }
      throw ctx.kdcError(e, 'TOKEN', id, kdc);
    }
    const fastResponse = openFastResponse(reply.rep.padata, armor.armorKey, nonce);
    verifyFastFinished(fastResponse, reply.rep, reply.ticketBytes, armor.armorKey);
    ctx.noteFastRealm(server.realm);
    // Kerby's KDC takes the armor key as the client key of a token login (TokenPreauth.verify: setClientKey).
    const replyKey = fastReplyKey(fastResponse, armor.armorKey);
    const v = validateKdcRep(reply, {
      step: 'TOKEN',
      replyKey,
      usage: KeyUsage.AsRepEncPart,
      nonce,
      etypes,
      client,
      clientMayChange: options.canonicalize === true,
      server,
      serverMayChange: options.canonicalize === true,
      options,
      now: ctx.now(),
    });
    ctx.trace(
      id,
      'TOKEN',
      'result',
      `ticket for ${formatPrincipal(v.credential.server.name, v.credential.server.realm)} as ${formatPrincipal(v.credential.client.name, v.credential.client.realm)} (token pre-authentication, FAST)`,
    );
    return { credential: v.credential, armored: true };
  }
  throw new KerberosError('token AS exchange: too many rounds');
}
