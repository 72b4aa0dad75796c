/**
 * KRB-CRED (RFC 4120 5.8) as `.kirbi` files: import to and export from ccache credentials. Rubeus,
 * Impacket and mimikatz write the EncKrbCredPart in the clear (enc-part etype 0); a KRB-CRED from GSS
 * delegation is encrypted in a session key with key usage 14, which needs `key`.
 */
import {
  bitsToFlags,
  decodeEncKrbCredPart,
  decodeKrbCred,
  decodeTicket,
  type EncKrbCredPart,
  encodeEncKrbCredPart,
  encodeKrbCred,
  encodeTicket,
  flagsToBits,
  type KrbCredInfo,
  MessageType,
  TicketFlagBit,
  type TicketFlags,
} from '../asn1/index.js';
import { decrypt, encrypt, type Key, KeyUsage } from '../crypto/index.js';
import { Asn1DecodeError, FormatError } from '../errors.js';
import type { Ccache, Credential } from './ccache.js';
import { ticketsOf } from './ccache-config.js';
import { CcacheVersion } from './constants.js';
import type { CredsPrincipal } from './types.js';

/** Options for {@link importKirbi} and {@link exportKirbi}. */
export interface KirbiOptions {
  /** Key of an encrypted enc-part (import), or to encrypt it with (export); absent means etype 0, in the clear. */
  key?: Key;
}

const PVNO = 5;
const ETYPE_NULL = 0;
const EPOCH = new Date(0);

function principalOf(
  realm: string | undefined,
  name: KrbCredInfo['pname'],
  what: string,
  i: number,
): CredsPrincipal {
  if (realm === undefined || name === undefined) {
    throw new FormatError(`KRB-CRED ticket-info[${i}] has no ${what} name or realm`, {
      hint: 'a credential cache needs both principals; this KRB-CRED leaves them out',
    });
  }
  return { realm, nameType: name.nameType, components: name.nameString };
}

function decodeCredPart(clear: Uint8Array): EncKrbCredPart {
  try {
    return decodeEncKrbCredPart(clear);
  } catch (e) {
    // Impacket 0.10 (pyasn1) writes TicketFlags as the shortest BIT STRING holding the integer, e.g.
    // 03 05 01 81 c2 00 00 for 0x40e10000: 31 bits, shifted by one. RFC 4120 5.2.8 requires 32 bits.
    if (e instanceof Asn1DecodeError && e.path.endsWith('.flags')) {
      throw new FormatError(`KRB-CRED ticket flags are not a 32-bit BIT STRING (${e.path})`, {
        offset: e.offset,
        hint: 'Impacket (ticketConverter, ticketer) writes flags this way; convert its ccache instead of its .kirbi',
        cause: e,
      });
    }
    throw e;
  }
}

/** The credentials of a KRB-CRED (DER), in order. Throws Asn1DecodeError, FormatError, or IntegrityError (bad key). */
export function importKirbi(der: Uint8Array, opts: KirbiOptions = {}): Credential[] {
  const cred = decodeKrbCred(der);
  let clear: Uint8Array;
  if (cred.encPart.etype === ETYPE_NULL) clear = cred.encPart.cipher;
  else if (opts.key) clear = decrypt(opts.key, KeyUsage.KrbCredEncPart, cred.encPart.cipher);
  else {
    throw new FormatError(`KRB-CRED enc-part is encrypted (etype ${cred.encPart.etype})`, {
      hint: 'pass the key it was encrypted with (the session key of the delegating AP exchange)',
    });
  }
  const part = decodeCredPart(clear);
  if (part.ticketInfo.length !== cred.tickets.length) {
    throw new FormatError(
      `KRB-CRED has ${cred.tickets.length} tickets but ${part.ticketInfo.length} ticket-info entries`,
    );
  }
  return part.ticketInfo.map((info, i) => ({
    client: principalOf(info.prealm, info.pname, 'client', i),
    server: principalOf(info.srealm, info.sname, 'server', i),
    key: { etype: info.key.keytype, bytes: info.key.keyvalue },
    authtime: info.authtime ?? EPOCH,
    ...(info.starttime ? { starttime: info.starttime } : {}),
    endtime: info.endtime ?? EPOCH,
    ...(info.renewTill ? { renewTill: info.renewTill } : {}),
    isSkey: false,
    flags: info.flags ? flagsToBits(TicketFlagBit, info.flags) : 0,
    addresses: (info.caddr ?? []).map((a) => ({ addrType: a.addrType, address: a.address })),
    authdata: [],
    ticket: encodeTicket(cred.tickets[i]!),
    secondTicket: new Uint8Array(0),
  }));
}

function credInfo(c: Credential): KrbCredInfo {
  return {
    key: { keytype: c.key.etype, keyvalue: c.key.bytes },
    prealm: c.client.realm,
    pname: { nameType: c.client.nameType, nameString: c.client.components },
    flags: bitsToFlags(TicketFlagBit, c.flags) as TicketFlags,
    authtime: c.authtime,
    ...(c.starttime ? { starttime: c.starttime } : {}),
    endtime: c.endtime,
    ...(c.renewTill ? { renewTill: c.renewTill } : {}),
    srealm: c.server.realm,
    sname: { nameType: c.server.nameType, nameString: c.server.components },
    ...(c.addresses.length > 0
      ? { caddr: c.addresses.map((a) => ({ addrType: a.addrType, address: a.address })) }
      : {}),
  };
}

/** A KRB-CRED (DER, a `.kirbi`) carrying the given credentials; the enc-part in the clear unless `key` is given. */
export function exportKirbi(creds: readonly Credential[], opts: KirbiOptions = {}): Uint8Array {
  const clear = encodeEncKrbCredPart({ ticketInfo: creds.map(credInfo) });
  return encodeKrbCred({
    pvno: PVNO,
    msgType: MessageType.KRB_CRED,
    tickets: creds.map((c) => decodeTicket(c.ticket)),
    encPart: opts.key
      ? { etype: opts.key.etype, cipher: encrypt(opts.key, KeyUsage.KrbCredEncPart, clear) }
      : { etype: ETYPE_NULL, cipher: clear },
  });
}

/** A version 4 ccache holding a KRB-CRED's credentials, its default principal the first client. */
export function kirbiToCcache(der: Uint8Array, opts: KirbiOptions = {}): Ccache {
  const credentials = importKirbi(der, opts);
  const first = credentials[0];
  if (!first) throw new FormatError('KRB-CRED carries no credentials');
  return { version: CcacheVersion.V4, otherHeaderFields: [], defaultPrincipal: first.client, credentials };
}

/** A KRB-CRED of every ticket in a ccache (configuration entries left out). */
export function ccacheToKirbi(cc: Ccache, opts: KirbiOptions = {}): Uint8Array {
  return exportKirbi(ticketsOf(cc), opts);
}
