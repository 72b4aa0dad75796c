/**
 * Records the demo that `tskrb demo` replays: AS for the Samba front service, S4U2Self for alice, S4U2Proxy to the
 * back end, and a refused S4U2Proxy, with the exact request and reply bytes and the lab keys that open them.
 * Run with RECORD_DEMO=1 against the Samba lab; it rewrites src/cli/demo/s4u-recording.json.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeAsRep } from '../../src/asn1/index.js';
import type { DemoExchange, DemoKey, DemoRecording } from '../../src/cli/demo/recording.js';
import { parseRecording } from '../../src/cli/demo/recording.js';
import { replayRecording } from '../../src/cli/demo/story.js';
import { s4u2proxy, s4u2self } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { enctypeName, type Key } from '../../src/crypto/index.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import type { SendOptions, SendResult, Transport } from '../../src/transport/index.js';
import { toHex } from '../../src/util/bytes.js';
import { type LabInfo, type LabPrincipal, labKeys, labTransport, sambaLab } from '../helpers/lab.js';

const OUT = new URL('../../src/cli/demo/s4u-recording.json', import.meta.url).pathname;
const record = process.env['RECORD_DEMO'] === '1';

/** A transport that keeps every request and reply it carried, in order. */
class RecordingTransport implements Transport {
  readonly pairs: { request: Uint8Array; reply: Uint8Array; kdc: string }[] = [];
  constructor(private readonly inner: Transport) {}
  async send(realm: string, request: Uint8Array, opts?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, request, opts)).reply;
  }
  async sendDetailed(realm: string, request: Uint8Array, opts?: SendOptions): Promise<SendResult> {
    const r = await this.inner.sendDetailed(realm, request, opts);
    this.pairs.push({ request: request.slice(), reply: r.reply.slice(), kdc: `${r.kdc.host}:${r.kdc.port}` });
    return r;
  }
}

function demoKey(k: Key, note: string, principal?: string): DemoKey {
  return { etype: k.etype, hex: toHex(k.bytes), note, ...(principal ? { principal } : {}) };
}

function keyFor(p: LabPrincipal, etype: number): Key {
  const k = labKeys(p).find((x) => x.etype === etype);
  if (!k) throw new Error(`${p.principal} has no etype ${etype} key`);
  return k;
}

