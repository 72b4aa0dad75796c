/** KRB-ERROR in a GSS token (TOK_ID 03 00, RFC 4121 4.1): the acceptor's refusal as a typed error, and making one. */
import {
  decodeKrbError,
  ErrorCode,
  encodeKrbError,
  errorCodeName,
  type KrbError,
  MessageType,
} from '../asn1/index.js';
import { IntegrityError, KerberosError, ProtocolError } from '../errors.js';
import { formatPrincipal, type Principal } from '../messages/index.js';
import { type Clock, defaultClock } from '../util/env.js';
import { GssTokenId } from './constants.js';
import { encodeKrb5Token } from './framing.js';

const HINTS: Readonly<Record<string, string>> = {
  KRB_AP_ERR_SKEW:
    'the clocks of client and service differ by more than the allowed skew (5 minutes by default)',
  KRB_AP_ERR_MODIFIED:
    "the service could not decrypt the ticket: its keytab does not hold the key the KDC used (password changed, wrong SPN's account, stale kvno)",
  KRB_AP_ERR_BADKEYVER: 'the service keytab lacks the key version of the ticket: export the keytab again',
  KRB_AP_ERR_NOKEY: 'the service has no key of the ticket enctype',
  KRB_AP_ERR_REPEAT: 'the service saw this authenticator before (a replay, or a client reusing a token)',
  KRB_AP_ERR_TKT_EXPIRED: 'the ticket has expired: get a new service ticket',
  KRB_AP_ERR_TKT_NYV: 'the ticket is not valid yet (postdated, or the clocks differ)',
  KRB_AP_ERR_NOT_US: 'the ticket is for another service principal than the one that received it',
  KRB_AP_ERR_INAPP_CKSUM: 'the authenticator checksum is not a GSS-API (0x8003) checksum or is malformed',
};

/** The acceptor refused the AP-REQ with a KRB-ERROR (the token the initiator received instead of an AP-REP). */
export class ApExchangeError extends KerberosError {
  /** Numeric error-code (RFC 4120 7.5.9); `code` is its name. */
  readonly errorCode: number;
  /** Symbolic name, e.g. `KRB_AP_ERR_SKEW`: the same as `code`. */
  readonly codeName: string;
  readonly eText: string | undefined;
  readonly krbError: KrbError;
  constructor(krbError: KrbError) {
    const codeName = errorCodeName(krbError.errorCode);
    const who = formatPrincipal(krbError.sname, krbError.realm);
    super(
      `AP exchange: ${codeName} (${krbError.errorCode})${krbError.eText ? `: ${krbError.eText}` : ''} [service ${who}]`,
      { hint: HINTS[codeName], code: codeName },
    );
    this.errorCode = krbError.errorCode;
    this.codeName = codeName;
    this.eText = krbError.eText;
    this.krbError = krbError;
  }
}

/** The typed error of a KRB-ERROR token body (after TOK_ID 03 00). */
export function apErrorOf(body: Uint8Array): ApExchangeError {
  return new ApExchangeError(decodeKrbError(body));
}

const CODE_OF_CHECK: Readonly<Record<string, number>> = {
  skew: ErrorCode.KRB_AP_ERR_SKEW,
  replay: ErrorCode.KRB_AP_ERR_REPEAT,
  'ticket-times': ErrorCode.KRB_AP_ERR_TKT_EXPIRED,
  'client-name': ErrorCode.KRB_AP_ERR_BADMATCH,
  'server-name': ErrorCode.KRB_AP_ERR_NOT_US,
  checksum: ErrorCode.KRB_AP_ERR_INAPP_CKSUM,
  'channel-bindings': ErrorCode.KRB_AP_ERR_BAD_INTEGRITY,
  'ticket-key': ErrorCode.KRB_AP_ERR_NOKEY,
};

/** The KRB-ERROR code that tells the initiator why an AP-REQ was refused. */
export function apErrorCode(e: unknown): number {
  if (e instanceof ProtocolError && e.check !== undefined)
    return CODE_OF_CHECK[e.check] ?? ErrorCode.KRB_ERR_GENERIC;
  if (e instanceof IntegrityError) return ErrorCode.KRB_AP_ERR_MODIFIED;
  return ErrorCode.KRB_ERR_GENERIC;
}

/** A framed KRB-ERROR token (03 00) for the initiator after `acceptSecContext` threw `error`. */
export function makeApErrorToken(
  error: unknown,
  o: { service: Principal; clock?: Clock | undefined },
): Uint8Array {
  const now = (o.clock ?? defaultClock)();
  const krbError: KrbError = {
    pvno: 5,
    msgType: MessageType.KRB_ERROR,
    stime: new Date(Math.floor(now / 1000) * 1000),
    susec: (now % 1000) * 1000,
    errorCode: apErrorCode(error),
    realm: o.service.realm,
    sname: o.service.name,
  };
  return encodeKrb5Token(GssTokenId.KRB_ERROR, encodeKrbError(krbError));
}
