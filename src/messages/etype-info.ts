/** Choosing the client's key from the KDC's hints: ETYPE-INFO2, ETYPE-INFO, PW-SALT. RFC 4120 5.2.7.4-5, 3.1.3. */
import {
  decodeEtypeInfo,
  decodeEtypeInfo2,
  type EtypeInfo2Entry,
  type PaData,
  PaDataType,
} from '../asn1/index.js';
import { utf8 } from '../util/bytes.js';

/** The enctype, salt and string-to-key parameters to derive the client key with. */
export interface KeyDerivationHint {
  readonly etype: number;
  /** Salt bytes (the KDC's, or the default realm||components). */
  readonly salt: Uint8Array;
  readonly s2kparams?: Uint8Array | undefined;
  /** Where the hint came from, for traces. */
  readonly source: 'etype-info2' | 'etype-info' | 'pw-salt' | 'default';
}

/** The default salt: realm followed by the name components, no separators (RFC 4120 4). */
export function defaultSaltOf(realm: string, nameString: readonly string[]): Uint8Array {
  return utf8(realm + nameString.join(''));
}

/**
 * The first entry of ETYPE-INFO2 (else ETYPE-INFO) whose enctype the client offered and supports, as RFC 4120
 * 5.2.7.5 orders them by the KDC's preference. Falls back to the client's first supported enctype and the default
 * salt (or PW-SALT) when the KDC gave no hint.
 */
export function chooseKeyDerivation(
  padata: readonly PaData[],
  offered: readonly number[],
  defaultSalt: Uint8Array,
): KeyDerivationHint | undefined {
  const info2 = padata.find((p) => p.padataType === PaDataType.ETYPE_INFO2);
  if (info2) {
    const entries: EtypeInfo2Entry[] = decodeEtypeInfo2(info2.padataValue);
    const e = entries.find((x) => offered.includes(x.etype));
    if (e) {
      return {
        etype: e.etype,
        salt: e.salt !== undefined ? utf8(e.salt) : defaultSalt,
        ...(e.s2kparams ? { s2kparams: e.s2kparams } : {}),
        source: 'etype-info2',
      };
    }
  }
  const info = padata.find((p) => p.padataType === PaDataType.ETYPE_INFO);
  if (info) {
    const e = decodeEtypeInfo(info.padataValue).find((x) => offered.includes(x.etype));
    if (e) return { etype: e.etype, salt: e.salt ?? defaultSalt, source: 'etype-info' };
  }
  const pwSalt = padata.find((p) => p.padataType === PaDataType.PW_SALT);
  const first = offered[0];
  if (first === undefined) return undefined;
  if (pwSalt) return { etype: first, salt: pwSalt.padataValue, source: 'pw-salt' };
  return undefined;
}
