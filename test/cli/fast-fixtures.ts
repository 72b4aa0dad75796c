/**
 * FAST-armored exchanges for the describe tests, made by the real FAST code of src/fast: an S4U2Self TGS exchange
 * with implicit TGT armor (as MIT kvno sends it) and an AS exchange armored with the vectors' TGT, each reply
 * carrying a KrbFastResponse with a strengthen-key and its enc-part in the strengthened reply key.
 */
import {
  encodeAsRep,
  encodeAsReq,
  encodeEncAsRepPart,
  encodeKdcReqBody,
  encodeKrbFastResponse,
  encodePaFxFastReply,
  encodePaPacRequest,
  encodeTgsReq,
  type KdcReqBody,
  type KrbFastResponse,
  MessageType,
  NameType,
  type PaData,
  PaDataType,
} from '../../src/asn1/index.js';
import { checksumTypeOf, encrypt, Key, KeyUsage, makeChecksum } from '../../src/crypto/index.js';
import {
  armorKeyOf,
  makePaFxFastRequest,
  makeTicketArmor,
  strengthenReplyKey,
} from '../../src/fast/index.js';
import type { Credential } from '../../src/messages/credential.js';
import { fromHex } from '../../src/util/bytes.js';
import {
  admin,
  apache,
  fixed,
  krbtgtKey,
  openVector,
  paForUser,
  paTgsReq,
  REALM,
  serviceKey,
  subkey,
  TILL,
  tgsRep,
  tgtSessionKey,
  ticketBytes,
} from './fixtures.js';

/** The strengthen-key the KDC sends in both replies. */
export const strengthenKey = new Key(18, fromHex('33'.repeat(32)));
/** The subkey of the AS armor AP-REQ's authenticator. */
export const armorSubkey = new Key(18, fromHex('22'.repeat(32)));
const FINISHED_TIME = new Date('2021-08-15T19:21:41Z');

/** PA-FX-FAST carrying `response` in `armorKey` (usage 52), its finished checksum over `ticketDer`. */
function paFxFastReply(armorKey: Key, nonce: number, ticketDer: Uint8Array, cname = apache): PaData {
  const cksumtype = checksumTypeOf(armorKey.etype);
  const response: KrbFastResponse = {
    padata: [],
    strengthenKey: { keytype: strengthenKey.etype, keyvalue: strengthenKey.bytes },
    finished: {
      timestamp: FINISHED_TIME,
      usec: 0,
      crealm: REALM,
      cname,
      ticketChecksum: {
        cksumtype,
        checksum: makeChecksum(cksumtype, armorKey, KeyUsage.FastFinished, ticketDer),
      },
    },
    nonce,
  };
  const cipher = encrypt(armorKey, KeyUsage.FastRep, encodeKrbFastResponse(response), { random: fixed });
  return {
    padataType: PaDataType.FX_FAST,
    padataValue: encodePaFxFastReply({ armoredData: { encFastRep: { etype: armorKey.etype, cipher } } }),
  };
}

/**
 * S4U2Self armored as MIT kvno -U does it: the outer padata holds PA-TGS-REQ (authenticator with a subkey) and
 * PA-FX-FAST, whose KrbFastReq (armor key KRB-FX-CF2(subkey, TGT session key)) holds PA-FOR-USER; the reply's
 * enc-part is in the subkey strengthened (usage 9).
 */
export function fastS4u2SelfExchange(): { request: Uint8Array; reply: Uint8Array; armorKey: Key } {
  const body: KdcReqBody = {
    kdcOptions: { forwardable: true, canonicalize: true },
    realm: REALM,
    sname: apache,
    till: TILL,
    nonce: 2001,
    etype: [18, 23],
  };
  const apReq = paTgsReq(body, true);
  const armorKey = armorKeyOf(subkey, tgtSessionKey);
  const fast = makePaFxFastRequest({
    armorKey,
    checksummed: apReq,
    reqBody: body,
    padata: [{ padataType: PaDataType.FOR_USER, padataValue: paForUser(admin) }],
    confounder: fixed(16),
  });
  const request = encodeTgsReq({
    pvno: 5,
    msgType: MessageType.TGS_REQ,
    // MIT puts PA-FX-FAST before PA-TGS-REQ: the explainer must still open the authenticator first.
    padata: [fast, { padataType: PaDataType.TGS_REQ, padataValue: apReq }],
    reqBody: body,
  });
  const self = openVector('s4u2self_ticket', serviceKey);
  const ticketDer = ticketBytes('s4u2self_ticket');
  const replyKey = strengthenReplyKey(strengthenKey, subkey);
  const reply = tgsRep(self.ticket, self.part, 2001, replyKey, KeyUsage.TgsRepEncPartSubkey, [
    paFxFastReply(armorKey, 2001, ticketDer, admin),
  ]);
  return { request, reply, armorKey };
}

/**
 * An AS exchange for apache armored with the vectors' TGT (AP-REQ armor with a fixed subkey): the KrbFastReq holds
 * PA-PAC-REQUEST, the reply's enc-part is in apache's long-term key (rc4, the vectors' server key) strengthened.
 */
export function fastAsExchange(): { request: Uint8Array; reply: Uint8Array; armorKey: Key } {
  const tgt = openVector('tgt_ticket', krbtgtKey);
  const armorTgt = {
    client: { name: apache, realm: REALM },
    sessionKey: tgtSessionKey,
    ticket: tgt.ticket,
  } as Credential;
  const armor = makeTicketArmor({
    tgt: armorTgt,
    now: FINISHED_TIME,
    usec: 0,
    random: fixed,
    subkey: armorSubkey,
    confounder: fixed(16),
  });
  const krbtgt = { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', REALM] };
  const body: KdcReqBody = {
    kdcOptions: { forwardable: true },
    cname: apache,
    realm: REALM,
    sname: krbtgt,
    till: TILL,
    nonce: 3001,
    etype: [18, 23],
  };
  const fast = makePaFxFastRequest({
    armorKey: armor.armorKey,
    armor: armor.armor,
    checksummed: encodeKdcReqBody(body),
    reqBody: body,
    padata: [{ padataType: PaDataType.PAC_REQUEST, padataValue: encodePaPacRequest({ includePac: true }) }],
    confounder: fixed(16),
  });
  const request = encodeAsReq({ pvno: 5, msgType: MessageType.AS_REQ, padata: [fast], reqBody: body });
  const replyKey = strengthenReplyKey(strengthenKey, serviceKey);
  const enc = encodeEncAsRepPart({
    key: tgt.part.key,
    lastReq: [{ lrType: 0, lrValue: tgt.part.authtime }],
    nonce: 3001,
    flags: tgt.part.flags,
    authtime: tgt.part.authtime,
    endtime: tgt.part.endtime,
    srealm: REALM,
    sname: krbtgt,
  });
  const reply = encodeAsRep({
    pvno: 5,
    msgType: MessageType.AS_REP,
    padata: [paFxFastReply(armor.armorKey, 3001, ticketBytes('tgt_ticket'))],
    crealm: REALM,
    cname: apache,
    ticket: tgt.ticket,
    encPart: {
      etype: replyKey.etype,
      cipher: encrypt(replyKey, KeyUsage.AsRepEncPart, enc, { random: fixed }),
    },
  });
  return { request, reply, armorKey: armor.armorKey };
}
