/** Between the client's Credential and the ccache file's record (MIT FILE format), both directions. */
import { bitsToFlags, decodeTicket, flagsToBits, type PrincipalName, TicketFlagBit } from '../asn1/index.js';
import {
  type Ccache,
  type Credential as CcacheCredential,
  CcacheVersion,
  type CredsPrincipal,
  getConfigValue,
  makeConfigEntry,
} from '../creds/index.js';
import { Key } from '../crypto/index.js';
import type { Credential } from '../messages/credential.js';
import type { Principal } from '../messages/principal.js';
import { fromUtf8, utf8 } from '../util/bytes.js';

/** A principal as ccache and keytab records spell it. */
export function toCredsPrincipal(p: Principal): CredsPrincipal {
  return { realm: p.realm, nameType: p.name.nameType, components: [...p.name.nameString] };
}

function fromCredsPrincipal(p: CredsPrincipal): Principal {
  const name: PrincipalName = { nameType: p.nameType, nameString: [...p.components] };
  return { realm: p.realm, name };
}

/** The ccache record for a credential. */
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
 * A credential from a ccache record. The ccache has no decrypted reply part, so `encPart` is rebuilt from the
 * record's fields (nonce 0, no last-req).
 */
export function credentialFromCcache(r: CcacheCredential): Credential {
  const client = fromCredsPrincipal(r.client);
  const server = fromCredsPrincipal(r.server);
  const ticket = decodeTicket(r.ticket);
  const flags = bitsToFlags(TicketFlagBit, r.flags);
  const sessionKey = new Key(r.key.etype, r.key.bytes);
  return {
    client,
    server,
    sessionKey,
    ticket,
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

/** MIT's ccache configuration key recording that the TGT's KDC speaks FAST (krb5 get_in_tkt.c). */
export const FAST_AVAIL_CONFIG_KEY = 'fast_avail';

/**
 * The `fast_avail` = `yes` configuration entry for a TGT whose KDC speaks FAST, keyed by the TGT's server as MIT
 * kinit writes it: MIT tools reading the ccache then armor their TGS requests, and `kinit -T` accepts it as armor.
 */
export function fastAvailEntry(tgt: Credential): CcacheCredential {
  return makeConfigEntry(
    toCredsPrincipal(tgt.client),
    FAST_AVAIL_CONFIG_KEY,
    utf8('yes'),
    toCredsPrincipal(tgt.server),
  );
}

/** True when the ccache says (MIT `fast_avail`) that the KDC of `tgt` speaks FAST. */
export function ccacheSaysFastAvailable(cc: Ccache, tgt: Credential): boolean {
  const v = getConfigValue(cc, FAST_AVAIL_CONFIG_KEY, toCredsPrincipal(tgt.server));
  return v !== undefined && fromUtf8(v) === 'yes';
}

/**
 * A fresh FILE v4 ccache holding one credential, its client as the default principal, as kinit writes it;
 * `timeOffsetMs` (KDC time minus local time) goes into the header for the tools that read it.
 */
export function ccacheOf(cred: Credential, timeOffsetMs = 0): Ccache {
  const cc: Ccache = {
    version: CcacheVersion.V4,
    otherHeaderFields: [],
    defaultPrincipal: toCredsPrincipal(cred.client),
    credentials: [credentialToCcache(cred)],
  };
  if (timeOffsetMs !== 0) {
    const seconds = Math.trunc(timeOffsetMs / 1000);
    cc.kdcTimeOffset = { seconds, microseconds: (timeOffsetMs - seconds * 1000) * 1000 };
  }
  return cc;
}
