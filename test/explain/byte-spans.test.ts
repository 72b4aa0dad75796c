/**
 * Byte spans of explained nodes (explain/byte-spans): the demo's recorded Samba S4U flow explained with its keys,
 * each node's span checked against bytes found here independently (the plain decoders, decryption with the
 * recording's keys, the PAC's own buffer table); and mutated recordings, whose explanation must not throw and whose
 * spans must stay inside their buffers and inside their parents' spans.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTop, type Read, readAnyInt32, readInt32, readKerberosString } from '../../src/asn1/der.js';
import * as A from '../../src/asn1/index.js';
import { readKerberosTime } from '../../src/asn1/time.js';
import { shippedRecording } from '../../src/cli/demo/recording.js';
import { decrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import { KerberosError } from '../../src/errors.js';
import {
  ByteSpans,
  detectInput,
  type ExplainNode,
  type ExplainOptions,
  explainAs,
  Keyring,
  type NodeSpan,
} from '../../src/explain/index.js';
import { decodeGssToken } from '../../src/gss/framing.js';
import { decodeMechTypeList, decodeSpnegoToken, type NegTokenInit } from '../../src/gss/spnego-codec.js';
import { decodePac, findPac } from '../../src/pac/index.js';
import { bytesEqual, fromHex } from '../../src/util/bytes.js';

const recording = shippedRecording()!;
const key = (name: string): Key => {
  const k = recording.keys[name]!;
  return new Key(k.etype, fromHex(k.hex));
};

function options(): ExplainOptions {
  const ring = new Keyring();
  for (const k of Object.values(recording.keys))
    ring.add(k.etype, fromHex(k.hex), k.note, k.principal === undefined ? {} : { principal: k.principal });
  return {
    open: (ed, usages, kind, owner, decode) => ring.open(ed, usages, kind, owner, decode),
    kdcKeys: () => ring.kdcKeys(),
  };
}

/** Explains `bytes` as the explorer does: decoded with the spans' table, explained with the spans. */
function explained(
  bytes: Uint8Array,
  opts: ExplainOptions = options(),
): { tree: ExplainNode; spans: ByteSpans } {
  const spans = new ByteSpans();
  const d = detectInput(bytes, { spans: spans.table });
  return { tree: explainAs(d.name, d.value, { ...opts, spans }), spans };
}

/** The node reached from `tree` by child labels (test-side only: the spans themselves never look at labels). */
function nodeAt(tree: ExplainNode, path: readonly string[]): ExplainNode {
  return path.reduce((n, label) => {
    const next = n.children?.find((c) => c.label === label);
    if (next === undefined)
      throw new Error(`no '${label}' under '${n.label}': ${n.children?.map((c) => c.label).join(', ')}`);
    return next;
  }, tree);
}

const part = (step: number, reply: boolean): Uint8Array => {
  const x = recording.exchanges[step]!;
  return fromHex(reply ? x.reply : x.request);
};
/** The path from a KDC-REP (or a ticket's holder) to the PAC inside its ticket's decrypted part. */
const TICKET_PAC = [
  'ticket',
  'enc-part',
  'EncTicketPart',
  'authorization-data',
  'AD-IF-RELEVANT (1)',
  'AD-WIN2K-PAC (128)',
  'PAC',
];
const AS = 0;
const SELF = 1;
const PROXY = 2;
const REFUSED = 3;

/** The element's bytes and its contents' bytes in the buffer a span points into. */
function bytesOf(spans: ByteSpans, s: NodeSpan): { element: Uint8Array; contents: Uint8Array } {
  const b = spans.buffers[s.buffer]!.bytes;
  return {
    element: b.subarray(s.offset, s.offset + s.length),
    contents: b.subarray(s.valueOffset, s.valueOffset + s.valueLength),
  };
}

const reread =
  <T>(read: Read<T>) =>
  (b: Uint8Array): T =>
    decodeTop(b, 'again', read);

/** Where `needle` first occurs in `hay` (a test-side search, to place bytes found independently). */
function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  for (let i = 0; i + needle.length <= hay.length; i++)
    if (bytesEqual(hay.subarray(i, i + needle.length), needle)) return i;
  return -1;
}

