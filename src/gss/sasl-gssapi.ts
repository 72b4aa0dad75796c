/**
 * SASL GSSAPI (RFC 4752 3) as two pure state machines: the client (context tokens, then the security-layer
 * negotiation, then wrap/unwrap of application buffers) and the server that offers layers and checks the reply.
 * Transport framing (LDAP's SASL bind, the 4-octet buffer length of RFC 4422 3.7) belongs to the caller.
 */
import { ProtocolError } from '../errors.js';
import { GssFlag } from './constants.js';
import type { GssContext } from './context.js';

/** Security layer bits of the negotiation octet (RFC 4752 3.3). */
export const SaslSecurityLayer = { NONE: 1, INTEGRITY: 2, CONFIDENTIALITY: 4 } as const;
/** A security layer by name. */
export type SaslLayer = 'none' | 'integrity' | 'confidentiality';
/** The largest maximum buffer size three octets can state. */
export const SASL_MAX_BUFFER = 0xffffff;
/** The maximum buffer size both sides state by default (what Cyrus SASL and Windows use). */
export const SASL_DEFAULT_MAX_BUFFER = 65536;

const LAYER_BIT: Record<SaslLayer, number> = {
  none: SaslSecurityLayer.NONE,
  integrity: SaslSecurityLayer.INTEGRITY,
  confidentiality: SaslSecurityLayer.CONFIDENTIALITY,
};
/** Context flag each layer needs from the GSS context. */
const LAYER_FLAG: Record<SaslLayer, number> = {
  none: 0,
  integrity: GssFlag.INTEG,
  confidentiality: GssFlag.CONF,
};
const ALL_LAYERS: readonly SaslLayer[] = ['confidentiality', 'integrity', 'none'];

/** What SASL GSSAPI uses of a GSS context. */
export type SaslGssContext = Pick<GssContext, 'established' | 'flags' | 'wrap' | 'unwrap'>;

/** Options both roles share. */
export interface SaslLayerOptions {
  /** Layers this side allows, most preferred first (default confidentiality, integrity, none). */
  layers?: readonly SaslLayer[];
  /** Largest wrapped buffer this side accepts, 0..2^24-1 (default {@link SASL_DEFAULT_MAX_BUFFER}). */
  maxBuffer?: number;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = new TextEncoder();

function fail(message: string, check: string, hint?: string): never {
  throw new ProtocolError(message, hint === undefined ? { check } : { check, hint });
}

function checkMaxBuffer(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > SASL_MAX_BUFFER)
    fail(`maxBuffer ${n} is not in 0..${SASL_MAX_BUFFER}`, 'sasl-max-buffer');
  return n;
}

/** The 4 octets `layers(1) maxBuffer(3)` followed by `rest`. */
function layerMessage(bits: number, maxBuffer: number, rest: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(4 + rest.length);
  out[0] = bits;
  out[1] = maxBuffer >>> 16;
  out[2] = (maxBuffer >>> 8) & 0xff;
  out[3] = maxBuffer & 0xff;
  out.set(rest, 4);
  return out;
}

function readMaxBuffer(m: Uint8Array): number {
  return (m[1]! << 16) | (m[2]! << 8) | m[3]!;
}

/** Wrap/unwrap of application buffers once a layer is chosen (RFC 4752 3.3, RFC 4422 3.7). */
abstract class LayerSession {
  protected chosen: SaslLayer | undefined;
  protected peerMax: number | undefined;
  protected readonly allowed: readonly SaslLayer[];
  protected readonly maxBuffer: number;

  constructor(o: SaslLayerOptions) {
    this.allowed = o.layers ?? ALL_LAYERS;
    if (this.allowed.length === 0) fail('no SASL security layer allowed', 'sasl-layer');
    this.maxBuffer = checkMaxBuffer(o.maxBuffer ?? SASL_DEFAULT_MAX_BUFFER);
  }

  protected abstract get gss(): SaslGssContext;

  /** True once the layer negotiation is over. */
  get complete(): boolean {
    return this.chosen !== undefined;
  }

  /** The chosen layer, once negotiated. */
  get layer(): SaslLayer | undefined {
    return this.chosen;
  }

  /** The peer's maximum buffer size, once negotiated (0 with layer none). */
  get peerMaxBuffer(): number | undefined {
    return this.peerMax;
  }

  /** An application buffer for the peer: unchanged for layer none, else a GSS Wrap token. */
  wrap(message: Uint8Array): Uint8Array {
    const layer = this.negotiated();
    if (layer === 'none') return message;
    const token = this.gss.wrap(message, { conf: layer === 'confidentiality' });
    if (this.peerMax! > 0 && token.length > this.peerMax!)
      fail(
        `wrapped buffer of ${token.length} bytes exceeds the peer's maximum ${this.peerMax}`,
        'sasl-max-buffer',
      );
    return token;
  }

