/**
 * One cancellable call (login, TGS, an S4U flow): the client's ExchangeContext with the call's AbortSignal, so that
 * every request the call sends (pre-auth rounds, referrals, armor TGTs, cross-realm TGTs) stops when it aborts.
 */
import type { KrbError } from '../asn1/index.js';
import type { Credential } from '../messages/credential.js';
import type { ExchangeStep } from '../messages/exchange-step.js';
import type { KdcError } from '../messages/kdc-error.js';
import type { Principal } from '../messages/principal.js';
import { anySignal, type CallOptions, callSignal, throwIfAborted } from '../util/abort.js';
import type { ExchangeContext, SentRequest } from './exchange-context.js';
import type { ArmorSource, FastMode } from './fast-options.js';
import type { KdcState } from './kdc-state.js';
import type { ExchangeResult, TgsOptions } from './tgs-options.js';

/** `ctx` bound to the call's signal (joined to the one `ctx` already has); `ctx` itself when the call has none. */
export function withCall(ctx: ExchangeContext, o: CallOptions | undefined): ExchangeContext {
  const own = callSignal(o);
  if (own === undefined) return ctx;
  const signal = anySignal([ctx.signal, own])!;
  throwIfAborted(signal);
  return new CallContext(ctx, signal);
}

/** Forwards to the client's context; what sends, sends with the call's signal. */
class CallContext implements ExchangeContext {
  constructor(
    private readonly base: ExchangeContext,
    readonly signal: AbortSignal,
  ) {}

  get etypes(): readonly number[] {
    return this.base.etypes;
  }
  get lifetimeSec(): number {
    return this.base.lifetimeSec;
  }
  get maxReferrals(): number {
    return this.base.maxReferrals;
  }
  get armorSource(): ArmorSource | undefined {
    return this.base.armorSource;
  }
  get fastMode(): FastMode {
    return this.base.fastMode;
  }
  get state(): KdcState {
    return this.base.state;
  }
  fastModeFor(armor: ArmorSource | undefined): FastMode {
    return this.base.fastModeFor(armor);
  }
  now(): Date {
    return this.base.now();
  }
  nonce(): number {
    return this.base.nonce();
  }
  randomBytes(n: number): Uint8Array {
    return this.base.randomBytes(n);
  }
  get tracing(): boolean | undefined {
    return this.base.tracing;
  }
  trace(...event: Parameters<ExchangeContext['trace']>): void {
    this.base.trace(...event);
  }
  // The call's signal replaces any the exchange passes: it is already joined to the client's.
  send(...[realm, step, bytes, expect, request]: Parameters<ExchangeContext['send']>): Promise<SentRequest> {
    return this.base.send(realm, step, bytes, expect, request, this.signal);
  }
  kdcError(error: KrbError, step: ExchangeStep, id: number, kdc: string | undefined): KdcError {
    return this.base.kdcError(error, step, id, kdc);
  }
  learnSkew(error: KrbError, id: number, step: ExchangeStep): void {
    this.base.learnSkew(error, id, step);
  }
  noteFastRealm(realm: string): void {
    this.base.noteFastRealm(realm);
  }
  armorTicket(realm: string, source: ArmorSource): Promise<Credential> {
    return this.base.armorTicket(realm, source, { signal: this.signal });
  }
  tgs(tgt: Credential, server: Principal, request: TgsOptions = {}): Promise<ExchangeResult> {
    return this.base.tgs(tgt, server, { ...request, signal: anySignal([request.signal, this.signal]) });
  }
}
