/** S4U_DELEGATION_INFO (MS-PAC 2.9): the S4U2Proxy target and the services the delegation passed through. */
import { NdrSize } from './constants.js';
import { decodeNdrType, type Lazy, type NdrReader } from './ndr.js';

/** S4U_DELEGATION_INFO: the target of the last S4U2Proxy step, and every service that delegated so far. */
export interface S4uDelegationInfo {
  s4u2proxyTarget: string;
  s4uTransitedServices: string[];
}

/** Bytes of one RPC_UNICODE_STRING before its deferred buffer. */
const UNICODE_STRING_SIZE = 2 * NdrSize.u16 + NdrSize.pointer;

function readDelegationInfo(r: NdrReader): Lazy<S4uDelegationInfo> {
  const target = r.unicodeString('S4U2proxyTarget');
  const count = r.u32();
  const transited = r.arrayPointer(count, UNICODE_STRING_SIZE, 'S4UTransitedServices', (q) =>
    q.unicodeString('S4UTransitedServices[]'),
  );
  return () => ({ s4u2proxyTarget: target(), s4uTransitedServices: transited() });
}

/** Decodes an S4U_DELEGATION_INFO buffer. */
export function decodeDelegationInfo(data: Uint8Array, base = 0): S4uDelegationInfo {
  return decodeNdrType(data, base, 'S4U_DELEGATION_INFO', readDelegationInfo);
}
