/**
 * Reading KDC replies and checking them against the request. RFC 4120 3.1.5 (AS) and 3.3.4 (TGS) list the checks;
 * each one here has a name, and a failure says which.
 */
import {
  decodeEncKdcRepPart,
  decodeKdcRepReceived,
  decodeKrbError,
  type EncKdcRepPart,
  type KdcOptions,
  type KdcRep,
  type KrbError,
  MessageType,
  NameType,
} from '../asn1/index.js';
import { decrypt, isSupportedEnctype, Key, KeyUsage } from '../crypto/index.js';
import { CryptoError, IntegrityError, ProtocolError } from '../errors.js';
import type { Credential } from './credential.js';
import type { ExchangeStep } from './exchange-step.js';
import { formatPrincipal, type Principal, sameName, tgsRealmOf } from './principal.js';

/** A reply as it came: a KDC-REP or a KRB-ERROR. */
export type KdcReply =
  | { readonly kind: 'rep'; readonly rep: KdcRep; readonly ticketBytes: Uint8Array }
  | { readonly kind: 'error'; readonly error: KrbError };

/**
 * Decodes reply bytes, expecting `AS-REP` or `TGS-REP` (a KRB-ERROR is always accepted). The KDC-REP's byte fields
 * (ticket bytes, cipher texts, padata values) are views of `bytes`, not copies: pass bytes that nothing changes after.
 */
export function parseKdcReply(bytes: Uint8Array, expect: 'AS-REP' | 'TGS-REP'): KdcReply {
  // The outer APPLICATION tag says which message this is (RFC 4120 5.10): 0x6b AS-REP, 0x6d TGS-REP, 0x7e KRB-ERROR.
  const tag = bytes[0];
  if (tag === TAG_KRB_ERROR) return { kind: 'error', error: decodeKrbError(bytes) };
  const want = expect === 'AS-REP' ? TAG_AS_REP : TAG_TGS_REP;
  if (tag !== want) {
    throw new ProtocolError(
      `expected ${expect} or KRB-ERROR, got a message with tag 0x${(tag ?? 0).toString(16)}`,
      {
        check: 'msg-type',
      },
    );
  }
  // The ticket's bytes as received: KrbFastFinished checksums them and the ccache stores them.
  // Views, not copies: a transport gives each reply its own bytes (SendResult.reply).
  const { rep, ticketBytes } = decodeKdcRepReceived(bytes, expect, { views: true });
  return { kind: 'rep', rep, ticketBytes };
}

const TAG_AS_REP = 0x6b;
const TAG_TGS_REP = 0x6d;
const TAG_KRB_ERROR = 0x7e;

/** What the reply must match. */
export interface ReplyExpectation {
  readonly step: ExchangeStep;
  /** The key the enc-part is encrypted in and its usage (AS: client key, 3; TGS: subkey, 9 or session key, 8). */
  readonly replyKey: Key;
  readonly usage: number;
  readonly nonce: number;
  /** Enctypes offered in the request; the session key must be one of them. */
  readonly etypes: readonly number[];
  /** The client the reply must name, unless canonicalization allows another. */
  readonly client?: Principal | undefined;
  /**
   * Accept a different client name: only when the request set canonicalize or request-anonymous, or named an
   * NT-ENTERPRISE client (MIT verify_as_reply); the 'cname' check detail then says it changed.
   */
  readonly clientMayChange?: boolean | undefined;
  /** The server asked for. */
  readonly server: Principal;
  /**
   * TGS: accept a canonical server name (a referral TGT is always accepted). AS, only with canonicalize: another
   * krbtgt for a requested krbtgt (MIT verify_as_reply), or a one-component account name of the same realm for a
   * requested service (AD, Samba).
   */
  readonly serverMayChange?: boolean | undefined;
  readonly options: Partial<KdcOptions>;
  readonly now: Date;
}

/** One named check and its outcome, for traces. */
export interface ReplyCheck {
  readonly check: string;
  readonly detail: string;
}

