/** PAC_REQUESTOR (MS-PAC 2.15): the SID of the client that requested the ticket. */
import { decodeSid } from './sid.js';

/** PAC_REQUESTOR: the requesting client's SID. */
export interface PacRequestor {
  sid: string;
}

/** Decodes a PAC_REQUESTOR buffer: one binary SID filling it exactly. */
export function decodeRequestor(data: Uint8Array, base = 0): PacRequestor {
  return { sid: decodeSid(data, base) };
}
