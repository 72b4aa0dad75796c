/**
 * diagnostics_channel (issue 19): trace and audit events published on `tskrb:exchange` and `tskrb:delegation`,
 * redacted, only when someone subscribes. The S4U flow runs against the in-memory mini KDC.
 */
import * as dc from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { KdcClient } from '../../src/client/kdc-client.js';
import { DelegationClient } from '../../src/delegation/delegation-client.js';
import type { DelegationAuditEvent } from '../../src/delegation/types.js';
import { toHex } from '../../src/util/bytes.js';
import { DiagnosticsChannelName, subscribedChannel } from '../../src/util/diagnostics.js';
import { stubTransport } from '../delegation/fakes.js';
import { BACK, FRONT, FRONT_KEY, frontTgt, MiniKdc, miniClock, REALM } from '../s4u/mini-kdc.js';

interface Published {
  readonly client: number;
  readonly realm: string;
  readonly exchange: number;
  readonly step: string;
  readonly phase: string;
  readonly details?: Record<string, unknown>;
}

const subscriptions: [string, (m: unknown) => void][] = [];
function subscribe<T>(name: string): T[] {
  const seen: T[] = [];
  const fn = (m: unknown) => seen.push(m as T);
  dc.subscribe(name, fn);
  subscriptions.push([name, fn]);
  return seen;
}
afterEach(() => {
  for (const [name, fn] of subscriptions.splice(0)) dc.unsubscribe(name, fn);
});

/** Hex of every byte array in a value, to look for key material in what was published. */
function hexes(v: unknown, out: string[] = []): string[] {
  if (v instanceof Uint8Array) out.push(toHex(v));
  else if (Array.isArray(v)) for (const x of v) hexes(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) hexes(x, out);
  return out;
}

describe('diagnostics_channel', () => {
  it('a subscriber sees a whole S4U flow: every step of S4U2Self and S4U2Proxy, then the delegation event', async () => {
    const exchange = subscribe<Published>(DiagnosticsChannelName.exchange);
    const delegation = subscribe<DelegationAuditEvent>(DiagnosticsChannelName.delegation);
    const client = new DelegationClient({
      service: FRONT,
      realm: REALM,
      transport: new MiniKdc(),
      credential: frontTgt(),
      keys: [FRONT_KEY],
      clock: miniClock,
      redact: false, // the caller's own sink would get secrets; the process-wide channel never does
    });
    await client.s4u2proxy('alice', BACK);

    const steps = exchange.map((e) => `${e.step} ${e.phase}`);
    for (const step of ['S4U2Self', 'S4U2Proxy'])
      for (const phase of ['request', 'receive', 'validate'])
        expect(steps, `${step} ${phase}`).toContain(`${step} ${phase}`);
    expect(steps.indexOf('S4U2Self request')).toBeLessThan(steps.indexOf('S4U2Proxy request'));
    expect(exchange.every((e) => e.realm === REALM && typeof e.client === 'number')).toBe(true);
    expect(delegation).toHaveLength(1);
    expect(delegation[0]).toMatchObject({
      operation: 's4u2proxy',
      user: `alice@${REALM}`,
      result: 'ok',
      source: 'kdc',
    });

    const tgt = frontTgt();
    const secrets = [toHex(tgt.sessionKey.bytes), toHex(FRONT_KEY.bytes)];
    const published = hexes(exchange);
    for (const s of secrets) expect(published.some((h) => h.includes(s))).toBe(false);
    expect(
      JSON.stringify(
        exchange.map((e) => e.details ?? {}),
        (_k, v) => (v instanceof Uint8Array ? '' : v),
      ),
    ).toContain('[redacted');
  });

  it('costs nothing when no one subscribes: no channel, no message built, the details never read', () => {
    expect(subscribedChannel(DiagnosticsChannelName.exchange)).toBeUndefined();
    const client = new KdcClient({ realm: REALM, transport: stubTransport(), clock: miniClock });
    let reads = 0;
    const details = {
      get request() {
        reads++;
        return {};
      },
    };
    client.trace(1, 'AS', 'request', 'x', details);
    expect(reads).toBe(0);
    const seen = subscribe<Published>(DiagnosticsChannelName.exchange);
    client.trace(1, 'AS', 'request', 'x', details);
    expect(reads).toBe(1);
    expect(seen).toHaveLength(1);
  });
});