/** A reply that passed every check. */
export interface ValidatedReply {
  readonly credential: Credential;
  readonly rep: KdcRep;
  readonly encPart: EncKdcRepPart;
  /** True when the server is a cross-realm TGT the client did not ask for (a referral). */
  readonly referral: string | undefined;
  readonly checks: readonly ReplyCheck[];
}

const AS_SNAME_HINT =
  'an AS reply may name another server than requested only with canonicalize, and only krbtgt for krbtgt or a service account name of the same realm for a service: the reply was altered or answers another request';

const CNAME_HINT =
  'a KDC may change the client name only when the request set canonicalize or named an enterprise (NT-ENTERPRISE) principal';

/**
 * Whether an AS reply's server is an acceptable canonical form of the requested one: krbtgt for krbtgt (MIT
 * verify_as_reply), or, for a service, its account name in the same realm (AD and Samba answer
 * `HTTP/web.example.com` with `websvc`). A service never becomes a krbtgt, nor a krbtgt a service.
 */
function asServerCanonical(asked: Principal, got: EncKdcRepPart): boolean {
  const askedTgs = tgsRealmOf(asked.name) !== undefined;
  const gotTgs = tgsRealmOf(got.sname) !== undefined;
  if (askedTgs || gotTgs) return askedTgs && gotTgs;
  return got.srealm === asked.realm && got.sname.nameString.length === 1;
}

/** The client check: the same name, or a canonicalized one when the request allowed that. */
function checkClient(rep: KdcRep, exp: ReplyExpectation): ReplyCheck {
  const got = formatPrincipal(rep.cname, rep.crealm);
  const want = exp.client;
  if (!want) return { check: 'cname', detail: got };
  if (rep.crealm === want.realm && sameName(rep.cname, want.name)) return { check: 'cname', detail: got };
  const shown = `reply names client ${got}, expected ${formatPrincipal(want.name, want.realm)}`;
  if (!exp.clientMayChange) fail('cname', shown);
  const canonRequested =
    exp.options.canonicalize === true ||
    exp.options.requestAnonymous === true ||
    want.name.nameType === NameType.NT_ENTERPRISE;
  if (!canonRequested) fail('cname', shown, CNAME_HINT);
  return { check: 'cname', detail: `${got} (changed from ${formatPrincipal(want.name, want.realm)})` };
}

function fail(check: string, message: string, hint?: string): never {
  throw new ProtocolError(`reply check '${check}' failed: ${message}`, hint ? { check, hint } : { check });
}

