/**
 * An in-memory TGS for unit tests of the S4U layer: it opens the TGS-REQ as a KDC would (TGT with the krbtgt key,
 * authenticator with the TGT session key, the evidence ticket with the front service key), records what it saw,
 * and answers with a TGS-REP encrypted in the request subkey. It proves request shape and reply handling only;
 * the lab KDCs are the evidence that the protocol works.
 */
import {
  AdType,
  type Authenticator,
  type AuthorizationData,
  decodeApReq,
  decodeAuthenticator,
  decodeEncTicketPart,
  decodePaForUser,
  decodePaS4uX509User,
  decodeTgsReq,
  type EncTicketPart,
  ErrorCode,
  encodeAuthorizationData,
  encodeEncTgsRepPart,
  encodeEncTicketPart,
  encodeKrbError,
  encodePaS4uX509User,
  encodeS4uUserId,
  encodeTgsRep,
  MessageType,
  NameType,
  type PaData,
  PaDataType,
  type PrincipalName,
  type S4uUserId,
  type TgsReq,
  type Ticket,
  type TicketFlags,
} from '../../src/asn1/index.js';
import {
  checksumTypeOf,
  decrypt,
  encrypt,
  generateKey,
  Key,
  KeyUsage,
  makeChecksum,
} from '../../src/crypto/index.js';
import type { Credential } from '../../src/messages/credential.js';
import { formatPrincipal, type Principal } from '../../src/messages/principal.js';
import { PacBufferType } from '../../src/pac/index.js';
import type { SendResult, Transport } from '../../src/transport/index.js';
import { fromHex } from '../../src/util/bytes.js';
import { buildPac, encodeClientInfo, signaturePlaceholder } from '../pac/ndr-writer.js';

/** The realm of the mini KDC. */
export const REALM = 'UNIT.TEST';
/** Long-term keys of the mini realm. */
export const KRBTGT_KEY = new Key(18, fromHex('11'.repeat(32)));
export const FRONT_KEY = new Key(18, fromHex('22'.repeat(32)));
export const BACK_KEY = new Key(17, fromHex('33'.repeat(16)));
/** The front service and the back end. */
export const FRONT: Principal = {
  realm: REALM,
  name: { nameType: NameType.NT_SRV_HST, nameString: ['HTTP', 'web.unit.test'] },
};
export const BACK: Principal = {
  realm: REALM,
  name: { nameType: NameType.NT_SRV_HST, nameString: ['cifs', 'file.unit.test'] },
};

const T0 = new Date('2026-11-23T10:00:00Z');
const T1 = new Date('2026-11-23T20:00:00Z');
/** The mini KDC's tickets run from 10:00 to 20:00 on one fixed day: clients talking to it read this clock (noon). */
export const miniClock = (): number => Date.parse('2026-11-23T12:00:00Z');

/** What the mini KDC saw in one request. */
export interface Seen {
  readonly req: TgsReq;
  readonly authenticator: Authenticator;
  readonly subkey: Key;
  /** The session key of the TGT presented (the authenticator's key). */
  readonly authenticatorKey: Key;
  readonly padataTypes: number[];
}

/** How the mini KDC answers. */
export interface MiniKdcBehaviour {
  /** Flags of the issued ticket (default forwardable). */
  flags?: Partial<TicketFlags>;
  /** What to put in the reply for PA-S4U-X509-USER: echo it (default), leave it out, or change the user id. */
  s4uReply?: 'echo' | 'absent' | ((u: S4uUserId) => S4uUserId);
  /** Name the reply client differently from what the request asked. */
  replyClient?: Principal;
  /** Refer every request for a service to a new realm (a referral loop). */
  referForever?: boolean;
  /** Put a PAC in issued tickets: signed with the ticket server's key, or (`bad-server`) with another key. */
  pac?: 'signed' | 'bad-server';
  /** Answer the next request with KRB_AP_ERR_SKEW, the KDC clock this far (ms) from miniClock (then cleared). */
  skewOnceMs?: number;
}

const WRONG_KEY = new Key(18, fromHex('77'.repeat(32)));

