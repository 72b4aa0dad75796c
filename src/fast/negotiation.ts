/**
 * Protected negotiation (RFC 6806 11, used by RFC 6113 FAST): the client asks with PA-REQ-ENC-PA-REP for a checksum
 * of its AS-REQ inside the encrypted reply, which proves nothing in the exchange was changed on the way (the
 * pre-authentication hints, the padata advertising FAST); PA-FX-FAST in the encrypted padata says the KDC speaks
 * FAST, so a client that did not armor learns it was downgraded.
 */
import { decodePaReqEncPaRep, type EncKdcRepPart, type PaData, PaDataType } from '../asn1/index.js';
import { type Key, KeyUsage, verifyChecksum } from '../crypto/index.js';
import { IntegrityError } from '../errors.js';

/** PA-REQ-ENC-PA-REP (149) with an empty value: the request for the reply's checksum. */
export function makePaReqEncPaRep(): PaData {
  return { padataType: PaDataType.REQ_ENC_PA_REP, padataValue: new Uint8Array(0) };
}

/** What the encrypted reply padata proved. */
export interface NegotiationCheck {
  /** True when the reply carried a valid checksum of the AS-REQ (enc-pa-rep). */
  readonly verified: boolean;
  /** True when the encrypted padata holds PA-FX-FAST: the KDC supports FAST. */
  readonly kdcSupportsFast: boolean;
}

/**
 * When the reply sets the enc-pa-rep flag, its encrypted padata must hold PA-REQ-ENC-PA-REP with a checksum (usage
 * 56, the reply key) over `requestBytes`, the AS-REQ exactly as sent; otherwise an IntegrityError, as MIT
 * (krb5int_fast_verify_nego) refuses such a reply.
 */
export function verifyProtectedNegotiation(
  encPart: EncKdcRepPart,
  requestBytes: Uint8Array,
  replyKey: Key,
): NegotiationCheck {
  const enc = encPart.encryptedPaData ?? [];
  const kdcSupportsFast = enc.some((p) => p.padataType === PaDataType.FX_FAST);
  if (!encPart.flags.encPaRep) return { verified: false, kdcSupportsFast };
  const pa = enc.find((p) => p.padataType === PaDataType.REQ_ENC_PA_REP);
  if (!pa)
    throw new IntegrityError('the reply sets enc-pa-rep but has no PA-REQ-ENC-PA-REP checksum', {
      hint: 'the reply was modified',
    });
  const c = decodePaReqEncPaRep(pa.padataValue);
  if (!verifyChecksum(c.cksumtype, replyKey, KeyUsage.AsReq, requestBytes, c.checksum))
    throw new IntegrityError('PA-REQ-ENC-PA-REP does not match the AS-REQ sent (usage 56)', {
      hint: 'the request was modified on the way to the KDC (a downgrade of the pre-authentication negotiation?)',
    });
  return { verified: true, kdcSupportsFast };
}