/** Checks a KDC-REP against its request, in the order of RFC 4120 3.1.5 / 3.3.4, and returns the credential. */
export function validateKdcRep(
  reply: Extract<KdcReply, { kind: 'rep' }>,
  exp: ReplyExpectation,
): ValidatedReply {
  const { rep } = reply;
  const checks: ReplyCheck[] = [];
  const wantType = exp.usage === 3 ? MessageType.AS_REP : MessageType.TGS_REP;
  if (rep.msgType !== wantType) fail('msg-type', `got ${rep.msgType}, expected ${wantType}`);
  checks.push({ check: 'msg-type', detail: String(rep.msgType) });

  if (rep.encPart.etype !== exp.replyKey.etype) {
    fail(
      'enc-part-etype',
      `enc-part is etype ${rep.encPart.etype} but the reply key is etype ${exp.replyKey.etype}`,
    );
  }
  let plain: Uint8Array;
  try {
    plain = decrypt(exp.replyKey, exp.usage, rep.encPart.cipher);
  } catch (e) {
    if (e instanceof IntegrityError) {
      throw new IntegrityError(
        `${exp.step} reply enc-part did not decrypt with the reply key (usage ${exp.usage})`,
        {
          hint:
            exp.usage === 3
              ? 'the password or keytab key does not match the KDC (or the salt is wrong)'
              : 'the reply was not encrypted in the subkey or session key this request used',
          cause: e,
        },
      );
    }
    throw e;
  }
  checks.push({
    check: 'decrypt',
    detail: `enc-part opened with reply key etype ${exp.replyKey.etype}, usage ${exp.usage}`,
  });
  // The plaintext is ours alone: its byte fields (the session key) may be views of it.
  const encPart = decodeEncKdcRepPart(plain, { views: true });

  if (encPart.nonce !== exp.nonce)
    fail('nonce', `reply nonce ${encPart.nonce} != request nonce ${exp.nonce}`, 'a replayed or forged reply');
  checks.push({ check: 'nonce', detail: String(exp.nonce) });

  checks.push(checkClient(rep, exp));

  if (encPart.srealm !== rep.ticket.realm || !sameName(encPart.sname, rep.ticket.sname)) {
    fail(
      'sname',
      `enc-part server ${formatPrincipal(encPart.sname, encPart.srealm)} differs from the ticket's ${formatPrincipal(rep.ticket.sname, rep.ticket.realm)}`,
    );
  }
  const asked = exp.server;
  const sameServer = encPart.srealm === asked.realm && sameName(encPart.sname, asked.name);
  const refRealm = tgsRealmOf(encPart.sname);
  const isAs = exp.usage === KeyUsage.AsRepEncPart;
  // TGS: a cross-realm TGT the client did not ask for is a referral. AS: no referrals, only canonicalization.
  const isReferral = !isAs && !sameServer && refRealm !== undefined && refRealm !== asked.realm;
  if (!sameServer) {
    const shown = `reply is for ${formatPrincipal(encPart.sname, encPart.srealm)}, request was for ${formatPrincipal(asked.name, asked.realm)}`;
    if (isAs) {
      if (!exp.serverMayChange || exp.options.canonicalize !== true || !asServerCanonical(asked, encPart))
        fail('sname', shown, AS_SNAME_HINT);
    } else if (!exp.serverMayChange && !isReferral) {
      fail('sname', shown);
    }
  }
  checks.push({
    check: 'sname',
    detail:
      formatPrincipal(encPart.sname, encPart.srealm) +
      (isReferral
        ? ' (referral)'
        : sameServer
          ? ''
          : ` (canonicalized from ${formatPrincipal(asked.name, asked.realm)})`),
  });

  const ketype = encPart.key.keytype;
  if (!exp.etypes.includes(ketype)) {
    fail(
      'session-key-etype',
      `session key etype ${ketype} was not offered (${exp.etypes.join(', ')})`,
      'possible downgrade',
    );
  }
  if (!isSupportedEnctype(ketype)) fail('session-key-etype', `session key etype ${ketype} unsupported`);
  let sessionKey: Key;
  try {
    sessionKey = new Key(ketype, encPart.key.keyvalue);
  } catch (e) {
    if (e instanceof CryptoError) fail('session-key', e.message);
    throw e;
  }
  checks.push({ check: 'session-key-etype', detail: String(ketype) });

  if (
    encPart.endtime.getTime() <= encPart.authtime.getTime() - 1000 ||
    encPart.endtime.getTime() < exp.now.getTime() - 300_000
  ) {
    fail('times', `ticket end time ${encPart.endtime.toISOString()} is already past`);
  }
  checks.push({ check: 'times', detail: `ends ${encPart.endtime.toISOString()}` });

  const credential: Credential = {
    client: { realm: rep.crealm, name: rep.cname },
    server: { realm: encPart.srealm, name: encPart.sname },
    sessionKey,
    ticket: rep.ticket,
    ticketBytes: reply.ticketBytes,
    flags: encPart.flags,
    authtime: encPart.authtime,
    starttime: encPart.starttime,
    endtime: encPart.endtime,
    renewTill: encPart.renewTill,
    addresses: encPart.caddr,
    encPart,
  };
  return { credential, rep, encPart, referral: isReferral ? refRealm : undefined, checks };
}
