/**
 * Fixtures of the SPNEGO and SASL GSSAPI tests: a toy GSS context pair (unit tests of the state machines without
 * Kerberos), the real Kerberos mechanism between alice and HTTP/web.unit.test (end-to-end tests), and the public
 * SPNEGO tokens captured from Windows that Kerberos.NET ships (read from /work/shared when present).
 */
import { existsSync, readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { type EncTicketPart, encodeEncTicketPart, NameType, type Ticket } from '../../src/asn1/index.js';
import { encrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import { IntegrityError, ProtocolError } from '../../src/errors.js';
import { acceptSecContext } from '../../src/gss/acceptor.js';
import { GssFlag } from '../../src/gss/constants.js';
import type { GssContext } from '../../src/gss/context.js';
import { initSecContext } from '../../src/gss/initiator.js';
import { MemoryReplayCache } from '../../src/gss/replay-cache.js';
import type { Credential } from '../../src/messages/credential.js';
import type { Principal } from '../../src/messages/principal.js';
import { bytesEqual, concat, fromBase64, fromHex, utf8 } from '../../src/util/bytes.js';
import { TEST_NOW, testClock } from '../helpers/clock.js';

/**
 * The `check` of the ProtocolError `f` throws, `integrity` for an IntegrityError (undefined when it does not throw;
 * other errors propagate).
 */
export function checkOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e.check;
    if (e instanceof IntegrityError) return 'integrity';
    throw e;
  }
  return undefined;
}

// --- a toy context pair ------------------------------------------------------------------------------------------

/** A GSS context of the toy mechanism: MIC = SHA-256(secret, direction, message); "sealing" is a XOR. */
export class ToyContext implements GssContext {
  established = true;
  readonly peer: Principal = {
    realm: 'UNIT.TEST',
    name: { nameType: NameType.NT_PRINCIPAL, nameString: ['peer'] },
  };
  /** Every message given to getMic, for assertions. */
  readonly micInputs: Uint8Array[] = [];
  constructor(
    readonly initiator: boolean,
    readonly flags: number,
    private readonly secret: Uint8Array,
  ) {}

  private tag(fromInitiator: boolean, m: Uint8Array): Uint8Array {
    return sha256(concat(this.secret, Uint8Array.of(fromInitiator ? 1 : 2), m));
  }

  getMic(message: Uint8Array): Uint8Array {
    this.micInputs.push(message);
    return this.tag(this.initiator, message);
  }

  verifyMic(message: Uint8Array, token: Uint8Array): void {
    if (!bytesEqual(token, this.tag(!this.initiator, message)))
      throw new IntegrityError('toy MIC does not verify');
  }

  wrap(message: Uint8Array, o?: { conf?: boolean }): Uint8Array {
    const conf = o?.conf ?? true;
    const body = conf ? message.map((b) => b ^ 0x5a) : message;
    return concat(Uint8Array.of(conf ? 1 : 0), this.tag(this.initiator, message), body);
  }

  unwrap(token: Uint8Array): { message: Uint8Array; conf: boolean } {
    if (token.length < 33) throw new ProtocolError('toy wrap token too short', { check: 'toy' });
    const conf = token[0] === 1;
    const body = token.subarray(33);
    const message = conf ? body.map((b) => b ^ 0x5a) : body.slice();
    if (!bytesEqual(token.subarray(1, 33), this.tag(!this.initiator, message)))
      throw new IntegrityError('toy wrap token does not verify');
    return { message, conf };
  }
}

const TOY_ALL = GssFlag.MUTUAL | GssFlag.CONF | GssFlag.INTEG | GssFlag.SEQUENCE | GssFlag.REPLAY;

/** A toy initiator: established by any reply token equal to "AP-REP" unless `mutual` is false. */
export class ToyInitiator extends ToyContext {
  readonly stepInputs: Uint8Array[] = [];
  constructor(secret: Uint8Array, mutual: boolean, flags = TOY_ALL) {
    super(true, flags, secret);
    this.established = !mutual;
  }
  step(reply: Uint8Array): void {
    this.stepInputs.push(reply);
    if (new TextDecoder().decode(reply) === 'KRB-ERROR')
      throw new ProtocolError('toy KRB-ERROR', { check: 'toy-error' });
    if (new TextDecoder().decode(reply) !== 'AP-REP')
      throw new ProtocolError('toy: not an AP-REP', { check: 'toy' });
    this.established = true;
  }
}

/** Toy mechanism ends: `start()` makes the "AP-REQ" token and initiator; `accept` checks it and answers "AP-REP". */
export function toyMech(o: { mutual?: boolean; secret?: string; flags?: number } = {}) {
  const secret = utf8(o.secret ?? 'toy secret');
  const mutual = o.mutual ?? true;
  const starts: ToyInitiator[] = [];
  const accepted: Uint8Array[] = [];
  return {
    starts,
    accepted,
    start: () => {
      const context = new ToyInitiator(secret, mutual, o.flags);
      starts.push(context);
      return { token: utf8(`AP-REQ#${starts.length}`), context };
    },
    accept: (token: Uint8Array) => {
      accepted.push(token);
      if (!new TextDecoder().decode(token).startsWith('AP-REQ'))
        throw new ProtocolError('toy: not an AP-REQ', { check: 'toy' });
      const context = new ToyContext(false, o.flags ?? TOY_ALL, secret);
      return mutual ? { context, outputToken: utf8('AP-REP') } : { context };
    },
  };
}

