/**
 * Why the retry schedule may send the same request bytes again (src/transport/kdc-send.ts): against both lab KDCs,
 * every TGS-REQ of an S4U2Self + S4U2Proxy flow is sent twice, byte for byte, over UDP and over TCP, and the flow
 * goes on with the reply to the second copy, which the client validates in full (nonce, enc-part, names).
 * MIT answers the repeat from its lookaside cache (the same reply bytes); Samba (Heimdal) serves it afresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KdcClient, s4u2proxy, s4u2self } from '../../src/client/index.js';
import {
  KdcTransport,
  type SendOptions,
  type SendResult,
  type Transport,
} from '../../src/transport/index.js';
import { activeResources, leakedSince } from '../helpers/fake-kdc.js';
import { type LabInfo, labKeys, mitLab, sambaLab } from '../helpers/lab.js';

const TGS_REQ = 0x6c;
const TGS_REP = 0x6d;

/** Sends every TGS-REQ twice over one protocol and hands the client the reply to the second copy. */
class TwiceTransport implements Transport {
  readonly pairs: { request: Uint8Array; first: Uint8Array; second: Uint8Array }[] = [];
  constructor(
    private readonly inner: KdcTransport,
    private readonly protocol: 'udp' | 'tcp',
  ) {}
  /** Relays; TGS-REQs go twice. */
  async sendDetailed(realm: string, request: Uint8Array, opts: SendOptions = {}): Promise<SendResult> {
    const o = { ...opts, protocol: this.protocol };
    if (request[0] !== TGS_REQ) return this.inner.sendDetailed(realm, request, o);
    const first = await this.inner.sendDetailed(realm, request, o);
    const second = await this.inner.sendDetailed(realm, request, o);
    this.pairs.push({ request, first: first.reply, second: second.reply });
    return second;
  }
  /** The reply bytes only. */
  async send(realm: string, request: Uint8Array, opts?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, request, opts)).reply;
  }
}

interface Case {
  kdc: string;
  lab: LabInfo | undefined;
  front: string;
  user: string;
  target: string;
  /** MIT: the lookaside cache answers the repeat with the very same bytes. */
  sameBytes: boolean;
}

const CASES: Case[] = [
  { kdc: 'MIT', lab: mitLab, front: 'web', user: 'alice', target: 'cifs/file.mit.test', sameBytes: true },
  {
    kdc: 'Samba',
    lab: sambaLab,
    front: 'websvc',
    user: 'alice',
    target: 'cifs/file.samba.test',
    sameBytes: false,
  },
];

describe.each(CASES.map((c) => [c.kdc, c] as const))(
  '%s: the same TGS-REQ bytes sent twice are answered twice',
  (_, c) => {
    let before: Record<string, number>;
    beforeAll(async () => {
      before = await activeResources();
    });
    afterAll(async () => {
      expect(await leakedSince(before)).toEqual({});
    });

    it.skipIf(!c.lab).each(['udp', 'tcp'] as const)(
      `${c.kdc}: S4U2Self then S4U2Proxy, every TGS-REQ sent twice over %s: two TGS-REPs, the second good`,
      async (protocol) => {
        const lab = c.lab!;
        const front = lab.principals[c.front]!;
        const inner = new KdcTransport({ kdcs: { [lab.realm]: lab.kdcs } });
        const twice = new TwiceTransport(inner, protocol);
        const client = new KdcClient({ realm: lab.realm, transport: twice });
        const s = await client.login({ principal: front.principal, keys: labKeys(front), forwardable: true });
        const self = await s4u2self(client, s.tgt, c.user);
        const proxy = await s4u2proxy(client, s.tgt, self, c.target);
        expect(proxy.credential.client.name.nameString).toEqual([c.user]);
        expect(twice.pairs).toHaveLength(2);
        for (const p of twice.pairs) {
          expect([p.first[0], p.second[0]]).toEqual([TGS_REP, TGS_REP]);
          expect(Buffer.from(p.first).equals(Buffer.from(p.second))).toBe(c.sameBytes);
        }
      },
    );
  },
);
