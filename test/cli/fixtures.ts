/**
 * Test fixtures for the CLI, built from real-format bytes: the Heimdal ticket-signature vectors (a TGT of
 * apache@ACME.COM, an S4U2Self ticket and an S4U2Proxy ticket for admin, with their PACs) wrapped in requests
 * and replies made with the asn1 encoders and the crypto layer. Not shipped; the demo ships a lab recording.
 */
import { readFileSync } from 'node:fs';
import {
  decodeEncTicketPart,
  decodeTicket,
  type EncTicketPart,
  encodeApReq,
  encodeAuthenticator,
  encodeEncTgsRepPart,
  encodeKdcReqBody,
  encodePaForUser,
  encodePaPacOptions,
  encodeTgsRep,
  encodeTgsReq,
  type KdcReqBody,
  MessageType,
  NameType,
  type PaData,
  PaDataType,
  type PrincipalName,
  type Ticket,
} from '../../src/asn1/index.js';
import type { DemoRecording } from '../../src/cli/demo/recording.js';
import {
  ChecksumType,
  checksumTypeOf,
  decrypt,
  encrypt,
  Key,
  KeyUsage,
  makeChecksum,
} from '../../src/crypto/index.js';
import { concat, fromHex, toHex, utf8 } from '../../src/util/bytes.js';

interface KeyJson {
  enctype: number;
  key: string;
}
const vectors = JSON.parse(readFileSync('test/vectors/pac-examples.json', 'utf8')) as {
  ticketSignature: Record<string, string>;
  ticketSignatureKeys: Record<string, KeyJson>;
};
const K = vectors.ticketSignatureKeys;
const keyOf = (k: KeyJson): Key => new Key(k.enctype, fromHex(k.key));

/** The realm of the vectors. */
export const REALM = 'ACME.COM';
/** krbtgt/ACME.COM long-term key (aes256), which opens the TGT. */
export const krbtgtKey = keyOf(K['rwdc_tgt_key']!);
/** The key that signs the vectors' PACs as the KDC (rc4). */
export const krbtgtPacKey = keyOf(K['rwdc_tgt_pac_key']!);
/** Long-term key of apache@ACME.COM and of sql/mysql.acme.com in the vectors (rc4). */
export const serviceKey = keyOf(K['server_key']!);

/** Ticket DER of a vector. */
export const ticketBytes = (name: 'tgt_ticket' | 's4u2self_ticket' | 's4u2proxy_ticket'): Uint8Array =>
  fromHex(vectors.ticketSignature[name]!);

/** A vector ticket, decoded and opened with `key`. */
export function openVector(
  name: 'tgt_ticket' | 's4u2self_ticket' | 's4u2proxy_ticket',
  key: Key,
): { ticket: Ticket; part: EncTicketPart } {
  const ticket = decodeTicket(ticketBytes(name));
  return { ticket, part: decodeEncTicketPart(decrypt(key, KeyUsage.KdcRepTicket, ticket.encPart.cipher)) };
}

/** A fixed "random" source, so the fixture's bytes are the same on every run. */
export const fixed = (n: number): Uint8Array => new Uint8Array(n).fill(0x5a);

const tgt = openVector('tgt_ticket', krbtgtKey);
/** The TGT session key, from the opened TGT. */
export const tgtSessionKey = new Key(tgt.part.key.keytype, tgt.part.key.keyvalue);
/** The subkey the S4U2Self authenticator carries. */
export const subkey = new Key(18, fromHex('11'.repeat(32)));

/** apache@ACME.COM, the client of the vectors' TGT. */
export const apache: PrincipalName = { nameType: NameType.NT_PRINCIPAL, nameString: ['apache'] };
/** admin@ACME.COM, the user of the S4U vectors. */
export const admin: PrincipalName = { nameType: NameType.NT_PRINCIPAL, nameString: ['admin'] };
const sql: PrincipalName = { nameType: NameType.NT_SRV_HST, nameString: ['sql', 'mysql.acme.com'] };
/** The till of the fixture requests. */
export const TILL = new Date('2021-08-16T05:21:37Z');
const CTIME = new Date('2021-08-15T19:21:40Z');

/** PA-TGS-REQ of apache's TGT over `body`, its authenticator carrying the fixed subkey when asked. */
export function paTgsReq(body: KdcReqBody, withSubkey: boolean): Uint8Array {
  const cksumtype = checksumTypeOf(tgtSessionKey.etype);
  const authenticator = encodeAuthenticator({
    authenticatorVno: 5,
    crealm: REALM,
    cname: apache,
    cksum: {
      cksumtype,
      checksum: makeChecksum(cksumtype, tgtSessionKey, KeyUsage.TgsReqAuthCksum, encodeKdcReqBody(body)),
    },
    cusec: 0,
    ctime: CTIME,
    ...(withSubkey ? { subkey: { keytype: subkey.etype, keyvalue: subkey.bytes } } : {}),
  });
  return encodeApReq({
    pvno: 5,
    msgType: MessageType.AP_REQ,
    apOptions: {},
    ticket: tgt.ticket,
    authenticator: {
      etype: tgtSessionKey.etype,
      cipher: encrypt(tgtSessionKey, KeyUsage.TgsReqAuthenticator, authenticator, { random: fixed }),
    },
  });
}

/** MS-SFU 2.2.1: HMAC-MD5 (usage 17) over name-type (LE), name strings, realm and auth-package. */
export function paForUser(user: PrincipalName): Uint8Array {
  const nameType = new Uint8Array(4);
  new DataView(nameType.buffer).setInt32(0, user.nameType, true);
  const data = concat(nameType, ...user.nameString.map(utf8), utf8(REALM), utf8('Kerberos'));
  const checksum = makeChecksum(ChecksumType.HMAC_MD5, tgtSessionKey, KeyUsage.PacSignature, data);
  return encodePaForUser({
    userName: user,
    userRealm: REALM,
    cksum: { cksumtype: ChecksumType.HMAC_MD5, checksum },
    authPackage: 'Kerberos',
  });
}

