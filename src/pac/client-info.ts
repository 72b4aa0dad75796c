/** PAC_CLIENT_INFO (MS-PAC 2.7): the client's name and the ticket's authtime, as the KDC saw them. */
import { NdrSize } from './constants.js';
import { decodeUtf16, NdrReader } from './ndr.js';

/** PAC_CLIENT_INFO: ClientId is the authtime as a FILETIME; Name is the client principal without realm. */
export interface PacClientInfo {
  clientId: bigint;
  name: string;
}

/** Decodes a PAC_CLIENT_INFO buffer, which the name must fill exactly. */
export function decodeClientInfo(data: Uint8Array, base = 0): PacClientInfo {
  const r = new NdrReader(data, base);
  const clientId = r.fileTime();
  const nameLength = r.u16();
  if (nameLength % NdrSize.wchar !== 0) r.fail(`PAC_CLIENT_INFO NameLength ${nameLength} is odd`);
  if (nameLength !== r.remaining)
    r.fail(`PAC_CLIENT_INFO NameLength ${nameLength}, ${r.remaining} bytes left`);
  return { clientId, name: decodeUtf16(r.bytesOf(nameLength, 'PAC_CLIENT_INFO.Name')) };
}
