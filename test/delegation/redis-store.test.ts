/**
 * RedisTicketStore's commands, over a recording stand-in for a client's `call` (ioredis `Redis#call`): values as
 * base64 with PX, locks as SET NX PX, release by a compare-and-delete script. The real redis-server is in
 * test/interop/delegation-redis-mit.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { type RedisCommandClient, RedisTicketStore } from '../../src/delegation/redis-store.js';
import { toHex } from '../../src/util/bytes.js';

function recorder(answers: unknown[] = []) {
  const calls: string[][] = [];
  const client: RedisCommandClient = {
    async call(command, args) {
      calls.push([command, ...args]);
      return answers.shift() ?? null;
    },
  };
  return { client, calls };
}

describe('RedisTicketStore commands', () => {
  it('set is SET <prefix+name> <base64> PX <ttl>; get decodes it; absent is undefined', async () => {
    const { client, calls } = recorder([null, 'AQID', null]);
    const store = new RedisTicketStore({ client, prefix: 'p:' });
    await store.set('n', Uint8Array.of(1, 2, 3), 1500);
    expect(calls[0]).toEqual(['SET', 'p:n', 'AQID', 'PX', '1500']);
    expect(toHex((await store.get('n'))!)).toBe('010203');
    expect(await store.get('gone')).toBeUndefined();
    expect(calls[2]).toEqual(['GET', 'p:gone']);
  });

  it('lock is SET NX PX and is taken only on OK; unlock deletes only the owner’s lock (script); delete is DEL', async () => {
    const { client, calls } = recorder(['OK', null]);
    const store = new RedisTicketStore({ client });
    expect(await store.lock('n:lock', 'me', 10_000)).toBe(true);
    expect(await store.lock('n:lock', 'other', 10_000)).toBe(false);
    expect(calls[0]).toEqual(['SET', 'tskrb:deleg:n:lock', 'me', 'NX', 'PX', '10000']);
    await store.unlock('n:lock', 'me');
    expect(calls[2]![0]).toBe('EVAL');
    expect(calls[2]!.slice(2)).toEqual(['1', 'tskrb:deleg:n:lock', 'me']);
    expect(calls[2]![1]).toMatch(/redis\.call\('get', KEYS\[1\]\) == ARGV\[1\]/);
    await store.delete('n');
    expect(calls[3]).toEqual(['DEL', 'tskrb:deleg:n']);
  });

  it('getMany is one MGET of the prefixed names, in order, absent ones undefined; a short answer is an error', async () => {
    const { client, calls } = recorder([['AQID', null, 'BA=='], ['AQID']]);
    const store = new RedisTicketStore({ client, prefix: 'p:' });
    const got = await store.getMany(['a', 'b', 'c:gen']);
    expect(calls[0]).toEqual(['MGET', 'p:a', 'p:b', 'p:c:gen']);
    expect(got.map((v) => (v === undefined ? undefined : toHex(v)))).toEqual(['010203', undefined, '04']);
    await expect(store.getMany(['a', 'b'])).rejects.toThrow(TypeError);
  });

  it('a value that is not base64 comes back empty (it then fails to open and is refused); a non-string is an error', async () => {
    const { client } = recorder(['not base64 ***', 42]);
    const store = new RedisTicketStore({ client });
    expect((await store.get('n'))!.length).toBe(0);
    await expect(store.get('n')).rejects.toThrow(TypeError);
  });

  it('a client error propagates (the DelegationClient counts it and goes on without the store)', async () => {
    const store = new RedisTicketStore({
      client: { call: () => Promise.reject(new Error('Connection is closed.')) },
    });
    await expect(store.get('n')).rejects.toThrow('Connection is closed.');
  });
});
