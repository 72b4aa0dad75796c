/**
 * One TGS exchange (RFC 4120 3.3) with clock-skew retry, optionally armored with FAST (RFC 6113 5.4.1.1): the
 * PA-TGS-REQ is the implicit armor, the armor key KRB-FX-CF2 of its authenticator subkey and the TGT session key,
 * the req-checksum over the PA-TGS-REQ AP-REQ, the caller's padata (S4U…) inside the KrbFastReq. Explicit armor
 * (an armor TGT) is resolved before the exchange starts: {@link resolveTgsArmor}.
 */
import {
  ErrorCode,
  encodeTgsReq,
  type KdcOptions,
  type KrbError,
  type PaData,
  PaDataType,
  type TgsReq,
} from '../asn1/index.js';
import { generateKey, type Key, KeyUsage } from '../crypto/index.js';
import { KerberosError } from '../errors.js';
import { armorKeyOf, explicitTgsArmorKey, makeTicketArmor } from '../fast/armor.js';
import { fastReplyKey, openArmoredError, openFastResponse, verifyFastFinished } from '../fast/reply.js';
import { makePaFxFastRequest } from '../fast/request.js';
import type { Credential } from '../messages/credential.js';
import { KdcError } from '../messages/kdc-error.js';
import type { Principal } from '../messages/principal.js';
import { validateKdcRep } from '../messages/reply.js';
import { prepareTgsReq } from '../messages/tgs-req.js';
import type { ExchangeContext } from './exchange-context.js';
import type { ExchangeResult, TgsOptions } from './tgs-options.js';
import { ticketSummary } from './trace.js';

/** How a TGS request is armored: not at all, with the TGT it presents (implicit), or with an armor TGT (explicit). */
export type TgsArmor =
  | { readonly kind: 'none' }
  | { readonly kind: 'implicit' }
  | { readonly kind: 'explicit'; readonly armorTgt: Credential };

/**
 * The armor of a TGS request to `tgsRealm`, per the request's FAST mode (else the client's) and the realms known to
 * speak FAST. An explicit armor TGT is got here, before the exchange, so no AS exchange runs inside a TGS exchange.
 */
export async function resolveTgsArmor(
  ctx: ExchangeContext,
  tgsRealm: string,
  request: TgsOptions,
): Promise<TgsArmor> {
  const mode = request.fast ?? ctx.fastMode;
  const armored = mode === 'required' || (mode === 'if-available' && ctx.state.fastRealms.has(tgsRealm));
  if (!armored) return { kind: 'none' };
  if (!request.armor) return { kind: 'implicit' };
  return { kind: 'explicit', armorTgt: await ctx.armorTicket(tgsRealm, request.armor) };
}

