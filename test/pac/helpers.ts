/** Test helpers: the published PAC vectors, keys, and the tickets' PACs. */
import { readFileSync } from 'node:fs';
import { decodeEncTicketPart, decodeTicket, type EncTicketPart } from '../../src/asn1/index.js';
import { decrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import { findPac } from '../../src/pac/authorization-data.js';
import { fromHex } from '../../src/util/bytes.js';

interface KeyJson {
  enctype: number;
  key: string;
}
interface PacJson {
  name: string;
  pac: string;
  serverKey: KeyJson;
  kdcKey?: KeyJson;
  authtime: number;
  clientName: string;
  logonInfoLength?: number;
}
interface Vectors {
  pacs: PacJson[];
  ticketSignature: Record<string, string>;
  ticketSignatureKeys: Record<string, KeyJson>;
}

export const vectors = JSON.parse(readFileSync('test/vectors/pac-examples.json', 'utf8')) as Vectors;
export const gokrb5 = JSON.parse(readFileSync('test/pac/fixtures/gokrb5-pac.json', 'utf8')) as Record<
  string,
  string
>;

export const key = (k: KeyJson): Key => new Key(k.enctype, fromHex(k.key));
export const savedPac = vectors.pacs.find((p) => p.name === 'saved_pac')!;
export const savedPac2 = vectors.pacs.find((p) => p.name === 'saved_pac2')!;
export const savedPacBytes = fromHex(savedPac.pac);
export const savedPac2Bytes = fromHex(savedPac2.pac);
export const extraLogonInfoBytes = fromHex(vectors.ticketSignature.extra_logon_info!);

/** The eight tickets of Heimdal's ticket-signature test with their keys and RODC identifiers. */
export interface TicketCase {
  name: string;
  ticketKey: Key;
  kdcKey: Key;
  rodcIdentifier: number | undefined;
  isTgt: boolean;
}
const K = vectors.ticketSignatureKeys;
const RODC_ID = 46673;
export const ticketCases: TicketCase[] = [
  ['tgt_ticket', K.rwdc_tgt_key, K.rwdc_tgt_pac_key, undefined],
  ['service_ticket', K.server_key, K.rwdc_tgt_pac_key, undefined],
  ['s4u2self_ticket', K.server_key, K.rwdc_tgt_pac_key, undefined],
  ['s4u2proxy_ticket', K.server_key, K.rwdc_tgt_pac_key, undefined],
  ['tgt_rodc', K.rodc_tgt_key, K.rodc_tgt_pac_key, RODC_ID],
  ['service_rodc', K.server_key, K.rodc_tgt_pac_key, RODC_ID],
  ['s4u2self_rodc', K.server_key, K.rodc_tgt_pac_key, RODC_ID],
  ['s4u2proxy_rodc', K.server_key, K.rodc_tgt_pac_key, RODC_ID],
].map(([name, t, k, rodc]) => ({
  name: name as string,
  ticketKey: key(t as KeyJson),
  kdcKey: key(k as KeyJson),
  rodcIdentifier: rodc as number | undefined,
  isTgt: (name as string).startsWith('tgt'),
}));

/** The decrypted EncTicketPart of a vector ticket (usage 2) and its PAC bytes. */
export function openTicket(c: TicketCase): { encTicketPart: EncTicketPart; pacBytes: Uint8Array } {
  const ticket = decodeTicket(fromHex(vectors.ticketSignature[c.name]!));
  const encTicketPart = decodeEncTicketPart(
    decrypt(c.ticketKey, KeyUsage.KdcRepTicket, ticket.encPart.cipher),
  );
  const pacBytes = findPac(encTicketPart.authorizationData ?? []);
  if (pacBytes === undefined) throw new Error(`${c.name} has no PAC`);
  return { encTicketPart, pacBytes };
}