describe.skipIf(!record || !sambaLab)(
  `record the demo from the Samba lab${record ? '' : ' (set RECORD_DEMO=1 to record)'}${sambaLab ? '' : ' (lab not running)'}`,
  () => {
    const L = sambaLab as LabInfo;
    it('Samba: AS, S4U2Self, S4U2Proxy and a refused S4U2Proxy, written as the shipped recording', async () => {
      const t = new RecordingTransport(labTransport(L));
      const client = new KdcClient({ realm: L.realm, transport: t });
      const front = L.principals['websvc']!;
      const back = L.principals['filesvc']!;
      const krbtgt: LabPrincipal = {
        name: 'krbtgt',
        realm: L.realm,
        principal: `krbtgt/${L.realm}@${L.realm}`,
        password: '',
        keytab: (L['krbtgt'] as { keytab: string }).keytab,
      };

      const session = await client.login({
        principal: front.principal,
        keys: labKeys(front),
        forwardable: true,
      });
      const as = t.pairs.at(-1)!;
      const tgt = session.tgt;
      const self = await s4u2self(client, tgt, 'alice', { serviceKeys: labKeys(front) });
      const proxy = await s4u2proxy(client, tgt, self, 'cifs/file.samba.test', {
        serviceKeys: labKeys(back),
      });
      const refused = await s4u2proxy(client, tgt, self, 'cifs/rbcdback.samba.test').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(KdcError);
      expect((refused as KdcError).codeName).toBe('KDC_ERR_BADOPTION');
      const [selfPair, proxyPair, refusedPair] = t.pairs.slice(-3);

      const asEtype = tgt.sessionKey.etype;
      // The AS reply is encrypted in the websvc key the KDC chose; the S4U2Self ticket in the same account's key.
      const frontKey = keyFor(front, decodeAsRep(as.reply).encPart.etype);
      const replyEtype = self.credential.ticket.encPart.etype;
      const keys: Record<string, DemoKey> = {
        krbtgt: demoKey(
          keyFor(krbtgt, tgt.ticket.encPart.etype),
          `long-term key of krbtgt/${L.realm} (opens the TGT, checks the PAC KDC signatures)`,
          `krbtgt/${L.realm}@${L.realm}`,
        ),
        websvc: demoKey(
          frontKey,
          `long-term key of ${front.principal} (HTTP/web.samba.test), from its keytab`,
          front.principal,
        ),
        filesvc: demoKey(
          keyFor(back, proxy.ticket.encPart.etype),
          `long-term key of ${back.principal} (cifs/file.samba.test), from its keytab`,
          back.principal,
        ),
        'tgt-session': demoKey(tgt.sessionKey, `session key of websvc's TGT (${enctypeName(asEtype)})`),
        'subkey-self': demoKey(
          self.subkey!,
          'subkey of the S4U2Self authenticator: the reply is encrypted in it',
        ),
        'subkey-proxy': demoKey(
          proxy.subkey!,
          'subkey of the S4U2Proxy authenticator: the reply is encrypted in it',
        ),
      };
      expect(replyEtype).toBe(frontKey.etype);
      const ex = (
        pair: { request: Uint8Array; reply: Uint8Array },
        e: Omit<DemoExchange, 'request' | 'reply'>,
      ): DemoExchange => ({ ...e, request: toHex(pair.request), reply: toHex(pair.reply) });
      const rec: DemoRecording = {
        realm: L.realm,
        kdc: as.kdc,
        recordedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        keys,
        exchanges: [
          ex(as, {
            step: 'AS',
            title: 'websvc logs in with its keytab key and gets a forwardable TGT',
            replyKey: 'websvc',
            replyUsage: 3,
            ticketKey: 'krbtgt',
            notes: [
              'The KDC first answered KDC_ERR_PREAUTH_REQUIRED with ETYPE-INFO2; this is the second AS-REQ, with PA-ENC-TIMESTAMP made with the keytab key.',
              'forwardable is asked for: the S4U2Self ticket can only be forwardable if the TGT is.',
              "The TGT carries websvc's own PAC (S-1-18-1: the KDC authenticated it).",
            ],
          }),
          ex(selfPair!, {
            step: 'S4U2Self',
            title: "websvc asks for a ticket to itself in alice's name (protocol transition)",
            replyKey: 'subkey-self',
            replyUsage: 9,
            ticketKey: 'websvc',
            notes: [
              'alice never authenticated: websvc names her in PA-FOR-USER (HMAC-MD5 checksum with the TGT session key, usage 17) and PA-S4U-X509-USER (bound to the request nonce).',
              'Samba does not echo PA-S4U-X509-USER in its reply (MIT does, signed with usage 27), so the reply is bound by nonce and subkey only.',
              `The ticket is forwardable because websvc has TrustedToAuthForDelegation (samba-tool delegation for-any-protocol): ${self.forwardable}.`,
              'Its PAC says S-1-18-2, service asserted identity: a service vouched for alice, not her password.',
            ],
          }),
          ex(proxyPair!, {
            step: 'S4U2Proxy',
            title:
              'websvc presents that ticket as evidence and gets a ticket to cifs/file.samba.test as alice',
            replyKey: 'subkey-proxy',
            replyUsage: 9,
            ticketKey: 'filesvc',
            notes: [
              'cname-in-addl-tkt tells the KDC to take the client from the additional ticket (the S4U2Self evidence).',
              'PA-PAC-OPTIONS asks for resource-based constrained delegation; this KDC grants it by msDS-AllowedToDelegateTo (classic constrained delegation) instead.',
              `S4U_DELEGATION_INFO in the new ticket's PAC names the front service: ${proxy.delegationPath.join(', ')}.`,
            ],
          }),
          ex(refusedPair!, {
            step: 'S4U2Proxy',
            title: 'websvc tries cifs/rbcdback.samba.test, which is not in its list, and is refused',
            replyKey: 'tgt-session',
            replyUsage: 9,
            notes: [
              'websvc may delegate only to cifs/file.samba.test, and rbcdback grants resource-based delegation to rbcdfront, not websvc: the KDC answers KDC_ERR_BADOPTION.',
            ],
          }),
        ],
      };
      const parsed = parseRecording(JSON.parse(JSON.stringify(rec)));
      const replay = replayRecording(parsed);
      expect(replay.steps).toHaveLength(4);
      writeFileSync(OUT, `${JSON.stringify(rec, null, 2)}\n`);
    });
  },
);
