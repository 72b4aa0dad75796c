/**
 * Token pre-authentication padata (Apache Kerby): a PA-TOKEN-REQUEST sealed in the FAST armor key with key usage 57,
 * as Kerby's KDC opens it (kerby-kerb/kerb-server/.../preauth/token/TokenPreauth.java: `EncryptionUtil.unseal(encData,
 * kdcRequest.getArmorKey(), KeyUsage.PA_TOKEN, PaTokenRequest.class)`). The token is only ever encrypted, and only
 * with a key a FAST tunnel established.
 */
import {
  decodeEncryptedData,
  decodePaTokenRequest,
  encodeEncryptedData,
  encodePaTokenRequest,
  KerbyPaDataType,
  type PaData,
  type PaTokenRequest,
  type TokenFlags,
  TokenFormat,
} from '../asn1/index.js';
import { decrypt, encrypt, type Key, KeyUsage } from '../crypto/index.js';
import { ProtocolError } from '../errors.js';
import { utf8 } from '../util/bytes.js';
import type { RandomSource } from '../util/env.js';

/** What goes into a PA-TOKEN-REQUEST. */
export interface TokenRequestParams {
  /** The JWT, compact serialization. */
  readonly jwt: string;
  /** TokenInfo.tokenVendor: the issuer the KDC must trust (Kerby matches it against its configured `issuers`). */
  readonly vendor: string;
  readonly flags?: TokenFlags | undefined;
}

/** PA-TOKEN-REQUEST (Kerby 148): EncryptedData { armor key etype, E(armor key, 57, DER(PA-TOKEN-REQUEST)) }. */
export function makePaTokenRequest(
  armorKey: Key,
  p: TokenRequestParams,
  opts: { confounder?: Uint8Array | undefined; random?: RandomSource | undefined } = {},
): PaData {
  const plain = encodePaTokenRequest({
    tokenInfo: p.flags === undefined ? { tokenVendor: p.vendor } : { flags: p.flags, tokenVendor: p.vendor },
    token: { tokenFormat: TokenFormat.JWT, tokenValue: utf8(p.jwt.trim()) },
  });
  return {
    padataType: KerbyPaDataType.TOKEN_REQUEST,
    padataValue: encodeEncryptedData({
      etype: armorKey.etype,
      cipher: encrypt(armorKey, KeyUsage.PaToken, plain, opts),
    }),
  };
}

/** Opens a PA-TOKEN-REQUEST with the armor key, as the KDC does (IntegrityError when the key is wrong). */
export function openPaTokenRequest(pa: PaData, armorKey: Key): PaTokenRequest {
  if (pa.padataType !== KerbyPaDataType.TOKEN_REQUEST)
    throw new ProtocolError(`padata ${pa.padataType} is not PA-TOKEN-REQUEST (148)`, {
      check: 'padata-type',
    });
  const enc = decodeEncryptedData(pa.padataValue);
  return decodePaTokenRequest(decrypt(armorKey, KeyUsage.PaToken, enc.cipher));
}
