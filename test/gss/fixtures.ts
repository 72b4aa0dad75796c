/**
 * Fixtures of the GSS tests: a realm with long-term keys made here, service tickets sealed with src/asn1 encoders
 * (optionally with a signed PAC), and the credentials an initiator holds. Times are around TEST_NOW.
 */
import {
  AdType,
  type AuthorizationData,
  type EncTicketPart,
  encodeAuthorizationData,
  encodeEncTicketPart,
  encodeTicket,
  NameType,
  type Ticket,
  type TicketFlags,
} from '../../src/asn1/index.js';
import {
  checksumSize,
  checksumTypeOf,
  encrypt,
  generateKey,
  type Key,
  KeyUsage,
  makeChecksum,
} from '../../src/crypto/index.js';
import type { Credential } from '../../src/messages/credential.js';
import type { Principal } from '../../src/messages/principal.js';
import { FileTimeSpecial } from '../../src/pac/constants.js';
import { PacBufferType } from '../../src/pac/index.js';
import type { RandomSource } from '../../src/util/env.js';
import { TEST_NOW } from '../helpers/clock.js';
import { buildPac, encodeClientInfo, signaturePlaceholder } from '../pac/ndr-writer.js';

export const REALM = 'GSS.TEST';
export const ALICE: Principal = {
  realm: REALM,
  name: { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] },
};
export const SERVICE: Principal = {
  realm: REALM,
  name: { nameType: NameType.NT_SRV_HST, nameString: ['HTTP', 'api.gss.test'] },
};
export const KRBTGT: Principal = {
  realm: REALM,
  name: { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', REALM] },
};
export const ETYPES = [17, 18, 19, 20, 23] as const;
export const KVNO = 3;

/** A deterministic random source (xorshift), so that failures reproduce. */
export function seededRandom(seed = 1): RandomSource {
  let s = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      out[i] = s & 0xff;
    }
    return out;
  };
}

const random = seededRandom(7);
const keysByEtype = new Map<number, Key>();
/** The service's long-term key of `etype` (one per etype, made once). */
export function serviceKey(etype: number): Key {
  let k = keysByEtype.get(etype);
  if (!k) {
    k = generateKey(etype, random);
    keysByEtype.set(etype, k);
  }
  return k;
}
export const KRBTGT_KEY = generateKey(18, random);

/**
 * A PAC with client info and server/KDC signatures, inside AD-IF-RELEVANT (MS-PAC 2.8). The client info carries
 * `authtime` when given (MIT's acceptor checks it against the ticket's, MS-PAC 2.7).
 */
export function pacAuthData(
  client: Principal,
  serverKey: Key,
  kdcKey: Key = KRBTGT_KEY,
  authtime?: Date,
): AuthorizationData {
  const serverType = checksumTypeOf(serverKey.etype);
  const kdcType = checksumTypeOf(kdcKey.etype);
  const clientId = authtime
    ? BigInt(authtime.getTime()) * FileTimeSpecial.perMillisecond + FileTimeSpecial.unixEpoch
    : 0n;
  const info = encodeClientInfo(clientId, client.name.nameString.join('/'));
  const pac = buildPac([
    { type: PacBufferType.ClientInfo, data: info },
    { type: PacBufferType.ServerChecksum, data: signaturePlaceholder(serverType, checksumSize(serverType)) },
    { type: PacBufferType.KdcChecksum, data: signaturePlaceholder(kdcType, checksumSize(kdcType)) },
  ]);
  const serverAt = 56 + Math.ceil(info.length / 8) * 8 + 4;
  const kdcAt = serverAt + Math.ceil((4 + checksumSize(serverType)) / 8) * 8;
  const serverSig = makeChecksum(serverType, serverKey, KeyUsage.PacSignature, pac);
  pac.set(serverSig, serverAt);
  pac.set(makeChecksum(kdcType, kdcKey, KeyUsage.PacSignature, serverSig), kdcAt);
  return [
    {
      adType: AdType.IF_RELEVANT,
      adData: encodeAuthorizationData([{ adType: AdType.WIN2K_PAC, adData: pac }]),
    },
  ];
}

/** Options of {@link issue}. */
export interface IssueOptions {
  readonly client?: Principal;
  readonly server?: Principal;
  /** Enctype of the service key that seals the ticket (default: the session key's). */
  readonly ticketEtype?: number;
  readonly flags?: TicketFlags;
  readonly authtime?: number;
  readonly endtime?: number;
  readonly pac?: boolean;
  readonly kvno?: number;
  /** Authorization data of the ticket (instead of the PAC). */
  readonly authorizationData?: AuthorizationData;
}

/** A service ticket for `client` and the credential the client holds, with a session key of `etype`. */
export function issue(etype: number, o: IssueOptions = {}): Credential {
  const client = o.client ?? ALICE;
  const server = o.server ?? SERVICE;
  const sessionKey = generateKey(etype, random);
  const flags: TicketFlags = o.flags ?? { forwardable: true, preAuthent: true };
  const authtime = new Date(o.authtime ?? TEST_NOW - 3_600_000);
  const endtime = new Date(o.endtime ?? TEST_NOW + 8 * 3_600_000);
  const tkey = serviceKey(o.ticketEtype ?? etype);
  const part: EncTicketPart = {
    flags,
    key: { keytype: sessionKey.etype, keyvalue: sessionKey.bytes },
    crealm: client.realm,
    cname: client.name,
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime,
    endtime,
    ...(o.pac ? { authorizationData: pacAuthData(client, tkey, KRBTGT_KEY, authtime) } : {}),
    ...(o.authorizationData ? { authorizationData: o.authorizationData } : {}),
  };
  const ticket: Ticket = {
    tktVno: 5,
    realm: server.realm,
    sname: server.name,
    encPart: {
      etype: tkey.etype,
      kvno: o.kvno ?? KVNO,
      cipher: encrypt(tkey, KeyUsage.KdcRepTicket, encodeEncTicketPart(part), { random }),
    },
  };
  return {
    client,
    server,
    sessionKey,
    ticket,
    ticketBytes: encodeTicket(ticket),
    flags,
    authtime,
    endtime,
    encPart: {
      key: part.key,
      lastReq: [],
      nonce: 1,
      flags,
      authtime,
      endtime,
      srealm: server.realm,
      sname: server.name,
    },
  };
}

/** A forwarded TGT of alice, as a client would delegate it. */
export function forwardedTgt(): Credential {
  return issue(18, { server: KRBTGT, flags: { forwardable: true, forwarded: true }, ticketEtype: 18 });
}
