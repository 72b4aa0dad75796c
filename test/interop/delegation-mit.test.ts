/**
 * DelegationClient against the MIT lab KDC (MIT.TEST, LDAP backend with krbAllowedToDelegateTo): real S4U2Self and
 * S4U2Proxy tickets, cache hits without KDC traffic (counted by a Transport wrapper of this test), 200 concurrent
 * mixed requests with the expected number of round trips, an expired entry fetched again on an injected clock.
 */
import { describe, expect, it } from 'vitest';
import { decodeTgsReq, PaDataType } from '../../src/asn1/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { DelegationClient } from '../../src/delegation/delegation-client.js';
import type { DelegationAuditEvent } from '../../src/delegation/types.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { openTicket } from '../../src/messages/ticket.js';
import type { SendOptions, SendResult, Transport } from '../../src/transport/index.js';
import { toBase64, toHex } from '../../src/util/bytes.js';
import { type LabInfo, labKeys, labOrStandIn, labTransport, mitLab } from '../helpers/lab.js';

const lab = mitLab;
const TGS_REQ_TAG = 0x6c;

/** Counts every request that reaches the lab: the test's own witness of KDC traffic. */
class Witness implements Transport {
  sends = 0;
  readonly requests: Uint8Array[] = [];
  constructor(private readonly inner: Transport) {}
  send(realm: string, req: Uint8Array, o?: SendOptions): Promise<Uint8Array> {
    this.sends++;
    this.requests.push(req);
    return this.inner.send(realm, req, o);
  }
  sendDetailed(realm: string, req: Uint8Array, o?: SendOptions): Promise<SendResult> {
    this.sends++;
    this.requests.push(req);
    return this.inner.sendDetailed(realm, req, o);
  }
}

function delegationOf(L: LabInfo, service: string): string[] {
  const d = (L['delegation'] as { service: string; allowedTo: string[] }[]).find(
    (x) => x.service === service,
  );
  return d?.allowedTo ?? [];
}

