/**
 * Parity with MIT: the S4U2Self and S4U2Proxy TGS-REQs of MIT `kvno -U alice -P cifs/file.mit.test` (run as the web
 * service after `kinit -k`) and of tskrb's DelegationClient, both captured by a loopback recording proxy in front of
 * the MIT lab KDC and decoded with src/asn1.
 *
 * MIT 1.20 armors its TGS requests with FAST (PA-FX-FAST, padata 136) when the KDC offers it; tskrb does not yet
 * (the FAST issue). The test opens MIT's armor (implicit TGS armor: KRB-FX-CF2 of the authenticator subkey and the
 * TGT session key, RFC 6113 5.4.1.1; the TGT session key comes from kinit's ccache) and compares padata types and
 * KDC options with PA-FX-FAST left out: outside the armor, inside it, and their union.
 *
 * Seen on MIT 1.20.1: S4U2Self outer padata PA-TGS-REQ, PA-S4U-X509-USER, PA-FOR-USER (tskrb: PA-FOR-USER before
 * PA-S4U-X509-USER; order carries no meaning to a KDC, so sets are compared), both S4U padata repeated inside the
 * armor; S4U2Proxy outer PA-TGS-REQ, PA-PAC-OPTIONS, the latter repeated inside. Options differ only in `renewable`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeApReq,
  decodeAuthenticator,
  decodeKrbFastReq,
  decodePaFxFastRequest,
  decodeTgsReq,
  type KdcOptions,
  PaDataType,
  type TgsReq,
} from '../../src/asn1/index.js';
import { credentialFromCcache } from '../../src/client/ccache-bridge.js';
import { parseCcache } from '../../src/creds/index.js';
import { cf2, decrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import type { Credential } from '../../src/messages/credential.js';
import { DelegationClient } from '../../src/s4u/delegation-client.js';
import { KdcTransport } from '../../src/transport/index.js';
import { type FakeKdc, startFakeKdc } from '../helpers/fake-kdc.js';
import { labKeys, mitLab } from '../helpers/lab.js';

const run = promisify(execFile);
const lab = mitLab;
const TGS_REQ_TAG = 0x6c;

/** What the parity compares of one TGS-REQ. */
interface Seen {
  /** Outer padata types, in order, PA-FX-FAST left out. */
  outer: number[];
  /** Padata types inside the FAST armor (empty when not armored). */
  inner: number[];
  armored: boolean;
  /** Set KDC options, sorted (the inner req-body's when armored). */
  options: string[];
  sname: string;
  additionalTickets: number;
  /** Enctypes asked for, in order. */
  etypes: number[];
}

const setOptions = (o: KdcOptions): string[] =>
  Object.entries(o)
    .filter(([, v]) => v === true)
    .map(([k]) => k)
    .sort();

/** Decodes a TGS-REQ, opening its FAST armor with `tgtSessionKey` when it has one. */
function see(bytes: Uint8Array, tgtSessionKey: Key | undefined): Seen {
  const req: TgsReq = decodeTgsReq(bytes);
  const padata = req.padata ?? [];
  const fast = padata.find((p) => p.padataType === PaDataType.FX_FAST);
  let inner: number[] = [];
  let body = req.reqBody;
  if (fast) {
    if (!tgtSessionKey) throw new Error('an armored request needs the TGT session key to open');
    const apReq = decodeApReq(padata.find((p) => p.padataType === PaDataType.TGS_REQ)!.padataValue);
    const auth = decodeAuthenticator(
      decrypt(tgtSessionKey, KeyUsage.TgsReqAuthenticator, apReq.authenticator.cipher),
    );
    const subkey = new Key(auth.subkey!.keytype, auth.subkey!.keyvalue);
    const armorKey = cf2(subkey, tgtSessionKey, 'subkeyarmor', 'ticketarmor');
    const armored = decodePaFxFastRequest(fast.padataValue).armoredData;
    const fastReq = decodeKrbFastReq(decrypt(armorKey, KeyUsage.FastEnc, armored.encFastReq.cipher));
    inner = fastReq.padata.map((p) => p.padataType);
    body = fastReq.reqBody;
  }
  return {
    outer: padata.map((p) => p.padataType).filter((t) => t !== PaDataType.FX_FAST),
    inner,
    armored: fast !== undefined,
    options: setOptions(body.kdcOptions),
    sname: body.sname?.nameString.join('/') ?? '',
    additionalTickets: body.additionalTickets?.length ?? 0,
    etypes: [...body.etype],
  };
}

const union = (s: Seen): number[] => [...new Set([...s.outer, ...s.inner])].sort((a, b) => a - b);

