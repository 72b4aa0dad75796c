/**
 * The AS exchange (RFC 4120 3.1) with pre-authentication negotiation, clock-skew retry, client referrals, and FAST
 * (RFC 6113): AP-REQ armor, PA-ENCRYPTED-CHALLENGE inside the tunnel, PA-FX-COOKIE echoed, armored errors
 * unwrapped, KrbFastFinished verified and the reply key strengthened.
 */
import {
  type AsReq,
  ErrorCode,
  encodeAsReq,
  encodeKdcReqBody,
  type KdcOptions,
  type KrbError,
  type KrbFastResponse,
  type PaData,
  PaDataType,
} from '../asn1/index.js';
import { isSupportedEnctype, type Key, KeyUsage, stringToKey } from '../crypto/index.js';
import { KerberosError, ProtocolError } from '../errors.js';
import { makeTicketArmor, type TicketArmor } from '../fast/armor.js';
import { makePaEncryptedChallenge, verifyKdcChallenge } from '../fast/challenge.js';
import { makePaReqEncPaRep, verifyProtectedNegotiation } from '../fast/negotiation.js';
import {
  fastReplyKey,
  findPaData,
  openArmoredError,
  openFastResponse,
  verifyFastFinished,
} from '../fast/reply.js';
import { makePaFxFastRequest } from '../fast/request.js';
import { buildAsReq, makePaEncTimestamp, makePaPacRequest } from '../messages/as-req.js';
import type { Credential } from '../messages/credential.js';
import { chooseKeyDerivation, defaultSaltOf } from '../messages/etype-info.js';
import { KdcError } from '../messages/kdc-error.js';
import { krbtgt, type Principal, parsePrincipal } from '../messages/principal.js';
import { type KdcReply, type ValidatedReply, validateKdcRep } from '../messages/reply.js';
import type { ExchangeContext } from './exchange-context.js';
import type { ArmorSource } from './fast-options.js';
import type { LoginOptions } from './kdc-client.js';
import { ticketSummary } from './trace.js';

/** The outcome of an AS exchange. */
export interface AsResult {
  readonly credential: Credential;
  /** True when the exchange ran inside FAST. */
  readonly armored: boolean;
}

/** The microseconds of `now` past its millisecond, as an authenticator's cusec/pausec wants them. */
export function usecOf(now: Date): number {
  return (now.getTime() % 1000) * 1000;
}

/** The KDC options a login asks for: forwardable and proxiable if asked, canonicalize unless turned off, renewable. */
export function loginKdcOptions(login: LoginOptions): Partial<KdcOptions> {
  return {
    forwardable: login.forwardable ?? false,
    proxiable: login.proxiable ?? false,
    canonicalize: login.canonicalize ?? true,
    ...(login.renewableSec ? { renewable: true } : {}),
  };
}

/** The server of a login's AS-REQ: `login.service` (in the client's realm unless it names one), else the krbtgt. */
export function loginServer(login: LoginOptions, client: Principal): Principal {
  return login.service ? parsePrincipal(login.service, { defaultRealm: client.realm }) : krbtgt(client.realm);
}

/** What one round of a login flow puts in its AS-REQ, beside the login's own settings. */
export interface LoginRound {
  readonly client: Principal;
  readonly server: Principal;
  readonly options: Partial<KdcOptions>;
  readonly nonce: number;
  readonly now: Date;
  readonly etypes: readonly number[];
}

/** The AS-REQ of one login round: till after the client's lifetime, rtime after `login.renewableSec`. */
export function loginAsReq(
  ctx: ExchangeContext,
  login: LoginOptions,
  round: LoginRound,
  padata: readonly PaData[],
): AsReq {
  const { client, server, options, nonce, now, etypes } = round;
  return buildAsReq({
    client,
    server,
    options,
    nonce,
    till: new Date(now.getTime() + ctx.lifetimeSec * 1000),
    rtime: login.renewableSec ? new Date(now.getTime() + login.renewableSec * 1000) : undefined,
    etypes,
    padata,
  });
}

