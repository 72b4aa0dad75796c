/** Building TGS-REQs: PA-TGS-REQ carrying an AP-REQ whose authenticator checksums the req-body. RFC 4120 5.4.1, 3.3.1. */
import {
  type ApReq,
  type AuthorizationData,
  encodeApReq,
  encodeAuthenticator,
  encodeKdcReqBody,
  encodeTgsReq,
  type KdcReqBody,
  MessageType,
  PaDataType,
  type TgsReq,
  type Ticket,
} from '../asn1/index.js';
import { checksumTypeOf, encrypt, type Key, KeyUsage, makeChecksum } from '../crypto/index.js';
import type { KdcReqBodyParams } from './as-req.js';
import type { Credential } from './credential.js';

/** Parameters of a TGS-REQ. */
export interface TgsReqParams extends KdcReqBodyParams {
  /** The TGT (or, for renewal/validation, the ticket) presented in PA-TGS-REQ. */
  readonly tgt: Credential;
  /** Authenticator subkey; the reply is then encrypted in it (usage 9). */
  readonly subkey: Key;
  /** Client time for the authenticator. */
  readonly now: Date;
  readonly usec: number;
  /** additional-tickets (S4U2Proxy evidence, u2u TGT). */
  readonly additionalTickets?: readonly Ticket[] | undefined;
  /** The additional tickets' DER as the KDC sent them, by index: sent as received instead of re-encoded. */
  readonly additionalTicketsDer?: readonly (Uint8Array | undefined)[] | undefined;
  /** Omit sname (S4U2Self to self by u2u still names the server; only renewals may omit). */
  readonly omitSname?: boolean | undefined;
  /** Confounder bytes for exact-byte tests. */
  readonly confounder?: Uint8Array | undefined;
}

/** A TGS-REQ before its encoding, and the encodings a caller needs again (the req-body is checksummed, FAST armors it). */
export interface PreparedTgsReq {
  readonly req: TgsReq;
  readonly reqBody: KdcReqBody;
  readonly reqBodyBytes: Uint8Array;
  readonly apReq: ApReq;
}

/** A TGS-REQ and its encoding. */
export interface BuiltTgsReq extends PreparedTgsReq {
  readonly bytes: Uint8Array;
}

/** The KDC-REQ-BODY of a TGS-REQ. */
export function buildTgsReqBody(p: TgsReqParams): KdcReqBody {
  return {
    kdcOptions: p.options,
    realm: p.server.realm,
    ...(p.omitSname ? {} : { sname: p.server.name }),
    till: p.till,
    ...(p.rtime ? { rtime: p.rtime } : {}),
    nonce: p.nonce,
    etype: [...p.etypes],
    ...(p.additionalTickets && p.additionalTickets.length > 0
      ? { additionalTickets: [...p.additionalTickets] }
      : {}),
  } as KdcReqBody;
}

/**
 * The AP-REQ for PA-TGS-REQ: authenticator with a checksum of the encoded req-body keyed with the TGT session key
 * (usage 6, the key's mandatory checksum type), the subkey, encrypted with usage 7.
 */
export function buildPaTgsReqApReq(
  tgt: Credential,
  reqBodyBytes: Uint8Array,
  subkey: Key,
  now: Date,
  usec: number,
  extra: { authorizationData?: AuthorizationData; confounder?: Uint8Array | undefined } = {},
): ApReq {
  const cksumtype = checksumTypeOf(tgt.sessionKey.etype);
  const authenticator = encodeAuthenticator({
    authenticatorVno: 5,
    crealm: tgt.client.realm,
    cname: tgt.client.name,
    cksum: {
      cksumtype,
      checksum: makeChecksum(cksumtype, tgt.sessionKey, KeyUsage.TgsReqAuthCksum, reqBodyBytes),
    },
    cusec: usec,
    ctime: now,
    subkey: { keytype: subkey.etype, keyvalue: subkey.bytes },
    ...(extra.authorizationData ? { authorizationData: extra.authorizationData } : {}),
  });
  const cipher = encrypt(
    tgt.sessionKey,
    KeyUsage.TgsReqAuthenticator,
    authenticator,
    extra.confounder ? { confounder: extra.confounder } : {},
  );
  return {
    pvno: 5,
    msgType: MessageType.AP_REQ,
    apOptions: {},
    ticket: tgt.ticket,
    authenticator: { etype: tgt.sessionKey.etype, cipher },
  } as ApReq;
}

/**
 * A complete TGS-REQ, not yet encoded: PA-TGS-REQ first, then the caller's PA-DATA (FAST adds its PA-FX-FAST to
 * it and encodes the outer request once).
 */
export function prepareTgsReq(p: TgsReqParams): PreparedTgsReq {
  const reqBody = buildTgsReqBody(p);
  const reqBodyBytes = encodeKdcReqBody(reqBody, p.additionalTicketsDer);
  const apReq = buildPaTgsReqApReq(p.tgt, reqBodyBytes, p.subkey, p.now, p.usec, {
    confounder: p.confounder,
  });
  const req = {
    pvno: 5,
    msgType: MessageType.TGS_REQ,
    padata: [
      { padataType: PaDataType.TGS_REQ, padataValue: encodeApReq(apReq, p.tgt.ticketBytes) },
      ...(p.padata ?? []),
    ],
    reqBody,
  } as TgsReq;
  return { req, reqBody, reqBodyBytes, apReq };
}

/** A complete TGS-REQ and its encoding: PA-TGS-REQ first, then the caller's PA-DATA. */
export function buildTgsReq(p: TgsReqParams): BuiltTgsReq {
  const prepared = prepareTgsReq(p);
  return { ...prepared, bytes: encodeTgsReq(prepared.req, prepared.reqBodyBytes) };
}
