/**
 * DelegationClient replicas sharing a sealed ticket store on a real redis-server (the lab's, scripts/lab/redis.sh)
 * against the MIT lab KDC: the KDC sees one S4U2Self per user and one S4U2Proxy per user and target however many
 * replicas ask (in turn, or all at once from cold), counted by this test's own witness transport; a Redis of the
 * test's own (its PID) stopped mid-run costs no call and is counted, and used again once back; an entry altered in
 * Redis is refused, fetched again, and audited; a clear on one replica makes the others ask the KDC again, and a
 * flight caught by the clear leaves nothing in Redis that a replica would read. ioredis is the client
 * (devDependency; tskrb imports none).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeTgsReq, PaDataType } from '../../src/asn1/index.js';
import { DelegationClient } from '../../src/delegation/delegation-client.js';
import { RedisTicketStore } from '../../src/delegation/redis-store.js';
import { SealKeys } from '../../src/delegation/sealed-entry.js';
import type { SharedStoreOptions } from '../../src/delegation/shared-tier.js';
import type { DelegatedTicket, DelegationAuditEvent } from '../../src/delegation/types.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { openTicket } from '../../src/messages/ticket.js';
import type { SendOptions, SendResult, Transport } from '../../src/transport/index.js';
import { fromBase64, toBase64, toHex } from '../../src/util/bytes.js';
import { labJson, labKeys, labOrStandIn, labTransport, mitLab } from '../helpers/lab.js';

const REDIS_SH = fileURLToPath(new URL('../../scripts/lab/redis.sh', import.meta.url));

interface RedisLab {
  host: string;
  port: number;
  password: string;
  labDir: string;
}

const lab = mitLab;
const redisLab = labJson<RedisLab>('redis');
const TGS_REQ_TAG = 0x6c;
const AS_REQ_TAG = 0x6a;
const KEY = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);

/** The test's witness of KDC traffic: every request, classified as AS, S4U2Self, S4U2Proxy or other TGS. */
class Witness implements Transport {
  readonly kinds: string[] = [];
  /** While set, S4U2Proxy replies are held until it resolves (the request is sent, the reply waits). */
  holdProxy: Promise<void> | undefined;
  constructor(private readonly inner: Transport) {}
  count(kind: string): number {
    return this.kinds.filter((k) => k === kind).length;
  }
  async send(realm: string, req: Uint8Array, o?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, req, o)).reply;
  }
  async sendDetailed(realm: string, req: Uint8Array, o?: SendOptions): Promise<SendResult> {
    const kind = kindOf(req);
    this.kinds.push(kind);
    const hold = kind === 'proxy' ? this.holdProxy : undefined;
    const r = await this.inner.sendDetailed(realm, req, o);
    await hold;
    return r;
  }
}

