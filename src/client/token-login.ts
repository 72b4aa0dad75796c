/**
 * Token pre-authentication (Apache Kerby; the 2014 krbdev "Token Pre-Authentication for Kerberos" proposal): an AS
 * exchange whose credential is a third-party JWT, carried in PA-TOKEN-REQUEST (Kerby padata 148) sealed in the FAST
 * armor key (usage 57). The rule this module exists to keep: the token travels only inside FAST. Every request is
 * armored from the first one; with FAST off, or no armor source, nothing is sent at all.
 */
import { ErrorCode, encodeAsReq, type PaData, PaDataType } from '../asn1/index.js';
import { KerberosError } from '../errors.js';
import { makePaReqEncPaRep } from '../fast/negotiation.js';
import { fastReplyKey, findPaData, openArmoredError } from '../fast/reply.js';
import { makePaTokenRequest } from '../fast/token.js';
import { makePaPacRequest } from '../messages/as-req.js';
import type { Principal } from '../messages/principal.js';
import { parseJwt } from '../util/jwt.js';
import {
  type AsResult,
  armorAsReq,
  asArmor,
  loginAsReq,
  loginKdcOptions,
  loginServer,
  openArmoredAsRep,
  usecOf,
  validateAsRep,
} from './as-exchange.js';
import type { ExchangeContext } from './exchange-context.js';
import type { LoginOptions } from './kdc-client.js';
import { ticketSummary } from './trace.js';

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
  const options = loginKdcOptions(login);
  const etypes = login.etypes ?? ctx.etypes;
  const client = client0;
  let cookie: PaData | undefined;
  let skewRetried = false;
  let extraRounds = 0;
  for (let round = 0; round < 4; round++) {
    const server = loginServer(login, client);
    const now = ctx.now();
    const nonce = ctx.nonce();
    const armor = await asArmor(ctx, server.realm, armorSource, now, usecOf(now));
    const token = makePaTokenRequest(armor.armorKey, { jwt, vendor }, { random: (n) => ctx.randomBytes(n) });
    const inner: PaData[] = [];
    if (cookie) inner.push(cookie);
    if (placement === 'fast') inner.push(token);
    if (login.pac !== false) inner.push(makePaPacRequest(true));
    inner.push(makePaReqEncPaRep());
    const asked = { client, server, options, nonce, etypes };
    const req = loginAsReq(ctx, login, { ...asked, now }, []);
    const { outer, traced } = armorAsReq(req, armor, inner, placement === 'kerby-outer' ? [token] : []);
    const { reply, id, kdc } = await ctx.send(server.realm, 'TOKEN', encodeAsReq(outer), 'AS-REP', traced);
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
    const fastResponse = openArmoredAsRep(ctx, reply, armor, nonce, server.realm);
    // Kerby's KDC takes the armor key as the client key of a token login (TokenPreauth.verify: setClientKey).
    const replyKey = fastReplyKey(fastResponse, armor.armorKey);
    const v = validateAsRep(ctx, reply, 'TOKEN', asked, replyKey);
    ctx.trace(id, 'TOKEN', 'result', `${ticketSummary(v.credential)} (token pre-authentication, FAST)`);
    return { credential: v.credential, armored: true };
  }
  throw new KerberosError('token AS exchange: too many rounds');
}
