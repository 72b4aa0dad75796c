import { describe, expect, it } from 'vitest';
import { MessageType, NameType, type TgsReq } from '../../src/asn1/index.js';
import {
  explainExchange,
  explainTraceEvent,
  groupByExchange,
  renderTrace,
  renderTraceJson,
  renderTree,
  toJson,
  traceWriter,
} from '../../src/cli/render.js';
import { redact, type TraceEvent } from '../../src/client/trace.js';
import { Key } from '../../src/crypto/index.js';
import type { ExplainNode } from '../../src/explain/explain.js';

const tree: ExplainNode = {
  label: 'root',
  value: 'v',
  note: 'n',
  children: [
    { label: 'a', children: [{ label: 'a1', value: '1' }, { label: 'a2' }] },
    { label: 'b', value: 'x\ny', note: 'has a newline' },
  ],
};

describe('renderTree', () => {
  it('draws an indented tree with box-drawing characters', () => {
    expect(renderTree(tree)).toMatchInlineSnapshot(`
      "root: v  — n
      ├─ a
      │  ├─ a1: 1
      │  └─ a2
      └─ b: x\\x0ay  — has a newline
      "
    `);
  });

  it('puts every node on its own line, children under their parent', () => {
    const lines = renderTree(tree).trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('root: v  — n');
    expect(lines.slice(1).map((l) => l.slice(0, 3))).toEqual(['├─ ', '│  ', '│  ', '└─ ']);
  });

  it('escapes control characters so a value cannot break the tree or drive the terminal', () => {
    const out = renderTree({ label: 'e-text', value: 'a\x1b[31mred\nb' });
    expect(out).toBe('e-text: a\\x1b[31mred\\x0ab\n');
  });

  it('colours only when asked', () => {
    expect(renderTree(tree)).not.toContain('\x1b[');
    const coloured = renderTree(tree, { color: true });
    expect(coloured).toContain('\x1b[36mroot\x1b[0m');
    expect(coloured).toContain('\x1b[2m  — n\x1b[0m');
  });
});

const principal = (...names: string[]) => ({ nameType: NameType.NT_SRV_INST, nameString: names });
const request: TgsReq = {
  pvno: 5,
  msgType: MessageType.TGS_REQ,
  reqBody: {
    kdcOptions: { forwardable: true, cnameInAddlTkt: true },
    realm: 'EXAMPLE.COM',
    sname: principal('cifs', 'file.example.com'),
    till: new Date('2030-01-01T00:00:00Z'),
    nonce: 42,
    etype: [18, 17],
  },
};

/** A fixed trace: a successful S4U2Proxy, then a refused one; times injected. */
const events: TraceEvent[] = [
  {
    t: 0,
    exchange: 1,
    step: 'S4U2Proxy',
    phase: 'request',
    summary: 'TGS-REQ to realm EXAMPLE.COM (1200 bytes)',
    details: { request },
  },
  {
    t: 3,
    exchange: 1,
    step: 'S4U2Proxy',
    phase: 'receive',
    summary: '1300 bytes from tcp/127.0.0.1:88 in 3 ms',
    details: { kdc: { proto: 'tcp', host: '127.0.0.1', port: 88 }, attempts: 1 },
  },
  {
    t: 4,
    exchange: 1,
    step: 'S4U2Proxy',
    phase: 'validate',
    summary: 'TGS-REP valid: nonce',
    details: { checks: [{ check: 'nonce', detail: '42 matches the request' }] },
  },
  {
    t: 4,
    exchange: 1,
    step: 'S4U2Proxy',
    phase: 'result',
    summary: 'ticket for cifs/file.example.com@EXAMPLE.COM as alice@EXAMPLE.COM',
  },
  {
    t: 10,
    exchange: 2,
    step: 'S4U2Proxy',
    phase: 'request',
    summary: 'TGS-REQ to realm EXAMPLE.COM (1200 bytes)',
  },
  {
    t: 12,
    exchange: 2,
    step: 'S4U2Proxy',
    phase: 'error',
    summary: 'KDC_ERR_BADOPTION',
    details: {
      error: {
        pvno: 5,
        msgType: MessageType.KRB_ERROR,
        stime: new Date('2030-01-01T00:00:00Z'),
        susec: 0,
        errorCode: 13,
        realm: 'EXAMPLE.COM',
        sname: principal('cifs', 'other.example.com'),
      },
    },
  },
];

