/**
 * tskrb/delegation/redis: a {@link TicketStore} on Redis, over a client the application already has. Typed by
 * structure only (the one method it calls), so this module imports no Redis package: ioredis fits as is, node-redis
 * through `{ call: (c, a) => client.sendCommand([c, ...a]) }`. Values are the sealed entries, base64 text.
 */
import { fromBase64, toBase64 } from '../util/bytes.js';
import type { TicketStore } from './ticket-store.js';

/** The part of a Redis client the store uses: one command and its arguments (ioredis `Redis#call`). */
export interface RedisCommandClient {
  call(command: string, args: string[]): Promise<unknown>;
}

/** How to build a {@link RedisTicketStore}. */
export interface RedisTicketStoreOptions {
  /** A connected client (ioredis `new Redis({ enableOfflineQueue: false })` fails fast while Redis is down). */
  readonly client: RedisCommandClient;
  /** Prefix of every key this store writes (default `tskrb:deleg:`); one per service or environment. */
  readonly prefix?: string | undefined;
}

// Deletes the lock only if it is still ours: after its TTL it may belong to another replica.
const UNLOCK =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * A TicketStore on Redis: `GET`, `MGET`, `SET PX`, `DEL`, `SET NX PX` locks released by a compare-and-delete script.
 * On Redis Cluster give `prefix` a hash tag (`{tskrb}:deleg:`): one `MGET` reads an entry and its generations,
 * whose keys must then share a slot.
 */
export class RedisTicketStore implements TicketStore {
  private readonly client: RedisCommandClient;
  /** The prefix of the keys written. */
  readonly prefix: string;

  constructor(o: RedisTicketStoreOptions) {
    this.client = o.client;
    this.prefix = o.prefix ?? 'tskrb:deleg:';
  }

  async get(name: string): Promise<Uint8Array | undefined> {
    return storedBytes('GET', await this.client.call('GET', [this.prefix + name]));
  }

  async getMany(names: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    const vs = await this.client.call(
      'MGET',
      names.map((n) => this.prefix + n),
    );
    if (!Array.isArray(vs) || vs.length !== names.length)
      throw new TypeError(`Redis MGET of ${names.length} keys did not answer ${names.length} values`);
    return vs.map((v: unknown) => storedBytes('MGET', v));
  }

  async set(name: string, value: Uint8Array, ttlMs: number): Promise<void> {
    await this.client.call('SET', [this.prefix + name, toBase64(value), 'PX', String(ttlMs)]);
  }

  async delete(name: string): Promise<void> {
    await this.client.call('DEL', [this.prefix + name]);
  }

  async lock(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.client.call('SET', [this.prefix + name, owner, 'NX', 'PX', String(ttlMs)])) === 'OK';
  }

  async unlock(name: string, owner: string): Promise<void> {
    await this.client.call('EVAL', [UNLOCK, '1', this.prefix + name, owner]);
  }
}

/** A stored value as bytes: base64 text decoded, undefined when absent. */
function storedBytes(command: string, v: unknown): Uint8Array | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'string') throw new TypeError(`Redis ${command} answered ${typeof v}, not a string`);
  try {
    return fromBase64(v);
  } catch {
    // Not base64: not one of our values. An empty entry fails to open and is refused (dropped, audited).
    return new Uint8Array(0);
  }
}

export type { TicketStore } from './ticket-store.js';
