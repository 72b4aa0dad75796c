/**
 * FAST armor (RFC 6113 5.4.1.1): the armor key from an armor TGT, as an explicit AP-REQ armor (AS, and TGS combined
 * with the TGS subkey) or as the implicit armor of a TGS request (its authenticator subkey and the TGT session key).
 */
import {
  type ApReq,
  encodeApReq,
  encodeAuthenticator,
  type KrbFastArmor,
  MessageType,
} from '../asn1/index.js';
import { cf2, encrypt, generateKey, type Key, KeyUsage } from '../crypto/index.js';
import type { Credential } from '../messages/credential.js';
import type { RandomSource } from '../util/env.js';
import { ArmorType, FastPepper } from './constants.js';

/** The armor key: KRB-FX-CF2(subkey, ticket session key, "subkeyarmor", "ticketarmor") (RFC 6113 5.4.1.1). */
export function armorKeyOf(subkey: Key, ticketSessionKey: Key): Key {
  return cf2(subkey, ticketSessionKey, FastPepper.SubkeyArmor, FastPepper.TicketArmor);
}

/**
 * The armor key of a TGS request with explicit armor: KRB-FX-CF2(explicit armor key, TGS authenticator subkey,
 * "explicitarmor", "tgsarmor"), binding the armor ticket to this TGS request (MS-KILE 3.3.5.7.4, MIT and Heimdal).
 */
export function explicitTgsArmorKey(explicitArmorKey: Key, tgsSubkey: Key): Key {
  return cf2(explicitArmorKey, tgsSubkey, FastPepper.ExplicitArmor, FastPepper.TgsArmor);
}

/** An explicit armor and the key it yields. */
export interface TicketArmor {
  /** KrbFastArmor of type FX_FAST_ARMOR_AP_REQUEST. */
  readonly armor: KrbFastArmor;
  /** The armor key both sides derive. */
  readonly armorKey: Key;
  /** The authenticator subkey (kept for traces and tests). */
  readonly subkey: Key;
  readonly apReq: ApReq;
}

/** Inputs of an AP-REQ armor. */
export interface TicketArmorParams {
  /** The armor TGT (from a host keytab login, a ccache, or anonymous PKINIT). */
  readonly tgt: Credential;
  readonly now: Date;
  readonly usec: number;
  readonly random: RandomSource;
  /** Fixed subkey and confounder for exact-byte tests. */
  readonly subkey?: Key | undefined;
  readonly confounder?: Uint8Array | undefined;
}

/**
 * FX_FAST_ARMOR_AP_REQUEST armor: an AP-REQ for the armor TGT whose authenticator (usage 11) carries a fresh subkey
 * of the session key's enctype; the armor key is KRB-FX-CF2 of that subkey and the session key.
 */
export function makeTicketArmor(p: TicketArmorParams): TicketArmor {
  const subkey = p.subkey ?? generateKey(p.tgt.sessionKey.etype, p.random);
  const authenticator = encodeAuthenticator({
    authenticatorVno: 5,
    crealm: p.tgt.client.realm,
    cname: p.tgt.client.name,
    cusec: p.usec,
    ctime: p.now,
    subkey: { keytype: subkey.etype, keyvalue: subkey.bytes },
  });
  const cipher = encrypt(
    p.tgt.sessionKey,
    KeyUsage.ApReqAuthenticator,
    authenticator,
    p.confounder ? { confounder: p.confounder } : {},
  );
  const apReq = {
    pvno: 5,
    msgType: MessageType.AP_REQ,
    apOptions: {},
    ticket: p.tgt.ticket,
    authenticator: { etype: p.tgt.sessionKey.etype, cipher },
  } as ApReq;
  return {
    armor: { armorType: ArmorType.AP_REQUEST, armorValue: encodeApReq(apReq, p.tgt.ticketBytes) },
    armorKey: armorKeyOf(subkey, p.tgt.sessionKey),
    subkey,
    apReq,
  };
}
