/**
 * The DelegationClient's default KDC operations: the service logs in (keys, password, or a TGT the caller got
 * elsewhere) and runs the S4U2Self and S4U2Proxy flows of src/client. One KdcClient holds the settings and the
 * state KDCs teach (clock offset, FAST realms, armor TGTs); each operation sends through a view of it bound to the
 * flight's counting transport, sharing that state: nothing is copied back.
 */
import { KdcClient, type KdcClientSettings } from '../client/kdc-client.js';
import { s4u2proxy } from '../client/s4u2proxy.js';
import { s4u2self } from '../client/s4u2self.js';
import type { Key } from '../crypto/index.js';
import { KerberosError } from '../errors.js';
import type { Credential } from '../messages/credential.js';
import { formatPrincipal, type Principal, parsePrincipal } from '../messages/principal.js';
import type { TicketKeys } from '../pac/ticket-pac.js';
import type { PacPolicy } from '../s4u/pac-policy.js';
import type { Transport } from '../transport/index.js';
import { type Clock, defaultClock } from '../util/env.js';
import type { DelegationFlows, DelegationStep } from './types.js';

/** How strictly the default flows judge the KDC's evidence (see {@link PacPolicy}). */
export interface DelegationStrictness extends PacPolicy {
  /** S4U2Self: accept a reply without the PA-S4U-X509-USER echo (default true; Samba sends none). */
  readonly allowMissingUserCheck?: boolean | undefined;
  /** Key(s) of the krbtgt, to check the KDC signature of the PACs. */
  readonly kdcKeys?: readonly Key[] | undefined;
  /** Keys of an S4U2Proxy target, to open its ticket and check the PAC (S4U2Self tickets are opened with `keys`). */
  readonly targetKeys?: ((target: Principal) => readonly Key[] | undefined) | undefined;
}

/**
 * How the default flows authenticate the service and talks to KDCs. FAST: `required` armors the S4U requests
 * with the service TGT (implicit armor) and the login only when `armor` is set; `armor` alone makes it `if-available`.
 */
export interface KdcDelegationFlowsOptions extends KdcClientSettings, DelegationStrictness {
  /** The delegating service, e.g. `HTTP/web.example.com` (realm defaults to `realm`). */
  readonly service: string | Principal;
  /** The service's realm, default realm of users and targets. */
  readonly realm: string;
  /** The service's long-term keys (read its keytab with src/creds); or `password`, or `credential`. */
  readonly keys?: readonly Key[] | undefined;
  readonly password?: string | undefined;
  /** A forwardable TGT of the service got elsewhere: used first, then keys or password get the next (without them, until it ends). */
  readonly credential?: Credential | undefined;
  /** Send PA-PAC-OPTIONS resource-based-constrained-delegation with S4U2Proxy (default true). */
  readonly rbcd?: boolean | undefined;
}

/** The DelegationFlows that speak to real KDCs. */
export class KdcDelegationFlows implements DelegationFlows {
  private readonly service: Principal;
  private readonly clock: Clock;
  private readonly given: Credential | undefined;
  private givenUsed = false;
  /** The settings and learned state; each operation runs on `kdc.withTransport(its flight's transport)`. */
  private readonly kdc: KdcClient;

  /**
   * `kdc`: the client whose settings and state the operations share (a DelegationClient passes its own); by default
   * one made from `options`, whose own transport is never used.
   */
  constructor(
    private readonly options: KdcDelegationFlowsOptions,
    kdc?: KdcClient,
  ) {
    this.service =
      typeof options.service === 'string'
        ? parsePrincipal(options.service, { defaultRealm: options.realm })
        : options.service;
    this.clock = options.clock ?? defaultClock;
    this.given = options.credential;
    if (options.keys === undefined && options.password === undefined && options.credential === undefined)
      throw new KerberosError('a delegating service needs keys, a password or a TGT');
    this.kdc =
      kdc ??
      new KdcClient({ realm: options.realm, transport: perOperationOnly, ...kdcClientSettings(options) });
  }

  /** KDC time minus local time (ms), as last learned from a KDC. */
  get timeOffsetMs(): number {
    return this.kdc.timeOffsetMs;
  }