  /** The message in a buffer from the peer. ProtocolError checks `sasl-state`, `sasl-max-buffer`, `sasl-layer`. */
  unwrap(buffer: Uint8Array): Uint8Array {
    const layer = this.negotiated();
    if (layer === 'none') return buffer;
    if (buffer.length > this.maxBuffer)
      fail(`buffer of ${buffer.length} bytes exceeds our maximum ${this.maxBuffer}`, 'sasl-max-buffer');
    const { message, conf } = this.gss.unwrap(buffer);
    if (layer === 'confidentiality' && !conf)
      fail('peer sent an unsealed buffer on a confidentiality layer', 'sasl-layer');
    return message;
  }

  /** Layers both allowed here and backed by the context's flags. */
  protected usable(): SaslLayer[] {
    const flags = this.gss.flags;
    return this.allowed.filter((l) => (flags & LAYER_FLAG[l]) === LAYER_FLAG[l]);
  }

  private negotiated(): SaslLayer {
    if (this.chosen === undefined) fail('SASL GSSAPI security layer is not negotiated yet', 'sasl-state');
    return this.chosen;
  }
}

// --- client ---------------------------------------------------------------------------------------------------

/** The Kerberos initiator context as SASL GSSAPI drives it (`initSecContext`'s context satisfies it). */
export interface SaslGssInitiator extends SaslGssContext {
  step(replyToken: Uint8Array): unknown;
}

/** Options of {@link saslGssapiClient}. */
export interface SaslGssapiClientOptions<C extends SaslGssInitiator> extends SaslLayerOptions {
  /** The context and its first token, e.g. `initSecContext({ credential })`; RFC 4752 3.1 requires MUTUAL (check `sasl-mutual`). */
  start: { token: Uint8Array; context: C };
  /** Authorization identity to request (UTF-8, no NUL); empty (the default) means the authenticated identity. */
  authzid?: string;
}

type ClientPhase = 'context' | 'offer' | 'done';

/** SASL GSSAPI client: send {@link initialResponse}, then answer each server challenge with {@link step}. */
export class SaslGssapiClient<C extends SaslGssInitiator> extends LayerSession {
  /** The first client response: the Kerberos AP-REQ token. */
  readonly initialResponse: Uint8Array;
  /** The GSS context (for flags and peer). */
  readonly context: C;
  private readonly authzid: Uint8Array;
  private phase: ClientPhase;

  constructor(o: SaslGssapiClientOptions<C>) {
    super(o);
    const id = o.authzid ?? '';
    if (id.includes('\0') || /\p{Cs}/u.test(id))
      fail('authzid must be UTF-8 text without NUL', 'sasl-authzid');
    this.authzid = utf8.encode(id);
    this.initialResponse = o.start.token;
    this.context = o.start.context;
    if (!(this.context.flags & GssFlag.MUTUAL))
      fail(
        'the GSS context was started without mutual authentication',
        'sasl-mutual',
        'RFC 4752 3.1: ask for GssFlag.MUTUAL',
      );
    this.phase = this.context.established ? 'offer' : 'context';
  }

  protected get gss(): SaslGssContext {
    return this.context;
  }

  /**
   * The response to a server challenge: empty after the AP-REP, then the wrapped layer choice after the offer.
   * ProtocolError checks `sasl-state`, `sasl-offer`, `sasl-layer`; the context's own errors pass through.
   */
  step(challenge: Uint8Array): Uint8Array {
    switch (this.phase) {
      case 'context':
        this.context.step(challenge);
        if (!this.context.established)
          fail('GSS context is not established after the server token', 'sasl-state');
        this.phase = 'offer';
        return new Uint8Array(0); // RFC 4752 3.1: an empty response once the context is complete
      case 'offer':
        if (challenge.length === 0) return new Uint8Array(0);
        return this.answerOffer(challenge);
      default:
        return fail('SASL GSSAPI negotiation is already complete', 'sasl-state');
    }
  }

  private answerOffer(challenge: Uint8Array): Uint8Array {
    const { message } = this.context.unwrap(challenge);
    if (message.length !== 4) fail(`server offer is ${message.length} octets, not 4`, 'sasl-offer');
    const offered = message[0]!;
    const choice = this.usable().find((l) => (offered & LAYER_BIT[l]) !== 0);
    if (choice === undefined)
      fail(
        `server offers layers 0x${offered.toString(16)}, none of ${this.allowed.join(', ')}`,
        'sasl-layer',
        'allow another layer, or check the context flags (CONF, INTEG)',
      );
    this.peerMax = choice === 'none' ? 0 : readMaxBuffer(message);
    this.chosen = choice;
    this.phase = 'done';
    const reply = layerMessage(LAYER_BIT[choice], choice === 'none' ? 0 : this.maxBuffer, this.authzid);
    return this.context.wrap(reply, { conf: false });
  }
}