/** AD-IF-RELEVANT holding a PAC with a client info and server/KDC signatures (MS-PAC 2.8). */
function pacAuthData(client: Principal, serverKey: Key): AuthorizationData {
  const serverType = checksumTypeOf(serverKey.etype);
  const kdcType = checksumTypeOf(KRBTGT_KEY.etype);
  const info = encodeClientInfo(0n, client.name.nameString.join('/'));
  const pac = buildPac([
    { type: PacBufferType.ClientInfo, data: info },
    { type: PacBufferType.ServerChecksum, data: signaturePlaceholder(serverType, 12) },
    { type: PacBufferType.KdcChecksum, data: signaturePlaceholder(kdcType, 12) },
  ]);
  // Three buffers: a 56-byte header, then each buffer 8-aligned; each signature buffer is 4 + 12 bytes.
  const serverAt = 56 + Math.ceil(info.length / 8) * 8 + 4;
  const kdcAt = serverAt + 16;
  const serverSig = makeChecksum(serverType, serverKey, KeyUsage.PacSignature, pac);
  pac.set(serverSig, serverAt);
  pac.set(makeChecksum(kdcType, KRBTGT_KEY, KeyUsage.PacSignature, serverSig), kdcAt);
  return [
    {
      adType: AdType.IF_RELEVANT,
      adData: encodeAuthorizationData([{ adType: AdType.WIN2K_PAC, adData: pac }]),
    },
  ];
}

function sealTicket(sname: Principal, part: EncTicketPart, key: Key): Ticket {
  return {
    tktVno: 5,
    realm: sname.realm,
    sname: sname.name,
    encPart: {
      etype: key.etype,
      kvno: 1,
      cipher: encrypt(key, KeyUsage.KdcRepTicket, encodeEncTicketPart(part)),
    },
  };
}

function ticketPart(client: Principal, key: Key, flags: Partial<TicketFlags>): EncTicketPart {
  return {
    flags: flags as TicketFlags,
    key: { keytype: key.etype, keyvalue: key.bytes },
    crealm: client.realm,
    cname: client.name,
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime: T0,
    endtime: T1,
  };
}

