/**
 * What one replica knows of the shared store's generations. A clear writes a new random token under the user's
 * generation name (or the service's, for a clear of every user); an entry's generation is the pair of tokens it was
 * written under, part of its name, so entries from before a clear are never found again. Each replica remembers the
 * generation it last read per user and for how long to trust it; the I/O is the shared tier's. Pure.
 */

/** The generation made of the service's and the user's tokens (hex; empty when never written): '' before any clear. */
export function generationOf(serviceToken: string, userToken: string): string {
  return serviceToken === '' && userToken === '' ? '' : `${serviceToken}.${userToken}`;
}

/** A replica's view of the generations it read, trusted for `revalidateMs` from the moment each read was sent. */
export class GenerationView {
  // By user: the generation read and until when it is trusted. Insertion order is the order of the last reads (a
  // user served often is read every revalidateMs), so the first key is the one to drop when full; a check does
  // not reorder it.
  private readonly users = new Map<string, { readonly generation: string; readonly until: number }>();
  private service: { readonly token: string; readonly readAt: number } | undefined;

  /** `maxUsers`: users whose generation is kept (the least recently read dropped first: it is read again). */
  constructor(
    private readonly revalidateMs: number,
    private readonly maxUsers: number,
  ) {
    if (!(revalidateMs >= 0 && Number.isFinite(revalidateMs)))
      throw new RangeError(`revalidateMs must be a finite number >= 0, not ${revalidateMs}`);
  }

  /**
   * Whether a record of `user` cached under `generation` may be served at `now`: until when (a time past `now`)
   * when that is the generation read for the user less than `revalidateMs` ago, false when another one was,
   * undefined when it must be read.
   */
  check(user: string, generation: string | undefined, now: number): number | false | undefined {
    const known = this.users.get(user);
    if (known === undefined || now >= known.until) return undefined;
    return known.generation === generation && known.until;
  }

  /** The generation to look `user`'s entries up under before reading it: the last one read, however old. */
  guess(user: string): string {
    return this.users.get(user)?.generation ?? generationOf(this.service?.token ?? '', '');
  }

  /**
   * Learns `user`'s generation from the tokens a read sent at `readAt` found; returns it, until when it is trusted,
   * and whether the service's token changed since an earlier read (another replica cleared every user).
   */
  learn(
    user: string,
    serviceToken: string,
    userToken: string,
    readAt: number,
  ): { readonly generation: string; readonly until: number; readonly serviceCleared: boolean } {
    const generation = generationOf(serviceToken, userToken);
    const until = readAt + this.revalidateMs;
    this.users.delete(user);
    this.users.set(user, { generation, until });
    if (this.users.size > this.maxUsers) this.users.delete(this.users.keys().next().value as string);
    const before = this.service;
    // An answer to an older read arriving late must not swing the service's token back (and "clear" again).
    if (before && readAt < before.readAt) return { generation, until, serviceCleared: false };
    this.service = { token: serviceToken, readAt };
    return { generation, until, serviceCleared: before !== undefined && before.token !== serviceToken };
  }

  /** Forgets what was read for `user`, or for everyone: the next lookup reads the store. */
  forget(user?: string): void {
    if (user !== undefined) {
      this.users.delete(user);
      return;
    }
    this.users.clear();
    this.service = undefined;
  }
}