/** A ticket's EncTicketPart plaintext, decrypted here with the recording's key. */
function ticketPlaintext(t: A.Ticket, keyName: string): Uint8Array {
  return decrypt(key(keyName), KeyUsage.KdcRepTicket, t.encPart.cipher);
}

/** One row: which message, which node, which buffer, and what its bytes must be, found independently. */
interface Row {
  readonly what: string;
  readonly step: number;
  readonly reply: boolean;
  readonly path: readonly string[];
  readonly buffer: RegExp;
  readonly check: (bytes: { element: Uint8Array; contents: Uint8Array }, message: Uint8Array) => void;
}

const asReq = (b: Uint8Array) => A.decodeAsReq(b);
const tgsReq = (b: Uint8Array) => A.decodeTgsReq(b);
const tgsRep = (b: Uint8Array) => A.decodeTgsRep(b);

const rows: Row[] = [
  {
    what: 'AS-REQ realm',
    step: AS,
    reply: false,
    path: ['req-body', 'realm'],
    buffer: /^input$/,
    check: ({ contents }, m) => expect(reread(readKerberosString)(contents)).toBe(asReq(m).reqBody.realm),
  },
  {
    what: 'AS-REQ till',
    step: AS,
    reply: false,
    path: ['req-body', 'till'],
    buffer: /^input$/,
    check: ({ contents }, m) => expect(reread(readKerberosTime)(contents)).toEqual(asReq(m).reqBody.till),
  },
  {
    what: 'AS-REQ PA-DATA',
    step: AS,
    reply: false,
    path: ['padata', 'PA-ENC-TIMESTAMP (2)'],
    buffer: /^input$/,
    check: ({ element }, m) => expect(A.decodePaData(element)).toEqual(asReq(m).padata![0]),
  },
  {
    what: 'AS-REQ kdc-options bit 1 (forwardable)',
    step: AS,
    reply: false,
    path: ['req-body', 'kdc-options', 'forwardable'],
    buffer: /^input$/,
    check: ({ element }) => {
      expect(element.length).toBe(1);
      expect(element[0]! & 0x40).toBe(0x40);
    },
  },
  {
    what: 'AS-REQ kdc-options bit 15 (canonicalize)',
    step: AS,
    reply: false,
    path: ['req-body', 'kdc-options', 'canonicalize'],
    buffer: /^input$/,
    check: ({ element }) => expect(element[0]! & 0x01).toBe(0x01),
  },
  {
    what: 'PA-ENC-TS-ENC, decrypted: the whole plaintext',
    step: AS,
    reply: false,
    path: ['padata', 'PA-ENC-TIMESTAMP (2)', 'enc-timestamp', 'PA-ENC-TS-ENC'],
    buffer: /^plaintext of enc-timestamp \(PA-ENC-TS-ENC\)$/,
    check: ({ element }, m) => {
      const ed = A.decodeEncryptedData(asReq(m).padata![0]!.padataValue);
      expect(element).toEqual(decrypt(key('websvc'), KeyUsage.AsReqPaEncTimestamp, ed.cipher));
    },
  },
  {
    what: 'AS-REP ticket enc-part',
    step: AS,
    reply: true,
    path: ['ticket', 'enc-part'],
    buffer: /^input$/,
    check: ({ contents }, m) =>
      expect(A.decodeEncryptedData(contents)).toEqual(A.decodeAsRep(m).ticket.encPart),
  },
  {
    what: 'the TGT, decrypted: the whole plaintext',
    step: AS,
    reply: true,
    path: ['ticket', 'enc-part', 'EncTicketPart'],
    buffer: /^plaintext of enc-part \(EncTicketPart\)$/,
    check: ({ element }, m) => expect(element).toEqual(ticketPlaintext(A.decodeAsRep(m).ticket, 'krbtgt')),
  },
  {
    what: 'the TGT PAC logon info buffer (type 1)',
    step: AS,
    reply: true,
    path: [...TICKET_PAC, 'buffers', 'type 1'],
    buffer: /^plaintext of enc-part \(EncTicketPart\)$/,
    check: ({ element }, m) => {
      const plain = ticketPlaintext(A.decodeAsRep(m).ticket, 'krbtgt');
      const pac = findPac(A.decodeEncTicketPart(plain).authorizationData!)!;
      const b = decodePac(pac).infoBuffers.find((x) => x.ulType === 1)!;
      expect(element).toEqual(pac.subarray(b.offset, b.offset + b.cbBufferSize));
      // And the span is where the PAC is in the plaintext, not just equal bytes.
      expect(indexOf(plain, pac)).toBeGreaterThan(0);
    },
  },
  {
    what: 'AS-REP EncKDCRepPart nonce, decrypted',
    step: AS,
    reply: true,
    path: ['enc-part', 'EncKDCRepPart', 'nonce'],
    buffer: /^plaintext of enc-part \(EncKdcRepPart\)$/,
    check: ({ contents }) =>
      expect(reread(readAnyInt32)(contents)).toBe(asReq(part(AS, false)).reqBody.nonce),
  },
  {
    what: 'PA-FOR-USER user (a padata-value decoded apart, placed in the message)',
    step: SELF,
    reply: false,
    path: ['padata', 'PA-FOR-USER (129)', 'user'],
    buffer: /^input$/,
    check: ({ contents }, m) => {
      const p = tgsReq(m).padata!.find((x) => x.padataType === A.PaDataType.FOR_USER)!;
      expect(A.decodePrincipalName(contents)).toEqual(A.decodePaForUser(p.padataValue).userName);
    },
  },
  {
    what: 'PA-TGS-REQ AP-REQ',
    step: SELF,
    reply: false,
    path: ['padata', 'PA-TGS-REQ (1)', 'ap-req'],
    buffer: /^input$/,
    check: ({ element }, m) => {
      const p = tgsReq(m).padata!.find((x) => x.padataType === A.PaDataType.TGS_REQ)!;
      expect(element).toEqual(p.padataValue);
    },
  },
  {
    what: 'the TGS authenticator cksum, decrypted',
    step: SELF,
    reply: false,
    path: ['padata', 'PA-TGS-REQ (1)', 'ap-req', 'authenticator', 'Authenticator', 'cksum'],
    buffer: /^plaintext of authenticator \(Authenticator\)$/,
    check: ({ contents }, m) => {
      const p = tgsReq(m).padata!.find((x) => x.padataType === A.PaDataType.TGS_REQ)!;
      const ap = A.decodeApReq(p.padataValue);
      const plain = decrypt(key('tgt-session'), KeyUsage.TgsReqAuthenticator, ap.authenticator.cipher);
      expect(A.decodeChecksum(contents)).toEqual(A.decodeAuthenticator(plain).cksum);
    },
  },
  {
    what: 'the evidence ticket cname, decrypted with the service key',
    step: PROXY,
    reply: false,
    path: ['req-body', 'additional-tickets', 'ticket', 'enc-part', 'EncTicketPart', 'cname'],
    buffer: /^plaintext of enc-part \(EncTicketPart\)$/,
    check: ({ contents }, m) => {
      const plain = ticketPlaintext(tgsReq(m).reqBody.additionalTickets![0]!, 'websvc');
      expect(A.decodePrincipalName(contents)).toEqual(A.decodeEncTicketPart(plain).cname);
    },
  },
  {
    what: 'the delegated ticket PAC delegation info (type 11)',
    step: PROXY,
    reply: true,
    path: [...TICKET_PAC, 'delegation'],
    buffer: /^plaintext of enc-part \(EncTicketPart\)$/,
    check: ({ element }, m) => {
      const pac = findPac(
        A.decodeEncTicketPart(ticketPlaintext(tgsRep(m).ticket, 'filesvc')).authorizationData!,
      )!;
      const b = decodePac(pac).infoBuffers.find((x) => x.ulType === 11)!;
      expect(element).toEqual(pac.subarray(b.offset, b.offset + b.cbBufferSize));
    },
  },
  {
    what: 'KRB-ERROR error-code',
    step: REFUSED,
    reply: true,
    path: ['error-code'],
    buffer: /^input$/,
    check: ({ contents }, m) => expect(reread(readInt32)(contents)).toBe(A.decodeKrbError(m).errorCode),
  },
];

