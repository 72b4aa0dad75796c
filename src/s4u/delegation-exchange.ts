/**
 * The DelegationClient's default KDC operations: the service logs in (keys, password, or a TGT the caller got
 * elsewhere) and runs S4U2Self and S4U2Proxy with src/s4u, each operation on a KdcClient bound to the flight's
 * counting transport. The clock offset a KDC taught one operation (KRB_AP_ERR_SKEW) carries over to the next.
 */
import type { ArmorSource, FastMode } from '../client/fast-options.js';
import { KdcClient } from '../client/kdc-client.js';
import type { TraceSink } from '../client/trace.js';
import type { Key } from '../crypto/index.js';
import { KerberosError } from '../errors.js';
import type { Credential } from '../messages/credential.js';
import { formatPrincipal, type Principal, parsePrincipal } from '../messages/principal.js';
import type { TicketKeys } from '../pac/ticket-pac.js';
import type { Transport } from '../transport/index.js';
import { type Clock, defaultClock, type RandomSource } from '../util/env.js';
import type { DelegationExchange, DelegationStep } from './delegation-types.js';
import type { PacPolicy } from './result.js';
import { s4u2proxy } from './s4u2proxy.js';
import { s4u2self } from './s4u2self.js';

/** How strictly the default exchange judges the KDC's evidence (see {@link PacPolicy}). */
export interface DelegationStrictness extends PacPolicy {
  /** S4U2Self: accept a reply without the PA-S4U-X509-USER echo (default true; Samba sends none). */
  readonly allowMissingUserCheck?: boolean | undefined;
  /** Key(s) of the krbtgt, to check the KDC signature of the PACs. */
  readonly kdcKeys?: readonly Key[] | undefined;
  /** Keys of an S4U2Proxy target, to open its ticket and check the PAC (S4U2Self tickets are opened with `keys`). */
  readonly targetKeys?: ((target: Principal) => readonly Key[] | undefined) | undefined;
}

/** How the default exchange authenticates the service and talks to KDCs. */
export interface KdcDelegationExchangeOptions extends DelegationStrictness {
  /** The delegating service, e.g. `HTTP/web.example.com` (realm defaults to `realm`). */
  readonly service: string | Principal;
  readonly realm: string;
  /** The service's long-term keys (read its keytab with src/creds). */
  readonly keys?: readonly Key[] | undefined;
  readonly password?: string | undefined;
  /** A forwardable TGT of the service obtained elsewhere: used first, then keys or password get the next (without them, until it ends). */
  readonly credential?: Credential | undefined;
  readonly clock?: Clock | undefined;
  readonly random?: RandomSource | undefined;
  readonly trace?: TraceSink | undefined;
  /** Enctypes to offer. */
  readonly etypes?: readonly number[] | undefined;
  /** Send PA-PAC-OPTIONS resource-based-constrained-delegation with S4U2Proxy (default true). */
  readonly rbcd?: boolean | undefined;
  /** FAST mode: TGS requests use implicit armor with the service TGT; the login is armored only with `armor`. */
  readonly fast?: FastMode | undefined;
  /** Where the service login's armor ticket comes from. */
  readonly armor?: ArmorSource | undefined;
}

/** The DelegationExchange that speaks to real KDCs. */
export class KdcDelegationExchange implements DelegationExchange {
  private readonly service: Principal;
  private readonly clock: Clock;
  private readonly given: Credential | undefined;
  private givenUsed = false;
  private offsetMs = 0;
  /** Realms whose KDC speaks FAST, as learned by earlier operations (each runs on its own KdcClient). */
  private readonly fastRealms = new Set<string>();

  constructor(private readonly o: KdcDelegationExchangeOptions) {
    this.service =
      typeof o.service === 'string' ? parsePrincipal(o.service, { defaultRealm: o.realm }) : o.service;
    this.clock = o.clock ?? defaultClock;
    this.given = o.credential;
    if (o.keys === undefined && o.password === undefined && o.credential === undefined)
      throw new KerberosError('a delegating service needs keys, a password or a TGT');
  }

