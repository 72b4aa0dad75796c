/**
 * The initiator side of the Kerberos mechanism (RFC 4121 4.1): an AP-REQ whose authenticator carries the 0x8003
 * checksum, a random subkey and initial sequence number, framed as InitialContextToken (01 00); then the AP-REP
 * (02 00) when mutual authentication was asked, or a KRB-ERROR (03 00) as a typed error.
 */
import {
  type Authenticator,
  decodeApRep,
  decodeEncApRepPart,
  encodeApReq,
  encodeAuthenticator,
  MessageType,
} from '../asn1/index.js';
import { decrypt, encrypt, generateKey, Key, KeyUsage, supportedEnctypes } from '../crypto/index.js';
import { KerberosError, ProtocolError } from '../errors.js';
import type { Credential } from '../messages/index.js';
import { type Clock, defaultClock, defaultRandom, type RandomSource } from '../util/env.js';
import { takesAcceptorSubkey } from './acceptor-subkey.js';
import { apErrorOf } from './ap-error.js';
import { encodeGssChecksum } from './authenticator-checksum.js';
import { type ChannelBindings, channelBindingsHash } from './channel-bindings.js';
import { DEFAULT_INITIATOR_FLAGS, GSS_CHECKSUM_TYPE, GssFlag, GssTokenId } from './constants.js';
import { type GssContext, Krb5Context, type WrapTokenOptions } from './context.js';
import { makeDelegationCred } from './delegation.js';
import { etypeNegotiationAuthData } from './etype-negotiation.js';
import { decodeKrb5Token, encodeKrb5Token } from './framing.js';
import { randomSeqNumber } from './sequence.js';

/** Options of {@link initSecContext}. */
export interface InitiatorOptions {
  /** The service ticket and its session key (a TGS or S4U2Proxy result, or a ccache entry). */
  readonly credential: Credential;
  /** Context flags to ask for ({@link GssFlag}; default MUTUAL | SEQUENCE | REPLAY | CONF | INTEG). */
  readonly flags?: number | undefined;
  /** Channel bindings, e.g. {@link tlsServerEndPoint} of the server's certificate. */
  readonly channelBindings?: ChannelBindings | undefined;
  /** Forward this TGT to the service (KRB-CRED in the checksum; sets DELEG). It should be a forwarded TGT. */
  readonly delegate?: { readonly tgt: Credential } | undefined;
  /**
   * Enctypes offered for the acceptor subkey (RFC 4537), by preference; default: all we support, sent only when the
   * session key is not of the first one (as MIT). `false` sends none.
   */
  readonly etypeNegotiation?: readonly number[] | false | undefined;
  /** Options of the Wrap tokens this context sends. */
  readonly wrapTokens?: WrapTokenOptions | undefined;
  readonly clock?: Clock | undefined;
  readonly random?: RandomSource | undefined;
}

/** An initiator context: established at once without mutual authentication, else by {@link InitiatorContext.step}. */
export interface InitiatorContext extends GssContext {
  /** Takes the acceptor's reply: AP-REP establishes the context; a KRB-ERROR token throws ApExchangeError. */
  step(replyToken: Uint8Array): void;
}

class Initiator extends Krb5Context implements InitiatorContext {
  readonly #authenticator: Authenticator;
  readonly #seq: number;

  constructor(
    o: ConstructorParameters<typeof Krb5Context>[0] & { authenticator: Authenticator; seq: number },
  ) {
    super(o);
    this.#authenticator = o.authenticator;
    this.#seq = o.seq;
  }

