/**
 * The tokens a ticket carries in its authorization data: Apache Kerby's AD-TOKEN (ad-type 256), which Kerby's KDC
 * copies from a token login into the ticket (kerb-identity AbstractIdentityBackend), at top level or inside the
 * RFC 4120 5.2.6 containers. A JWT is decoded for reading, never called verified: `verifyTicketToken` checks its
 * signature with the issuer's key.
 */
import { AdType, type AuthorizationData, TokenFormat } from '../asn1/index.js';
import { decodeAdValue } from '../asn1/registry.js';
import { fromUtf8 } from '../util/bytes.js';
import { type Jwt, parseJwt, verifyJwt } from '../util/jwt.js';

/** An AD-TOKEN found in authorization data. */
export interface TicketToken {
  /** The ad-types from the top level down to the token, e.g. `['AD-IF-RELEVANT', 'AD-TOKEN']`. */
  readonly path: readonly string[];
  /** KRB-TOKEN-VALUE token-format (1: JWT). */
  readonly tokenFormat: number;
  readonly tokenValue: Uint8Array;
  /** For a JWT in compact serialization: header and claims, decoded and NOT verified. */
  readonly jwt?: Jwt | undefined;
}

function walk(ad: AuthorizationData, path: readonly string[], out: TicketToken[]): void {
  for (const e of ad) {
    if (e.adType === AdType.TOKEN) {
      const v = decodeAdValue(e.adType, e.adData);
      if (v.name !== 'AD-TOKEN') continue;
      const { tokenFormat, tokenValue } = v.value.token;
      const text = fromUtf8(tokenValue);
      const isJws = tokenFormat === TokenFormat.JWT && text.split('.').length === 3;
      out.push({
        path: [...path, 'AD-TOKEN'],
        tokenFormat,
        tokenValue,
        ...(isJws ? { jwt: parseJwt(text) } : {}),
      });
      continue;
    }
    if (
      e.adType !== AdType.IF_RELEVANT &&
      e.adType !== AdType.KDC_ISSUED &&
      e.adType !== AdType.MANDATORY_FOR_KDC &&
      e.adType !== AdType.AND_OR
    )
      continue;
    const v = decodeAdValue(e.adType, e.adData);
    if (v.name === 'AD-IF-RELEVANT' || v.name === 'AD-MANDATORY-FOR-KDC')
      walk(v.value, [...path, v.name], out);
    else if (v.name === 'AD-KDCIssued' || v.name === 'AD-AND-OR')
      walk(v.value.elements, [...path, v.name], out);
  }
}

/** Every AD-TOKEN in `ad` (top level and inside containers); a malformed one throws Asn1DecodeError or FormatError. */
export function ticketTokens(ad: AuthorizationData | undefined): TicketToken[] {
  const out: TicketToken[] = [];
  if (ad) walk(ad, [], out);
  return out;
}

/** Verifies a ticket token's JWT signature (RS256, ES256) with the issuer's public key; false for a non-JWT token. */
export async function verifyTicketToken(t: TicketToken, issuerKey: JsonWebKey | CryptoKey): Promise<boolean> {
  return t.jwt === undefined ? false : verifyJwt(t.jwt, issuerKey);
}
