/** PAC_CLIENT_INFO (MS-PAC 2.7): the client's name and the ticket's authtime, as the KDC saw them. */
import { FileTimeSpecial, NdrSize } from './constants.js';
import { decodeUtf16, NdrReader, withoutTrailingNuls } from './ndr.js';
import type { Pac } from './pac.js';
import type { SignatureCheck } from './signatures.js';

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
  return { clientId, name: withoutTrailingNuls(decodeUtf16(r.bytesOf(nameLength, 'PAC_CLIENT_INFO.Name'))) };
}

/** The ticket facts PAC_CLIENT_INFO must repeat: its authtime and its client name (without realm). */
export interface TicketClient {
  authtime: Date;
  clientName: string;
}

/**
 * Whether the PAC was made for this ticket (MS-PAC 2.7, MS-KILE 3.4.5.3): ClientId must be the ticket's
 * authtime and Name its client name. A PAC copied from another ticket fails here even with good signatures.
 */
export function checkClientInfo(pac: Pac, ticket: TicketClient): SignatureCheck {
  const info = pac.clientInfo;
  if (info === undefined) return { status: 'not-checkable', reason: 'the PAC has no client info' };
  const authtime =
    BigInt(ticket.authtime.getTime()) * FileTimeSpecial.perMillisecond + FileTimeSpecial.unixEpoch;
  if (info.clientId !== authtime) {
    return { status: 'invalid', reason: 'client info time is not the ticket authtime' };
  }
  if (info.name !== ticket.clientName) {
    return { status: 'invalid', reason: `client info names ${info.name}, the ticket ${ticket.clientName}` };
  }
  return { status: 'valid', reason: 'client info matches the ticket' };
}