// --- the real Kerberos mechanism ---------------------------------------------------------------------------------

const REALM = 'UNIT.TEST';
/** alice@UNIT.TEST */
export const ALICE: Principal = {
  realm: REALM,
  name: { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] },
};
/** HTTP/web.unit.test@UNIT.TEST */
export const WEB: Principal = {
  realm: REALM,
  name: { nameType: NameType.NT_SRV_HST, nameString: ['HTTP', 'web.unit.test'] },
};

/** alice's service ticket to HTTP/web sealed in `serviceKey`, with a session key of the same enctype. */
export function serviceCredential(serviceKey: Key, sessionKey: Key): Credential {
  const t0 = new Date(TEST_NOW - 3_600_000);
  const t1 = new Date(TEST_NOW + 9 * 3_600_000);
  const part: EncTicketPart = {
    flags: { forwardable: true },
    key: { keytype: sessionKey.etype, keyvalue: sessionKey.bytes },
    crealm: ALICE.realm,
    cname: ALICE.name,
    transited: { trType: 1, contents: new Uint8Array(0) },
    authtime: t0,
    endtime: t1,
  };
  const ticket: Ticket = {
    tktVno: 5,
    realm: WEB.realm,
    sname: WEB.name,
    encPart: {
      etype: serviceKey.etype,
      kvno: 2,
      cipher: encrypt(serviceKey, KeyUsage.KdcRepTicket, encodeEncTicketPart(part)),
    },
  };
  return {
    client: ALICE,
    server: WEB,
    sessionKey,
    ticket,
    ticketBytes: new Uint8Array(0),
    flags: { forwardable: true },
    authtime: t0,
    endtime: t1,
    encPart: {
      key: part.key,
      lastReq: [],
      nonce: 1,
      flags: { forwardable: true },
      authtime: t0,
      endtime: t1,
      srealm: WEB.realm,
      sname: WEB.name,
    },
  };
}

/** Enctypes of the end-to-end runs: aes256-sha1, aes256-sha2 (RFC 8009) and rc4-hmac (RFC 4757 tokens). */
export const ENCTYPES = [
  { name: 'aes256-cts-hmac-sha1-96', etype: 18, size: 32 },
  { name: 'aes256-cts-hmac-sha384-192', etype: 20, size: 32 },
  { name: 'rc4-hmac', etype: 23, size: 16 },
] as const;

/** Both ends of the real mechanism for one enctype, on a test clock with a fresh replay cache. */
export function krb5Mech(etype: number, size: number, flags?: number) {
  const serviceKey = new Key(etype, new Uint8Array(size).fill(0x31));
  const sessionKey = new Key(etype, new Uint8Array(size).fill(0x42));
  const credential = serviceCredential(serviceKey, sessionKey);
  const clock = testClock();
  const replayCache = new MemoryReplayCache({ clock });
  return {
    credential,
    start: () => initSecContext({ credential, clock, ...(flags === undefined ? {} : { flags }) }),
    accept: (token: Uint8Array) =>
      acceptSecContext(token, { keys: [serviceKey], clock, replayCache, readPac: false }),
  };
}

// --- public captures ---------------------------------------------------------------------------------------------

const EXTERNAL = '/work/shared/external-vectors/kerberos-net';

/** Whether Kerberos.NET's test data is on this machine (the tests that read it skip visibly otherwise). */
export const HAVE_KERBEROS_NET = existsSync(`${EXTERNAL}/strings.json`);

/** A file of Kerberos.NET's test data (Tests/Tests.Kerberos.NET/Data/...). */
export function kerberosNetFile(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${EXTERNAL}/data/${name}`));
}

/** A string constant of Kerberos.NET's tests (BaseTest.cs, AuthenticatorTests.cs...). */
export function kerberosNetString(name: string): string {
  const all = JSON.parse(readFileSync(`${EXTERNAL}/strings.json`, 'utf8')) as Record<string, string>;
  const v = all[name];
  if (v === undefined) throw new Error(`no ${name} in strings.json`);
  return v;
}

/** One MIT gss-client -> gss-server session of test/vectors/gss-mit-spnego.json (recorded from the MIT lab). */
export interface MitSpnegoSession {
  name: string;
  client: string;
  clock: string;
  serviceKeys: { etype: number; hex: string; kvno: number }[];
  tokens: { from: 'client' | 'server'; kind: string; hex: string }[];
}

const MIT_SPNEGO = new URL('../vectors/gss-mit-spnego.json', import.meta.url);

/** The MIT SPNEGO sessions, or [] when the vector file is absent (the tests that use them then skip visibly). */
export function mitSpnegoSessions(): MitSpnegoSession[] {
  if (!existsSync(MIT_SPNEGO)) return [];
  return (JSON.parse(readFileSync(MIT_SPNEGO, 'utf8')) as { sessions: MitSpnegoSession[] }).sessions;
}

/** The hex of the first token of `kind` in an MIT session. */
export function mitToken(s: MitSpnegoSession, kind: string): Uint8Array {
  const t = s.tokens.find((x) => x.kind === kind);
  if (t === undefined) throw new Error(`${s.name}: no ${kind} token`);
  return fromHex(t.hex);
}

/** Base64 decoding for the captures (they carry stray whitespace). */
export const b64 = (s: string): Uint8Array => fromBase64(s);
