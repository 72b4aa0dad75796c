/** Shared pieces of the structure explainers: optional fields, addresses, and authorization data with the PAC. */
import {
  AddressType,
  AdType,
  type AuthorizationData,
  type AuthorizationDataEntry,
  decodeAdValue,
  type EncTicketPart,
  type HostAddress,
} from '../asn1/index.js';
import type { Key } from '../crypto/index.js';
import { KerberosError } from '../errors.js';
import { decodePac, ticketChecksumData, verifyPac } from '../pac/index.js';
import type { NodeSpan } from './byte-spans.js';
import {
  bytesText,
  cksumText,
  type Explain,
  type ExplainNode,
  etypeText,
  node,
  principalNode,
} from './core.js';
import { AD_TYPES, ADDRESS_TYPES } from './names.js';
import { explainPac } from './pac.js';
import { adTokenNodes } from './token.js';

/** `[f(v)]`, or nothing when `v` is absent. */
export function opt<T>(v: T | undefined, f: (v: T) => ExplainNode): ExplainNode[] {
  return v === undefined ? [] : [f(v)];
}

function addressText(a: HostAddress): string {
  if (a.addrType === AddressType.IPv4 && a.address.length === 4) return a.address.join('.');
  if (a.addrType === AddressType.IPv6 && a.address.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((a.address[i]! << 8) | a.address[i + 1]!).toString(16));
    return groups.join(':');
  }
  return bytesText(a.address);
}

/** A node listing HostAddresses, IPv4/IPv6 written out. */
export function addressesNode(label: string, list: readonly HostAddress[], ex: Explain): ExplainNode {
  const kids = list.map((a) =>
    ex.span(node(ADDRESS_TYPES.get(a.addrType) ?? `addr-type ${a.addrType}`, addressText(a)), a),
  );
  return node(label, list.length === 0 ? 'none' : String(list.length), undefined, kids);
}

/** Where the PAC of a ticket is checked from: the opened EncTicketPart and the key that opened it. */
export interface PacSource {
  encTicketPart: EncTicketPart;
  key?: Key;
}

/** The PAC in `entry`'s ad-data, verified against the ticket of `src`; its buffers spanned within the ad-data. */
function pacNode(entry: AuthorizationDataEntry, ex: Explain, src: PacSource | undefined): ExplainNode {
  const bytes = entry.adData;
  // Notes where the ad-data lies, so that the PAC's buffers can be placed in it.
  ex.nested(entry, 'adData');
  const at = (offset: number, length: number): NodeSpan | undefined =>
    ex.opts.spans?.range(bytes, offset, length);
  try {
    const pac = decodePac(bytes);
    if (src === undefined) return explainPac(pac, undefined, 'PAC', at);
    const verification = verifyPac(pac, {
      ...(src.key ? { serverKeys: src.key } : {}),
      kdcKeys: ex.opts.kdcKeys?.() ?? [],
      ticketChecksumData: ticketChecksumData(src.encTicketPart),
    });
    return explainPac(pac, verification, 'PAC', at);
  } catch (e) {
    if (!(e instanceof KerberosError)) throw e;
    return node('PAC', bytesText(bytes), `could not decode: ${e.message}`);
  }
}

/** Containers nested deeper than this are shown closed: real tickets nest two or three deep. */
const MAX_AD_NESTING = 8;

/** One node per AuthorizationData element; containers opened, the PAC decoded (and verified with `src`). */
export function adEntries(
  ad: AuthorizationData,
  ex: Explain,
  src: PacSource | undefined,
  depth = 0,
): ExplainNode[] {
  return ad.map((entry) => ex.span(adEntry(entry, ex, src, depth), entry));
}

/** One AuthorizationData element; its ad-data decoded by the asn1 registry, the PAC by the pac layer. */
function adEntry(
  entry: AuthorizationDataEntry,
  ex: Explain,
  src: PacSource | undefined,
  depth: number,
): ExplainNode {
  const named = AD_TYPES.get(entry.adType);
  const label = `${named?.name ?? 'ad-type'} (${entry.adType})`;
  if (depth >= MAX_AD_NESTING)
    return node(label, bytesText(entry.adData), `nested deeper than ${MAX_AD_NESTING}: not opened`);
  if (entry.adType === AdType.WIN2K_PAC)
    return node(label, undefined, named?.meaning, [pacNode(entry, ex, src)]);
  try {
    const v = decodeAdValue(entry.adType, entry.adData, ex.nested(entry, 'adData'));
    let kids: ExplainNode[];
    if (v.name === 'AD-IF-RELEVANT' || v.name === 'AD-MANDATORY-FOR-KDC')
      kids = adEntries(v.value, ex, src, depth + 1);
    else if (v.name === 'AD-KDCIssued')
      kids = [
        ...ex.field(v.value, 'adChecksum', (k) => node('ad-checksum', cksumText(k.cksumtype))),
        ...ex.field(v.value, 'iSname', (n) => principalNode('i-sname', n, v.value.iRealm)),
        ...ex.field(v.value, 'elements', (list) =>
          node('elements', undefined, undefined, adEntries(list, ex, src, depth + 1)),
        ),
      ];
    else if (v.name === 'AD-AND-OR')
      kids = [
        ...ex.field(v.value, 'conditionCount', (n) => node('condition-count', String(n))),
        ...adEntries(v.value.elements, ex, src, depth + 1),
      ];
    else if (v.name === 'AD-ETYPE-NEGOTIATION') {
      const list = v.value;
      kids = list.map((e, i) => ex.itemSpan(node('etype', etypeText(e)), list, i));
    } else if (v.name === 'AD-TOKEN') kids = adTokenNodes(v.value);
    else if (v.name === 'unknown')
      kids = ex.field(entry, 'adData', () => node('ad-data', bytesText(v.value)));
    else kids = [ex.value('ad-data', v.value)];
    return node(label, undefined, named?.meaning, kids);
  } catch (e) {
    if (!(e instanceof KerberosError)) throw e;
    return node(label, bytesText(entry.adData), `could not decode: ${e.message}`);
  }
}

/** Explains AuthorizationData; with `src`, a PAC inside is verified against the ticket it came in. */
export function authorizationDataNode(
  label: string,
  ad: AuthorizationData,
  ex: Explain,
  src?: PacSource,
): ExplainNode {
  return node(label, `${ad.length} element${ad.length === 1 ? '' : 's'}`, undefined, adEntries(ad, ex, src));
}
