/**
 * A minimal LDAPv3 client for the interop tests, over node:net: SASL bind rounds (RFC 4511 4.2, RFC 4513 5.2.1),
 * the WhoAmI extended operation (RFC 4532), unbind, and a SASL security layer once a bind installs one (RFC 4422
 * 3.7: each buffer is a 4-octet big-endian length and the wrapped bytes). tskrb is not an LDAP client: this exists
 * to drive its RFC 4752 mechanism against OpenLDAP.
 */
import { connect, type Socket } from 'node:net';
import { DerNode, encInt32, encOctets, toDer } from '../../src/asn1/der-write.js';
import { concat, fromUtf8, utf8 } from '../../src/util/bytes.js';

/** RFC 4511 4.1.9 result codes the tests name. */
export const LdapResultCode = { success: 0, saslBindInProgress: 14, invalidCredentials: 49 } as const;

/** RFC 4532 WhoAmI extended operation. */
const WHO_AM_I_OID = '1.3.6.1.4.1.4203.1.11.3';

// RFC 4511 4.2-4.3, 4.12: protocolOp tags; UNIVERSAL and context tags of the fields read or written here.
const Op = {
  bindRequest: 0x60,
  bindResponse: 0x61,
  unbindRequest: 0x42,
  extendedRequest: 0x77,
  extendedResponse: 0x78,
};
const T = { sequence: 0x30, integer: 0x02, octets: 0x04, enumerated: 0x0a };
const SASL_CREDENTIALS = 0xa3; // AuthenticationChoice sasl [3] SaslCredentials
const SERVER_SASL_CREDS = 0x87; // BindResponse serverSaslCreds [7]
const EXT_REQUEST_NAME = 0x80; // ExtendedRequest requestName [0]
const EXT_RESPONSE_VALUE = 0x8b; // ExtendedResponse responseValue [11]
const LDAP_VERSION = 3;
const MAX_PDU = 1 << 20;

/** An LDAPResult (RFC 4511 4.1.9) with the operation-specific fields the tests use. */
export interface LdapResult {
  resultCode: number;
  matchedDN: string;
  diagnosticMessage: string;
  /** BindResponse serverSaslCreds. */
  serverSaslCreds?: Uint8Array;
  /** ExtendedResponse responseValue. */
  responseValue?: Uint8Array;
}

/** The server answered an operation with a result code other than the ones the caller accepts. */
export class LdapResultError extends Error {
  constructor(
    readonly operation: string,
    readonly result: LdapResult,
  ) {
    super(
      `LDAP ${operation}: result ${result.resultCode}${result.diagnosticMessage ? ` (${result.diagnosticMessage})` : ''}`,
    );
    this.name = 'LdapResultError';
  }
  get resultCode(): number {
    return this.result.resultCode;
  }
}

/** A SASL security layer: what the mechanism's context wraps and unwraps once the bind has completed. */
export interface SecurityLayer {
  wrap(clear: Uint8Array): Uint8Array;
  unwrap(wrapped: Uint8Array): Uint8Array;
}

/** A SASL client mechanism as a bind drives it (tskrb's `SaslGssapiClient` is one). */
export interface SaslClientMechanism extends SecurityLayer {
  /** The client's first response, sent in the first BindRequest. */
  readonly initialResponse: Uint8Array;
  /** The response to a server challenge. */
  step(challenge: Uint8Array): Uint8Array;
  /** True once the mechanism has negotiated its security layer. */
  readonly complete: boolean;
  /** The negotiated layer; `none` installs no layer. */
  readonly layer: string | undefined;
}

interface Tlv {
  tag: number;
  content: Uint8Array;
  /** Offset just past the element. */
  end: number;
}

/** One BER element at `at` (definite lengths only: OpenLDAP writes long-form lengths DER would reject); undefined if incomplete. */
function readTlv(b: Uint8Array, at: number): Tlv | undefined {
  if (b.length < at + 2) return undefined;
  const tag = b[at]!;
  let p = at + 1;
  let len = b[p++]!;
  if (len === 0x80) throw new Error(`LDAP: indefinite length at byte ${at}`);
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw new Error(`LDAP: length of ${n} octets at byte ${at}`);
    if (b.length < p + n) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
  }
  if (len > MAX_PDU) throw new Error(`LDAP: element of ${len} bytes at byte ${at}`);
  if (b.length < p + len) return undefined;
  return { tag, content: b.subarray(p, p + len), end: p + len };
}

