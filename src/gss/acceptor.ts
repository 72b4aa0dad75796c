/**
 * The acceptor side of the Kerberos mechanism (RFC 4121 4.1, RFC 4120 3.2.3): opens the ticket with the service
 * keys, checks server name, ticket times, the authenticator (client name, clock skew), the 0x8003 checksum and its
 * channel bindings, the replay cache; answers with an AP-REP when mutual authentication was asked; returns the
 * client, the verified PAC, the delegated credential and the evidence ticket that S4U2Proxy takes.
 */
import {
  type Authenticator,
  decodeApReq,
  decodeAuthenticator,
  type EncTicketPart,
  encodeApRep,
  encodeEncApRepPart,
  encodeTicket,
  MessageType,
  type Ticket,
} from '../asn1/index.js';
import { decrypt, digest, encrypt, generateKey, Key, KeyUsage } from '../crypto/index.js';
import { ProtocolError } from '../errors.js';
import {
  type Credential,
  formatPrincipal,
  type Principal,
  sameName,
  type TicketToken,
  ticketTokens,
} from '../messages/index.js';
import { readTicketPac, type TicketPac } from '../pac/index.js';
import { bytesEqual, toHex } from '../util/bytes.js';
import { type Clock, defaultClock, defaultRandom, type RandomSource } from '../util/env.js';
import { type AcceptorKey, openTicketWith } from './acceptor-keys.js';
import { freshAcceptorSubkeyEtype } from './acceptor-subkey.js';
import { decodeGssChecksum } from './authenticator-checksum.js';
import { type ChannelBindings, channelBindingsHash } from './channel-bindings.js';
import { DEFAULT_MAX_SKEW_MS, GSS_CHECKSUM_TYPE, GssFlag, GssTokenId } from './constants.js';
import { type GssContext, Krb5Context, type WrapTokenOptions } from './context.js';
import { openDelegationCred } from './delegation.js';
import { negotiatedEtype } from './etype-negotiation.js';
import { decodeKrb5Token, encodeKrb5Token } from './framing.js';
import { MemoryReplayCache, type ReplayCache } from './replay-cache.js';
import { randomSeqNumber } from './sequence.js';

/** Options of {@link acceptSecContext}. */
export interface AcceptorOptions {
  /** The service's long-term keys: Keys, or keytab entries (chosen by enctype, then kvno and principal). */
  readonly keys: readonly AcceptorKey[];
  /** When given, the ticket must be for this principal (check `server-name`). */
  readonly service?: Principal | undefined;
  readonly clock?: Clock | undefined;
  /** Allowed clock skew in ms (default 300000). */
  readonly maxSkewMs?: number | undefined;
  /** Where authenticators are remembered (default: one in-process cache on the system clock). */
  readonly replayCache?: ReplayCache | undefined;
  /** The bindings of the channel the token came over; a different non-zero Bnd is refused. */
  readonly channelBindings?: ChannelBindings | undefined;
  /** Refuse tokens without channel bindings (all-zero Bnd), as Windows' extended protection "required". */
  readonly requireChannelBindings?: boolean | undefined;
  /** krbtgt key(s), to check the PAC's KDC signature. */
  readonly kdcKeys?: readonly Key[] | undefined;
  /** Decode and verify the PAC (default true). */
  readonly readPac?: boolean | undefined;
  /**
   * Put a subkey in the AP-REP (default true, as MIT): a fresh one in RFC 4121 contexts, the initiator's echoed in
   * RFC 4757 ones ({@link freshAcceptorSubkeyEtype}).
   */
  readonly acceptorSubkey?: boolean | undefined;
  /** Options of the Wrap tokens this context sends. */
  readonly wrapTokens?: WrapTokenOptions | undefined;
  readonly random?: RandomSource | undefined;
}

/** What S4U2Proxy needs from an accepted AP-REQ: the client's service ticket. */
export interface AcceptEvidence {
  readonly ticket: Ticket;
  readonly ticketBytes: Uint8Array;
  readonly client: Principal;
}

/** An accepted context and what the AP-REQ proved. */
export interface AcceptResult {
  readonly context: GssContext;
  /** The authenticated client. */
  readonly client: Principal;
  /** The flags the initiator asked for (the context's flags). */
  readonly flags: number;
  /** Framed AP-REP to send back (when the initiator asked for mutual authentication). */
  readonly outputToken?: Uint8Array | undefined;
  readonly ticketPart: EncTicketPart;
  readonly authenticator: Authenticator;
  /** The PAC decoded and checked with the service key (and kdcKeys); absent when the ticket has none. */
  readonly pac?: TicketPac | undefined;
  /** Tokens the ticket carries (Apache Kerby AD-TOKEN): JWT header and claims decoded, signatures not verified. */
  readonly tokens?: readonly TicketToken[] | undefined;
  /** Credentials the client delegated (a forwarded TGT). */
  readonly delegated?: Credential[] | undefined;
  readonly evidence: AcceptEvidence;
}

