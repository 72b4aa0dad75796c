import { describe, expect, it } from 'vitest';
import {
  AdType,
  type AuthorizationData,
  decodeKerberosMessage,
  decodePaValue,
  type EncryptedData,
  encodeAsRep,
  encodeAuthorizationData,
  encodeKrbError,
  type KdcRep,
  MessageType,
  NameType,
  PaDataType,
} from '../../src/asn1/index.js';
import { renderTree } from '../../src/cli/render.js';
import { KeyUsage } from '../../src/crypto/index.js';
import {
  type ExplainNode,
  explain,
  explainAs,
  type OpenOutcome,
  type PartKind,
} from '../../src/explain/explain.js';
import { Keyring } from '../../src/explain/keyring.js';
import { hintFor } from '../../src/messages/exchange-step.js';
import { toHex } from '../../src/util/bytes.js';
import {
  krbtgtKey,
  krbtgtPacKey,
  openVector,
  REALM,
  s4u2ProxyExchange,
  s4u2SelfExchange,
  serviceKey,
  tgtSessionKey,
} from '../cli/fixtures.js';

/** Every node of a tree, depth first. */
function nodes(n: ExplainNode): ExplainNode[] {
  return [n, ...(n.children ?? []).flatMap(nodes)];
}
const find = (n: ExplainNode, label: string): ExplainNode | undefined =>
  nodes(n).find((x) => x.label === label);

const self = s4u2SelfExchange();
const proxy = s4u2ProxyExchange();
const selfReq = decodeKerberosMessage(self.request);
const selfRep = decodeKerberosMessage(self.reply);
const proxyReq = decodeKerberosMessage(proxy.request);
const tgt = openVector('tgt_ticket', krbtgtKey);
const krbError = (code: number) =>
  decodeKerberosMessage(
    encodeKrbError({
      pvno: 5,
      msgType: MessageType.KRB_ERROR,
      stime: new Date('2030-01-01T00:00:00Z'),
      susec: 0,
      errorCode: code,
      realm: REALM,
      sname: { nameType: NameType.NT_SRV_INST, nameString: ['krbtgt', REALM] },
      eText: 'why',
    }),
  ).value;
const paTgsReqApReq = () => {
  const p = (selfReq.value as { padata: { padataType: number; padataValue: Uint8Array }[] }).padata[0]!;
  return decodePaValue(p.padataType, p.padataValue, { direction: 'request' }).value;
};

describe("explain: kinds named from the value's shape", () => {
  it.each([
    ['TGS-REQ', () => selfReq.value],
    ['TGS-REP', () => selfRep.value],
    ['KRB-ERROR', () => krbError(13)],
    ['Ticket', () => tgt.ticket],
    ['EncTicketPart', () => tgt.part],
    ['AP-REQ', paTgsReqApReq],
    ['PrincipalName', () => tgt.part.cname],
    ['EncryptedData', () => tgt.ticket.encPart],
  ])('%s', (label, value) => {
    expect(explain(value()).label).toBe(label);
  });

  it('falls back to the fields, in spec spelling, for an unknown object', () => {
    const n = explain({ someField: 3, whenDone: new Date('2030-01-02T03:04:05Z') }, { label: 'thing' });
    expect(n.children).toEqual([
      { label: 'some-field', value: '3' },
      { label: 'when-done', value: '2030-01-02T03:04:05Z' },
    ]);
  });
});