/** The AP-REQ armor of one AS round (RFC 6113 5.4.1.1): `source`'s armor TGT for `realm`, an authenticator of `now`. */
export async function asArmor(
  ctx: ExchangeContext,
  realm: string,
  source: ArmorSource,
  now: Date,
  usec: number,
): Promise<TicketArmor> {
  const tgt = await ctx.armorTicket(realm, source);
  return makeTicketArmor({ tgt, now, usec, random: (n) => ctx.randomBytes(n) });
}

/**
 * `req` armored (RFC 6113 5.4.2): `inner` goes in the KrbFastReq, the outer padata is `outerPadata` then PA-FX-FAST.
 * `traced` is what the trace shows of it: the outer request with the inner one beside it.
 */
export function armorAsReq(
  req: AsReq,
  armor: TicketArmor,
  inner: readonly PaData[],
  outerPadata: readonly PaData[] = [],
): { outer: AsReq; traced: unknown } {
  const fx = makePaFxFastRequest({
    armorKey: armor.armorKey,
    armor: armor.armor,
    checksummed: encodeKdcReqBody(req.reqBody),
    reqBody: req.reqBody,
    padata: inner,
  });
  const outer = { ...req, padata: [...outerPadata, fx] };
  return { outer, traced: { ...outer, fastInner: { padata: inner, reqBody: req.reqBody } } };
}

/** The KrbFastResponse of an armored AS-REP, its KrbFastFinished verified; `realm` is then known to speak FAST. */
export function openArmoredAsRep(
  ctx: ExchangeContext,
  reply: Extract<KdcReply, { kind: 'rep' }>,
  armor: TicketArmor,
  nonce: number,
  realm: string,
): KrbFastResponse {
  const fastResponse = openFastResponse(reply.rep.padata, armor.armorKey, nonce);
  verifyFastFinished(fastResponse, reply.rep, reply.ticketBytes, armor.armorKey);
  ctx.noteFastRealm(realm);
  return fastResponse;
}

