/**
 * Scripted DelegationFlows for the DelegationClient's cache, single-flight, expiry and audit tests. It is not a
 * KDC and proves nothing about the protocol (the interop tests do that): it returns made-up credentials whose end
 * times follow an injected clock, and sends one dummy request per KDC operation (two for login, as an AS exchange
 * with pre-authentication does) through the transport it is handed, so round trips can be counted.
 */
import { ErrorCode, encodeTicket, NameType, type Ticket } from '../../src/asn1/index.js';
import { Key } from '../../src/crypto/index.js';
import type { DelegationFlows, DelegationStep } from '../../src/delegation/types.js';
import type { Credential } from '../../src/messages/credential.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import { formatPrincipal, type Principal, parsePrincipal } from '../../src/messages/principal.js';
import type { SendResult, Transport } from '../../src/transport/index.js';

/** Session key bytes of every fake credential: a pattern the audit tests look for. */
export const FAKE_KEY_BYTES = new Uint8Array(32).fill(0xa7);
/** Ticket cipher bytes of every fake credential. */
export const FAKE_TICKET_CIPHER = new Uint8Array(48).fill(0x5c);

/** A stub transport that "answers" from one fixed KDC address and counts what it is sent. */
export function stubTransport(kdc = '127.0.0.1:88'): Transport & { sent: number } {
  const [host, port] = kdc.split(':');
  const t = {
    sent: 0,
    async send(realm: string, request: Uint8Array) {
      return (await t.sendDetailed(realm, request)).reply;
    },
    async sendDetailed(_realm: string, request: Uint8Array): Promise<SendResult> {
      t.sent++;
      return { reply: request, kdc: { host: host!, port: Number(port), proto: 'udp' }, attempts: [], ms: 0 };
    },
  };
  return t;
}

/** A fake credential from `server` naming `client`, valid for `lifeMs` from `now`. */
export function fakeCredential(
  client: Principal,
  server: Principal,
  now: number,
  lifeMs: number,
): Credential {
  const ticket: Ticket = {
    tktVno: 5,
    realm: server.realm,
    sname: server.name,
    encPart: { etype: 18, kvno: 1, cipher: FAKE_TICKET_CIPHER },
  };
  const endtime = new Date(now + lifeMs);
  return {
    client,
    server,
    sessionKey: new Key(18, FAKE_KEY_BYTES),
    ticket,
    ticketBytes: encodeTicket(ticket),
    flags: { forwardable: true },
    authtime: new Date(now),
    endtime,
    encPart: {
      key: { keytype: 18, keyvalue: FAKE_KEY_BYTES },
      lastReq: [],
      nonce: 1,
      flags: { forwardable: true },
      authtime: new Date(now),
      endtime,
      srealm: server.realm,
      sname: server.name,
    },
  };
}

/** A KdcError as a KDC would send it for `step`. */
export function fakeKdcError(code: number, step: 'S4U2Self' | 'S4U2Proxy', realm: string): KdcError {
  return new KdcError(
    {
      pvno: 5,
      msgType: 30,
      stime: new Date(0),
      susec: 0,
      errorCode: code,
      realm,
      sname: { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', realm] },
    },
    step,
    { kdc: '127.0.0.1:88' },
  );
}

/** How the fake behaves; every field may change between calls. */
export interface FakeScript {
  /** Lifetime of TGTs and tickets (ms). */
  tgtLifeMs: number;
  ticketLifeMs: number;
  /** Delay of each operation (ms of real time), so concurrent callers overlap. */
  delayMs: number;
  /** Throws this instead of answering S4U2Proxy for a target (by `name@REALM`), or S4U2Self for a user. */
  failProxy: Map<string, () => Error>;
  failSelf: Map<string, () => Error>;
  /** Warnings the S4U2Self step reports. */
  selfWarnings: string[];
  /** While set, S4U2Proxy answers wait for it (after the request was sent): a flight caught before it ends. */
  proxyGate: Promise<void> | undefined;
}

/** The scripted flows, with a log of the operations they ran. */
export class FakeFlows implements DelegationFlows {
  readonly log: string[] = [];
  readonly script: FakeScript = {
    tgtLifeMs: 10 * 3600_000,
    ticketLifeMs: 10 * 3600_000,
    delayMs: 2,
    failProxy: new Map(),
    failSelf: new Map(),
    selfWarnings: [],
    proxyGate: undefined,
  };

  constructor(
    private readonly service: Principal,
    private readonly now: () => number,
  ) {}

  private async roundTrips(t: Transport, n: number): Promise<void> {
    for (let i = 0; i < n; i++) await t.sendDetailed(this.service.realm, new Uint8Array([i]));
    await new Promise((r) => setTimeout(r, this.script.delayMs));
  }

  async login(t: Transport): Promise<Credential> {
    this.log.push('login');
    await this.roundTrips(t, 2);
    const tgs = parsePrincipal(`krbtgt/${this.service.realm}`, { defaultRealm: this.service.realm });
    return fakeCredential(this.service, tgs, this.now(), this.script.tgtLifeMs);
  }

  async s4u2self(t: Transport, tgt: Credential, user: Principal): Promise<DelegationStep> {
    const u = formatPrincipal(user.name, user.realm);
    this.log.push(`self ${u}`);
    await this.roundTrips(t, 1);
    const fail = this.script.failSelf.get(u);
    if (fail) throw fail();
    return {
      credential: fakeCredential(user, tgt.client, this.now(), this.script.ticketLifeMs),
      warnings: [...this.script.selfWarnings],
    };
  }

  async s4u2proxy(
    t: Transport,
    _tgt: Credential,
    evidence: Credential,
    target: Principal,
  ): Promise<DelegationStep> {
    const name = formatPrincipal(target.name, target.realm);
    this.log.push(`proxy ${formatPrincipal(evidence.client.name, evidence.client.realm)} ${name}`);
    await this.roundTrips(t, 1);
    await this.script.proxyGate;
    const fail = this.script.failProxy.get(name);
    if (fail) throw fail();
    return { credential: fakeCredential(evidence.client, target, this.now(), this.script.ticketLifeMs) };
  }
}

/** Makes `flows` hold their S4U2Proxy answers until the function returned is called. */
export function holdProxy(flows: FakeFlows): () => void {
  let release: () => void = () => undefined;
  flows.script.proxyGate = new Promise<void>((r) => {
    release = r;
  });
  return () => release();
}

/** Error codes the tests script. */
export const Codes = {
  BADOPTION: ErrorCode.KDC_ERR_BADOPTION,
  TKT_EXPIRED: ErrorCode.KRB_AP_ERR_TKT_EXPIRED,
} as const;
