/**
 * Armored replies (RFC 6113 5.4.3, 5.4.4): PA-FX-FAST-REPLY decrypted with the armor key (usage 52), the nonce
 * checked, KrbFastFinished verified over the ticket (usage 53) and the names, the reply key strengthened, and
 * PA-FX-ERROR unwrapped from armored KRB-ERRORs.
 */
import {
  decodeKrbError,
  decodeKrbFastResponse,
  decodeMethodData,
  decodePaFxFastReply,
  encodeMethodData,
  type KdcRep,
  type KrbError,
  type KrbFastResponse,
  type PaData,
  PaDataType,
} from '../asn1/index.js';
import { cf2, decrypt, Key, KeyUsage, verifyChecksum } from '../crypto/index.js';
import { Asn1DecodeError, IntegrityError, ProtocolError } from '../errors.js';
import type { ExchangeStep } from '../messages/exchange-step.js';
import { KdcError } from '../messages/kdc-error.js';
import { formatPrincipal, sameName } from '../messages/principal.js';
import { FastPepper } from './constants.js';

/** The first PA-DATA of `type`, if any. */
export function findPaData(padata: readonly PaData[] | undefined, type: number): PaData | undefined {
  return padata?.find((p) => p.padataType === type);
}

/**
 * The KrbFastResponse inside the PA-FX-FAST of `padata`, decrypted with the armor key (usage 52), whose nonce must
 * be the request's. A missing PA-FX-FAST is a ProtocolError; a failed decryption an IntegrityError.
 */
export function openFastResponse(
  padata: readonly PaData[] | undefined,
  armorKey: Key,
  nonce: number,
): KrbFastResponse {
  const pa = findPaData(padata, PaDataType.FX_FAST);
  if (!pa) {
    throw new ProtocolError('the KDC answered an armored request without PA-FX-FAST', {
      check: 'fast-reply',
      hint: 'a KDC that accepts FAST must armor its reply; a reply without it may be a downgrade',
    });
  }
  const enc = decodePaFxFastReply(pa.padataValue).armoredData.encFastRep;
  let plain: Uint8Array;
  try {
    plain = decrypt(armorKey, KeyUsage.FastRep, enc.cipher);
  } catch (e) {
    if (e instanceof IntegrityError) {
      throw new IntegrityError('the armored reply did not decrypt with the armor key (usage 52)', {
        hint: 'the reply was modified, or the KDC derived another armor key',
        cause: e,
      });
    }
    throw e;
  }
  const response = decodeKrbFastResponse(plain);
  if (response.nonce >>> 0 !== nonce >>> 0) {
    throw new IntegrityError(`KrbFastResponse nonce ${response.nonce} is not the request's ${nonce}`, {
      hint: 'a replayed or modified armored reply',
    });
  }
  return response;
}

/** The strengthened reply key KRB-FX-CF2(strengthen-key, reply key, "strengthenkey", "replykey") (RFC 6113 5.4.3). */
export function strengthenReplyKey(strengthenKey: Key, replyKey: Key): Key {
  return cf2(strengthenKey, replyKey, FastPepper.StrengthenKey, FastPepper.ReplyKey);
}

/** The reply key to open the KDC-REP with: strengthened when the KrbFastResponse carries a strengthen-key. */
export function fastReplyKey(response: KrbFastResponse, replyKey: Key): Key {
  const sk = response.strengthenKey;
  return sk ? strengthenReplyKey(new Key(sk.keytype, sk.keyvalue), replyKey) : replyKey;
}

/**
 * Verifies KrbFastFinished (RFC 6113 5.4.3): present, its ticket-checksum (armor key, usage 53) over the ticket's
 * DER as sent, and its cname/crealm equal to the reply's. Any failure is an IntegrityError.
 */