describe('renderTrace', () => {
  it('renders each exchange as request → KDC → reply → checks → result, with explain subtrees', () => {
    expect(renderTrace(events)).toMatchInlineSnapshot(`
      "#1 S4U2Proxy: 4 ms  — request → KDC → reply → decrypt → checks → result
      ├─ request: TGS-REQ to realm EXAMPLE.COM (1200 bytes)  — +0 ms
      │  └─ request: TGS-REQ for cifs/file.example.com@EXAMPLE.COM  — the client shows a TGT (in PA-TGS-REQ) and asks for a ticket to a service
      │     ├─ pvno: 5
      │     └─ req-body
      │        ├─ kdc-options: forwardable, cname-in-addl-tkt  — KDC options
      │        │  ├─ forwardable  — asks for a forwardable ticket (needed for delegation and as S4U2Proxy evidence)
      │        │  └─ cname-in-addl-tkt  — S4U2Proxy: the client is taken from the evidence ticket in additional-tickets
      │        ├─ realm: EXAMPLE.COM
      │        ├─ sname: cifs/file.example.com  — NT-SRV-INST; the service the ticket is for
      │        ├─ till: 2030-01-01T00:00:00Z  — requested end time
      │        ├─ nonce: 42  — the reply must carry the same nonce
      │        └─ etype: aes256-cts-hmac-sha1-96 (18), aes128-cts-hmac-sha1-96 (17)  — enctypes the client accepts, preferred first
      ├─ reply from KDC: 1300 bytes from tcp/127.0.0.1:88 in 3 ms  — +3 ms
      │  ├─ kdc: tcp/127.0.0.1:88
      │  └─ attempts: 1
      ├─ checks: TGS-REP valid: nonce  — +4 ms
      │  └─ checks: 1
      │     └─ nonce: ok  — 42 matches the request
      └─ result: ticket for cifs/file.example.com@EXAMPLE.COM as alice@EXAMPLE.COM  — +4 ms
      #2 S4U2Proxy: 2 ms  — request → KDC → reply → decrypt → checks → result
      ├─ request: TGS-REQ to realm EXAMPLE.COM (1200 bytes)  — +10 ms
      └─ KDC error: KDC_ERR_BADOPTION  — +12 ms
         └─ error: KRB-ERROR KDC_ERR_BADOPTION (13)  — the KDC or service refused the request
            ├─ error-code: KDC_ERR_BADOPTION (13)  — S4U2Proxy refused: the target is not in the service's allowed-to-delegate list (AD msDS-AllowedToDelegateTo / MIT krbAllowedToDelegateTo), or the evidence ticket is not forwardable (no protocol transition: MIT ok_to_auth_as_delegate, AD TrustedToAuthForDelegation), or resource-based delegation is not granted on the target (msDS-AllowedToActOnBehalfOfOtherIdentity); an MIT KDC on the db2 backend refuses every S4U2Proxy (it needs the LDAP backend)
            ├─ stime: 2030-01-01T00:00:00Z  — KDC time; susec 0
            └─ sname: cifs/other.example.com@EXAMPLE.COM  — NT-SRV-INST
      "
    `);
  });

  it('groups events by exchange, in order of first appearance', () => {
    const shuffled = [events[4]!, events[0]!, events[5]!, events[1]!];
    expect(groupByExchange(shuffled).map((g) => g.map((e) => e.t))).toEqual([
      [10, 12],
      [0, 3],
    ]);
  });

  it('labels the phases and keeps the event order inside an exchange', () => {
    const [first] = groupByExchange(events);
    const n = explainExchange(first!);
    expect(n.label).toBe('#1 S4U2Proxy');
    expect(n.value).toBe('4 ms');
    expect(n.children?.map((c) => c.label)).toEqual(['request', 'reply from KDC', 'checks', 'result']);
    expect(n.children?.map((c) => c.note)).toEqual(['+0 ms', '+3 ms', '+4 ms', '+4 ms']);
  });

  it('explains the details: the request, the KDC address, each check, and the error with its S4U2Proxy hint', () => {
    const [first, second] = groupByExchange(events).map((g) => explainExchange(g));
    const [req, reply, checks] = first!.children!;
    expect(req!.children?.[0]).toMatchObject({
      label: 'request',
      value: 'TGS-REQ for cifs/file.example.com@EXAMPLE.COM',
    });
    expect(reply!.children?.[0]).toMatchObject({ label: 'kdc', value: 'tcp/127.0.0.1:88' });
    expect(checks!.children?.[0]?.children?.[0]).toMatchObject({
      label: 'nonce',
      value: 'ok',
      note: '42 matches the request',
    });
    const error = second!.children![1]!.children![0]!;
    expect(error.value).toBe('KRB-ERROR KDC_ERR_BADOPTION (13)');
    expect(error.children?.[0]?.note).toContain('allowed-to-delegate');
  });

  it('writes an exchange as soon as its result or error arrives, and the rest on flush', () => {
    const written: string[] = [];
    const w = traceWriter((t) => written.push(t));
    for (const ev of events.slice(0, 3)) w.sink(ev);
    expect(written).toHaveLength(0);
    w.sink(events[3]!);
    expect(written).toHaveLength(1);
    w.sink(events[4]!);
    w.flush();
    expect(written).toHaveLength(2);
    expect(written[1]).toContain('#2 S4U2Proxy');
  });

  it('writes an exchange that ended without a result (a retried AS-REQ) before the next one, and notes in place', () => {
    const written: string[] = [];
    const w = traceWriter((t) => written.push(t));
    const ev = (exchange: number, phase: TraceEvent['phase'], summary: string): TraceEvent => ({
      t: 0,
      exchange,
      step: 'AS',
      phase,
      summary,
    });
    w.sink(ev(1, 'request', 'AS-REQ without pre-authentication'));
    w.sink(ev(1, 'note', 'KDC requires pre-authentication'));
    w.sink(ev(2, 'request', 'AS-REQ with PA-ENC-TIMESTAMP'));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^#1 AS/);
    w.sink(ev(0, 'note', 'outside'));
    expect(written).toHaveLength(3);
    expect(written[1]).toMatch(/^#2 AS/);
    expect(written[2]).toMatch(/^AS: 0 ms {2}— outside any exchange/);
    w.flush();
    expect(written).toHaveLength(3);
  });
});

describe('trace details as the client redacts them', () => {
  it('shows redacted keys as redacted and formats a Principal', () => {
    const details = redact({
      encPart: {
        key: { keytype: 18, keyvalue: new Uint8Array(32) },
        sname: principal('krbtgt', 'R'),
        srealm: 'R',
        lastReq: [],
        nonce: 1,
        flags: { forwardable: true },
        authtime: new Date(0),
        endtime: new Date(0),
      },
      sessionKey: new Key(17, new Uint8Array(16)),
      client: { realm: 'R', name: { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] } },
    }) as Record<string, unknown>;
    const n = explainTraceEvent({ t: 0, exchange: 1, step: 'AS', phase: 'validate', summary: 'ok', details });
    const text = renderTree(n);
    expect(text).toContain('key: etype 18 [redacted 32 bytes]');
    expect(text).toContain('session-key: etype 17 [redacted 16 bytes]');
    expect(text).toContain('client: alice@R  — NT-PRINCIPAL');
    expect(text).not.toMatch(/0{32}/);
  });
});

