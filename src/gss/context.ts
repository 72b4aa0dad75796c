/**
 * An established Kerberos GSS-API security context (RFC 4121 2, 4.2): the context key, sequence numbers and the
 * per-message calls SPNEGO, SASL and HTTP use. RFC 4121 tokens, or RFC 4757 ones when the context key is rc4-hmac.
 */
import { EncType, type Key } from '../crypto/index.js';
import { ProtocolError } from '../errors.js';
import type { Principal } from '../messages/index.js';
import type { RandomSource } from '../util/env.js';
import { GssFlag } from './constants.js';
import {
  type CfxReceiver,
  type CfxSender,
  cfxGetMic,
  cfxUnwrap,
  cfxVerifyMic,
  cfxWrap,
} from './message-tokens.js';
import { rc4GetMic, rc4Unwrap, rc4VerifyMic, rc4Wrap } from './rc4-tokens.js';
import { SequenceWindow } from './sequence.js';

/** A GSS-API security context: per-message protection between two principals. */
export interface GssContext {
  /** True once the context can protect messages (after the AP-REP when mutual authentication was asked). */
  readonly established: boolean;
  /** True on the side that sent the AP-REQ. */
  readonly initiator: boolean;
  /** The context flags ({@link GssFlag}) in force. */
  readonly flags: number;
  /** The other side: the server for an initiator, the client for an acceptor. */
  readonly peer: Principal;
  /** A MIC token over `message`. */
  getMic(message: Uint8Array): Uint8Array;
  /** Checks a MIC token over `message`; IntegrityError, or ProtocolError naming the check (`direction`, `replay`…). */
  verifyMic(message: Uint8Array, token: Uint8Array): void;
  /** A Wrap token of `message`, sealed unless `conf` is false. */
  wrap(message: Uint8Array, o?: { conf?: boolean }): Uint8Array;
  /** The message of a Wrap token and whether it was sealed; errors as {@link GssContext.verifyMic}. */
  unwrap(token: Uint8Array): { message: Uint8Array; conf: boolean };
}

/** Keys of a context (RFC 4121 2). */
export interface ContextKeys {
  /** The ticket's session key. */
  readonly sessionKey: Key;
  /** The authenticator subkey. */
  readonly initiatorSubkey?: Key | undefined;
  /** The AP-REP subkey. */
  readonly acceptorSubkey?: Key | undefined;
}

/** Options of wrap tokens a context sends. */
export interface WrapTokenOptions {
  /** Right rotation count of RFC 4121 Wrap tokens sent (default 0). */
  readonly rrc?: number | undefined;
  /** Filler bytes in sealed RFC 4121 Wrap tokens sent (default 0). */
  readonly ec?: number | undefined;
}

const TWO_32 = 0x1_0000_0000;

/** The state machine shared by initiator and acceptor contexts. */
export class Krb5Context implements GssContext {
  readonly initiator: boolean;
  readonly peer: Principal;
  #flags: number;
  #established = false;
  #keys: ContextKeys;
  #sendSeq = 0;
  #recv: SequenceWindow | undefined;
  readonly #random: RandomSource | undefined;
  readonly #wrapOptions: WrapTokenOptions;

  constructor(o: {
    initiator: boolean;
    peer: Principal;
    flags: number;
    keys: ContextKeys;
    random?: RandomSource | undefined;
    wrapOptions?: WrapTokenOptions | undefined;
  }) {
    this.initiator = o.initiator;
    this.peer = o.peer;
    this.#flags = o.flags;
    this.#keys = o.keys;
    this.#random = o.random;
    this.#wrapOptions = o.wrapOptions ?? {};
  }

  get established(): boolean {
    return this.#established;
  }

  get flags(): number {
    return this.#flags;
  }

  /** The keys in force. */
  get keys(): ContextKeys {
    return this.#keys;
  }

  /** The context key: acceptor subkey, else initiator subkey, else session key (RFC 4121 2). */
  get contextKey(): Key {
    return this.#keys.acceptorSubkey ?? this.#keys.initiatorSubkey ?? this.#keys.sessionKey;
  }

  /** Makes the context usable (internal to the mechanism): our first sequence number, the peer's, final keys and flags. */
  establish(o: { sendSeq: number; recvSeq: number; acceptorSubkey?: Key | undefined; flags?: number }): void {
    if (o.acceptorSubkey) this.#keys = { ...this.#keys, acceptorSubkey: o.acceptorSubkey };
    if (o.flags !== undefined) this.#flags = o.flags;
    this.#sendSeq = o.sendSeq;
    this.#recv = new SequenceWindow(o.recvSeq, {
      replay: (this.#flags & GssFlag.REPLAY) !== 0,
      sequence: (this.#flags & GssFlag.SEQUENCE) !== 0,
      wide: !this.#rc4,
    });
    this.#established = true;
  }

  get #rc4(): boolean {
    return this.contextKey.etype === EncType.RC4_HMAC;
  }

  #ready(): SequenceWindow {
    if (!this.#established || !this.#recv)
      throw new ProtocolError('the security context is not established yet', {
        check: 'established',
        hint: 'pass the AP-REP token to step() first',
      });
    return this.#recv;
  }

  #nextSeq(): number {
    const s = this.#sendSeq;
    this.#sendSeq = this.#rc4 ? (s + 1) % TWO_32 : s + 1;
    return s;
  }

  #sender(): CfxSender {
    return {
      key: this.contextKey,
      acceptor: !this.initiator,
      acceptorSubkey: this.#keys.acceptorSubkey !== undefined,
    };
  }

  #receiver(): CfxReceiver {
    return {
      acceptor: !this.initiator,
      keyFor: (acceptorSubkey) => {
        if (!acceptorSubkey) return this.#keys.initiatorSubkey ?? this.#keys.sessionKey;
        if (this.#keys.acceptorSubkey) return this.#keys.acceptorSubkey;
        throw new ProtocolError('token is flagged AcceptorSubkey but the context has no acceptor subkey', {
          check: 'acceptor-subkey',
        });
      },
    };
  }

  getMic(message: Uint8Array): Uint8Array {
    this.#ready();
    const seq = this.#nextSeq();
    if (this.#rc4) return rc4GetMic(this.contextKey, !this.initiator, seq, message);
    return cfxGetMic(this.#sender(), seq, message);
  }

  verifyMic(message: Uint8Array, token: Uint8Array): void {
    const recv = this.#ready();
    const seq = this.#rc4
      ? rc4VerifyMic(this.contextKey, !this.initiator, message, token)
      : cfxVerifyMic(this.#receiver(), message, token);
    recv.accept(seq);
  }

  wrap(message: Uint8Array, o: { conf?: boolean } = {}): Uint8Array {
    this.#ready();
    const conf = o.conf ?? true;
    const seq = this.#nextSeq();
    if (this.#rc4)
      return rc4Wrap(this.contextKey, !this.initiator, seq, message, { conf, random: this.#random });
    return cfxWrap(this.#sender(), seq, message, {
      conf,
      rrc: this.#wrapOptions.rrc,
      ec: this.#wrapOptions.ec,
      random: this.#random,
    });
  }

  unwrap(token: Uint8Array): { message: Uint8Array; conf: boolean } {
    const recv = this.#ready();
    const r = this.#rc4
      ? rc4Unwrap(this.contextKey, !this.initiator, token)
      : cfxUnwrap(this.#receiver(), token);
    recv.accept(r.seq);
    return { message: r.message, conf: r.conf };
  }
}
