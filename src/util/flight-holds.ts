/**
 * Cancellation of shared flights: a flight serves every caller waiting on it, so one caller aborting only stops its
 * own wait; the flight itself is stopped when the last caller waiting on it has aborted.
 */
import { abortError, raceAbort } from './abort.js';

interface Held {
  readonly ctl: AbortController;
  waiting: number;
}

/** Who waits on each flight in progress, by key. */
export class FlightHolds {
  private readonly held = new Map<string, Held>();

  /** A new flight for `key`: the signal that stops it. */
  begin(key: string): AbortSignal {
    const ctl = new AbortController();
    this.held.set(key, { ctl, waiting: 0 });
    return ctl.signal;
  }

  /** The flight for `key` whose signal is `signal` has ended. */
  end(key: string, signal: AbortSignal): void {
    if (this.held.get(key)?.ctl.signal === signal) this.held.delete(key);
  }

  /**
   * A caller waits on `key`'s flight: `promise`, or the caller's AbortError as soon as `signal` aborts. A caller
   * without a signal holds the flight to its end; the last caller with one to abort stops it.
   */
  wait<T>(key: string, promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const h = this.held.get(key);
    if (h === undefined) return raceAbort(promise, signal);
    h.waiting++;
    if (signal === undefined) return promise;
    const release = () => {
      if (--h.waiting === 0) h.ctl.abort(abortError(signal));
    };
    if (signal.aborted) {
      release();
      promise.catch(() => undefined);
      return Promise.reject(abortError(signal));
    }
    signal.addEventListener('abort', release, { once: true });
    const done = () => signal.removeEventListener('abort', release);
    promise.then(done, done);
    return raceAbort(promise, signal);
  }
}
