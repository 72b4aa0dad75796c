/**
 * diagnostics_channel against the MIT lab (issue 19): a subscriber to tskrb:exchange and tskrb:delegation sees a
 * whole S4U flow of a DelegationClient (the service's AS exchange with pre-auth, S4U2Self, S4U2Proxy) and its audit
 * event, with no key material in what was published.
 */
import * as dc from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { DelegationClient } from '../../src/delegation/delegation-client.js';
import type { DelegationAuditEvent } from '../../src/delegation/types.js';
import { toHex } from '../../src/util/bytes.js';
import { DiagnosticsChannelName } from '../../src/util/diagnostics.js';
import { labKeys, labOrStandIn, labTransport, mitLab } from '../helpers/lab.js';

const lab = mitLab;
const subs: [string, (m: unknown) => void][] = [];
afterEach(() => {
  for (const [n, f] of subs.splice(0)) dc.unsubscribe(n, f);
});
function subscribe<T>(name: string): T[] {
  const seen: T[] = [];
  const f = (m: unknown) => seen.push(m as T);
  dc.subscribe(name, f);
  subs.push([name, f]);
  return seen;
}

describe.skipIf(!lab)(`MIT: diagnostics_channel${lab ? '' : ' (lab not running: npm run lab:up)'}`, () => {
  const L = labOrStandIn(lab);
  const web = L.principals['web']!;

  it('MIT: a subscriber sees the AS exchange, S4U2Self and S4U2Proxy of DelegationClient.s4u2proxy, then its audit event', async () => {
    const steps = subscribe<{ step: string; phase: string; details?: unknown }>(
      DiagnosticsChannelName.exchange,
    );
    const audit = subscribe<DelegationAuditEvent>(DiagnosticsChannelName.delegation);
    const keys = labKeys(web);
    const client = new DelegationClient({
      service: web.principal,
      realm: L.realm,
      transport: labTransport(L),
      keys,
    });
    const t = await client.s4u2proxy('alice', 'cifs/file.mit.test');
    const seen = steps.map((e) => `${e.step} ${e.phase}`);
    for (const want of [
      'AS request',
      'AS receive',
      'AS validate',
      'S4U2Self request',
      'S4U2Self validate',
      'S4U2Proxy request',
      'S4U2Proxy validate',
    ])
      expect(seen, want).toContain(want);
    expect(audit).toEqual([expect.objectContaining({ operation: 's4u2proxy', result: 'ok', source: 'kdc' })]);
    const published = JSON.stringify(steps, (_k, v) => (v instanceof Uint8Array ? toHex(v) : v));
    for (const k of keys) expect(published).not.toContain(toHex(k.bytes));
    expect(published).not.toContain(toHex(t.credential.sessionKey.bytes));
  });
});
