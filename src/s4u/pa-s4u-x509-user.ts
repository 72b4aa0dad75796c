/**
 * PA-S4U-X509-USER (padata 130): the user by name and/or certificate, bound to the request nonce, in the request;
 * and the KDC's echo of it in the reply, which proves the reply answers this S4U2Self request. MS-SFU 2.2.2.
 */
import {
  decodePaS4uX509User,
  encodePaS4uX509User,
  encodeS4uUserId,
  type PaData,
  PaDataType,
  type PaS4uX509User,
  type PrincipalName,
  type S4uUserId,
} from '../asn1/index.js';
import {
  ChecksumType,
  checksumTypeOf,
  type Key,
  KeyUsage,
  makeChecksum,
  verifyChecksum,
} from '../crypto/index.js';
import { IntegrityError, ProtocolError } from '../errors.js';
import { formatPrincipal, sameName } from '../messages/principal.js';
import { bytesEqual, concat } from '../util/bytes.js';
import { NOT_NEWER_ENCTYPES } from './constants.js';

/** Who the S4U2Self request is for: a name, a certificate, or both. */
export interface S4uUserIdParams {
  /** The KDC-REQ-BODY nonce of the same request. */
  readonly nonce: number;
  readonly cname?: PrincipalName | undefined;
  readonly crealm: string;
  /** DER X.509 certificate of the user (S4U2Self by certificate). */
  readonly subjectCertificate?: Uint8Array | undefined;
  /** Ask the KDC to sign its reply with key usage 27 (KERB_S4U_OPTIONS_use_reply_key_usage); default true. */
  readonly useReplyKeyUsage?: boolean | undefined;
}

/**
 * The checksum type for a PA-S4U-X509-USER keyed with `key`: the enctype's mandatory checksum, except rsa-md4 for
 * rc4-hmac, which has none (MS-SFU 2.2.2).
 */
export function s4uChecksumType(key: Key): number {
  return NOT_NEWER_ENCTYPES.has(key.etype) ? ChecksumType.RSA_MD4 : checksumTypeOf(key.etype);
}

/** The S4UUserID of a request. */
export function buildS4uUserId(p: S4uUserIdParams): S4uUserId {
  return {
    nonce: p.nonce,
    ...(p.cname ? { cname: p.cname } : {}),
    crealm: p.crealm,
    ...(p.subjectCertificate ? { subjectCertificate: p.subjectCertificate } : {}),
    ...(p.useReplyKeyUsage !== false ? { options: { signedWithKun27: true } } : {}),
  };
}

/**
 * PA-S4U-X509-USER for a request: the S4UUserID and its checksum with usage 26. MS-SFU names the TGT session key;
 * MIT's client signs with the authenticator subkey and MIT's KDC verifies with the subkey when there is one, so the
 * caller passes the key the KDC will use (the subkey with KdcClient, which always sends one).
 */
export function buildPaS4uX509User(p: S4uUserIdParams, key: Key): PaS4uX509User {
  const userId = buildS4uUserId(p);
  const cksumtype = s4uChecksumType(key);
  return {
    userId,
    checksum: {
      cksumtype,
      checksum: makeChecksum(cksumtype, key, KeyUsage.PaS4uX509UserRequest, encodeS4uUserId(userId)),
    },
  };
}

/** The PA-DATA of a PA-S4U-X509-USER value. */
export function paS4uX509UserData(v: PaS4uX509User): PaData {
  return { padataType: PaDataType.S4U_X509_USER, padataValue: encodePaS4uX509User(v) };
}

/** What the reply's PA-S4U-X509-USER proved. */
export interface S4uReplyCheck {
  /** `verified`: present, same nonce and user, checksum valid. `absent`: the KDC sent none (allowed only when asked). */
  readonly status: 'verified' | 'absent';
  /** The key usage the KDC signed with (27 when it honoured use-reply-key-usage, else 26). */
  readonly usage?: number | undefined;
  readonly detail: string;
}

/** Options of {@link checkS4uX509UserReply}. */
export interface S4uReplyCheckOptions {
  /** Accept a reply without PA-S4U-X509-USER (KDCs that ignore padata 130); default false, as MIT's client. */
  readonly allowAbsent?: boolean | undefined;
}

