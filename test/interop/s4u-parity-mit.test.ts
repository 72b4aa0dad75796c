/**
 * Parity with MIT's client: the S4U2Self and S4U2Proxy TGS-REQs of tskrb and of `kvno -U alice -P cifs/…` (MIT
 * krb5 1.20), both captured by a loopback recording proxy in front of the MIT lab KDC, decoded and compared, with
 * a plain and with a renewable TGT (MIT copies `renewable` from the TGT into its S4U requests).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTgsReq, type KdcOptions, type TgsReq } from '../../src/asn1/index.js';
import { credentialToCcache, s4u2proxy, s4u2self } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { serializeCcache } from '../../src/creds/index.js';
import { KdcTransport } from '../../src/transport/index.js';
import { type FakeKdc, startFakeKdc } from '../helpers/fake-kdc.js';
import { labKeys, labOrStandIn, mitLab } from '../helpers/lab.js';

const lab = mitLab;
const TGS_REQ_TAG = 0x6c;

/** The facts of a TGS-REQ that parity is about. */
function shape(req: TgsReq) {
  const on = (o: Partial<KdcOptions>) =>
    Object.entries(o)
      .filter(([, v]) => v === true)
      .map(([k]) => k)
      .sort();
  return {
    padata: (req.padata ?? []).map((p) => p.padataType),
    kdcOptions: on(req.reqBody.kdcOptions),
    sname: req.reqBody.sname?.nameString.join('/'),
    additionalTickets: req.reqBody.additionalTickets?.length ?? 0,
    rtime: req.reqBody.rtime?.toISOString(),
  };
}

describe.skipIf(!lab)(
  `MIT parity: tskrb and kvno -U -P send the same S4U requests${lab ? '' : ' (lab not running)'}`,
  () => {
    const L = labOrStandIn(lab);
    const web = () => L.principals['web']!;
    let proxy: FakeKdc;
    beforeAll(async () => {
      const up = { kind: 'proxy' as const, host: L.kdc.host, port: L.kdc.port };
      proxy = await startFakeKdc({ udp: up, tcp: up });
    });
    afterAll(async () => proxy.close());

    const tgsReqs = (from: number) =>
      proxy.requests
        .slice(from)
        .filter((r) => r.bytes[0] === TGS_REQ_TAG)
        .map((r) => shape(decodeTgsReq(r.bytes)));

    /** tskrb's and kvno's S4U2Self and S4U2Proxy requests, with one TGT (renewable when `renewableSec`). */
    async function capture(renewableSec?: number) {
      const transport = new KdcTransport({ kdcs: { [L.realm]: [proxy.address] }, attemptTimeoutMs: 3000 });
      const client = new KdcClient({ realm: L.realm, transport });
      const s = await client.login({
        principal: web().principal,
        keys: labKeys(web()),
        forwardable: true,
        ...(renewableSec ? { renewableSec } : {}),
      });

      const before = proxy.requests.length;
      const self = await s4u2self(client, s.tgt, 'alice');
      await s4u2proxy(client, s.tgt, self, 'cifs/file.mit.test');
      const ours = tgsReqs(before);

      // MIT's kvno with the same TGT, written by tskrb (no fast_avail entry: MIT does not armor its TGS requests).
      const dir = mkdtempSync(join(tmpdir(), 'tskrb-parity-'));
      const cc = join(dir, 'cc');
      const cred = credentialToCcache(s.tgt);
      writeFileSync(
        cc,
        serializeCcache({
          version: 0x0504,
          otherHeaderFields: [],
          defaultPrincipal: cred.client,
          credentials: [cred],
        }),
      );
      const conf = join(dir, 'krb5.conf');
      writeFileSync(
        conf,
        readFileSync(L.krb5Conf, 'utf8').replace(`kdc = ${L.kdcs[0]!}`, `kdc = ${proxy.address}`),
      );
      const mark = proxy.requests.length;
      // Asynchronously: the recording proxy runs in this process.
      await promisify(execFile)('kvno', ['-U', 'alice', '-P', 'cifs/file.mit.test'], {
        env: { ...process.env, KRB5_CONFIG: conf, KRB5CCNAME: `FILE:${cc}` },
        encoding: 'utf8',
      });
      return { ours, mits: tgsReqs(mark), tgt: s.tgt, self };
    }

    // MIT armors its TGS-REQs with FAST (padata 136) once the KDC offers it; tskrb does when asked (FAST helper).
    const withoutFast = (t: number[]) => t.filter((x) => x !== 136).sort((a, b) => a - b);

    it('MIT parity: same padata types, KDC options, sname and evidence for S4U2Self and S4U2Proxy', async () => {
      const { ours, mits } = await capture();
      // Two TGS-REQs each: S4U2Self, then S4U2Proxy.
      expect(ours.map((r) => r.sname)).toEqual(['HTTP/web.mit.test', 'cifs/file.mit.test']);
      expect(mits.map((r) => r.sname)).toEqual(ours.map((r) => r.sname));
      // Everything else matches: the padata types (in any order), the KDC options and the evidence ticket.
      for (let i = 0; i < 2; i++) {
        expect(withoutFast(mits[i]!.padata)).toEqual(withoutFast(ours[i]!.padata));
        expect(mits[i]!.kdcOptions).toEqual(ours[i]!.kdcOptions);
        expect(mits[i]!.additionalTickets).toBe(ours[i]!.additionalTickets);
      }
      expect(withoutFast(ours[0]!.padata)).toEqual([1, 129, 130]);
      expect(ours[0]!.kdcOptions).toEqual(['canonicalize', 'forwardable']);
      expect(withoutFast(ours[1]!.padata)).toEqual([1, 167]);
      expect(ours[1]!.kdcOptions).toEqual(['canonicalize', 'cnameInAddlTkt', 'forwardable']);
    });

    it('MIT parity with a renewable TGT (kinit -r): both ask renewable in S4U2Self and S4U2Proxy', async () => {
      const { ours, mits, tgt, self } = await capture(7 * 86_400);
      expect(tgt.flags.renewable).toBe(true);
      expect(mits.map((r) => r.sname)).toEqual(['HTTP/web.mit.test', 'cifs/file.mit.test']);
      for (let i = 0; i < 2; i++) {
        expect(withoutFast(mits[i]!.padata)).toEqual(withoutFast(ours[i]!.padata));
        expect(mits[i]!.kdcOptions).toEqual(ours[i]!.kdcOptions);
        expect(ours[i]!.rtime).toBe(tgt.renewTill?.toISOString());
      }
      expect(ours[0]!.kdcOptions).toEqual(['canonicalize', 'forwardable', 'renewable']);
      expect(ours[1]!.kdcOptions).toEqual(['canonicalize', 'cnameInAddlTkt', 'forwardable', 'renewable']);
      // The one difference: kvno leaves rtime out (the KDC then caps at the TGT's renew-till); tskrb asks for
      // that renew-till explicitly, which Heimdal-based KDCs (Samba) need to issue a renewable ticket.
      expect(mits.map((r) => r.rtime)).toEqual([undefined, undefined]);
      expect(self.credential.flags.renewable).toBe(true);
    });
  },
);