  /** KDC time minus local time (ms), as last learned from a KDC. */
  get timeOffsetMs(): number {
    return this.offsetMs;
  }

  /**
   * The service's forwardable TGT: the one given (first; and, with no keys or password, until it ends), else an AS
   * exchange with the keys or password.
   */
  async login(transport: Transport): Promise<Credential> {
    const given = this.given;
    const canLogin = this.o.keys !== undefined || this.o.password !== undefined;
    if (given && (!canLogin || !this.givenUsed) && this.clock() + this.offsetMs < given.endtime.getTime()) {
      this.givenUsed = true;
      return given;
    }
    if (!canLogin)
      throw new KerberosError(
        `the TGT given for ${formatPrincipal(this.service.name, this.service.realm)} has ended and there are no keys or password to get another`,
        { hint: 'pass the service keys (from its keytab) or password to the DelegationClient' },
      );
    return this.run(transport, async (c) => {
      const s = await c.login({
        principal: this.service,
        forwardable: true,
        ...(this.o.keys ? { keys: this.o.keys } : { password: this.o.password }),
        // Without an armor source the login cannot be armored: it goes unarmored, as MIT `kinit -k` does, and
        // FAST starts with the TGS requests (implicit armor with the TGT it returns).
        ...(this.o.fast === 'required' && !this.o.armor ? { fast: 'off' as const } : {}),
      });
      return s.tgt;
    });
  }

  /** S4U2Self for `user`, forwardable. */
  async s4u2self(transport: Transport, tgt: Credential, user: Principal): Promise<DelegationStep> {
    const r = await this.run(transport, (c) =>
      s4u2self(c, tgt, user, {
        forwardable: true,
        ...this.policy(this.o.keys),
        ...(this.o.allowMissingUserCheck !== undefined
          ? { allowMissingUserCheck: this.o.allowMissingUserCheck }
          : {}),
      }),
    );
    return { credential: r.credential, warnings: r.warnings, result: r };
  }

  /** S4U2Proxy to `target` with the evidence. */
  async s4u2proxy(
    transport: Transport,
    tgt: Credential,
    evidence: Credential,
    target: Principal,
  ): Promise<DelegationStep> {
    const r = await this.run(transport, (c) =>
      s4u2proxy(c, tgt, evidence, target, {
        rbcd: this.o.rbcd !== false,
        ...this.policy(this.o.targetKeys?.(target)),
      }),
    );
    return { credential: r.credential, warnings: r.warnings, result: r };
  }

  /** The PAC policy and keys of one step, `serviceKeys` being the keys of that step's ticket server. */
  private policy(serviceKeys: readonly Key[] | undefined): TicketKeys & PacPolicy {
    const o = this.o;
    const asked = o.requirePac === true || o.requirePacVerified === true;
    return {
      ...(asked && serviceKeys ? { serviceKeys } : {}),
      ...(asked && o.kdcKeys ? { kdcKeys: o.kdcKeys } : {}),
      ...(o.requirePac !== undefined ? { requirePac: o.requirePac } : {}),
      ...(o.requirePacVerified !== undefined ? { requirePacVerified: o.requirePacVerified } : {}),
    };
  }

  private async run<T>(transport: Transport, op: (c: KdcClient) => Promise<T>): Promise<T> {
    const base = this.offsetMs;
    const client = new KdcClient({
      realm: this.o.realm,
      transport,
      clock: () => this.clock() + base,
      ...(this.o.random ? { random: this.o.random } : {}),
      ...(this.o.trace ? { trace: this.o.trace } : {}),
      ...(this.o.etypes ? { etypes: this.o.etypes } : {}),
      ...(this.o.fast ? { fast: this.o.fast } : {}),
      ...(this.o.armor ? { armor: this.o.armor } : {}),
    });
    for (const r of this.fastRealms) client.noteFastRealm(r);
    try {
      return await op(client);
    } finally {
      if (client.timeOffsetMs !== 0) this.offsetMs = base + client.timeOffsetMs;
      for (const r of client.fastRealms) this.fastRealms.add(r);
    }
  }
}