describe.skipIf(!lab)(`MIT: DelegationClient${lab ? '' : ' (lab not running: npm run lab:up)'}`, () => {
  const L = labOrStandIn(lab);
  const web = L.principals['web']!;
  const cifs = L.principals['cifs']!;
  const targets = delegationOf(L, web.principal);
  const users = ['alice', 'bob', 'rc4user'].map((u) => L.principals[u]!.principal);

  function make(o: { clock?: () => number; ttlMs?: number } = {}) {
    const witness = new Witness(labTransport(L));
    const events: DelegationAuditEvent[] = [];
    const client = new DelegationClient({
      service: web.principal,
      realm: L.realm,
      transport: witness,
      keys: labKeys(web),
      audit: (e) => events.push(e),
      ...o,
    });
    return { client, witness, events };
  }

  /** Round trips of the web service's AS exchange on this KDC (1 without pre-auth, 2 with). */
  async function loginRoundTrips(): Promise<number> {
    const w = new Witness(labTransport(L));
    await new KdcClient({ realm: L.realm, transport: w }).login({
      principal: web.principal,
      keys: labKeys(web),
      forwardable: true,
    });
    return w.sends;
  }

  it('MIT: S4U2Self then S4U2Proxy to cifs/file; the back end opens the ticket and finds alice; a repeat is a cache hit with no KDC traffic', async () => {
    const { client, witness } = make();
    const t = await client.s4u2proxy('alice', 'cifs/file.mit.test');
    expect(t.source).toBe('kdc');
    expect(formatPrincipal(t.credential.server.name, t.credential.server.realm)).toBe(cifs.principal);
    const part = openTicket(t.credential.ticket, labKeys(cifs));
    expect(formatPrincipal(part.cname, part.crealm)).toBe(L.principals['alice']!.principal);
    expect(t.result).toMatchObject({ step: 'S4U2Proxy', forwardable: true });
    expect((await client.s4u2self('alice')).result).toMatchObject({ step: 'S4U2Self', forwardable: true });
    const sent = witness.sends;
    expect(sent).toBe((await loginRoundTrips()) + 2);
    const again = await Promise.all([
      client.s4u2proxy('alice', 'cifs/file.mit.test'),
      client.s4u2proxy('alice@MIT.TEST', 'cifs/file.mit.test@MIT.TEST'),
      client.s4u2self('alice'),
    ]);
    expect(again.map((x) => x.source)).toEqual(['cache', 'cache', 'cache']);
    expect(again[0]!.credential).toBe(t.credential);
    expect(witness.sends).toBe(sent);
    expect(client.stats()).toMatchObject({ hits: 4, misses: 1, kdcRoundTrips: sent, entries: 2 });
  });

  it(`MIT: 200 concurrent mixed requests (${users.length} users x S4U2Self and ${targets.length} target(s)) succeed with one login, one S4U2Self per user, one S4U2Proxy per user and target`, async () => {
    expect(targets.length).toBeGreaterThan(0);
    const { client, witness, events } = make();
    const calls = Array.from({ length: 200 }, (_, i) => {
      const u = users[i % users.length]!;
      const k = Math.floor(i / users.length) % (targets.length + 1);
      return k === targets.length ? client.s4u2self(u) : client.s4u2proxy(u, targets[k]!);
    });
    const out = await Promise.all(calls);
    for (const t of out)
      expect(formatPrincipal(t.credential.client.name, t.credential.client.realm)).toBe(t.user);
    const expected = (await loginRoundTrips()) + users.length + users.length * targets.length;
    expect(witness.sends).toBe(expected);
    expect(client.stats()).toMatchObject({
      kdcRoundTrips: expected,
      misses: users.length * (targets.length + 1),
      joined: 200 - users.length * (targets.length + 1),
      exchanges: { login: 1, s4u2self: users.length, s4u2proxy: users.length * targets.length },
      errors: {},
    });
    expect(events).toHaveLength(200);
    expect(events.every((e) => e.result === 'ok' && e.kdcs.join() === L.kdcs.join())).toBe(true);
  });

  it('MIT: an entry past its TTL (injected clock) is fetched again from the KDC; the TGT is kept', async () => {
    let shift = 0;
    const { client, witness } = make({ clock: () => Date.now() + shift, ttlMs: 60_000 });
    const first = await client.s4u2proxy('bob', 'cifs/file.mit.test');
    shift = 30_000;
    expect((await client.s4u2proxy('bob', 'cifs/file.mit.test')).source).toBe('cache');
    const before = witness.sends;
    // 61 s on: past the TTL, well inside the KDC's 5 min clock-skew tolerance.
    shift = 61_000;
    const second = await client.s4u2proxy('bob', 'cifs/file.mit.test');
    expect(second.source).toBe('kdc');
    expect(witness.sends - before).toBe(2);
    expect(toHex(second.credential.ticketBytes)).not.toBe(toHex(first.credential.ticketBytes));
    expect(openTicket(second.credential.ticket, labKeys(cifs)).cname.nameString).toEqual(['bob']);
    expect(client.stats()).toMatchObject({
      refreshes: 1,
      exchanges: { login: 1, s4u2self: 2, s4u2proxy: 2 },
    });
  });

  it('MIT: a target outside krbAllowedToDelegateTo is KDC_ERR_BADOPTION, counted and audited with its hint, and never cached', async () => {
    const { client, events } = make();
    const bad = L.principals['ldapOther']!.principal;
    for (let i = 0; i < 2; i++) {
      const err = await client.s4u2proxy('alice', bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KdcError);
      expect((err as KdcError).codeName).toBe('KDC_ERR_BADOPTION');
      expect((err as KdcError).step).toBe('S4U2Proxy');
    }
    expect(client.stats().errors).toEqual({ KDC_ERR_BADOPTION: 2 });
    expect(client.stats().exchanges).toMatchObject({ s4u2self: 1, s4u2proxy: 2 });
    const e = events.at(-1)!;
    expect(e).toMatchObject({
      result: 'error',
      service: web.principal,
      user: L.principals['alice']!.principal,
      target: bad,
      kdcs: L.kdcs,
      error: { name: 'KDC_ERR_BADOPTION', code: 13 },
    });
    expect(e.error!.hint).toMatch(/krbAllowedToDelegateTo/);
  });

  it('MIT: a service without ok_to_auth_as_delegate gets a non-forwardable S4U2Self ticket with a warning, then KDC_ERR_BADOPTION on S4U2Proxy', async () => {
    const noproto = L.principals['noproto']!;
    const events: DelegationAuditEvent[] = [];
    const client = new DelegationClient({
      service: noproto.principal,
      realm: L.realm,
      transport: labTransport(L),
      keys: labKeys(noproto),
      audit: (e) => events.push(e),
    });
    const self = await client.s4u2self('alice');
    expect(self.credential.flags.forwardable).not.toBe(true);
    expect(self.warnings.join('\n')).toMatch(/not forwardable/);
    const err = await client.s4u2proxy('alice', 'cifs/file.mit.test').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KdcError);
    expect((err as KdcError).codeName).toBe('KDC_ERR_BADOPTION');
    // The evidence came from the cache: one S4U2Self, one refused S4U2Proxy.
    expect(client.stats()).toMatchObject({
      exchanges: { login: 1, s4u2self: 1, s4u2proxy: 1 },
      errors: { KDC_ERR_BADOPTION: 1 },
    });
    expect(events.map((e) => e.result)).toEqual(['ok', 'error']);
  });

  it('MIT: with FAST required the S4U requests are armored with the service TGT and the back end still finds alice', async () => {
    const witness = new Witness(labTransport(L));
    const client = new DelegationClient({
      service: web.principal,
      realm: L.realm,
      transport: witness,
      keys: labKeys(web),
      fast: 'required',
    });
    const t = await client.s4u2proxy('alice', 'cifs/file.mit.test');
    expect(openTicket(t.credential.ticket, labKeys(cifs)).cname.nameString).toEqual(['alice']);
    expect(client.stats().errors).toEqual({});
    const tgsPadata = witness.requests
      .filter((r) => r[0] === TGS_REQ_TAG)
      .map((r) => (decodeTgsReq(r).padata ?? []).map((p) => p.padataType));
    expect(tgsPadata).toHaveLength(2);
    for (const types of tgsPadata) expect(types).toContain(PaDataType.FX_FAST);
  });

  it('MIT: a user of the trusted realm (carol@OTHER.TEST): S4U2Self through OTHER.TEST, S4U2Proxy to cifs/file, both KDCs audited', async () => {
    const { client, events } = make();
    const carol = L.principals['carol']!;
    const other = L.realms!['OTHER.TEST']!;
    const t = await client.s4u2proxy(carol.principal, 'cifs/file.mit.test');
    const part = openTicket(t.credential.ticket, labKeys(cifs));
    expect(formatPrincipal(part.cname, part.crealm)).toBe(carol.principal);
    expect(events[0]).toMatchObject({ result: 'ok', user: carol.principal, target: cifs.principal });
    expect([...events[0]!.kdcs].sort()).toEqual([...L.kdcs, ...other.kdcs].sort());
    expect((await client.s4u2proxy(carol.principal, 'cifs/file.mit.test')).source).toBe('cache');
  });

  it('MIT: audit events name who, as whom, to what, result, KDC and latency, and hold no key or ticket bytes', async () => {
    const { client, events } = make();
    const t = await client.s4u2proxy('alice', 'cifs/file.mit.test');
    await client.s4u2proxy('alice', 'cifs/file.mit.test');
    const secrets = [
      t.credential.sessionKey.bytes,
      t.credential.ticketBytes,
      t.credential.ticket.encPart.cipher,
    ];
    const text = JSON.stringify(events);
    for (const s of secrets) {
      expect(text).not.toContain(toHex(s));
      expect(text).not.toContain(toBase64(s));
    }
    expect(events[0]).toMatchObject({
      operation: 's4u2proxy',
      service: web.principal,
      user: L.principals['alice']!.principal,
      target: cifs.principal,
      result: 'ok',
      source: 'kdc',
      kdcs: L.kdcs,
    });
    expect(events[0]!.latencyMs).toBeGreaterThan(0);
    expect(events[0]!.roundTrips).toBeGreaterThanOrEqual(3);
    expect(events[1]).toMatchObject({ source: 'cache', roundTrips: 0, kdcs: [] });
  });
});