/** Flags an acceptor honours (RFC 4121 4.1.1.1, RFC 4757 7.1). */
const KNOWN_FLAGS =
  GssFlag.DELEG |
  GssFlag.MUTUAL |
  GssFlag.REPLAY |
  GssFlag.SEQUENCE |
  GssFlag.CONF |
  GssFlag.INTEG |
  GssFlag.DCE_STYLE |
  GssFlag.IDENTIFY |
  GssFlag.EXTENDED_ERROR;

let sharedReplayCache: MemoryReplayCache | undefined;

function defaultReplayCache(): MemoryReplayCache {
  if (!sharedReplayCache) sharedReplayCache = new MemoryReplayCache();
  return sharedReplayCache;
}

function fail(check: string, message: string, hint?: string): never {
  throw new ProtocolError(message, hint === undefined ? { check } : { check, hint });
}

function checkTicketTimes(part: EncTicketPart, now: number, skew: number): void {
  if (part.flags.invalid)
    fail('ticket-times', 'the ticket is flagged invalid (postdated, not yet validated)');
  const start = (part.starttime ?? part.authtime).getTime();
  if (now + skew < start)
    fail('ticket-times', `the ticket is not valid until ${new Date(start).toISOString()}`);
  if (now - skew > part.endtime.getTime())
    fail('ticket-times', `the ticket expired at ${part.endtime.toISOString()}`, 'get a new service ticket');
}

function checkBindings(bnd: Uint8Array, o: AcceptorOptions): void {
  if (bnd.every((b) => b === 0)) {
    if (o.requireChannelBindings)
      fail('channel-bindings', 'the initiator sent no channel bindings and they are required');
    return;
  }
  // As MIT: bindings the acceptor does not know are not checked; known ones must match.
  if (o.channelBindings && !bytesEqual(bnd, channelBindingsHash(o.channelBindings)))
    fail(
      'channel-bindings',
      'the channel bindings differ from this channel',
      'a relayed token, or a TLS proxy',
    );
}

