/**
 * Cancellation against the MIT lab KDC (issue 19): the test's own transport wrapper holds one chosen request until
 * released (a slow KDC whose timing the test owns) and forwards the rest to MIT. A held request whose caller
 * aborted never reaches MIT; a caller still waiting on the same DelegationClient flight gets MIT's ticket.
 */
import { describe, expect, it } from 'vitest';
import { decodeTgsReq } from '../../src/asn1/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { DelegationClient } from '../../src/delegation/delegation-client.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { openTicket } from '../../src/messages/ticket.js';
import type { SendOptions, SendResult, Transport } from '../../src/transport/index.js';
import { labKeys, labOrStandIn, labTransport, mitLab } from '../helpers/lab.js';

const lab = mitLab;
const AS_REQ_TAG = 0x6a;
const TGS_REQ_TAG = 0x6c;

/** Forwards to MIT, except the requests `hold` picks, which wait for `release()` (or their signal's abort). */
class Gate implements Transport {
  forwarded = 0;
  held = 0;
  aborted = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly inner: Transport,
    private readonly hold: (req: Uint8Array) => boolean,
  ) {}
  release(): void {
    for (const w of this.waiting.splice(0)) w();
  }
  async send(realm: string, req: Uint8Array, o?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, req, o)).reply;
  }
  async sendDetailed(realm: string, req: Uint8Array, o?: SendOptions): Promise<SendResult> {
    if (this.hold(req)) {
      this.held++;
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          this.aborted++;
          reject(new Error('held request aborted'));
        };
        o?.signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(() => {
          o?.signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    this.forwarded++;
    return this.inner.sendDetailed(realm, req, o);
  }
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
const isS4u2Proxy = (req: Uint8Array) =>
  req[0] === TGS_REQ_TAG && decodeTgsReq(req).reqBody.kdcOptions.cnameInAddlTkt === true;

describe.skipIf(!lab)(`MIT: cancellation${lab ? '' : ' (lab not running: npm run lab:up)'}`, () => {
  const L = labOrStandIn(lab);
  const web = L.principals['web']!;
  const cifs = L.principals['cifs']!;
  const alice = L.principals['alice']!;

  it('MIT: login aborted while its pre-authenticated AS-REQ is held: AbortError, and that request never reaches MIT', async () => {
    let asReqs = 0;
    const gate = new Gate(labTransport(L), (req) => req[0] === AS_REQ_TAG && ++asReqs === 2);
    const kdc = new KdcClient({ realm: L.realm, transport: gate });
    const ctl = new AbortController();
    const p = kdc.login({ principal: alice.principal, password: alice.password!, signal: ctl.signal });
    while (gate.held === 0) await tick(5);
    ctl.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect([gate.forwarded, gate.aborted]).toEqual([1, 1]);
    // The same client logs in when nothing aborts it; a generous timeout does not get in the way.
    const s = await new KdcClient({ realm: L.realm, transport: labTransport(L) }).login({
      principal: alice.principal,
      password: alice.password!,
      timeout: 10_000,
    });
    expect(formatPrincipal(s.principal.name, s.principal.realm)).toBe(alice.principal);
  });

  it('MIT: DelegationClient: one caller aborts during the held S4U2Proxy; the other caller on the flight gets the ticket to cifs/file as alice', async () => {
    const gate = new Gate(labTransport(L), isS4u2Proxy);
    const client = new DelegationClient({
      service: web.principal,
      realm: L.realm,
      transport: gate,
      keys: labKeys(web),
    });
    const a = new AbortController();
    const pa = client.s4u2proxy('alice', 'cifs/file.mit.test', { signal: a.signal });
    const pb = client.s4u2proxy('alice', 'cifs/file.mit.test', { timeout: 10_000 });
    while (gate.held === 0) await tick(5);
    a.abort();
    await expect(pa).rejects.toMatchObject({ name: 'AbortError' });
    expect(gate.aborted).toBe(0);
    gate.release();
    const t = await pb;
    expect(t.source).toBe('joined');
    const part = openTicket(t.credential.ticket, labKeys(cifs));
    expect(formatPrincipal(part.cname, part.crealm)).toBe(alice.principal);
  });

  it('MIT: DelegationClient: the only caller aborts during the held S4U2Proxy: the flight stops and MIT never sees it', async () => {
    const gate = new Gate(labTransport(L), isS4u2Proxy);
    const client = new DelegationClient({
      service: web.principal,
      realm: L.realm,
      transport: gate,
      keys: labKeys(web),
    });
    const ctl = new AbortController();
    const p = client.s4u2proxy('alice', 'cifs/file.mit.test', { signal: ctl.signal });
    while (gate.held === 0) await tick(5);
    const before = gate.forwarded;
    ctl.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await tick();
    expect([gate.aborted, gate.forwarded]).toEqual([1, before]);
    expect(client.stats().entries).toBe(1); // the S4U2Self evidence only
  });
});