describe('JSON lines', () => {
  it('writes one parseable line per event, bytes as hex and dates as ISO', () => {
    const ev: TraceEvent = {
      t: 1,
      exchange: 1,
      step: 'AS',
      phase: 'note',
      summary: 's',
      details: { cookie: Uint8Array.of(1, 0xab), when: new Date('2030-01-01T00:00:00Z') },
    };
    const lines = renderTraceJson([ev, ev]).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const parsed = JSON.parse(lines[0]!) as { details: { cookie: string; when: string } };
    expect(parsed.details).toEqual({ cookie: '01ab', when: '2030-01-01T00:00:00.000Z' });
  });

  it('redacts keys unless asked', () => {
    const key = new Key(17, new Uint8Array(16).fill(1));
    const value = {
      k: key,
      ek: { keytype: 17, keyvalue: new Uint8Array(16).fill(2) },
      kb: { etype: 17, bytes: new Uint8Array(16).fill(3) },
    };
    const hidden = JSON.parse(toJson(value)) as Record<string, unknown>;
    expect(hidden).toEqual({
      k: '[key etype 17, 16 bytes]',
      ek: { keytype: 17, keyvalue: '[key, 16 bytes]' },
      kb: { etype: 17, bytes: '[key, 16 bytes]' },
    });
    const shown = JSON.parse(toJson(value, { showKeys: true })) as {
      k: { bytes: string };
      ek: { keyvalue: string };
    };
    expect(shown.k.bytes).toBe('01'.repeat(16));
    expect(shown.ek.keyvalue).toBe('02'.repeat(16));
  });
});