/** Accepts an initial context token (framed AP-REQ) and returns the context and what the AP-REQ proved. */
export function acceptSecContext(token: Uint8Array, o: AcceptorOptions): AcceptResult {
  const clock = o.clock ?? defaultClock;
  const random = o.random ?? defaultRandom;
  const skew = o.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const now = clock();

  const apReq = decodeApReq(decodeKrb5Token(token, [GssTokenId.AP_REQ]).body);
  const ticket = apReq.ticket;
  if (apReq.apOptions.useSessionKey) fail('ap-options', 'user-to-user AP-REQs are not supported');
  if (o.service && (o.service.realm !== ticket.realm || !sameName(o.service.name, ticket.sname))) {
    fail(
      'server-name',
      `the ticket is for ${formatPrincipal(ticket.sname, ticket.realm)}, not ${formatPrincipal(o.service.name, o.service.realm)}`,
    );
  }
  const { part, key: serviceKey } = openTicketWith(ticket, o.keys);
  checkTicketTimes(part, now, skew);

  const sessionKey = new Key(part.key.keytype, part.key.keyvalue);
  const auth = decodeAuthenticator(
    decrypt(sessionKey, KeyUsage.ApReqAuthenticator, apReq.authenticator.cipher),
  );
  if (auth.crealm !== part.crealm || !sameName(auth.cname, part.cname)) {
    fail(
      'client-name',
      `the authenticator names ${formatPrincipal(auth.cname, auth.crealm)}, the ticket ${formatPrincipal(part.cname, part.crealm)}`,
    );
  }
  const ctime = auth.ctime.getTime() + Math.floor(auth.cusec / 1000);
  if (Math.abs(ctime - now) > skew)
    fail(
      'skew',
      `the authenticator time is ${Math.round((ctime - now) / 1000)} s from ours`,
      'synchronise the clocks',
    );
  if (!auth.cksum || auth.cksum.cksumtype !== GSS_CHECKSUM_TYPE)
    fail('checksum', `the authenticator checksum is not of type 0x8003 (${auth.cksum?.cksumtype ?? 'none'})`);
  const cksum = decodeGssChecksum(auth.cksum.checksum);
  checkBindings(cksum.bnd, o);

  const initiatorSubkey = auth.subkey ? new Key(auth.subkey.keytype, auth.subkey.keyvalue) : undefined;
  const delegated = cksum.deleg
    ? openDelegationCred(cksum.deleg, initiatorSubkey ? [sessionKey, initiatorSubkey] : [sessionKey])
    : undefined;
  const pac =
    o.readPac === false ? undefined : readTicketPac(part, { serviceKeys: [serviceKey], kdcKeys: o.kdcKeys });
  if (pac) {
    const v = pac.verification;
    for (const s of [v.server, v.kdc, v.ticket, v.full])
      if (s.status === 'invalid') fail('pac', `the PAC does not verify: ${s.reason}`);
  }

  const tokens = ticketTokens(part.authorizationData);

  const client: Principal = { realm: part.crealm, name: part.cname };
  const server: Principal = { realm: ticket.realm, name: ticket.sname };
  // Last, so that refused tokens do not fill the cache.
  const cache = o.replayCache ?? defaultReplayCache();
  const entry = {
    client: formatPrincipal(client.name, client.realm),
    server: formatPrincipal(server.name, server.realm),
    ctime: auth.ctime.getTime(),
    cusec: auth.cusec,
    digest: toHex(digest('sha256', apReq.authenticator.cipher)),
  };
  if (!cache.check(entry, ctime + skew))
    fail('replay', 'this authenticator was seen before (replayed token)');

  let flags = cksum.flags & KNOWN_FLAGS;
  if (apReq.apOptions.mutualRequired) flags |= GssFlag.MUTUAL;
  if (!delegated) flags &= ~GssFlag.DELEG;
  const initiatorSeq = auth.seqNumber === undefined ? 0 : auth.seqNumber >>> 0;
  const context = new Krb5Context({
    initiator: false,
    peer: client,
    flags,
    keys: { sessionKey, initiatorSubkey },
    random,
    wrapOptions: o.wrapTokens,
  });

  let outputToken: Uint8Array | undefined;
  if (flags & GssFlag.MUTUAL) {
    // RFC 4537: of the initiator's enctypes, the first we support; else the initiator subkey's (as MIT).
    const freshEtype = freshAcceptorSubkeyEtype(
      (initiatorSubkey ?? sessionKey).etype,
      negotiatedEtype(auth.authorizationData),
      flags,
    );
    const acceptorSubkey =
      o.acceptorSubkey === false || freshEtype === undefined ? undefined : generateKey(freshEtype, random);
    // An RFC 4757 context keeps the initiator subkey, which the AP-REP echoes as MIT's does.
    const repSubkey = o.acceptorSubkey === false ? undefined : (acceptorSubkey ?? initiatorSubkey);
    const seq = randomSeqNumber(random);
    const encPart = encodeEncApRepPart({
      ctime: auth.ctime,
      cusec: auth.cusec,
      ...(repSubkey ? { subkey: { keytype: repSubkey.etype, keyvalue: repSubkey.bytes } } : {}),
      seqNumber: seq,
    });
    const apRep = encodeApRep({
      pvno: 5,
      msgType: MessageType.AP_REP,
      encPart: {
        etype: sessionKey.etype,
        cipher: encrypt(sessionKey, KeyUsage.ApRepEncPart, encPart, { random }),
      },
    });
    outputToken = encodeKrb5Token(GssTokenId.AP_REP, apRep);
    context.establish({ sendSeq: seq, recvSeq: initiatorSeq, acceptorSubkey });
  } else {
    context.establish({ sendSeq: initiatorSeq, recvSeq: initiatorSeq });
  }

  return {
    context,
    client,
    flags,
    ...(outputToken ? { outputToken } : {}),
    ticketPart: part,
    authenticator: auth,
    ...(pac ? { pac } : {}),
    ...(tokens.length > 0 ? { tokens } : {}),
    ...(delegated ? { delegated } : {}),
    evidence: lazyEvidence(ticket, client),
  };
}

/** The evidence of an accepted ticket; its DER is encoded when first read (most requests never pass it on). */
function lazyEvidence(ticket: Ticket, client: Principal): AcceptEvidence {
  let bytes: Uint8Array | undefined;
  return {
    ticket,
    get ticketBytes() {
      bytes ??= encodeTicket(ticket);
      return bytes;
    },
    client,
  };
}