describe('explain: names, flags, principals, times, keys', () => {
  const tree = explain(proxyReq.value);
  it('spells KDC options out with their meaning', () => {
    const opts = find(tree, 'kdc-options')!;
    expect(opts.value).toBe('forwardable, cname-in-addl-tkt, canonicalize');
    expect(find(opts, 'cname-in-addl-tkt')?.note).toBe(
      'S4U2Proxy: the client is taken from the evidence ticket in additional-tickets',
    );
  });

  it('names enctypes and formats principals with their name type', () => {
    expect(find(tree, 'etype')?.value).toBe('aes256-cts-hmac-sha1-96 (18), rc4-hmac (23)');
    expect(find(find(tree, 'req-body')!, 'sname')).toMatchObject({
      value: 'sql/mysql.acme.com',
      note: 'NT-SRV-HST; the service the ticket is for',
    });
  });

  it('marks the additional ticket as S4U2Proxy evidence', () => {
    expect(find(tree, 'additional-tickets')?.note).toContain('evidence ticket (S4U2Proxy)');
  });

  it('writes times in ISO 8601 UTC', () => {
    expect(find(explain(tgt.part), 'endtime')?.value).toBe('2021-08-16T05:21:37Z');
  });

  it('hides key bytes unless asked', () => {
    const hex = toHex(tgt.part.key.keyvalue);
    const hidden = renderTree(explain(tgt.part));
    expect(hidden).toContain('key: [key etype 18, 32 bytes]');
    expect(hidden).not.toContain(hex);
    expect(renderTree(explain(tgt.part, { showKeys: true }))).toContain(hex);
  });

  it('spells ticket flags out', () => {
    expect(find(explain(tgt.part), 'flags')?.value).toBe(
      'forwardable, renewable, initial, pre-authent, enc-pa-rep',
    );
  });
});

describe('explain: KRB-ERROR', () => {
  it('names the error and gives the hint for the exchange step', () => {
    const code = find(explain(krbError(24)), 'error-code')!;
    expect(code.value).toBe('KDC_ERR_PREAUTH_FAILED (24)');
    expect(code.note).toBe(hintFor('AS', 'KDC_ERR_PREAUTH_FAILED'));
    const s4u = find(explain(krbError(13), { step: 'S4U2Self' }), 'error-code')!;
    expect(s4u.note).toBe(hintFor('S4U2Self', 'KDC_ERR_BADOPTION'));
    expect(find(explain(krbError(13)), 'e-text')?.value).toBe('"why"');
  });
});

describe('explain: encrypted parts', () => {
  /** An opener that records what it was asked and opens nothing. */
  function recorder(): {
    calls: [number[], PartKind][];
    open: (ed: EncryptedData, u: readonly number[], k: PartKind) => OpenOutcome;
  } {
    const calls: [number[], PartKind][] = [];
    const open = (_ed: EncryptedData, u: readonly number[], k: PartKind): OpenOutcome => {
      calls.push([[...u], k]);
      return { status: 'no-key', reason: 'test' };
    };
    return { calls, open };
  }

  it.each([
    [
      'a ticket: service key, usage 2',
      () => tgt.ticket,
      'Ticket',
      [[[KeyUsage.KdcRepTicket], 'EncTicketPart']],
    ],
    [
      'an AS-REP: the ticket, then the client key, usage 3',
      () =>
        decodeKerberosMessage(encodeAsRep({ ...(selfRep.value as KdcRep), msgType: MessageType.AS_REP }))
          .value,
      'AS-REP',
      [
        [[2], 'EncTicketPart'],
        [[3], 'EncKdcRepPart'],
      ],
    ],
    [
      'a TGS-REP: subkey (9) or session key (8)',
      () => selfRep.value,
      'TGS-REP',
      [
        [[2], 'EncTicketPart'],
        [[9, 8], 'EncKdcRepPart'],
      ],
    ],
    [
      'the TGT and authenticator in PA-TGS-REQ: usage 2, then 7',
      () => selfReq.value,
      'TGS-REQ',
      [
        [[2], 'EncTicketPart'],
        [[7], 'Authenticator'],
      ],
    ],
  ])('asks the opener for %s', (_name, value, kind, expected) => {
    const r = recorder();
    explainAs(kind, value(), { open: r.open });
    expect(r.calls).toEqual(expected);
  });

  it('a standalone AP-REQ authenticator uses usage 11', () => {
    const r = recorder();
    explainAs('AP-REQ', paTgsReqApReq(), { open: r.open });
    expect(r.calls[1]).toEqual([[KeyUsage.ApReqAuthenticator], 'Authenticator']);
  });

  it('shows a closed part with the reason, and an opened one with the key, usage and plaintext', () => {
    const closed = find(
      explain(tgt.ticket, { open: () => ({ status: 'failed', reason: 'wrong key' }) }),
      'enc-part',
    )!;
    expect(closed.note).toBe('closed: wrong key');
    expect(closed.children).toBeUndefined();
    const ring = new Keyring();
    ring.add(krbtgtKey.etype, krbtgtKey.bytes, 'the krbtgt key');
    const opened = find(explain(tgt.ticket, { open: (e, u, k) => ring.open(e, u, k) }), 'enc-part')!;
    expect(opened.note).toBe('opened with the krbtgt key, usage 2 (ticket, service key)');
    expect(opened.children?.[0]).toMatchObject({ label: 'EncTicketPart', value: `apache@${REALM}` });
  });

  it('without an opener, says which usage the part is encrypted under', () => {
    expect(find(explain(tgt.ticket), 'enc-part')?.note).toBe('encrypted, usage 2 (ticket, service key)');
  });
});