/** The elements of a constructed element's contents, in order. */
function children(content: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < content.length; ) {
    const t = readTlv(content, at);
    if (!t) throw new Error('LDAP: truncated element');
    out.push(t);
    at = t.end;
  }
  return out;
}

function readInt(content: Uint8Array): number {
  let v = content[0]! & 0x80 ? -1 : 0;
  for (const x of content) v = v * 256 + x;
  return v;
}

/** RFC 4511 4.1.9 LDAPResult followed by a response's own fields. */
function decodeResult(op: Tlv): LdapResult {
  const [code, matched, diag, ...rest] = children(op.content);
  if (code?.tag !== T.enumerated || matched?.tag !== T.octets || diag?.tag !== T.octets)
    throw new Error(`LDAP: malformed result in operation 0x${op.tag.toString(16)}`);
  const r: LdapResult = {
    resultCode: readInt(code.content),
    matchedDN: fromUtf8(matched.content),
    diagnosticMessage: fromUtf8(diag.content),
  };
  for (const f of rest) {
    if (f.tag === SERVER_SASL_CREDS) r.serverSaslCreds = f.content.slice();
    else if (f.tag === EXT_RESPONSE_VALUE) r.responseValue = f.content.slice();
  }
  return r;
}

/** An LDAP connection that sends one request at a time and waits for its response. */
export class LdapConnection {
  private nextId = 1;
  private raw: Uint8Array = new Uint8Array(0); // socket bytes not yet framed
  private pdus: Uint8Array = new Uint8Array(0); // the LDAP PDU stream (clear, or unwrapped)
  /** SASL buffers sent and received through the security layer. */
  readonly wrapped = { sent: 0, received: 0 };
  private layer: SecurityLayer | undefined;
  private pending: { id: number; resolve: (op: Tlv) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', (d: Buffer) => this.receive(new Uint8Array(d)));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('LDAP: connection closed by the server')));
  }

