/**
 * A Transport wrapper that counts KDC round trips and remembers which KDCs answered, so the DelegationClient can
 * report round trips in its stats and name the KDC in each audit event even when delegations run concurrently
 * (each flight gets its own scope over the shared transport).
 */
import type { SendOptions, SendResult, Transport } from '../transport/index.js';
import { abortError, anySignal } from '../util/abort.js';

/** Round trips and answering KDCs seen through one {@link CountingTransport}. */
export interface TransportTally {
  /** Requests sent (each send is one round trip, whatever retries the transport made inside it). */
  readonly roundTrips: number;
  /** `host:port` of every KDC that answered, in order, without repeats. */
  readonly kdcs: readonly string[];
}

/** Counts sends and records answering KDCs, then forwards to `inner` (and to a parent tally, if any). */
export class CountingTransport implements Transport {
  private sends = 0;
  private queued = 0;
  private readonly answered: string[] = [];

  constructor(
    private readonly inner: Transport,
    private readonly parent?: CountingTransport | undefined,
    /** Aborts every send of this scope (a flight's signal); a scope's children do not inherit it. */
    readonly signal?: AbortSignal | undefined,
  ) {}

  /** What this transport has seen so far. */
  tally(): TransportTally {
    return { roundTrips: this.sends, kdcs: [...this.answered] };
  }

  /** Time sends spent queued for a busy KDC (`SendResult.queuedMs`), summed (ms). */
  queuedMs(): number {
    return this.queued;
  }

  /** A child scope: its sends count here too; `signal` aborts them. */
  scope(signal?: AbortSignal): CountingTransport {
    return new CountingTransport(this.inner, this, signal);
  }

  /** The reply bytes only. */
  async send(realm: string, request: Uint8Array, opts?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, request, opts)).reply;
  }

  /** Forwards to the inner transport, counting the send and the KDC that answered. */
  async sendDetailed(realm: string, request: Uint8Array, opts?: SendOptions): Promise<SendResult> {
    this.count();
    const signal = anySignal([opts?.signal, this.signal]);
    let res: SendResult;
    try {
      res = await this.inner.sendDetailed(realm, request, signal ? { ...opts, signal } : opts);
    } catch (e) {
      if (this.signal?.aborted) throw abortError(this.signal);
      throw e;
    }
    this.record(`${res.kdc.host}:${res.kdc.port}`, res.queuedMs ?? 0);
    return res;
  }

  private count(): void {
    this.sends++;
    this.parent?.count();
  }

  private record(kdc: string, queuedMs: number): void {
    if (!this.answered.includes(kdc)) this.answered.push(kdc);
    this.queued += queuedMs;
    this.parent?.record(kdc, queuedMs);
  }
}