describe('explain: the PAC of an opened ticket', () => {
  const ring = new Keyring();
  ring.add(serviceKey.etype, serviceKey.bytes, 'service key');
  const opts = { open: ring.open.bind(ring), kdcKeys: () => [krbtgtPacKey] };
  const rep = explain(selfRep.value, opts);

  it('says the identity was asserted by a service (S-1-18-2) after S4U2Self', () => {
    expect(find(rep, 'identity')).toMatchObject({ value: 'service asserted identity (S-1-18-2)' });
    expect(find(rep, 'user')?.value).toBe('admin');
  });

  it('checks the server signature with the key that opened the ticket and the KDC signatures with the krbtgt key', () => {
    const sigs = find(rep, 'signatures')!;
    expect(sigs.value).toBe('verified');
    expect(sigs.children?.map((c) => [c.label, c.value])).toEqual([
      ['server', 'valid'],
      ['KDC', 'valid'],
      ['ticket', 'valid'],
      ['full', 'not-checkable'],
    ]);
  });

  it('shows the S4U2Proxy target and the transited services', () => {
    ring.add(tgtSessionKey.etype, tgtSessionKey.bytes, 'session');
    const d = find(explain(decodeKerberosMessage(proxy.reply).value, opts), 'delegation')!;
    expect(d.value).toBe('sql/mysql.acme.com');
    expect(d.children?.[0]?.value).toBe(`apache@${REALM}`);
  });

  it('leaves PA-DATA explanation to the padata registry', () => {
    const pa = find(explain(selfReq.value), `PA-FOR-USER (${PaDataType.FOR_USER})`);
    expect(pa?.note).toBe('S4U2Self: the user the service asks a ticket for');
  });
});

describe('hostile nesting', () => {
  it('closes AD-IF-RELEVANT containers nested past 8 instead of recursing 3000 deep', () => {
    let ad: AuthorizationData = [{ adType: AdType.WIN2K_PAC, adData: new Uint8Array([0]) }];
    for (let i = 0; i < 3000; i++) ad = [{ adType: AdType.IF_RELEVANT, adData: encodeAuthorizationData(ad) }];
    const text = renderTree(explainAs('AuthorizationData', ad));
    expect(text).toContain('nested deeper than 8: not opened');
    expect(text.split('AD-IF-RELEVANT').length - 1).toBe(9);
  });

  it('closes any value nested past 64 levels', () => {
    let v: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 5000; i++) v = { inner: v };
    const text = renderTree(explain(v));
    expect(text).toContain('not opened  — nested deeper than 64 levels');
    expect(text).not.toContain('leaf');
  });
});

describe('numbers', () => {
  it('shows fractional numbers (timings) with at most three decimals, integers as they are', () => {
    const text = renderTree(explain({ ms: 31.648329999999987, attempts: 1, big: 123456789 }));
    expect(text).toContain('ms: 31.648\n');
    expect(text).toContain('attempts: 1\n');
    expect(text).toContain('big: 123456789\n');
  });
});