  /** Opens a TCP connection to host:port. */
  static open(host: string, port: number, timeoutMs = 10_000): Promise<LdapConnection> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port });
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new LdapConnection(s, timeoutMs));
      });
    });
  }

  /** One SASL BindRequest round (RFC 4513 5.2.1.2); resolves on success or saslBindInProgress, throws otherwise. */
  async saslBind(mechanism: string, credentials?: Uint8Array): Promise<LdapResult> {
    const sasl = DerNode.constructed(SASL_CREDENTIALS, [
      encOctets(utf8(mechanism)),
      credentials === undefined ? undefined : encOctets(credentials),
    ]);
    const op = await this.request(
      DerNode.constructed(Op.bindRequest, [encInt32(LDAP_VERSION), encOctets(new Uint8Array(0)), sasl]),
    );
    const r = this.result(op, Op.bindResponse, 'bind');
    if (r.resultCode !== LdapResultCode.success && r.resultCode !== LdapResultCode.saslBindInProgress)
      throw new LdapResultError('bind', r);
    return r;
  }

  /** From now on every PDU in either direction goes through `layer` (after the bind that negotiated it). */
  setSecurityLayer(layer: SecurityLayer): void {
    this.layer = layer;
  }

  /** RFC 4532: the authorization identity the server bound this connection to (`dn:…`, `u:…` or empty). */
  async whoAmI(): Promise<string> {
    const op = await this.request(
      DerNode.constructed(Op.extendedRequest, [DerNode.primitive(EXT_REQUEST_NAME, utf8(WHO_AM_I_OID))]),
    );
    const r = this.result(op, Op.extendedResponse, 'WhoAmI');
    if (r.resultCode !== LdapResultCode.success) throw new LdapResultError('WhoAmI', r);
    return fromUtf8(r.responseValue ?? new Uint8Array(0));
  }

  /** Sends an UnbindRequest (no response) and closes the connection. */
  async close(): Promise<void> {
    if (!this.failure && !this.socket.destroyed)
      this.write(this.message(DerNode.primitive(Op.unbindRequest, new Uint8Array(0))));
    this.failure ??= new Error('LDAP: connection closed');
    await new Promise<void>((resolve) => this.socket.end(resolve));
  }

  private message(op: DerNode): Uint8Array {
    return toDer(DerNode.constructed(T.sequence, [encInt32(this.nextId++), op]));
  }

  private write(pdu: Uint8Array): void {
    if (!this.layer) {
      this.socket.write(pdu);
      return;
    }
    const wrapped = this.layer.wrap(pdu);
    this.wrapped.sent++;
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, wrapped.length);
    this.socket.write(concat(len, wrapped));
  }

  private request(op: DerNode): Promise<Tlv> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId;
    const pdu = this.message(op);
    return new Promise<Tlv>((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new Error(`LDAP: no response to message ${id} in ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      this.pending = {
        id,
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.write(pdu);
    });
  }

  private result(op: Tlv, tag: number, what: string): LdapResult {
    if (op.tag !== tag)
      throw new Error(
        `LDAP ${what}: expected response tag 0x${tag.toString(16)}, got 0x${op.tag.toString(16)}`,
      );
    return decodeResult(op);
  }

  private receive(d: Uint8Array): void {
    try {
      this.raw = concat(this.raw, d);
      if (!this.layer) {
        this.pdus = concat(this.pdus, this.raw);
        this.raw = new Uint8Array(0);
      } else {
        // RFC 4422 3.7: a 4-octet length, then that many octets of wrapped data.
        while (this.raw.length >= 4) {
          const n = new DataView(this.raw.buffer, this.raw.byteOffset).getUint32(0);
          if (n > MAX_PDU) throw new Error(`LDAP: SASL buffer of ${n} bytes`);
          if (this.raw.length < 4 + n) break;
          this.pdus = concat(this.pdus, this.layer.unwrap(this.raw.subarray(4, 4 + n)));
          this.wrapped.received++;
          this.raw = this.raw.slice(4 + n);
        }
      }
      for (let t = readTlv(this.pdus, 0); t; t = readTlv(this.pdus, 0)) {
        this.pdus = this.pdus.slice(t.end);
        this.dispatch(t);
      }
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private dispatch(msg: Tlv): void {
    const [id, op] = children(msg.content);
    if (msg.tag !== T.sequence || id?.tag !== T.integer || !op)
      throw new Error('LDAP: malformed LDAPMessage');
    const messageId = readInt(id.content);
    // RFC 4511 4.4.1: message ID 0 is an unsolicited notification (e.g. notice of disconnection).
    if (messageId === 0)
      throw new Error(
        `LDAP: unsolicited notification ${op.tag === Op.extendedResponse ? JSON.stringify(decodeResult(op)) : ''}`,
      );
    const p = this.pending;
    if (!p || p.id !== messageId) throw new Error(`LDAP: response to unknown message ${messageId}`);
    this.pending = undefined;
    p.resolve(op);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(e);
    if (!this.socket.destroyed) this.socket.destroy();
  }
}

/**
 * A complete SASL bind (RFC 4513 5.2.1.2): BindRequests carrying the mechanism's responses while the server answers
 * saslBindInProgress with a challenge; on success installs the negotiated security layer (RFC 4513 5.2.1.7).
 * LdapResultError when the server refuses; the mechanism's own errors pass through.
 */
export async function saslBind(
  conn: LdapConnection,
  mechanism: string,
  client: SaslClientMechanism,
): Promise<LdapResult> {
  let r = await conn.saslBind(mechanism, client.initialResponse);
  for (let round = 0; r.resultCode === LdapResultCode.saslBindInProgress; round++) {
    if (round === 8) throw new Error(`LDAP bind: still in progress after ${round} rounds`);
    r = await conn.saslBind(mechanism, client.step(r.serverSaslCreds ?? new Uint8Array(0)));
  }
  if (!client.complete)
    throw new Error('LDAP bind: the server reported success before the mechanism completed');
  if (client.layer !== 'none') conn.setSecurityLayer(client);
  return r;
}