/** Checks the AS-REP of a login round (RFC 4120 3.1.5); the names may change when the round asked to canonicalize. */
export function validateAsRep(
  ctx: ExchangeContext,
  reply: Extract<KdcReply, { kind: 'rep' }>,
  step: 'AS' | 'TOKEN',
  round: Omit<LoginRound, 'now'>,
  replyKey: Key,
): ValidatedReply {
  const { client, server, options, nonce, etypes } = round;
  return validateKdcRep(reply, {
    step,
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
}

function clientKey(
  etype: number,
  login: LoginOptions,
  salt: Uint8Array,
  params: Uint8Array | undefined,
): Key {
  if (login.password !== undefined) return stringToKey(etype, login.password, salt, params);
  const key = login.keys?.find((x) => x.etype === etype);
  if (!key)
    throw new KerberosError(`no key for enctype ${etype} among the keys given`, {
      hint: 'the keytab lacks the enctype the KDC chose',
    });
  return key;
}

/** Runs the AS exchange for `client0`; FAST per `login.fast`/`login.armor` (else the client's settings). */
export async function asExchange(
  ctx: ExchangeContext,
  client0: Principal,
  login: LoginOptions,
): Promise<AsResult> {
  if ((login.password === undefined) === (login.keys === undefined))
    throw new KerberosError('login needs exactly one of password or keys');
  let client = client0;
  const etypes = (
    login.etypes ??
    (login.keys ? ctx.etypes.filter((e) => login.keys!.some((x) => x.etype === e)) : ctx.etypes)
  ).filter(isSupportedEnctype);
  if (etypes.length === 0)
    throw new KerberosError('no usable enctype: the keys given match none of the enctypes offered');
  const options = loginKdcOptions(login);
  const armorSource = login.armor ?? ctx.armorSource;
  const mode = login.fast ?? ctx.fastModeFor(armorSource);
  if (mode === 'required' && !armorSource)
    throw new KerberosError('FAST is required but no armor source was given', {
      hint: 'pass `armor`: a TGT ({ tgt }), a ccache ({ ccache }), a host keytab ({ principal, keys }), or { anonymous: true, trustAnchors }',
    });
  let fast = mode === 'required';
  let padataHints: readonly PaData[] | undefined;
  let cookie: PaData | undefined;
  let skewRetried = false;
  let extraRounds = 0;
  for (let round = 0; round < 6 + ctx.maxReferrals; round++) {
    const server = loginServer(login, client);
    const now = ctx.now();
    const usec = usecOf(now);
    const nonce = ctx.nonce();
    const armor = fast && armorSource ? await asArmor(ctx, server.realm, armorSource, now, usec) : undefined;
    const padata: PaData[] = [];
    if (cookie && armor) padata.push(cookie);
    let replyKey: Key | undefined;
    let challenged = false;
    if (padataHints) {
      const hint = chooseKeyDerivation(
        padataHints,
        etypes,
        defaultSaltOf(client.realm, client.name.nameString),
      );
      if (!hint)
        throw new KerberosError(`the KDC offered no pre-authentication enctype among ${etypes.join(', ')}`, {
          hint: 'enable a common enctype (AES) for the principal',
        });
      replyKey = clientKey(hint.etype, login, hint.salt, hint.s2kparams);
      // Inside FAST the encrypted challenge replaces the timestamp, unless the KDC offers only the timestamp.
      challenged =
        armor !== undefined &&
        (findPaData(padataHints, PaDataType.ENCRYPTED_CHALLENGE) !== undefined ||
          findPaData(padataHints, PaDataType.ENC_TIMESTAMP) === undefined);
      if (armor && challenged) {
        padata.push(makePaEncryptedChallenge(armor.armorKey, replyKey, now, usec));
      } else {
        padata.push(makePaEncTimestamp(replyKey, now, usec));
      }
    }
    if (login.pac !== false) padata.push(makePaPacRequest(true));
    // FAST-aware logins ask for protected negotiation: a stripped PA-FX-FAST hint is then caught in the reply.
    if (mode !== 'off') padata.push(makePaReqEncPaRep());
    const asked = { client, server, options, nonce, etypes };
    const req = loginAsReq(ctx, login, { ...asked, now }, armor ? [] : padata);
    const { outer, traced } = armor ? armorAsReq(req, armor, padata) : { outer: req, traced: req };
    const sent = encodeAsReq(outer);
    const { reply, id, kdc } = await ctx.send(server.realm, 'AS', sent, 'AS-REP', traced);
    if (reply.kind === 'error') {
      let e: KrbError = reply.error;
      if (armor) {
        const u = openArmoredError(e, armor.armorKey, nonce, 'FAST');
        e = u.error;
        ctx.trace(id, 'FAST', 'decrypt', `armored KRB-ERROR opened: ${new KdcError(e, 'AS').codeName}`, {
          padata: u.padata,
        });
      }
      const err = new KdcError(e, 'AS', { kdc });
      const advertised = findPaData(err.padata, PaDataType.FX_FAST) !== undefined;
      if (advertised) ctx.noteFastRealm(server.realm);
      if (e.errorCode === ErrorCode.KDC_ERR_PREAUTH_REQUIRED && !padataHints) {
        if (!armor && advertised && mode === 'if-available' && armorSource) {
          fast = true;
          ctx.trace(id, 'AS', 'note', 'KDC advertises FAST (PA-FX-FAST): restarting the exchange armored');
          continue;
        }
        if (!armor && advertised && !findPaData(err.padata, PaDataType.ENC_TIMESTAMP))
          throw ctx.kdcError(e, 'AS', id, kdc);
        padataHints = err.padata;
        cookie = findPaData(err.padata, PaDataType.FX_COOKIE);
        ctx.trace(id, 'AS', 'note', 'KDC requires pre-authentication; using its ETYPE-INFO2 for the key', {
          padata: err.padata,
        });
        continue;
      }
      if (e.errorCode === ErrorCode.KDC_ERR_MORE_PREAUTH_DATA_REQUIRED && armor && extraRounds++ < 2) {
        padataHints = err.padata;
        cookie = findPaData(err.padata, PaDataType.FX_COOKIE) ?? cookie;
        continue;
      }
      if (e.errorCode === ErrorCode.KRB_AP_ERR_SKEW && !skewRetried) {
        skewRetried = true;
        ctx.learnSkew(e, id, 'AS');
        continue;
      }
      if (e.errorCode === ErrorCode.KDC_ERR_WRONG_REALM && e.crealm && e.crealm !== client.realm) {
        ctx.trace(id, 'AS', 'note', `client referral: the principal lives in realm ${e.crealm}`);
        client = { realm: e.crealm, name: e.cname ?? client.name };
        padataHints = undefined;
        cookie = undefined;
        continue;
      }
      throw ctx.kdcError(e, armor ? 'FAST' : 'AS', id, kdc);
    }
    let replyPadata = reply.rep.padata ?? [];
    let fastResponse: KrbFastResponse | undefined;
    if (armor) {
      fastResponse = openArmoredAsRep(ctx, reply, armor, nonce, server.realm);
      replyPadata = fastResponse.padata;
      ctx.trace(
        id,
        'FAST',
        'validate',
        'armored AS-REP: KrbFastResponse nonce and KrbFastFinished verified',
        {
          fastPadata: fastResponse.padata,
          strengthened: fastResponse.strengthenKey !== undefined,
        },
      );
    }
    if (!replyKey) {
      // No pre-auth was needed: derive the key from the reply's own hints.
      const hint = chooseKeyDerivation(
        replyPadata,
        [reply.rep.encPart.etype],
        defaultSaltOf(client.realm, client.name.nameString),
      );
      replyKey = clientKey(
        reply.rep.encPart.etype,
        login,
        hint?.salt ?? defaultSaltOf(client.realm, client.name.nameString),
        hint?.s2kparams,
      );
    }
    if (armor && fastResponse) {
      const kdcChallenge = findPaData(fastResponse.padata, PaDataType.ENCRYPTED_CHALLENGE);
      if (challenged && kdcChallenge) {
        verifyKdcChallenge(kdcChallenge, armor.armorKey, replyKey, ctx.now());
        ctx.trace(id, 'FAST', 'validate', 'KDC encrypted challenge verified (the KDC knows the client key)');
      }
      replyKey = fastReplyKey(fastResponse, replyKey);
    }
    const v = validateAsRep(ctx, reply, 'AS', asked, replyKey);
    ctx.trace(id, 'AS', 'validate', `AS-REP valid: ${v.checks.map((c) => c.check).join(', ')}`, {
      encPart: v.encPart,
      checks: v.checks,
    });
    ctx.trace(id, 'AS', 'result', `${ticketSummary(v.credential)}${armor ? ' (FAST)' : ''}`);
    if (mode !== 'off') {
      const nego = verifyProtectedNegotiation(v.encPart, sent, replyKey);
      if (nego.kdcSupportsFast) ctx.noteFastRealm(server.realm);
      // A downgrade needs a FAST hint to strip: only an unarmored round that went through PREAUTH_REQUIRED.
      if (nego.kdcSupportsFast && !armor && armorSource && padataHints)
        throw new ProtocolError(
          'FAST downgrade: the KDC says in the encrypted reply that it speaks FAST, but this exchange was not armored',
          {
            check: 'fast-negotiation',
            hint: 'PA-FX-FAST was removed from the KDC hints on the way; retry, or use fast: required',
          },
        );
      ctx.trace(
        id,
        'AS',
        'validate',
        `protected negotiation: ${nego.verified ? 'AS-REQ checksum verified' : 'not offered by the KDC'}${nego.kdcSupportsFast ? ', KDC supports FAST' : ''}`,
      );
    }
    return { credential: v.credential, armored: armor !== undefined };
  }
  throw new KerberosError('AS exchange: too many rounds (pre-authentication, skew and referrals)');
}
