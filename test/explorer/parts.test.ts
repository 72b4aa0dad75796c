/**
 * The explorer's parts (explorer/parts.ts) outside the browser: each part's buffers are the bytes its spans point
 * into (a text input decoded, a captured record, the demo's plaintexts), and its nodes carry spans into them.
 */
import { describe, expect, it } from 'vitest';
import { demoShown, explainInput, type Part } from '../../explorer/parts.js';
import { decodeTop, readKerberosString } from '../../src/asn1/der.js';
import { decodeTgsReq } from '../../src/asn1/index.js';
import { shippedRecording } from '../../src/cli/demo/recording.js';
import { Keyring } from '../../src/explain/index.js';
import { fromHex, toHex, utf8 } from '../../src/util/bytes.js';
import { s4u2SelfExchange } from '../cli/fixtures.js';
import { ethernet, ipv4, pcapFile, record, tcp, udp } from '../pcap/fixtures.js';

/** The `realm` node of a TGS-REQ part's req-body, and the realm read from its span. */
function realmOf(p: Part): string {
  const body = p.tree.children!.find((c) => c.label === 'req-body')!;
  const s = body.children!.find((c) => c.label === 'realm')!.span!;
  const b = p.buffers[s.buffer]!.bytes;
  return decodeTop(b.subarray(s.valueOffset, s.valueOffset + s.valueLength), 'realm', readKerberosString);
}

describe('explorer parts', () => {
  const self = s4u2SelfExchange();

  it('hex text: the buffer is the decoded message, and its nodes span it', () => {
    const [p] = explainInput(utf8(toHex(self.request)), new Keyring()).parts;
    expect(p!.title).toBe('TGS-REQ');
    expect(p!.buffers.map((b) => b.label)).toEqual(['input']);
    expect(p!.buffers[0]!.bytes).toEqual(self.request);
    expect(realmOf(p!)).toBe(decodeTgsReq(self.request).reqBody.realm);
  });

  it('a TCP record (4-byte length first): the buffer is the message without the prefix', () => {
    const [p] = explainInput(record(self.request), new Keyring()).parts;
    expect(p!.buffers[0]!.bytes).toEqual(self.request);
    expect(realmOf(p!)).toBe(decodeTgsReq(self.request).reqBody.realm);
  });

  it('a capture: each record decoded again with spans, its buffer the record', () => {
    const frame = (src: string, dst: string, proto: number, payload: Uint8Array) =>
      ethernet(0x0800, ipv4(src, dst, proto, payload));
    const capture = pcapFile({
      little: true,
      nano: false,
      linkType: 1,
      packets: [
        frame('10.0.0.5', '10.0.0.1', 17, udp(50000, 88, self.request)),
        frame('10.0.0.1', '10.0.0.5', 6, tcp(21088, 40000, 1, 0x18, record(self.reply))),
      ].map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data })),
    });
    const s = explainInput(capture, new Keyring());
    expect(s.parts).toHaveLength(2);
    expect(s.parts[0]!.buffers[0]!.bytes).toEqual(self.request);
    expect(realmOf(s.parts[0]!)).toBe(decodeTgsReq(self.request).reqBody.realm);
    for (const p of s.parts) expect(p.nodes.length).toBeGreaterThan(5);
  });

  it('the demo with its keys: each plaintext a buffer of its own, with its DER elements', () => {
    const ring = new Keyring();
    for (const k of Object.values(shippedRecording()!.keys)) ring.add(k.etype, fromHex(k.hex), k.note);
    const s = demoShown(ring);
    expect(s.parts).toHaveLength(8);
    for (const p of s.parts) {
      expect(p.buffers[0]!.label).toBe('input');
      expect(p.der).toHaveLength(p.buffers.length);
      for (const [i, b] of p.buffers.entries()) {
        if (i > 0) expect(b.label).toMatch(/^plaintext of /);
        // Each buffer is one DER element, spanning all of it.
        expect(p.der[i]!.map((e) => [e.start, e.end])).toEqual([[0, b.bytes.length]]);
      }
    }
    // All but the last reply (a KRB-ERROR) have something encrypted that the keys open.
    expect(s.parts.filter((p) => p.buffers.length > 1)).toHaveLength(7);
  });
});