function mismatch(what: string, hint = MISMATCH_HINT): never {
  throw new ProtocolError(`S4U2Self reply PA-S4U-X509-USER: ${what}`, { check: 's4u-x509-user', hint });
}

const MISMATCH_HINT = 'the reply does not answer this S4U2Self request (forged, replayed, or a KDC bug)';
const ABSENT_HINT =
  'the KDC did not echo PA-S4U-X509-USER (Samba and other KDCs without padata 130 support never do), so nothing binds the impersonated user to this request beyond the nonce and subkey; accept that with allowMissingUserCheck: true, or use a KDC that echoes it (MIT, Windows)';

/**
 * Checks the reply's PA-S4U-X509-USER against the request (MS-SFU 2.2.2, MIT krb5 verify_s4u2self_reply): same
 * nonce, same user (name, realm, certificate), a keyed checksum that verifies with the reply key (usage 27 when the
 * reply sets use-reply-key-usage, else 26), and for not-newer enctypes the request||reply checksums in
 * encrypted-pa-data.
 */
export function checkS4uX509UserReply(
  request: PaS4uX509User,
  replyPadata: readonly PaData[] | undefined,
  encryptedPaData: readonly PaData[] | undefined,
  replyKey: Key,
  opts: S4uReplyCheckOptions = {},
): S4uReplyCheck {
  const pa = replyPadata?.find((p) => p.padataType === PaDataType.S4U_X509_USER);
  const enc = encryptedPaData?.find((p) => p.padataType === PaDataType.S4U_X509_USER);
  const notNewer = NOT_NEWER_ENCTYPES.has(replyKey.etype);
  if (pa === undefined) {
    if (enc !== undefined) mismatch('present in encrypted-pa-data but missing from the reply padata');
    if (opts.allowAbsent) return { status: 'absent', detail: 'the KDC returned no PA-S4U-X509-USER' };
    mismatch('missing from the reply (the KDC may not support padata 130)', ABSENT_HINT);
  }
  const rep = decodePaS4uX509User(pa.padataValue);
  const req = request.userId;
  const got = rep.userId;
  if (got.nonce !== req.nonce) mismatch(`nonce ${got.nonce} != request nonce ${req.nonce}`);
  if (got.crealm.toUpperCase() !== req.crealm.toUpperCase())
    mismatch(`realm ${got.crealm} != requested ${req.crealm}`);
  if (req.cname && (!got.cname || !sameName(got.cname, req.cname))) {
    mismatch(
      `user ${got.cname ? formatPrincipal(got.cname, got.crealm) : '(none)'} != requested ${formatPrincipal(req.cname, req.crealm)}`,
    );
  }
  if (
    req.subjectCertificate &&
    !bytesEqual(got.subjectCertificate ?? new Uint8Array(0), req.subjectCertificate)
  )
    mismatch('subject certificate differs from the one requested');
  const usage = got.options?.signedWithKun27 ? KeyUsage.PaS4uX509UserReply : KeyUsage.PaS4uX509UserRequest;
  const cksumtype = rep.checksum.cksumtype;
  const keyed = cksumtype !== ChecksumType.RSA_MD4 && cksumtype !== ChecksumType.RSA_MD5;
  if (!notNewer && !keyed) mismatch(`unkeyed checksum type ${cksumtype} with a ${replyKey.etype} reply key`);
  if (!verifyChecksum(cksumtype, replyKey, usage, encodeS4uUserId(got), rep.checksum.checksum)) {
    throw new IntegrityError(`S4U2Self reply PA-S4U-X509-USER checksum does not verify (usage ${usage})`, {
      hint: 'the reply was altered, or it was signed with another key than this request used',
    });
  }
  if (notNewer && enc !== undefined) {
    if (!bytesEqual(enc.padataValue, concat(request.checksum.checksum, rep.checksum.checksum)))
      mismatch('encrypted-pa-data does not hold the request and reply checksums');
  } else if (notNewer && got.options?.signedWithKun27) {
    mismatch('encrypted-pa-data copy of the checksums is missing');
  }
  return { status: 'verified', usage, detail: `nonce, user and checksum (usage ${usage}) match` };
}