describe('the demo recording explained with its keys: each node spans the bytes it was read from', () => {
  it.each(rows)('$what', ({ step, reply, path, buffer, check }) => {
    const m = part(step, reply);
    const { tree, spans } = explained(m);
    const n = nodeAt(tree, path);
    expect(n.span, 'a span').toBeDefined();
    const s = n.span!;
    expect(spans.buffers[s.buffer]?.label).toMatch(buffer);
    expect(spans.buffers[0]!.bytes).toBe(m);
    check(bytesOf(spans, s), m);
    // A span one byte later is not the same bytes: the check above would catch a wrong span.
    const shifted = { ...s, offset: s.offset + 1, valueOffset: s.valueOffset + 1 };
    expect(() => check(bytesOf(spans, shifted), m)).toThrow();
  });

  it('a plaintext says which ciphertext it was decrypted from', () => {
    const m = part(AS, true);
    const { spans } = explained(m);
    const plain = spans.buffers.find((b) => b.label === 'plaintext of enc-part (EncTicketPart)')!;
    const from = plain.from!;
    expect(from.buffer).toBe(0);
    expect(m.subarray(from.offset, from.offset + from.length)).toEqual(
      A.decodeAsRep(m).ticket.encPart.cipher,
    );
  });

  it('every part: only the input and plaintexts, no bytes left unplaced', () => {
    for (const [i, x] of recording.exchanges.entries())
      for (const hex of [x.request, x.reply]) {
        const { spans } = explained(fromHex(hex));
        expect(spans.buffers[0]!.label, `#${i}`).toBe('input');
        for (const b of spans.buffers.slice(1)) expect(b.label).toMatch(/^plaintext of /);
      }
  });

  it('without spans asked for, no node carries one and the tree is the same', () => {
    const m = part(SELF, false);
    const d = detectInput(m);
    const plain = explainAs(d.name, d.value, options());
    const { tree } = explained(m);
    const strip = (n: ExplainNode): ExplainNode => {
      const { span: _, children, ...rest } = n;
      return children === undefined ? rest : { ...rest, children: children.map(strip) };
    };
    expect(JSON.stringify(plain)).not.toContain('"span"');
    expect(strip(tree)).toEqual(plain);
  });
});