export function verifyFastFinished(
  response: KrbFastResponse,
  rep: KdcRep,
  ticketBytes: Uint8Array,
  armorKey: Key,
): void {
  const f = response.finished;
  if (!f) throw new IntegrityError('the armored KDC-REP has no KrbFastFinished', { hint: 'reply modified' });
  const c = f.ticketChecksum;
  if (!verifyChecksum(c.cksumtype, armorKey, KeyUsage.FastFinished, ticketBytes, c.checksum)) {
    throw new IntegrityError('KrbFastFinished ticket-checksum does not match the ticket (usage 53)', {
      hint: 'the ticket in the reply was replaced or modified',
    });
  }
  if (f.crealm !== rep.crealm || !sameName(f.cname, rep.cname)) {
    throw new IntegrityError(
      `KrbFastFinished names ${formatPrincipal(f.cname, f.crealm)} but the reply names ${formatPrincipal(rep.cname, rep.crealm)}`,
      { hint: 'the reply client name was modified' },
    );
  }
}

/** An armored KRB-ERROR opened: the inner error and the padata the KDC sent with it. */
export interface UnwrappedFastError {
  /** The KRB-ERROR from PA-FX-ERROR, its e-data replaced by the KrbFastResponse padata (as MIT does). */
  readonly error: KrbError;
  /** The KrbFastResponse padata other than PA-FX-ERROR: ETYPE-INFO2, PA-FX-COOKIE, PA-ENCRYPTED-CHALLENGE… */
  readonly padata: readonly PaData[];
}

/**
 * Opens an armored KRB-ERROR (RFC 6113 5.4.4): its e-data METHOD-DATA holds PA-FX-FAST, whose KrbFastResponse holds
 * PA-FX-ERROR. Returns undefined when the error is not armored (no PA-FX-FAST in METHOD-DATA e-data).
 */
export function unwrapFastError(
  outer: KrbError,
  armorKey: Key,
  nonce: number,
): UnwrappedFastError | undefined {
  if (!outer.eData) return undefined;
  let methodData: PaData[];
  try {
    methodData = decodeMethodData(outer.eData);
  } catch (e) {
    if (e instanceof Asn1DecodeError) return undefined;
    throw e;
  }
  if (!findPaData(methodData, PaDataType.FX_FAST)) return undefined;
  const response = openFastResponse(methodData, armorKey, nonce);
  const fxError = findPaData(response.padata, PaDataType.FX_ERROR);
  if (!fxError) {
    throw new ProtocolError('armored KRB-ERROR without PA-FX-ERROR in its KrbFastResponse', {
      check: 'fast-error',
    });
  }
  const padata = response.padata.filter((p) => p.padataType !== PaDataType.FX_ERROR);
  const inner = decodeKrbError(fxError.padataValue);
  const error: KrbError = padata.length > 0 ? { ...inner, eData: encodeMethodData(padata) } : inner;
  return { error, padata };
}

/**
 * The armored error of an armored request. An error without FAST protection cannot be authenticated, so nothing in
 * it (skew, referral realm, ETYPE-INFO2, the error itself) may steer the client: it is a ProtocolError (check
 * `fast-error`) carrying the unprotected KdcError as its cause, as Heimdal refuses it and MIT acts on none of it.
 */
export function openArmoredError(
  outer: KrbError,
  armorKey: Key,
  nonce: number,
  step: ExchangeStep,
): UnwrappedFastError {
  const u = unwrapFastError(outer, armorKey, nonce);
  if (u) return u;
  const cause = new KdcError(outer, step);
  throw new ProtocolError(
    `unarmored KRB-ERROR ${cause.codeName}${outer.eText ? ` (${outer.eText})` : ''} in reply to an armored request: not acted on`,
    {
      check: 'fast-error',
      hint: 'the KDC could not use the armor (armor ticket or TGT expired, explicit TGS armor refused, a KDC without FAST), or the error was forged on the way; the cause holds the unauthenticated KdcError',
      cause,
    },
  );
}
