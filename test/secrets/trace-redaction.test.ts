/**
 * Secrets never leave the client unless asked (issue 9): real exchanges with the MIT lab (AS with a password and
 * with keytab keys, TGS, S4U2Self, S4U2Proxy through DelegationClient, a wrong password) run with trace sinks and an
 * audit sink; every event, audit record and error is serialized with a serializer that WOULD print any key it met
 * (Uint8Array and Key as hex) and grepped for the lab passwords, the long-term keys and every session key and
 * subkey the exchanges produced. With `redact: false` the same grep must find them, which proves it can.
 */
import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { KdcClient, s4u2self } from '../../src/client/index.js';
import type { TraceEvent } from '../../src/client/trace.js';
import { Key } from '../../src/crypto/index.js';
import { DelegationClient } from '../../src/delegation/index.js';
import { toBase64, toHex } from '../../src/util/bytes.js';
import { labKeys, labTransport, mitLab } from '../helpers/lab.js';

const lab = mitLab;

/** JSON of anything, showing every byte array and Key as hex (what a careless log sink would do). */
function reveal(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, function (this: unknown, k: string, v: unknown) {
    const raw = (this as Record<string, unknown>)[k];
    if (raw instanceof Key) return { etype: raw.etype, bytes: raw.toHex() };
    if (v instanceof Uint8Array) return toHex(v);
    if (v instanceof Error)
      return { name: v.name, message: v.message, stack: v.stack, cause: v.cause, ...(v as object) };
    if (v !== null && typeof v === 'object') {
      if (seen.has(v)) return '[cycle]';
      seen.add(v);
    }
    return v;
  });
}

/** Everything a run produced: trace events, audit records, errors (as reveal() and inspect() see them). */
interface Run {
  text: string;
  /** Hex of every session key and subkey the exchanges produced (found through the results, not the traces). */
  sessionKeys: string[];
}

async function exercise(redact: boolean): Promise<Run> {
  const L = lab!;
  const events: TraceEvent[] = [];
  const audit: unknown[] = [];
  const errors: unknown[] = [];
  const sessionKeys: string[] = [];
  const trace = (e: TraceEvent) => events.push(e);
  const alice = L.principals['alice']!;
  const web = L.principals['web']!;
  const client = new KdcClient({ realm: L.realm, transport: labTransport(L), trace, redact });

  const a = await client.login({ principal: alice.principal, password: alice.password });
  sessionKeys.push(a.tgt.sessionKey.toHex());
  const cifs = await client.tgs(a.tgt, {
    realm: L.realm,
    name: { nameType: 1, nameString: ['cifs', 'file.mit.test'] },
  });
  sessionKeys.push(cifs.credential.sessionKey.toHex(), cifs.replyKey.toHex());
  if (cifs.subkey) sessionKeys.push(cifs.subkey.toHex());

  const w = await client.login({ principal: web.principal, keys: labKeys(web) });
  sessionKeys.push(w.tgt.sessionKey.toHex());
  const self = await s4u2self(client, w.tgt, 'alice');
  sessionKeys.push(self.credential.sessionKey.toHex());
  if (self.subkey) sessionKeys.push(self.subkey.toHex());

  await client
    .login({ principal: alice.principal, password: `${alice.password}-wrong` })
    .catch((e: unknown) => {
      errors.push(e);
    });

  const dc = new DelegationClient({
    service: web.principal,
    realm: L.realm,
    transport: labTransport(L),
    keys: labKeys(web),
    trace,
    audit: (e) => audit.push(e),
  });
  const proxied = await dc.s4u2proxy('alice', 'cifs/file.mit.test');
  sessionKeys.push(proxied.credential.sessionKey.toHex());
  await dc.s4u2proxy('alice', 'cifs/nonexistent.mit.test').catch((e: unknown) => errors.push(e));

  const text = [
    reveal(events),
    reveal(audit),
    reveal(errors),
    ...errors.map((e) => inspect(e, { depth: 20 })),
    ...events.map((e) => inspect(e, { depth: 20 })),
  ].join('\n');
  return { text, sessionKeys };
}

describe.skipIf(!lab)('MIT lab: traces, audit events and errors carry no secret (lab not running)', () => {
  let redacted: Run;
  let shown: Run;
  let longTerm: [string, string][];
  beforeAll(async () => {
    redacted = await exercise(true);
    shown = await exercise(false);
    const L = lab!;
    longTerm = ['alice', 'web', 'cifs'].flatMap((n) =>
      labKeys(L.principals[n]!).flatMap((k) => [
        [`${n} etype ${k.etype} key (hex)`, k.toHex()] as [string, string],
        [`${n} etype ${k.etype} key (base64)`, toBase64(k.bytes)] as [string, string],
      ]),
    );
  }, 60_000);

  it('the runs produced traces, an audit record and errors', () => {
    expect(redacted.text.length).toBeGreaterThan(10_000);
    expect(redacted.text).toContain('KDC_ERR_PREAUTH_FAILED');
    expect(redacted.sessionKeys.length).toBeGreaterThanOrEqual(6);
  });

  it('no lab password appears (redacted by default)', () => {
    for (const p of Object.values(lab!.principals)) expect(redacted.text).not.toContain(p.password);
  });

  it('no long-term key of the principals used appears', () => {
    expect(longTerm.filter(([, v]) => redacted.text.includes(v)).map(([n]) => n)).toEqual([]);
  });

  it('no session key or subkey of the exchanges appears', () => {
    expect(redacted.sessionKeys.filter((k) => redacted.text.includes(k))).toEqual([]);
  });

  it('control: with redact: false the traces do show session keys (the grep sees what it looks for)', () => {
    expect(shown.sessionKeys.filter((k) => shown.text.includes(k)).length).toBeGreaterThan(0);
  });
});