describe.skipIf(!lab)(
  `MIT parity: S4U TGS-REQs of kvno -U -P and tskrb${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = lab!;
    const web = L.principals['web']!;
    let proxy: FakeKdc;
    let mitTgt: Credential;
    let mit: Seen[] = [];
    let tskrbOwnTgt: Seen[] = [];
    let tskrbMitTgt: Seen[] = [];

    beforeAll(async () => {
      proxy = await startFakeKdc({ udp: { kind: 'proxy', ...L.kdc }, tcp: { kind: 'proxy', ...L.kdc } });
      const dir = mkdtempSync(join(tmpdir(), 'tskrb-s4u-parity-'));
      const conf = join(dir, 'krb5.conf');
      writeFileSync(
        conf,
        readFileSync(L.krb5Conf, 'utf8').replace(`kdc = ${L.kdcs[0]}`, `kdc = ${proxy.address}`),
      );
      const cc = join(dir, 'cc');
      const env = { ...process.env, ...L.env, KRB5_CONFIG: conf, KRB5CCNAME: `FILE:${cc}` };
      // Asynchronous child processes: the recording proxy runs on this process's event loop.
      await run('kinit', ['-k', '-t', web.keytab!, web.principal], { env });
      const ccache = parseCcache(new Uint8Array(readFileSync(cc)));
      const tgtRecord = ccache.credentials.find((c) => c.server.components[0] === 'krbtgt')!;
      mitTgt = credentialFromCcache(tgtRecord);
      const mark = proxy.requests.length;
      await run('kvno', ['-U', 'alice', '-P', 'cifs/file.mit.test'], { env });
      const tgs = (from: number, to: number) =>
        proxy.requests.slice(from, to).filter((r) => r.bytes[0] === TGS_REQ_TAG);
      mit = tgs(mark, proxy.requests.length).map((r) => see(r.bytes, mitTgt.sessionKey));

      const transport = new KdcTransport({ kdcs: { [L.realm]: [proxy.address] } });
      const m1 = proxy.requests.length;
      await new DelegationClient({
        service: web.principal,
        realm: L.realm,
        transport,
        keys: labKeys(web),
      }).s4u2proxy('alice', 'cifs/file.mit.test');
      tskrbOwnTgt = tgs(m1, proxy.requests.length).map((r) => see(r.bytes, undefined));
      const m2 = proxy.requests.length;
      await new DelegationClient({
        service: web.principal,
        realm: L.realm,
        transport,
        credential: mitTgt,
      }).s4u2proxy('alice', 'cifs/file.mit.test');
      tskrbMitTgt = tgs(m2, proxy.requests.length).map((r) => see(r.bytes, undefined));
    });

    afterAll(async () => {
      await proxy?.close();
    });

    it('MIT kvno -U -P sends two TGS-REQs, S4U2Self then S4U2Proxy, armored with FAST', () => {
      expect(mit.map((s) => s.sname)).toEqual(['HTTP/web.mit.test', 'cifs/file.mit.test']);
      expect(mit.map((s) => s.armored)).toEqual([true, true]);
      expect(mit[1]!.additionalTickets).toBe(1);
    });

    it('tskrb sends the same two TGS-REQs, unarmored (no FAST yet)', () => {
      for (const t of [tskrbOwnTgt, tskrbMitTgt]) {
        expect(t.map((s) => s.sname)).toEqual(['HTTP/web.mit.test', 'cifs/file.mit.test']);
        expect(t.map((s) => s.armored)).toEqual([false, false]);
        expect(t[1]!.additionalTickets).toBe(1);
      }
    });

    it.each([
      { step: 'S4U2Self', i: 0 },
      { step: 'S4U2Proxy', i: 1 },
    ])(
      '$step: the same padata types as MIT (outside and inside its FAST armor), PA-FX-FAST aside',
      ({ i }) => {
        const m = mit[i]!;
        for (const t of [tskrbOwnTgt[i]!, tskrbMitTgt[i]!]) {
          expect(union(t)).toEqual(union(m));
          // MIT keeps the S4U padata outside the armor too (so a KDC that does not open FAST still sees them):
          // unarmored, tskrb's outer padata is that same set.
          expect([...t.outer].sort()).toEqual([...m.outer].sort());
        }
      },
    );

    it.each([
      { step: 'S4U2Self', i: 0 },
      { step: 'S4U2Proxy', i: 1 },
    ])(
      '$step: the same KDC options as MIT but `renewable`, which MIT copies from a renewable TGT',
      ({ i }) => {
        // MIT's TGS request carries the TGT's forwardable/proxiable/may-postdate/renewable flags as options
        // (KDC_TKT_COMMON_MASK in get_creds.c); tskrb's S4U requests ask for forwardable only. kinit's TGT is
        // renewable here, so MIT also asks for `renewable`: the one known difference (reported to the s4u layer;
        // when it copies the flag as MIT does, KNOWN_GAP becomes empty for the run with kinit's TGT).
        expect(mitTgt.flags.renewable).toBe(true);
        const KNOWN_GAP = ['renewable'];
        for (const t of [tskrbOwnTgt[i]!, tskrbMitTgt[i]!]) {
          expect(mit[i]!.options.filter((o) => !t.options.includes(o))).toEqual(KNOWN_GAP);
          expect(t.options.filter((o) => !mit[i]!.options.includes(o))).toEqual([]);
        }
      },
    );

    it.each([
      { step: 'S4U2Self', i: 0 },
      { step: 'S4U2Proxy', i: 1 },
    ])('$step: the same enctypes, in the same order, as MIT with the lab krb5.conf', ({ i }) => {
      expect(tskrbOwnTgt[i]!.etypes).toEqual(mit[i]!.etypes);
    });
  },
);
