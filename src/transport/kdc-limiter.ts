/**
 * Back-pressure per KDC: at most `limit` requests of this process outstanding at one KDC, the rest wait in FIFO
 * order. A single-threaded KDC (MIT's krb5kdc) flooded with hundreds of datagrams or connections at once drops some
 * (socket buffer, listen backlog), and every drop costs a retry; a queue in the client costs only the wait.
 */

/** Gives back a slot; calling it again does nothing. */
export type ReleaseSlot = () => void;

interface Waiter {
  grant: (release: ReleaseSlot) => void;
}

interface KdcQueue {
  active: number;
  waiting: Waiter[];
}

/** Counts the requests in flight per KDC (`host:port`) and queues those above the limit. */
export class KdcLimiter {
  private readonly kdcs = new Map<string, KdcQueue>();

  /** `limit`: requests in flight per KDC; `Infinity` turns the queue off. */
  constructor(readonly limit: number) {}

  /** A slot at `kdc` now, or undefined when the KDC is at its limit (then {@link wait}). */
  tryAcquire(kdc: string): ReleaseSlot | undefined {
    const q = this.queue(kdc);
    if (q.active >= this.limit || q.waiting.length > 0) return undefined;
    q.active++;
    return this.releaser(kdc, q);
  }

  /**
   * Queues for a slot at `kdc`. `grant` is called once a slot is free (in FIFO order); the returned function
   * leaves the queue (the send ended first) and is a no-op once granted.
   */
  wait(kdc: string, grant: (release: ReleaseSlot) => void): () => void {
    const q = this.queue(kdc);
    const w: Waiter = { grant };
    q.waiting.push(w);
    return () => {
      const i = q.waiting.indexOf(w);
      if (i >= 0) q.waiting.splice(i, 1);
      this.forget(kdc, q);
    };
  }

  /** Requests in flight and waiting at `kdc`. */
  load(kdc: string): { active: number; waiting: number } {
    const q = this.kdcs.get(kdc);
    return { active: q?.active ?? 0, waiting: q?.waiting.length ?? 0 };
  }

  private queue(kdc: string): KdcQueue {
    let q = this.kdcs.get(kdc);
    if (!q) {
      q = { active: 0, waiting: [] };
      this.kdcs.set(kdc, q);
    }
    return q;
  }

  private releaser(kdc: string, q: KdcQueue): ReleaseSlot {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      q.active--;
      const next = q.waiting.shift();
      if (next) {
        q.active++;
        next.grant(this.releaser(kdc, q));
      } else this.forget(kdc, q);
    };
  }

  private forget(kdc: string, q: KdcQueue): void {
    if (q.active === 0 && q.waiting.length === 0) this.kdcs.delete(kdc);
  }
}
