/**
 * RFC 4537 enctype negotiation: the initiator lists its enctypes in AD-ETYPE-NEGOTIATION inside AD-IF-RELEVANT in the
 * authenticator; the acceptor makes its subkey of the first one it supports. MIT sends it when the session key is not
 * of its preferred enctype, so an rc4 or aes-sha2 session key gets an aes256 acceptor subkey.
 */
import {
  AdType,
  type AuthorizationData,
  decodeAdIfRelevant,
  decodeEtypeList,
  encodeAdIfRelevant,
  encodeEtypeList,
} from '../asn1/index.js';
import { isSupportedEnctype } from '../crypto/index.js';
import { Asn1DecodeError } from '../errors.js';

/** Authenticator authorization-data offering `etypes` (AD-IF-RELEVANT { AD-ETYPE-NEGOTIATION }). */
export function etypeNegotiationAuthData(etypes: readonly number[]): AuthorizationData {
  const inner = [{ adType: AdType.ETYPE_NEGOTIATION, adData: encodeEtypeList(etypes) }];
  return [{ adType: AdType.IF_RELEVANT, adData: encodeAdIfRelevant(inner) }];
}

/** The first enctype we support among those the initiator offered, if it offered any (malformed lists ignored). */
export function negotiatedEtype(ad: AuthorizationData | undefined): number | undefined {
  for (const e of ad ?? []) {
    if (e.adType !== AdType.IF_RELEVANT) continue;
    try {
      for (const inner of decodeAdIfRelevant(e.adData)) {
        if (inner.adType !== AdType.ETYPE_NEGOTIATION) continue;
        const found = decodeEtypeList(inner.adData).find(isSupportedEnctype);
        if (found !== undefined) return found;
      }
    } catch (err) {
      // AD-IF-RELEVANT: an element we cannot read may be ignored (RFC 4120 5.2.6.1).
      if (!(err instanceof Asn1DecodeError)) throw err;
    }
  }
  return undefined;
}