/** Starts a SASL GSSAPI client (RFC 4752 3.1). */
export function saslGssapiClient<C extends SaslGssInitiator>(
  o: SaslGssapiClientOptions<C>,
): SaslGssapiClient<C> {
  return new SaslGssapiClient(o);
}

// --- server ---------------------------------------------------------------------------------------------------

/** What the Kerberos acceptor returns that SASL GSSAPI needs (`acceptSecContext`'s result satisfies it). */
export interface SaslAcceptedMech {
  readonly context: SaslGssContext;
  readonly outputToken?: Uint8Array | undefined;
}

/** Options of {@link saslGssapiServer}. */
export interface SaslGssapiServerOptions<R extends SaslAcceptedMech> extends SaslLayerOptions {
  /** Runs the client's Kerberos token, e.g. `(t) => acceptSecContext(t, { keys })`. */
  accept: (token: Uint8Array) => R;
}

type ServerPhase = 'context' | 'empty' | 'reply' | 'done';

/** SASL GSSAPI server: feed each client response to {@link step}; send back what it returns as the challenge. */
export class SaslGssapiServer<R extends SaslAcceptedMech> extends LayerSession {
  private accepted: R | undefined;
  private requestedAuthzid: string | undefined;
  private phase: ServerPhase = 'context';

  constructor(
    private readonly accept: (token: Uint8Array) => R,
    o: SaslLayerOptions,
  ) {
    super(o);
  }

  /** The Kerberos acceptor's result (client principal, PAC...), once it has run. */
  get result(): R | undefined {
    return this.accepted;
  }

  /** The authorization identity the client asked for ('' = its authenticated identity); the caller authorizes it. */
  get authzid(): string | undefined {
    return this.requestedAuthzid;
  }

  protected get gss(): SaslGssContext {
    return this.accepted!.context;
  }

  /**
   * The challenge for a client response, or undefined when the negotiation is complete (send the SASL success).
   * ProtocolError checks `sasl-state`, `sasl-layer`, `sasl-reply`, `sasl-authzid`.
   */
  step(response: Uint8Array): Uint8Array | undefined {
    switch (this.phase) {
      case 'context': {
        const r = this.accept(response);
        if (!r.context.established) fail('the mechanism needs more than one token', 'sasl-state');
        this.accepted = r;
        if (r.outputToken !== undefined && r.outputToken.length > 0) {
          this.phase = 'empty';
          return r.outputToken;
        }
        return this.offer();
      }
      case 'empty':
        if (response.length !== 0) fail('client response after the AP-REP must be empty', 'sasl-state');
        return this.offer();
      case 'reply':
        this.checkReply(response);
        return undefined;
      default:
        return fail('SASL GSSAPI negotiation is already complete', 'sasl-state');
    }
  }

  private offered(): number {
    return this.usable().reduce((bits, l) => bits | LAYER_BIT[l], 0);
  }

  private offer(): Uint8Array {
    const bits = this.offered();
    if (bits === 0) fail(`the context supports none of ${this.allowed.join(', ')}`, 'sasl-layer');
    this.phase = 'reply';
    const max = bits === SaslSecurityLayer.NONE ? 0 : this.maxBuffer;
    return this.gss.wrap(layerMessage(bits, max), { conf: false });
  }

  private checkReply(response: Uint8Array): void {
    const { message } = this.gss.unwrap(response);
    if (message.length < 4) fail(`client reply is ${message.length} octets, fewer than 4`, 'sasl-reply');
    const bits = message[0]!;
    const layer = (Object.keys(LAYER_BIT) as SaslLayer[]).find((l) => LAYER_BIT[l] === bits);
    if (layer === undefined || (this.offered() & bits) === 0)
      fail(`client chose layers 0x${bits.toString(16)}, not exactly one layer we offered`, 'sasl-layer');
    let authzid: string;
    try {
      authzid = utf8Strict.decode(message.subarray(4));
    } catch {
      fail('client authzid is not valid UTF-8', 'sasl-authzid');
    }
    if (authzid.includes('\0')) fail('client authzid contains NUL', 'sasl-authzid');
    this.peerMax = layer === 'none' ? 0 : readMaxBuffer(message);
    this.requestedAuthzid = authzid;
    this.chosen = layer;
    this.phase = 'done';
  }
}

/** Starts a SASL GSSAPI server (RFC 4752 3.1): offers the allowed layers the context supports. */
export function saslGssapiServer<R extends SaslAcceptedMech>(
  o: SaslGssapiServerOptions<R>,
): SaslGssapiServer<R> {
  return new SaslGssapiServer(o.accept, o);
}