/** A TGS-REP carrying `ticket`, its enc-part (facts from `part`) in `replyKey` under `usage`, with `padata`. */
export function tgsRep(
  ticket: Ticket,
  part: EncTicketPart,
  nonce: number,
  replyKey: Key,
  usage: number,
  padata?: PaData[],
): Uint8Array {
  const enc = encodeEncTgsRepPart({
    key: part.key,
    lastReq: [{ lrType: 0, lrValue: part.authtime }],
    nonce,
    flags: part.flags,
    authtime: part.authtime,
    ...(part.starttime ? { starttime: part.starttime } : {}),
    endtime: part.endtime,
    ...(part.renewTill ? { renewTill: part.renewTill } : {}),
    srealm: ticket.realm,
    sname: ticket.sname,
  });
  return encodeTgsRep({
    pvno: 5,
    msgType: MessageType.TGS_REP,
    ...(padata ? { padata } : {}),
    crealm: part.crealm,
    cname: part.cname,
    ticket,
    encPart: { etype: replyKey.etype, cipher: encrypt(replyKey, usage, enc, { random: fixed }) },
  });
}

/** S4U2Self: apache asks for a ticket to itself in admin's name (PA-FOR-USER), reply in the subkey (usage 9). */
export function s4u2SelfExchange(): { request: Uint8Array; reply: Uint8Array } {
  const body: KdcReqBody = {
    kdcOptions: { forwardable: true, canonicalize: true },
    realm: REALM,
    sname: apache,
    till: TILL,
    nonce: 1001,
    etype: [18, 23],
  };
  const request = encodeTgsReq({
    pvno: 5,
    msgType: MessageType.TGS_REQ,
    padata: [
      { padataType: PaDataType.TGS_REQ, padataValue: paTgsReq(body, true) },
      { padataType: PaDataType.FOR_USER, padataValue: paForUser(admin) },
    ],
    reqBody: body,
  });
  const self = openVector('s4u2self_ticket', serviceKey);
  return { request, reply: tgsRep(self.ticket, self.part, 1001, subkey, KeyUsage.TgsRepEncPartSubkey) };
}

/** S4U2Proxy: apache shows admin's S4U2Self ticket as evidence for sql/mysql.acme.com; reply in the TGT session key (usage 8). */
export function s4u2ProxyExchange(): { request: Uint8Array; reply: Uint8Array } {
  const evidence = decodeTicket(ticketBytes('s4u2self_ticket'));
  const body: KdcReqBody = {
    kdcOptions: { forwardable: true, cnameInAddlTkt: true, canonicalize: true },
    realm: REALM,
    sname: sql,
    till: TILL,
    nonce: 1002,
    etype: [18, 23],
    additionalTickets: [evidence],
  };
  const request = encodeTgsReq({
    pvno: 5,
    msgType: MessageType.TGS_REQ,
    padata: [
      { padataType: PaDataType.TGS_REQ, padataValue: paTgsReq(body, false) },
      {
        padataType: PaDataType.PAC_OPTIONS,
        padataValue: encodePaPacOptions({ flags: { resourceBasedConstrainedDelegation: true } }),
      },
    ],
    reqBody: body,
  });
  const proxy = openVector('s4u2proxy_ticket', serviceKey);
  return {
    request,
    reply: tgsRep(proxy.ticket, proxy.part, 1002, tgtSessionKey, KeyUsage.TgsRepEncPartSessionKey),
  };
}

const hexKey = (k: Key, note: string, principal?: string): DemoRecording['keys'][string] =>
  principal === undefined
    ? { etype: k.etype, hex: toHex(k.bytes), note }
    : { etype: k.etype, hex: toHex(k.bytes), note, principal };

/** A two-step recording in the demo's JSON format. */
export function syntheticRecording(): DemoRecording {
  const self = s4u2SelfExchange();
  const proxy = s4u2ProxyExchange();
  return {
    realm: REALM,
    kdc: '127.0.0.1:88',
    recordedAt: '2021-08-15T19:21:40Z',
    keys: {
      krbtgt: hexKey(krbtgtKey, 'long-term key of krbtgt/ACME.COM', `krbtgt/${REALM}@${REALM}`),
      'krbtgt-pac': hexKey(
        krbtgtPacKey,
        'the key that signed the PACs as the KDC',
        `krbtgt/${REALM}@${REALM}`,
      ),
      apache: hexKey(serviceKey, 'long-term key of apache@ACME.COM', `apache@${REALM}`),
      'tgt-session': hexKey(tgtSessionKey, "session key of apache's TGT"),
      subkey: hexKey(subkey, 'subkey of the S4U2Self authenticator'),
    },
    exchanges: [
      {
        step: 'S4U2Self',
        title: "apache asks for a ticket to itself in admin's name",
        request: toHex(self.request),
        reply: toHex(self.reply),
        replyKey: 'subkey',
        replyUsage: 9,
        ticketKey: 'apache',
        notes: ['no password of admin is involved'],
      },
      {
        step: 'S4U2Proxy',
        title: 'apache uses that ticket to reach sql/mysql.acme.com as admin',
        request: toHex(proxy.request),
        reply: toHex(proxy.reply),
        replyKey: 'tgt-session',
        replyUsage: 8,
        ticketKey: 'apache',
        notes: ['the evidence ticket must be forwardable'],
      },
    ],
  };
}
