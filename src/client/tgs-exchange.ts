/**
 * One TGS exchange (RFC 4120 3.3) with clock-skew retry, optionally armored with FAST (RFC 6113 5.4.1.1): the
 * PA-TGS-REQ is the implicit armor, the armor key KRB-FX-CF2 of its authenticator subkey and the TGT session key,
 * the req-checksum over the PA-TGS-REQ AP-REQ, the caller's padata (S4U…) inside the KrbFastReq.
 */
import {
  ErrorCode,
  encodeTgsReq,
  type KdcOptions,
  type KrbError,
  type PaData,
  PaDataType,
} from '../asn1/index.js';
import { generateKey, type Key, KeyUsage } from '../crypto/index.js';
import { KerberosError } from '../errors.js';
import { armorKeyOf, explicitTgsArmorKey, makeTicketArmor } from '../fast/armor.js';
import { fastReplyKey, openArmoredError, openFastResponse, verifyFastFinished } from '../fast/reply.js';
import { makePaFxFastRequest } from '../fast/request.js';
import type { Credential } from '../messages/credential.js';
import { KdcError } from '../messages/kdc-error.js';
import { formatPrincipal, type Principal } from '../messages/principal.js';
import { validateKdcRep } from '../messages/reply.js';
import { buildTgsReq } from '../messages/tgs-req.js';
import type { ExchangeResult, KdcClient, TgsOptions } from './kdc-client.js';

/** One TGS request to `tgsRealm` for `server` (no referral chasing), armored when FAST applies. */
export async function tgsOnce(
  k: KdcClient,
  tgt: Credential,
  tgsRealm: string,
  server: Principal,
  o: TgsOptions,
): Promise<ExchangeResult> {
  const step = o.step ?? 'TGS';
  const etypes = o.etypes ?? k.etypes;
  const mode = o.fast ?? k.fastMode;
  const armored = mode === 'required' || (mode === 'if-available' && k.fastRealms.has(tgsRealm));
  let skewRetried = false;
  for (;;) {
    const now = k.now();
    const nonce = k.nonce();
    const subkey = generateKey(tgt.sessionKey.etype, (n) => k.randomBytes(n));
    const padata = typeof o.padata === 'function' ? o.padata(nonce, subkey) : (o.padata ?? []);
    const options: Partial<KdcOptions> = { canonicalize: true, ...o.options };
    const built = buildTgsReq({
      tgt,
      server: { realm: tgsRealm, name: server.name },
      options,
      nonce,
      till: new Date(now.getTime() + k.lifetimeSec * 1000),
      // Renewable: until the presented TGT's renew-till, as MIT's client asks (the KDC caps it there anyway).
      rtime: options.renewable ? (tgt.renewTill ?? tgt.endtime) : undefined,
      etypes,
      subkey,
      now,
      usec: (now.getTime() % 1000) * 1000,
      padata: armored ? [] : padata,
      additionalTickets: o.additionalTickets,
    });
    let bytes = built.bytes;
    let traced: unknown = built.req;
    // Implicit armor (the TGT itself) unless the caller names an armor ticket (explicit armor, compound identity).
    const explicit =
      armored && o.armor
        ? makeTicketArmor({
            tgt: await k.armorTicket(tgsRealm, o.armor),
            now,
            usec: (now.getTime() % 1000) * 1000,
            random: (n) => k.randomBytes(n),
          })
        : undefined;
    const armorKey = !armored
      ? undefined
      : explicit
        ? explicitTgsArmorKey(explicit.armorKey, subkey)
        : armorKeyOf(subkey, tgt.sessionKey);
    if (armorKey) {
      const paTgsReq = built.req.padata?.[0];
      if (paTgsReq?.padataType !== PaDataType.TGS_REQ)
        throw new KerberosError('internal: the TGS-REQ has no PA-TGS-REQ first');
      const outer = {
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
      bytes = encodeTgsReq(outer);
      traced = { ...outer, fastInner: { padata, reqBody: built.reqBody } };
    }
    const { reply, id, kdc } = await k.exchange(tgsRealm, step, bytes, 'TGS-REP', traced);
    if (reply.kind === 'error') {
      let e: KrbError = reply.error;
      if (armorKey) {
        const u = openArmoredError(e, armorKey, nonce, step);
        e = u.error;
        k.trace(id, 'FAST', 'decrypt', `armored KRB-ERROR opened: ${new KdcError(e, step).codeName}`, {
          padata: u.padata,
        });
      }
      if (e.errorCode === ErrorCode.KRB_AP_ERR_SKEW && !skewRetried) {
        skewRetried = true;
        k.learnSkew(e, id, step);
        continue;
      }
      throw k.kdcError(e, step, id, kdc);
    }
    let replyKey: Key = subkey;
    let replyPadata: readonly PaData[] = reply.rep.padata ?? [];
    if (armorKey) {
      const resp = openFastResponse(reply.rep.padata, armorKey, nonce);
      verifyFastFinished(resp, reply.rep, reply.ticketBytes, armorKey);
      replyKey = fastReplyKey(resp, subkey);
      replyPadata = resp.padata;
      k.trace(id, 'FAST', 'validate', 'armored TGS-REP: KrbFastResponse nonce and KrbFastFinished verified', {
        fastPadata: resp.padata,
        strengthened: resp.strengthenKey !== undefined,
      });
    }
    const v = validateKdcRep(reply, {
      step,
      replyKey,
      usage: KeyUsage.TgsRepEncPartSubkey,
      nonce,
      etypes,
      client: o.expectClient === 'any' ? undefined : (o.expectClient ?? tgt.client),
      server: { realm: tgsRealm, name: server.name },
      serverMayChange: true,
      options,
      now: k.now(),
    });
    k.trace(id, step, 'validate', `TGS-REP valid: ${v.checks.map((c) => c.check).join(', ')}`, {
      encPart: v.encPart,
      checks: v.checks,
    });
    k.trace(
      id,
      step,
      'result',
      `ticket for ${formatPrincipal(v.credential.server.name, v.credential.server.realm)} as ${formatPrincipal(v.credential.client.name, v.credential.client.realm)}${armorKey ? ' (FAST)' : ''}`,
      { flags: v.credential.flags },
    );
    return {
      ...v,
      realm: tgsRealm,
      nonce,
      subkey,
      replyKey,
      padata: replyPadata,
      armored: armorKey !== undefined,
    };
  }
}
