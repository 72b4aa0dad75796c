/**
 * Between the messages layer's Credential (a ticket with its decoded reply) and the record that ccache files and
 * KRB-CRED carry, both directions. Pure; used by GSS delegation (KRB-CRED) and the client's ccache bridge.
 */
import { bitsToFlags, decodeTicket, flagsToBits, TicketFlagBit } from '../asn1/index.js';
import { Key } from '../crypto/index.js';
import type { Credential } from '../messages/credential.js';
import type { Principal } from '../messages/principal.js';
import type { Credential as CcacheCredential } from './ccache.js';
import type { CredsPrincipal } from './types.js';

/** A principal as ccache and keytab records spell it. */
export function toCredsPrincipal(p: Principal): CredsPrincipal {
  return { realm: p.realm, nameType: p.name.nameType, components: [...p.name.nameString] };
}

/** A principal of a ccache or keytab record as the messages layer spells it. */
export function fromCredsPrincipal(p: CredsPrincipal): Principal {
  return { realm: p.realm, name: { nameType: p.nameType, nameString: [...p.components] } };
}

/** The ccache record of a credential (`secondTicket` for a user-to-user ticket). */
export function credentialToCcache(c: Credential, secondTicket?: Uint8Array): CcacheCredential {
  return {
    client: toCredsPrincipal(c.client),
    server: toCredsPrincipal(c.server),
    key: { etype: c.sessionKey.etype, bytes: c.sessionKey.bytes },
    authtime: c.authtime,
    ...(c.starttime ? { starttime: c.starttime } : {}),
    endtime: c.endtime,
    ...(c.renewTill ? { renewTill: c.renewTill } : {}),
    isSkey: secondTicket !== undefined,
    flags: flagsToBits(TicketFlagBit, c.flags) >>> 0,
    addresses: (c.addresses ?? []).map((a) => ({ addrType: a.addrType, address: a.address })),
    authdata: [],
    ticket: c.ticketBytes,
    secondTicket: secondTicket ?? new Uint8Array(0),
  };
}

/**
 * A credential from a ccache or KRB-CRED record. The record has no decrypted reply part, so `encPart` is rebuilt
 * from its fields (nonce 0, no last-req).
 */
export function credentialFromCcache(r: CcacheCredential): Credential {
  const client = fromCredsPrincipal(r.client);
  const server = fromCredsPrincipal(r.server);
  const flags = bitsToFlags(TicketFlagBit, r.flags);
  return {
    client,
    server,
    sessionKey: new Key(r.key.etype, r.key.bytes),
    ticket: decodeTicket(r.ticket),
    ticketBytes: r.ticket,
    flags,
    authtime: r.authtime,
    starttime: r.starttime,
    endtime: r.endtime,
    renewTill: r.renewTill,
    addresses: r.addresses,
    encPart: {
      key: { keytype: r.key.etype, keyvalue: r.key.bytes },
      lastReq: [],
      nonce: 0,
      flags,
      authtime: r.authtime,
      ...(r.starttime ? { starttime: r.starttime } : {}),
      endtime: r.endtime,
      ...(r.renewTill ? { renewTill: r.renewTill } : {}),
      srealm: server.realm,
      sname: server.name,
    },
  };
}
