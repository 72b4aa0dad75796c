/**
 * Which subkey an AP-REP carries and whether the initiator takes it (RFC 4121 4.1, RFC 4757 7.1), as MIT krb5
 * decides: in an RFC 4121 context the acceptor makes a fresh subkey and it becomes the context key; in an RFC 4757
 * (rc4-hmac) context MIT's acceptor echoes the initiator subkey and MIT's initiator ignores an AP-REP subkey of its
 * own subkey's enctype, so both sides keep the initiator subkey. A fresh rc4 subkey would split the two sides' keys.
 */
import { EncType } from '../crypto/index.js';
import { GssFlag } from './constants.js';

/** True when a context keyed with `etype` uses RFC 4121 tokens; rc4-hmac is the one older enctype we implement. */
function isRfc4121Etype(etype: number): boolean {
  return etype !== EncType.RC4_HMAC;
}

/**
 * The enctype of a fresh acceptor subkey, or undefined when the AP-REP echoes the initiator subkey. Fresh when the
 * initiator subkey (else the session key) is of an RFC 4121 enctype, in DCE style, or when RFC 4537 negotiation chose
 * an RFC 4121 enctype; of the negotiated enctype if any (MIT accept_sec_context.c, krb5_mk_rep).
 */
export function freshAcceptorSubkeyEtype(
  initiatorKeyEtype: number,
  negotiated: number | undefined,
  flags: number,
): number | undefined {
  const fresh =
    isRfc4121Etype(initiatorKeyEtype) ||
    (flags & GssFlag.DCE_STYLE) !== 0 ||
    (negotiated !== undefined && isRfc4121Etype(negotiated));
  return fresh ? (negotiated ?? initiatorKeyEtype) : undefined;
}

/**
 * Whether the initiator takes the AP-REP subkey as the context key: in an RFC 4121 context, in DCE style, or when
 * its enctype differs from the initiator subkey's (an RFC 4537 upgrade). MIT init_sec_context.c, mutual_auth.
 */
export function takesAcceptorSubkey(
  initiatorSubkeyEtype: number,
  acceptorSubkeyEtype: number,
  flags: number,
): boolean {
  return (
    isRfc4121Etype(initiatorSubkeyEtype) ||
    (flags & GssFlag.DCE_STYLE) !== 0 ||
    acceptorSubkeyEtype !== initiatorSubkeyEtype
  );
}