/** MIT's GSS-API sessions (test/vectors/gss-mit-*.json): tokens in order, and the service's keys. */
interface GssSession {
  name: string;
  serviceKeys: { etype: number; hex: string }[];
  tokens: { kind: string; hex: string }[];
}
const gssSessions = ['gss-mit-spnego', 'gss-mit-krb5', 'gss-mit-delegation'].flatMap(
  (f) =>
    (
      JSON.parse(readFileSync(new URL(`../vectors/${f}.json`, import.meta.url), 'utf8')) as {
        sessions: GssSession[];
      }
    ).sessions,
);

/** The recorded tokens that are GSS-API or SPNEGO tokens (not the sample protocol's empty or plain messages). */
const TOKEN_KINDS = /^(spnego|ap-|wrap|mic|krb-error)/;

/** The session's tokens explained in order with one key chest (the service keys), as `describe` reads a session. */
function explainSession(session: GssSession): { bytes: Uint8Array; tree: ExplainNode; spans: ByteSpans }[] {
  const ring = new Keyring();
  for (const k of session.serviceKeys) ring.add(k.etype, fromHex(k.hex), 'service key');
  const opts: ExplainOptions = {
    open: (ed, u, kind, owner, decode) => ring.open(ed, u, kind, owner, decode),
  };
  return session.tokens
    .filter((t) => TOKEN_KINDS.test(t.kind))
    .map((t) => {
      const bytes = fromHex(t.hex);
      return { bytes, ...explained(bytes, opts) };
    });
}

