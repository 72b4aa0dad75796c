/**
 * Capture for the S4U parity tests: MIT `kvno -U <user> -P <target>` (after `kinit -k` as the front service) and
 * tskrb's DelegationClient (unarmored, and with FAST required), all through a loopback recording proxy in front of a lab KDC, their TGS-REQs decoded
 * with src/asn1. MIT armors TGS requests with FAST when the KDC offers it; the armor is opened (implicit TGS armor:
 * KRB-FX-CF2 of the authenticator subkey and the TGT session key, RFC 6113 5.4.1.1; the TGT session key comes from
 * kinit's ccache) so the padata and options inside it can be compared too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  decodeApReq,
  decodeAuthenticator,
  decodeKrbFastReq,
  decodePaFxFastRequest,
  decodeTgsReq,
  type KdcOptions,
  PaDataType,
} from '../../src/asn1/index.js';
import { credentialFromCcache } from '../../src/client/index.js';
import { parseCcache } from '../../src/creds/index.js';
import { cf2, decrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import { DelegationClient } from '../../src/delegation/delegation-client.js';
import type { Credential } from '../../src/messages/credential.js';
import { KdcTransport } from '../../src/transport/index.js';
import { startFakeKdc } from '../helpers/fake-kdc.js';
import { type LabInfo, type LabPrincipal, labKeys } from '../helpers/lab.js';

const run = promisify(execFile);
const TGS_REQ_TAG = 0x6c;

/** What the parity compares of one TGS-REQ. */
export interface Seen {
  /** Outer padata types, in order, PA-FX-FAST left out. */
  readonly outer: number[];
  /** Padata types inside the FAST armor (empty when not armored). */
  readonly inner: number[];
  readonly armored: boolean;
  /** Set KDC options, sorted (the inner req-body's when armored). */
  readonly options: string[];
  readonly sname: string;
  readonly additionalTickets: number;
  /** Enctypes asked for, in order. */
  readonly etypes: number[];
}

/** The TGS-REQs of one capture run. */
export interface ParityCapture {
  /** kvno's S4U2Self and S4U2Proxy requests. */
  readonly mit: Seen[];
  /** tskrb's, with its own service TGT. */
  readonly tskrbOwnTgt: Seen[];
  /** tskrb's, with kinit's TGT (the same TGT kvno used). */
  readonly tskrbMitTgt: Seen[];
  /** tskrb's with FAST required (implicit TGT armor), with kinit's TGT so the armor can be opened. */
  readonly tskrbFast: Seen[];
  readonly mitTgt: Credential;
}

const setOptions = (o: KdcOptions): string[] =>
  Object.entries(o)
    .filter(([, v]) => v === true)
    .map(([k]) => k)
    .sort();

/** Decodes a TGS-REQ, opening its FAST armor with `tgtSessionKey` when it has one. */
export function seeTgsReq(bytes: Uint8Array, tgtSessionKey: Key | undefined): Seen {
  const req = decodeTgsReq(bytes);
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

/** Padata types outside and inside the armor, as a sorted set. */
export const padataUnion = (s: Seen): number[] =>
  [...new Set([...s.outer, ...s.inner])].sort((a, b) => a - b);

/** Runs kvno and tskrb for `front` delegating `user` to `target` through a recording proxy in front of `L`. */
export async function captureParity(
  L: LabInfo,
  front: LabPrincipal,
  user: string,
  target: string,
): Promise<ParityCapture> {
  const proxy = await startFakeKdc({ udp: { kind: 'proxy', ...L.kdc }, tcp: { kind: 'proxy', ...L.kdc } });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'tskrb-s4u-parity-'));
    const conf = join(dir, 'krb5.conf');
    writeFileSync(
      conf,
      readFileSync(L.krb5Conf, 'utf8').replace(`kdc = ${L.kdcs[0]}`, `kdc = ${proxy.address}`),
    );
    const cc = join(dir, 'cc');
    const env = { ...process.env, ...L.env, KRB5_CONFIG: conf, KRB5CCNAME: `FILE:${cc}` };
    // Asynchronous child processes: the recording proxy runs on this process's event loop.
    await run('kinit', ['-k', '-t', front.keytab!, front.principal], { env });
    const ccache = parseCcache(new Uint8Array(readFileSync(cc)));
    const mitTgt = credentialFromCcache(ccache.credentials.find((c) => c.server.components[0] === 'krbtgt')!);
    const tgs = (from: number) => proxy.requests.slice(from).filter((r) => r.bytes[0] === TGS_REQ_TAG);

    const m0 = proxy.requests.length;
    await run('kvno', ['-U', user, '-P', target], { env });
    const mit = tgs(m0).map((r) => seeTgsReq(r.bytes, mitTgt.sessionKey));

    const transport = new KdcTransport({ kdcs: { [L.realm]: [proxy.address] } });
    const base = { service: front.principal, realm: L.realm, transport };
    const m1 = proxy.requests.length;
    await new DelegationClient({ ...base, keys: labKeys(front) }).s4u2proxy(user, target);
    const tskrbOwnTgt = tgs(m1).map((r) => seeTgsReq(r.bytes, undefined));
    const m2 = proxy.requests.length;
    await new DelegationClient({ ...base, credential: mitTgt }).s4u2proxy(user, target);
    const tskrbMitTgt = tgs(m2).map((r) => seeTgsReq(r.bytes, undefined));
    const m3 = proxy.requests.length;
    await new DelegationClient({ ...base, credential: mitTgt, fast: 'required' }).s4u2proxy(user, target);
    const tskrbFast = tgs(m3).map((r) => seeTgsReq(r.bytes, mitTgt.sessionKey));
    return { mit, tskrbOwnTgt, tskrbMitTgt, tskrbFast, mitTgt };
  } finally {
    await proxy.close();
  }
}