  step(replyToken: Uint8Array): void {
    if (this.established)
      throw new ProtocolError('the context is already established', { check: 'established' });
    const rep = readApRepToken(replyToken, this.keys.sessionKey, this.#authenticator);
    const initiatorEtype = (this.keys.initiatorSubkey ?? this.keys.sessionKey).etype;
    // In an RFC 4757 context an AP-REP subkey of our subkey's enctype is ignored, as MIT's initiator does.
    const acceptorSubkey =
      rep.acceptorSubkey && takesAcceptorSubkey(initiatorEtype, rep.acceptorSubkey.etype, this.flags)
        ? rep.acceptorSubkey
        : undefined;
    this.establish({ sendSeq: this.#seq, recvSeq: rep.seqNumber, acceptorSubkey });
  }
}

/** What a checked AP-REP gives the initiator. */
export interface ApRepResult {
  readonly acceptorSubkey?: Key | undefined;
  /** The acceptor's initial sequence number (0 when it sent none). */
  readonly seqNumber: number;
}

/**
 * Checks a framed AP-REP token against the authenticator it answers: in the session key (RFC 4120 3.2.5, never the
 * subkey), ctime and cusec echoed (ProtocolError `ap-rep-time`). A KRB-ERROR token throws ApExchangeError.
 */
export function readApRepToken(
  token: Uint8Array,
  sessionKey: Key,
  sent: Pick<Authenticator, 'ctime' | 'cusec'>,
): ApRepResult {
  const t = decodeKrb5Token(token, [GssTokenId.AP_REP, GssTokenId.KRB_ERROR]);
  if (t.tokId === GssTokenId.KRB_ERROR) throw apErrorOf(t.body);
  const apRep = decodeApRep(t.body);
  const part = decodeEncApRepPart(decrypt(sessionKey, KeyUsage.ApRepEncPart, apRep.encPart.cipher));
  if (part.ctime.getTime() !== sent.ctime.getTime() || part.cusec !== sent.cusec)
    throw new ProtocolError('AP-REP does not echo the authenticator ctime/cusec', { check: 'ap-rep-time' });
  return {
    ...(part.subkey ? { acceptorSubkey: new Key(part.subkey.keytype, part.subkey.keyvalue) } : {}),
    seqNumber: part.seqNumber === undefined ? 0 : part.seqNumber >>> 0,
  };
}

/**
 * Starts a context to the credential's server: returns the framed AP-REQ token to send and the context. Without
 * MUTUAL in the flags the context is established at once; with it, pass the reply token to `step`.
 */
export function initSecContext(o: InitiatorOptions): { token: Uint8Array; context: InitiatorContext } {
  const clock = o.clock ?? defaultClock;
  const random = o.random ?? defaultRandom;
  const cred = o.credential;
  let flags = (o.flags ?? DEFAULT_INITIATOR_FLAGS) >>> 0;
  if (o.delegate) flags |= GssFlag.DELEG;
  else if (flags & GssFlag.DELEG)
    throw new KerberosError('the DELEG flag needs a TGT to forward', { hint: 'pass delegate: { tgt }' });
  const now = clock();
  const ctime = new Date(Math.floor(now / 1000) * 1000);
  const cusec = Math.floor(now % 1000) * 1000;
  const subkey = generateKey(cred.sessionKey.etype, random);
  const seq = randomSeqNumber(random);
  const bnd = o.channelBindings ? channelBindingsHash(o.channelBindings) : new Uint8Array(16);
  // MIT encrypts the forwarded KRB-CRED in the session key, not the subkey, so that Windows can read it.
  const deleg = o.delegate ? makeDelegationCred(o.delegate.tgt, cred.sessionKey) : undefined;
  const offered = o.etypeNegotiation === false ? [] : (o.etypeNegotiation ?? supportedEnctypes());
  const negotiation =
    offered.length > 0 && offered[0] !== cred.sessionKey.etype
      ? etypeNegotiationAuthData(offered)
      : undefined;
  const authenticator: Authenticator = {
    authenticatorVno: 5,
    crealm: cred.client.realm,
    cname: cred.client.name,
    cksum: { cksumtype: GSS_CHECKSUM_TYPE, checksum: encodeGssChecksum({ bnd, flags, deleg }) },
    cusec,
    ctime,
    subkey: { keytype: subkey.etype, keyvalue: subkey.bytes },
    seqNumber: seq,
    ...(negotiation ? { authorizationData: negotiation } : {}),
  };
  const apReq = encodeApReq(
    {
      pvno: 5,
      msgType: MessageType.AP_REQ,
      apOptions: flags & GssFlag.MUTUAL ? { mutualRequired: true } : {},
      ticket: cred.ticket,
      authenticator: {
        etype: cred.sessionKey.etype,
        cipher: encrypt(cred.sessionKey, KeyUsage.ApReqAuthenticator, encodeAuthenticator(authenticator), {
          random,
        }),
      },
    },
    cred.ticketBytes,
  );
  const context = new Initiator({
    initiator: true,
    peer: cred.server,
    flags,
    keys: { sessionKey: cred.sessionKey, initiatorSubkey: subkey },
    random,
    wrapOptions: o.wrapTokens,
    authenticator,
    seq,
  });
  // Without an AP-REP, the acceptor's sequence numbers start at ours (RFC 4121 4.1, as MIT).
  if (!(flags & GssFlag.MUTUAL)) context.establish({ sendSeq: seq, recvSeq: seq });
  return { token: encodeKrb5Token(GssTokenId.AP_REQ, apReq), context };
}