describe('MIT SPNEGO: the token, its mechToken and the ticket inside, each spanned', () => {
  const session = gssSessions.find((x) => x.name === 'etype 18: -spnego')!;
  const [init] = explainSession(session);
  const { bytes, tree, spans } = init!;
  const negTokenInit = (decodeSpnegoToken(bytes).token as { negTokenInit: NegTokenInit }).negTokenInit;
  const mechToken = negTokenInit.mechToken!;

  it('the framed token is the input; mechTypes re-decode to the offered mechanisms', () => {
    expect(spans.buffers[0]!.bytes).toBe(bytes);
    expect(tree.span).toMatchObject({ buffer: 0, offset: 0, length: bytes.length });
    const { contents } = bytesOf(spans, nodeAt(tree, ['mechTypes']).span!);
    expect(decodeMechTypeList(contents)).toEqual(negTokenInit.mechTypes);
  });

  it('the AP-REQ inside the mechToken is the GSS token body, in the same buffer', () => {
    const { element } = bytesOf(spans, nodeAt(tree, ['mechToken', 'AP-REQ']).span!);
    expect(element).toEqual(decodeGssToken(mechToken).inner.subarray(2));
  });

  it('the ticket, decrypted with the service key: its cname re-decodes from the plaintext', () => {
    const ap = A.decodeApReq(decodeGssToken(mechToken).inner.subarray(2));
    const k = session.serviceKeys[0]!;
    const plain = decrypt(new Key(k.etype, fromHex(k.hex)), KeyUsage.KdcRepTicket, ap.ticket.encPart.cipher);
    const n = nodeAt(tree, ['mechToken', 'AP-REQ', 'ticket', 'enc-part', 'EncTicketPart', 'cname']);
    expect(spans.buffers[n.span!.buffer]!.bytes).toEqual(plain);
    expect(A.decodePrincipalName(bytesOf(spans, n.span!).contents)).toEqual(
      A.decodeEncTicketPart(plain).cname,
    );
  });

  it.each(gssSessions.map((x) => [x.name, x] as const))(
    '%s: every token’s spans inside their buffers and parents',
    (_, x) => {
      for (const t of explainSession(x)) checkTree(t.tree, t.spans);
    },
  );
});

/** Every node's span inside its buffer, and inside the span of its nearest ancestor with one in the same buffer. */
function checkTree(n: ExplainNode, spans: ByteSpans, ancestors: NodeSpan[] = []): number {
  let count = 0;
  const s = n.span;
  if (s !== undefined) {
    count++;
    const size = spans.buffers[s.buffer]?.bytes.length;
    expect(size, `buffer of ${n.label}`).toBeDefined();
    expect(s.offset).toBeGreaterThanOrEqual(0);
    expect(s.offset + s.length).toBeLessThanOrEqual(size!);
    expect(s.valueOffset).toBeGreaterThanOrEqual(s.offset);
    expect(s.valueOffset + s.valueLength).toBeLessThanOrEqual(s.offset + s.length);
    const parent = [...ancestors].reverse().find((a) => a.buffer === s.buffer);
    if (parent !== undefined) {
      expect(s.offset, `${n.label} inside its parent`).toBeGreaterThanOrEqual(parent.offset);
      expect(s.offset + s.length, `${n.label} inside its parent`).toBeLessThanOrEqual(
        parent.offset + parent.length,
      );
    }
  }
  const below = s === undefined ? ancestors : [...ancestors, s];
  for (const c of n.children ?? []) count += checkTree(c, spans, below);
  return count;
}

describe('spans of any explanation', () => {
  it('the recording: every span inside its buffer and its parent', () => {
    for (const x of recording.exchanges)
      for (const hex of [x.request, x.reply]) {
        const { tree, spans } = explained(fromHex(hex));
        expect(checkTree(tree, spans)).toBeGreaterThan(5);
        for (const b of spans.buffers.slice(1)) {
          const f = b.from!;
          expect(f.offset + f.length).toBeLessThanOrEqual(spans.buffers[f.buffer]!.bytes.length);
        }
      }
  });

  const messages = recording.exchanges.flatMap((x) => [fromHex(x.request), fromHex(x.reply)]);
  it('mutated recordings: explained without throwing (but KerberosError), spans in bounds and nested', () => {
    const mutated = fc
      .record({
        m: fc.constantFrom(...messages),
        at: fc.nat(),
        xor: fc.integer({ min: 1, max: 255 }),
        cut: fc.boolean(),
      })
      .map(({ m, at, xor, cut }) => {
        const i = at % m.length;
        if (cut) return m.slice(0, i);
        const b = m.slice();
        b[i]! ^= xor;
        return b;
      });
    fc.assert(
      fc.property(mutated, (b) => {
        let r: { tree: ExplainNode; spans: ByteSpans };
        try {
          r = explained(b);
        } catch (e) {
          expect(e).toBeInstanceOf(KerberosError);
          return;
        }
        checkTree(r.tree, r.spans);
      }),
      { numRuns: 200 },
    );
  });
});