/** A KDC request's kind: AS, S4U2Self, S4U2Proxy, other TGS. */
function kindOf(req: Uint8Array): string {
  if (req[0] === AS_REQ_TAG) return 'as';
  if (req[0] !== TGS_REQ_TAG) return 'other';
  const r = decodeTgsReq(req);
  const pa = (r.padata ?? []).map((p) => p.padataType);
  if (pa.includes(PaDataType.FOR_USER) || pa.includes(PaDataType.S4U_X509_USER)) return 'self';
  if ((r.reqBody.additionalTickets ?? []).length > 0) return 'proxy';
  return 'tgs';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Stops a redis-server this test started, by its PID, and waits for it to exit. */
async function stop(p: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const gone = () => p.exitCode !== null || p.signalCode !== null;
  if (gone() || p.pid === undefined) return;
  process.kill(p.pid, signal);
  await until(`redis-server ${p.pid} to exit`, gone);
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const reason = !lab
  ? ' (MIT lab not running: npm run lab:up)'
  : !redisLab
    ? ' (redis lab not running: npm run lab:up)'
    : '';

describe.skipIf(!lab || !redisLab)(
  `MIT + Redis: DelegationClient replicas sharing a sealed ticket store${reason}`,
  () => {
    const L = labOrStandIn(lab);
    const R = labOrStandIn(redisLab);
    const web = L.principals['web']!;
    const users = ['alice', 'bob', 'rc4user'].map((u) => L.principals[u]!.principal);
    const targets = ['cifs', 'api'].map((t) => L.principals[t]!.principal);
    const clients: Redis[] = [];
    const children: ChildProcess[] = [];

    afterAll(async () => {
      for (const p of children) await stop(p, 'SIGKILL');
      // The lab's Redis keeps nothing of this suite's.
      const admin = clients[0];
      if (admin?.status === 'ready')
        for (const p of prefixes) {
          const keys = await admin.keys(`${p}*`);
          if (keys.length > 0) await admin.del(...keys);
        }
      for (const c of clients) c.disconnect();
    });

    function redisClient(port = R.port, password = R.password): Redis {
      const c = new Redis({
        host: '127.0.0.1',
        port,
        password,
        // Fail at once while Redis is down (the DelegationClient then goes to the KDC) and reconnect quickly.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => 50,
        lazyConnect: false,
      });
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    }

    function fleet(n: number, store: Omit<SharedStoreOptions, 'key'> | undefined) {
      const witness = new Witness(labTransport(L));
      const events: DelegationAuditEvent[] = [];
      const replicas = Array.from(
        { length: n },
        () =>
          new DelegationClient({
            service: web.principal,
            realm: L.realm,
            transport: witness,
            keys: labKeys(web),
            audit: (e) => events.push(e),
            ...(store ? { store: { ...store, key: KEY } } : {}),
          }),
      );
      return { replicas, witness, events };
    }

    const prefixes: string[] = [];
    const prefix = () => {
      const p = `tskrb:test:${toHex(crypto.getRandomValues(new Uint8Array(6)))}:`;
      prefixes.push(p);
      return p;
    };

    function entryName(user: string, target: string): string {
      return new SealKeys(KEY).nameOf({ realm: L.realm, service: web.principal, user, target });
    }

    it('MIT + Redis: 3 replicas in turn over 3 users x 2 targets: the KDC sees 3 S4U2Self and 6 S4U2Proxy (9 and 18 without it)', async () => {
      const redis = redisClient();
      await until('redis ready', () => redis.status === 'ready');
      const shared = fleet(3, { store: new RedisTicketStore({ client: redis, prefix: prefix() }) });
      const alone = fleet(3, undefined);
      for (const f of [shared, alone])
        for (const dc of f.replicas)
          for (const u of users)
            for (const t of targets) {
              const got = await dc.s4u2proxy(u, t);
              expect(formatPrincipal(got.credential.client.name, got.credential.client.realm)).toBe(u);
            }
      expect([shared.witness.count('self'), shared.witness.count('proxy')]).toEqual([3, 6]);
      expect([alone.witness.count('self'), alone.witness.count('proxy')]).toEqual([9, 18]);
      const [first, second, third] = shared.replicas.map((r) => r.stats());
      expect(first!.store).toMatchObject({ writes: 9, failures: 0, refused: 0 });
      expect(second!.store).toMatchObject({ hits: 6, writes: 0, failures: 0 });
      expect(third!.store).toMatchObject({ hits: 6, writes: 0 });
      expect(second!.exchanges).toMatchObject({ s4u2self: 0, s4u2proxy: 0 });
      // A ticket read from Redis is the KDC's ticket: the back end opens it and finds the user.
      const fromStore = shared.events.find((e) => e.source === 'store' && e.target === targets[0]);
      expect(fromStore).toBeDefined();
      const t = await shared.replicas[2]!.s4u2proxy('alice', targets[0]!);
      expect(openTicket(t.credential.ticket, labKeys(L.principals['cifs']!)).cname.nameString).toEqual([
        'alice',
      ]);
    });

    it('MIT + Redis: a cold-start burst (3 replicas x 60 concurrent calls) is one S4U2Self per user and one S4U2Proxy per user and target', async () => {
      const redis = redisClient();
      await until('redis ready', () => redis.status === 'ready');
      const { replicas, witness, events } = fleet(3, {
        store: new RedisTicketStore({ client: redis, prefix: prefix() }),
        pollMs: 20,
      });
      const calls: Promise<DelegatedTicket>[] = [];
      for (let i = 0; i < 60; i++)
        for (const dc of replicas) calls.push(dc.s4u2proxy(users[i % 3]!, targets[Math.floor(i / 3) % 2]!));
      const out = await Promise.all(calls);
      expect(out).toHaveLength(180);
      expect([witness.count('self'), witness.count('proxy')]).toEqual([3, 6]);
      expect(events.filter((e) => e.result === 'ok')).toHaveLength(180);
      const stats = replicas.map((r) => r.stats().store!);
      expect(stats.reduce((n, s) => n + s.waits, 0)).toBeGreaterThan(0);
      expect(stats.reduce((n, s) => n + s.failures + s.lockTimeouts, 0)).toBe(0);
    });

    it('MIT + Redis: Redis stopped mid-run (own redis-server, by PID): every call succeeds, failures counted; restarted: sharing resumes', async () => {
      const port = await freePort();
      const dir = mkdtempSync(join(R.labDir, 'fault-'));
      const password = toHex(crypto.getRandomValues(new Uint8Array(16)));
      const start = () => {
        // The lab's settings (scripts/lab/redis.sh serve); exec keeps the PID, which this test kills.
        const p = spawn('bash', [REDIS_SH, 'serve', String(port), dir], {
          stdio: 'ignore',
          env: { ...process.env, TSKRB_REDIS_PASSWORD: password },
        });
        children.push(p);
        return p;
      };
      try {
        let server = start();
        const redis = redisClient(port, password);
        await until('own redis ready', () => redis.status === 'ready');
        const { replicas, witness } = fleet(2, {
          store: new RedisTicketStore({ client: redis, prefix: prefix() }),
          retryAfterMs: 200,
          timeoutMs: 500,
        });
        const [a, b] = replicas;
        expect((await a!.s4u2proxy('alice', targets[0]!)).source).toBe('kdc');
        expect((await b!.s4u2proxy('alice', targets[0]!)).source).toBe('store');

        await stop(server, 'SIGKILL');
        const during = await Promise.all([
          a!.s4u2proxy('bob', targets[0]!),
          b!.s4u2proxy('bob', targets[0]!),
          a!.s4u2proxy('rc4user', targets[1]!),
          b!.s4u2self('rc4user'),
        ]);
        expect(during.map((t) => t.source).every((s) => s === 'kdc' || s === 'joined')).toBe(true);
        const failures = replicas.map((r) => r.stats().store!.failures);
        expect(failures.every((n) => n > 0)).toBe(true);
        expect(replicas.every((r) => r.stats().store!.available === false)).toBe(true);
        // Without the store each replica asked for bob's ticket itself.
        expect(witness.count('proxy')).toBe(1 + 2 + 1);

        server = start();
        await until('redis back and client reconnected', () => redis.status === 'ready');
        await new Promise((r) => setTimeout(r, 250));
        expect((await a!.s4u2proxy('alice', targets[1]!)).source).toBe('kdc');
        expect((await b!.s4u2proxy('alice', targets[1]!)).source).toBe('store');
        expect(a!.stats().store).toMatchObject({ available: true });
        expect(a!.stats().store!.recoveries).toBeGreaterThan(0);
        expect(b!.stats().store!.recoveries).toBeGreaterThan(0);
        await stop(server, 'SIGTERM');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('MIT + Redis: an entry altered in Redis, or moved to another user, is refused, fetched again from the KDC, and audited', async () => {
      const redis = redisClient();
      await until('redis ready', () => redis.status === 'ready');
      const p = prefix();
      const { replicas, witness, events } = fleet(3, {
        store: new RedisTicketStore({ client: redis, prefix: p }),
      });
      const [a, b, c] = replicas;
      const [alice, bob] = [users[0]!, users[1]!];
      await a!.s4u2proxy(alice, targets[1]!);
      expect(witness.count('proxy')).toBe(1);

      const key = p + entryName(alice, targets[1]!);
      const sealed = fromBase64((await redis.get(key))!);
      sealed[sealed.length - 20]! ^= 0x04;
      await redis.set(key, toBase64(sealed), 'KEEPTTL');
      const again = await b!.s4u2proxy(alice, targets[1]!);
      expect(again.source).toBe('kdc');
      expect(witness.count('proxy')).toBe(2);
      expect(b!.stats().store).toMatchObject({ refused: 1, writes: 1 });
      expect(events.filter((e) => e.operation === 'store-refused')).toEqual([
        expect.objectContaining({
          result: 'error',
          source: 'store',
          user: alice,
          target: targets[1],
          error: expect.objectContaining({ name: 'IntegrityError' }),
        }),
      ]);
      expect((await c!.s4u2proxy(alice, targets[1]!)).source).toBe('store');

      // alice's S4U2Self evidence copied into bob's slot: sealed for alice, refused for bob.
      const aliceSelf = await redis.get(p + entryName(alice, web.principal));
      expect(aliceSelf).not.toBeNull();
      await redis.set(p + entryName(bob, web.principal), aliceSelf!, 'PX', 60_000);
      const bobs = await c!.s4u2self(bob);
      expect(bobs.source).toBe('kdc');
      expect(formatPrincipal(bobs.credential.client.name, bobs.credential.client.realm)).toBe(bob);
      expect(events.filter((e) => e.operation === 'store-refused').map((e) => e.user)).toEqual([alice, bob]);
    });

    it('MIT + Redis: clear(alice) on one replica: the other asks the KDC for alice again within revalidateMs, bob stays cached; clear() clears every user on both', async () => {
      const redis = redisClient();
      await until('redis ready', () => redis.status === 'ready');
      const p = prefix();
      const { replicas, witness } = fleet(2, {
        store: new RedisTicketStore({ client: redis, prefix: p }),
        revalidateMs: 200,
      });
      const [a, b] = replicas;
      const [alice, bob] = [users[0]!, users[1]!];
      for (const dc of [a!, b!]) for (const u of [alice, bob]) await dc.s4u2proxy(u, targets[0]!);
      expect([witness.count('self'), witness.count('proxy')]).toEqual([2, 2]);

      const cleared = await a!.clear(alice);
      await new Promise((r) => setTimeout(r, 250));
      const again = await b!.s4u2proxy(alice, targets[0]!);
      expect(again.source).toBe('kdc');
      expect([witness.count('self'), witness.count('proxy')]).toEqual([3, 3]);
      expect(openTicket(again.credential.ticket, labKeys(L.principals['cifs']!)).cname.nameString).toEqual([
        'alice',
      ]);
      expect((await b!.s4u2proxy(bob, targets[0]!)).source).toBe('cache');
      expect((await a!.s4u2proxy(alice, targets[0]!)).source).toBe('store');
      expect(cleared).toEqual({ dropped: 2, fleet: 'recorded' });
      expect(b!.stats().store).toMatchObject({ outdated: 1, failures: 0 });
      // In Redis: alice's generation, kept 7 days; her entries from before it are left to expire, never read again.
      const gen = p + new SealKeys(KEY).generationName(L.realm, web.principal, alice);
      expect(await redis.pttl(gen)).toBeGreaterThan(6 * 24 * 3600_000);
      expect(await redis.exists(p + entryName(alice, targets[0]!))).toBe(1);

      const logins = witness.count('as');
      expect((await b!.clear()).fleet).toBe('recorded');
      await new Promise((r) => setTimeout(r, 250));
      for (const u of [alice, bob]) expect((await a!.s4u2proxy(u, targets[0]!)).source).toBe('kdc');
      expect([witness.count('self'), witness.count('proxy')]).toEqual([5, 5]);
      // A dropped its service TGT as well, as its own clear() would.
      expect(witness.count('as')).toBeGreaterThan(logins);
    });

    it('MIT + Redis: a replica whose S4U2Proxy reply is in flight during clear(alice) answers its caller, and leaves nothing in Redis another replica reads', async () => {
      const redis = redisClient();
      await until('redis ready', () => redis.status === 'ready');
      const { replicas, witness } = fleet(3, {
        store: new RedisTicketStore({ client: redis, prefix: prefix() }),
      });
      const [a, b, c] = replicas;
      const alice = users[0]!;
      let release: () => void = () => undefined;
      witness.holdProxy = new Promise<void>((r) => {
        release = r;
      });
      const pending = b!.s4u2proxy(alice, targets[1]!);
      await until('B sending S4U2Proxy', () => witness.count('proxy') === 1);
      const cleared = await a!.clear(alice);
      release();
      witness.holdProxy = undefined;
      expect((await pending).source).toBe('kdc');
      expect(b!.stats().store).toMatchObject({ writes: 2, failures: 0 });
      // Neither B's S4U2Proxy ticket nor its S4U2Self evidence from before the clear is served to C.
      const t = await c!.s4u2proxy(alice, targets[1]!);
      expect(t.source).toBe('kdc');
      expect([witness.count('self'), witness.count('proxy')]).toEqual([2, 2]);
      expect(cleared.fleet).toBe('recorded');
    });
  },
);
