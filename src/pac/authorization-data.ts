/**
 * Finding the PAC in a ticket: AD-IF-RELEVANT containers (RFC 4120 5.2.6.1) holding AD-WIN2K-PAC
 * (MS-PAC 2.1), and the EncTicketPart bytes the ticket signature covers (MS-PAC 2.8.3).
 */
import {
  AdType,
  type AuthorizationData,
  decodeAuthorizationData,
  type EncTicketPart,
  encodeAuthorizationData,
  encodeEncTicketPart,
} from '../asn1/index.js';
import { ProtocolError } from '../errors.js';
import { MAX_AD_NESTING } from './constants.js';

/** Indexes from the outer AuthorizationData down to the AD-WIN2K-PAC element. */
type AdPath = number[];

/** Where a PAC is, and its bytes as found on the way down (so that no container is decoded twice). */
interface FoundPac {
  readonly path: AdPath;
  readonly pac: Uint8Array;
}

function locate(ad: AuthorizationData, depth: number, path: AdPath, found: FoundPac[]): void {
  for (const [i, entry] of ad.entries()) {
    if (entry.adType === AdType.WIN2K_PAC) {
      if (depth === 0) {
        throw new ProtocolError('AD-WIN2K-PAC outside AD-IF-RELEVANT', { check: 'pac-container' });
      }
      found.push({ path: [...path, i], pac: entry.adData });
    } else if (entry.adType === AdType.IF_RELEVANT) {
      if (depth >= MAX_AD_NESTING) {
        throw new ProtocolError(`AD-IF-RELEVANT nested deeper than ${MAX_AD_NESTING}`, {
          check: 'pac-container',
        });
      }
      locate(decodeAuthorizationData(entry.adData), depth + 1, [...path, i], found);
    }
  }
}

function locatePac(ad: AuthorizationData): FoundPac | undefined {
  const found: FoundPac[] = [];
  locate(ad, 0, [], found);
  if (found.length > 1)
    throw new ProtocolError(`${found.length} PACs in one ticket`, { check: 'single-pac' });
  return found[0];
}

/**
 * The PAC bytes from a ticket's authorization data: the one AD-WIN2K-PAC inside AD-IF-RELEVANT at any
 * depth, or undefined when there is none. ProtocolError for two PACs or a PAC outside AD-IF-RELEVANT.
 */
export function findPac(authorizationData: AuthorizationData): Uint8Array | undefined {
  return locatePac(authorizationData)?.pac;
}

/** `ad` with the element at `path` given ad-data `replacement`, containers on the way re-encoded. */
function replaceAt(ad: AuthorizationData, path: AdPath, replacement: Uint8Array): AuthorizationData {
  const [index, ...rest] = path;
  return ad.map((entry, i) => {
    if (i !== index) return entry;
    if (rest.length === 0) return { adType: entry.adType, adData: replacement };
    const inner = replaceAt(decodeAuthorizationData(entry.adData), rest, replacement);
    return { adType: entry.adType, adData: encodeAuthorizationData(inner) };
  });
}

/**
 * The data the ticket signature covers (MS-PAC 2.8.3): the EncTicketPart re-encoded in DER with the
 * PAC's ad-data replaced by a single zero byte. ProtocolError when the ticket carries no PAC.
 */
export function ticketChecksumData(encTicketPart: EncTicketPart): Uint8Array {
  const ad = encTicketPart.authorizationData ?? [];
  const found = locatePac(ad);
  if (found === undefined) throw new ProtocolError('the ticket carries no PAC', { check: 'pac-present' });
  return encodeEncTicketPart({
    ...encTicketPart,
    authorizationData: replaceAt(ad, found.path, Uint8Array.of(0)),
  });
}
