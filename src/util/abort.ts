/**
 * Cancellation of the public API's network calls: an AbortSignal and a timeout as one signal, and the error a
 * cancelled call rejects with (the platform's, as `fetch` does: a DOMException named `AbortError` or `TimeoutError`).
 */

/** How a caller cancels one network call of the public API. */
export interface CallOptions {
  /**
   * Aborts the call: the attempt in flight, the failover to other KDCs and any retry stop at once, and the call
   * rejects with a DOMException named `AbortError`.
   */
  readonly signal?: AbortSignal | undefined;
  /** Gives up after this many milliseconds (an `AbortSignal.timeout` joined to `signal`): a `TimeoutError` DOMException. */
  readonly timeout?: number | undefined;
}

/** One signal that aborts when any of `signals` does (`AbortSignal.any` where the runtime has it). */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal | undefined {
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  if (live.length <= 1) return live[0];
  const any = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any.call(AbortSignal, live);
  const ctl = new AbortController();
  for (const s of live) {
    if (s.aborted) {
      ctl.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => ctl.abort(s.reason), { once: true, signal: ctl.signal });
  }
  return ctl.signal;
}

/** The signal of a call: its `signal` and its `timeout` joined; undefined when it has neither. */
export function callSignal(o: CallOptions | undefined): AbortSignal | undefined {
  if (o?.timeout === undefined) return o?.signal;
  if (!(o.timeout >= 0)) throw new RangeError(`timeout must be a number of ms >= 0, not ${o.timeout}`);
  return anySignal([o.signal, AbortSignal.timeout(o.timeout)]);
}

/**
 * What a call cancelled by `signal` rejects with: the signal's reason when it is the platform's AbortError or
 * TimeoutError, else a DOMException named `AbortError` whose `cause` is the reason the caller gave.
 */
export function abortError(signal: AbortSignal): DOMException {
  const r: unknown = signal.reason;
  if (r instanceof DOMException && (r.name === 'AbortError' || r.name === 'TimeoutError')) return r;
  const e = new DOMException('This operation was aborted', 'AbortError');
  if (r !== undefined) Object.defineProperty(e, 'cause', { value: r, configurable: true, writable: true });
  return e;
}

/** Throws {@link abortError} when `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** `promise`, or {@link abortError} as soon as `signal` aborts (the work behind `promise` is not stopped by this). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