/** One TGS request to `tgsRealm` for `server` (no referral chasing), armored as `armor` says. */
export async function tgsExchange(
  ctx: ExchangeContext,
  tgt: Credential,
  tgsRealm: string,
  server: Principal,
  request: TgsOptions,
  armor: TgsArmor,
): Promise<ExchangeResult> {
  const step = request.step ?? 'TGS';
  const etypes = request.etypes ?? ctx.etypes;
  const armored = armor.kind !== 'none';
  let skewRetried = false;
  for (;;) {
    const now = ctx.now();
    const usec = (now.getTime() % 1000) * 1000;
    const nonce = ctx.nonce();
    const subkey = generateKey(tgt.sessionKey.etype, (n) => ctx.randomBytes(n));
    const padata =
      typeof request.padata === 'function' ? request.padata(nonce, subkey) : (request.padata ?? []);
    const options: Partial<KdcOptions> = { canonicalize: true, ...request.options };
    const built = prepareTgsReq({
      tgt,
      server: { realm: tgsRealm, name: server.name },
      options,
      nonce,
      till: new Date(now.getTime() + ctx.lifetimeSec * 1000),
      // Renewable: until the presented TGT's renew-till, as MIT's client asks (the KDC caps it there anyway).
      rtime: options.renewable ? (tgt.renewTill ?? tgt.endtime) : undefined,
      etypes,
      subkey,
      now,
      usec,
      padata: armored ? [] : padata,
      additionalTickets: request.additionalTickets,
      additionalTicketsDer: request.additionalTicketsDer,
    });
    let sent: TgsReq = built.req;
    let traced: unknown = built.req;
    let armorKey: Key | undefined;
    if (armor.kind !== 'none') {
      // Implicit armor (the TGT itself) unless the caller named an armor ticket (explicit armor, compound identity).
      const explicit =
        armor.kind === 'explicit'
          ? makeTicketArmor({ tgt: armor.armorTgt, now, usec, random: (n) => ctx.randomBytes(n) })
          : undefined;
      armorKey = explicit
        ? explicitTgsArmorKey(explicit.armorKey, subkey)
        : armorKeyOf(subkey, tgt.sessionKey);
      const paTgsReq = built.req.padata?.[0];
      if (paTgsReq?.padataType !== PaDataType.TGS_REQ)
        throw new KerberosError('internal: the TGS-REQ has no PA-TGS-REQ first');
      sent = {
        ...built.req,
        padata: [
          paTgsReq,
          makePaFxFastRequest({
            armorKey,
            armor: explicit?.armor,
            checksummed: paTgsReq.padataValue,
            reqBody: built.reqBody,
            padata,
          }),
        ],
      };
      traced = { ...sent, fastInner: { padata, reqBody: built.reqBody } };
    }
    const { reply, id, kdc } = await ctx.send(
      tgsRealm,
      step,
      encodeTgsReq(sent, built.reqBodyBytes),
      'TGS-REP',
      traced,
    );
    if (reply.kind === 'error') {
      let e: KrbError = reply.error;
      if (armorKey) {
        const u = openArmoredError(e, armorKey, nonce, step);
        e = u.error;
        ctx.trace(id, 'FAST', 'decrypt', `armored KRB-ERROR opened: ${new KdcError(e, step).codeName}`, {
          padata: u.padata,
        });
      }
      if (e.errorCode === ErrorCode.KRB_AP_ERR_SKEW && !skewRetried) {
        skewRetried = true;
        ctx.learnSkew(e, id, step);
        continue;
      }
      throw ctx.kdcError(e, step, id, kdc);
    }
    let replyKey: Key = subkey;
    let replyPadata: readonly PaData[] = reply.rep.padata ?? [];
    if (armorKey) {
      const resp = openFastResponse(reply.rep.padata, armorKey, nonce);
      verifyFastFinished(resp, reply.rep, reply.ticketBytes, armorKey);
      replyKey = fastReplyKey(resp, subkey);
      replyPadata = resp.padata;
      ctx.trace(
        id,
        'FAST',
        'validate',
        'armored TGS-REP: KrbFastResponse nonce and KrbFastFinished verified',
        {
          fastPadata: resp.padata,
          strengthened: resp.strengthenKey !== undefined,
        },
      );
    }
    const v = validateKdcRep(reply, {
      step,
      replyKey,
      usage: KeyUsage.TgsRepEncPartSubkey,
      nonce,
      etypes,
      client: request.expectClient === 'any' ? undefined : (request.expectClient ?? tgt.client),
      server: { realm: tgsRealm, name: server.name },
      serverMayChange: true,
      options,
      now: ctx.now(),
    });
    if (ctx.tracing !== false) {
      ctx.trace(id, step, 'validate', `TGS-REP valid: ${v.checks.map((c) => c.check).join(', ')}`, {
        encPart: v.encPart,
        checks: v.checks,
      });
      ctx.trace(id, step, 'result', `${ticketSummary(v.credential)}${armorKey ? ' (FAST)' : ''}`, {
        flags: v.credential.flags,
      });
    }
    // Field by field, not `...v`: extending a spread copy was the costliest line of the exchange in profiles.
    return {
      credential: v.credential,
      rep: v.rep,
      encPart: v.encPart,
      referral: v.referral,
      checks: v.checks,
      realm: tgsRealm,
      nonce,
      subkey,
      replyKey,
      padata: replyPadata,
      armored: armorKey !== undefined,
    };
  }
}