  /**
   * The service's forwardable TGT: the one given (first; and, with no keys or password, until it ends), else an AS
   * exchange with the keys or password.
   */
  async login(transport: Transport): Promise<Credential> {
    const opts = this.options;
    const given = this.given;
    const canLogin = opts.keys !== undefined || opts.password !== undefined;
    if (given && (!canLogin || !this.givenUsed) && this.kdc.now().getTime() < given.endtime.getTime()) {
      this.givenUsed = true;
      return given;
    }
    if (!canLogin)
      throw new KerberosError(
        `the TGT given for ${formatPrincipal(this.service.name, this.service.realm)} has ended and there are no keys or password to get another`,
        { hint: 'pass the service keys (from its keytab) or password to the DelegationClient' },
      );
    const session = await this.kdc.withTransport(transport).login({
      principal: this.service,
      forwardable: true,
      ...(opts.keys ? { keys: opts.keys } : { password: opts.password }),
      // Without an armor source the login cannot be armored: it goes unarmored, as MIT `kinit -k` does, and
      // FAST starts with the TGS requests (implicit armor with the TGT it returns).
      ...(opts.fast === 'required' && !opts.armor ? { fast: 'off' as const } : {}),
    });
    return session.tgt;
  }

  /** S4U2Self for `user`, forwardable. */
  async s4u2self(transport: Transport, tgt: Credential, user: Principal): Promise<DelegationStep> {
    const opts = this.options;
    const r = await s4u2self(this.kdc.withTransport(transport), tgt, user, {
      forwardable: true,
      ...this.policy(opts.keys),
      ...(opts.allowMissingUserCheck !== undefined
        ? { allowMissingUserCheck: opts.allowMissingUserCheck }
        : {}),
    });
    return { credential: r.credential, warnings: r.warnings, result: r };
  }

  /** S4U2Proxy to `target` with the evidence. */
  async s4u2proxy(
    transport: Transport,
    tgt: Credential,
    evidence: Credential,
    target: Principal,
  ): Promise<DelegationStep> {
    const opts = this.options;
    const r = await s4u2proxy(
      this.kdc.withTransport(transport),
      tgt,
      { kind: 'credential', credential: evidence },
      target,
      { rbcd: opts.rbcd !== false, ...this.policy(opts.targetKeys?.(target)) },
    );
    return { credential: r.credential, warnings: r.warnings, result: r };
  }

  /** The PAC policy and keys of one step, `serviceKeys` being the keys of that step's ticket server. */
  private policy(serviceKeys: readonly Key[] | undefined): TicketKeys & PacPolicy {
    const opts = this.options;
    const asked = opts.requirePac === true || opts.requirePacVerified === true;
    return {
      ...(asked && serviceKeys ? { serviceKeys } : {}),
      ...(asked && opts.kdcKeys ? { kdcKeys: opts.kdcKeys } : {}),
      ...(opts.requirePac !== undefined ? { requirePac: opts.requirePac } : {}),
      ...(opts.requirePacVerified !== undefined ? { requirePacVerified: opts.requirePacVerified } : {}),
    };
  }
}

/** The KdcClientSettings of `options`, without the keys it leaves undefined (exactOptionalPropertyTypes). */
export function kdcClientSettings(options: KdcClientSettings): KdcClientSettings {
  const keys = [
    'clock',
    'random',
    'trace',
    'redact',
    'etypes',
    'lifetimeSec',
    'maxReferrals',
    'fast',
    'armor',
  ] as const satisfies readonly (keyof KdcClientSettings)[];
  const out: Record<string, unknown> = {};
  for (const key of keys) if (options[key] !== undefined) out[key] = options[key];
  return out as KdcClientSettings;
}

/** The transport of a client made only to hold settings and state: each operation is given its own. */
const perOperationOnly: Transport = {
  send: () =>
    Promise.reject(new KerberosError('internal: a delegation operation sent without its transport')),
  sendDetailed: () =>
    Promise.reject(new KerberosError('internal: a delegation operation sent without its transport')),
};