/** A TGT of the front service, as if from an AS exchange. */
export function frontTgt(flags: Partial<TicketFlags> = { forwardable: true, initial: true }): Credential {
  const sessionKey = new Key(18, fromHex('44'.repeat(32)));
  const server: Principal = {
    realm: REALM,
    name: { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', REALM] },
  };
  const ticket = sealTicket(server, ticketPart(FRONT, sessionKey, flags), KRBTGT_KEY);
  const encPart = {
    key: { keytype: 18, keyvalue: sessionKey.bytes },
    lastReq: [],
    nonce: 1,
    flags: flags as TicketFlags,
    authtime: T0,
    endtime: T1,
    srealm: REALM,
    sname: server.name,
  };
  return {
    client: FRONT,
    server,
    sessionKey,
    ticket,
    ticketBytes: new Uint8Array(0),
    flags: flags as TicketFlags,
    authtime: T0,
    endtime: T1,
    encPart,
  };
}

/** The second realm, trusted both ways, for cross-realm S4U. */
export const OTHER = 'OTHER.TEST';
const CROSS_TO_OTHER = new Key(18, fromHex('55'.repeat(32)));
const CROSS_TO_UNIT = new Key(18, fromHex('66'.repeat(32)));

/** The long-term key of a server principal of either realm (krbtgt keys, cross-realm keys, services). */
function keyOf(name: PrincipalName, realm: string): Key {
  const [first, second] = name.nameString;
  if (first === 'krbtgt') {
    if (second === realm) return KRBTGT_KEY;
    return second === OTHER ? CROSS_TO_OTHER : CROSS_TO_UNIT;
  }
  return first === 'cifs' ? BACK_KEY : FRONT_KEY;
}

const tgsName = (serviceRealm: string): PrincipalName => ({
  nameType: NameType.NT_SRV_INST,
  nameString: ['krbtgt', serviceRealm],
});

/** A Transport that is a TGS for UNIT.TEST. */
export class MiniKdc implements Transport {
  readonly seen: Seen[] = [];
  constructor(public behaviour: MiniKdcBehaviour = {}) {}

  async send(realm: string, request: Uint8Array): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, request)).reply;
  }

  async sendDetailed(_realm: string, request: Uint8Array): Promise<SendResult> {
    return {
      reply: this.answer(request),
      kdc: { host: '127.0.0.1', port: 88, proto: 'tcp' },
      attempts: [],
      ms: 0,
    };
  }

  private answer(bytes: Uint8Array): Uint8Array {
    const req = decodeTgsReq(bytes);
    const padata = req.padata ?? [];
    const ap = decodeApReq(padata.find((p) => p.padataType === PaDataType.TGS_REQ)!.padataValue);
    const tgt = decodeEncTicketPart(
      decrypt(keyOf(ap.ticket.sname, ap.ticket.realm), KeyUsage.KdcRepTicket, ap.ticket.encPart.cipher),
    );
    const session = new Key(tgt.key.keytype, tgt.key.keyvalue);
    const authenticator = decodeAuthenticator(
      decrypt(session, KeyUsage.TgsReqAuthenticator, ap.authenticator.cipher),
    );
    const subkey = new Key(authenticator.subkey!.keytype, authenticator.subkey!.keyvalue);
    this.seen.push({
      req,
      authenticator,
      subkey,
      authenticatorKey: session,
      padataTypes: padata.map((p) => p.padataType),
    });

    const body = req.reqBody;
    if (this.behaviour.skewOnceMs !== undefined) {
      const kdcNow = miniClock() + this.behaviour.skewOnceMs;
      delete this.behaviour.skewOnceMs;
      return encodeKrbError({
        pvno: 5,
        msgType: MessageType.KRB_ERROR,
        stime: new Date(kdcNow - (kdcNow % 1000)),
        susec: (kdcNow % 1000) * 1000,
        errorCode: ErrorCode.KRB_AP_ERR_SKEW,
        realm: body.realm,
        sname: body.sname!,
      });
    }
    let sname: Principal = { realm: body.realm, name: body.sname! };
    // A service of the home realm asked of the other realm's KDC (or anything, in a loop): a referral TGT.
    const isService = sname.name.nameString[0] !== 'krbtgt';
    const home = sname.name.nameString[1]?.endsWith('.other.test') ? OTHER : REALM;
    if (isService && (body.realm !== home || this.behaviour.referForever)) {
      const to = this.behaviour.referForever ? `LOOP${this.seen.length}.TEST` : home;
      sname = { realm: body.realm, name: tgsName(to) };
    }
    let client: Principal = { realm: tgt.crealm, name: tgt.cname };
    const forUser = padata.find((p) => p.padataType === PaDataType.FOR_USER);
    const x509 = padata.find((p) => p.padataType === PaDataType.S4U_X509_USER);
    if (forUser) {
      const v = decodePaForUser(forUser.padataValue);
      client = { realm: v.userRealm, name: v.userName };
    }
    const x509User = x509 ? decodePaS4uX509User(x509.padataValue).userId : undefined;
    if (!forUser && x509User?.cname) client = { realm: x509User.crealm, name: x509User.cname };
    if (body.kdcOptions.cnameInAddlTkt) {
      const ev = body.additionalTickets![0]!;
      const part = decodeEncTicketPart(
        decrypt(keyOf(ev.sname, ev.realm), KeyUsage.KdcRepTicket, ev.encPart.cipher),
      );
      client = { realm: part.crealm, name: part.cname };
    }
    if (this.behaviour.replyClient) client = this.behaviour.replyClient;
    const flags = this.behaviour.flags ?? { forwardable: true };
    const sessionKey = generateKey(17);
    const serverKey = keyOf(sname.name, sname.realm);
    const part = ticketPart(client, sessionKey, flags);
    const pacMode = this.behaviour.pac;
    if (pacMode) {
      const signer = pacMode === 'signed' ? serverKey : WRONG_KEY;
      part.authorizationData = pacAuthData(client, signer);
    }
    const ticket = sealTicket(sname, part, serverKey);
    const encPart = encodeEncTgsRepPart({
      key: { keytype: sessionKey.etype, keyvalue: sessionKey.bytes },
      lastReq: [],
      nonce: body.nonce,
      flags: flags as TicketFlags,
      authtime: T0,
      endtime: T1,
      srealm: sname.realm,
      sname: sname.name,
    });
    const replyPadata: PaData[] = [];
    const mode = this.behaviour.s4uReply ?? 'echo';
    if (x509 && mode !== 'absent') {
      const asked = decodePaS4uX509User(x509.padataValue).userId;
      const userId = typeof mode === 'function' ? mode(asked) : asked;
      const type = checksumTypeOf(subkey.etype);
      const checksum = makeChecksum(type, subkey, KeyUsage.PaS4uX509UserReply, encodeS4uUserId(userId));
      replyPadata.push({
        padataType: PaDataType.S4U_X509_USER,
        padataValue: encodePaS4uX509User({ userId, checksum: { cksumtype: type, checksum } }),
      });
    }
    return encodeTgsRep({
      pvno: 5,
      msgType: MessageType.TGS_REP,
      ...(replyPadata.length ? { padata: replyPadata } : {}),
      crealm: client.realm,
      cname: client.name,
      ticket,
      encPart: { etype: subkey.etype, cipher: encrypt(subkey, KeyUsage.TgsRepEncPartSubkey, encPart) },
    });
  }
}

/** `HTTP/web.unit.test@UNIT.TEST` */
export const text = (p: Principal): string => formatPrincipal(p.name, p.realm);
