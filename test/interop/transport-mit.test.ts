// The transport against the real MIT lab KDCs: an AS-REQ captured from MIT kinit (via the fake KDC acting
// as a recorder) is sent over UDP and TCP, through krb5.conf, and after failing over from faulty KDCs.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KdcTransport, transportFromKrb5Conf } from '../../src/transport/kdc-transport.js';
import { peekKrbErrorCode } from '../../src/transport/krb-error-peek.js';
import { loadKrb5Conf } from '../../src/transport/krb5conf-file.js';
import { activeResources, type FakeKdc, leakedSince, startFakeKdc } from '../helpers/fake-kdc.js';

interface MitLab {
  krb5Conf: string;
  realm: string;
  kdcs: string[];
  tools: Record<'kinit', string>;
  realms: Record<string, { kdcs: string[] }>;
  principals: Record<string, { principal: string }>;
}

const labRoot = process.env['TSKRB_LAB_DIR'] ?? fileURLToPath(new URL('../../.lab', import.meta.url));
const labFile = join(labRoot, 'mit.json');
const lab: MitLab | undefined = existsSync(labFile)
  ? (JSON.parse(readFileSync(labFile, 'utf8')) as MitLab)
  : undefined;

// RFC 4120 7.5.9: KDC_ERR_PREAUTH_REQUIRED; the lab's users require pre-authentication.
const KDC_ERR_PREAUTH_REQUIRED = 25;

const title = lab
  ? 'MIT: tskrb transport against the lab KDCs'
  : `MIT: tskrb transport against the lab KDCs (lab not running: no ${labFile}; start it as root with npm run lab:up)`;

describe.skipIf(!lab)(title, () => {
  const l = lab as MitLab;
  const scratch = mkdtempSync(join(tmpdir(), 'tskrb-transport-mit-'));
  let asReq: Uint8Array;
  let before: Record<string, number>;
  const fakes: FakeKdc[] = [];

  beforeAll(async () => {
    before = await activeResources();
    // Point MIT kinit at a recording fake KDC to capture the exact AS-REQ it sends for alice.
    const recorder = await startFakeKdc({ name: 'recorder' });
    fakes.push(recorder);
    const conf = join(scratch, 'krb5.conf');
    writeFileSync(
      conf,
      `[libdefaults]\n default_realm = ${l.realm}\n dns_lookup_kdc = false\n[realms]\n ${l.realm} = {\n  kdc = ${recorder.address}\n }\n`,
    );
    const env = { ...process.env, KRB5_CONFIG: conf, KRB5CCNAME: `FILE:${join(scratch, 'cc')}` };
    // Asynchronous spawn: the recorder runs in this process and must keep answering while kinit runs.
    const child = spawn(l.tools.kinit, [l.principals['alice']!.principal], {
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdin.end('\n');
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).not.toBe(0);
    const first = recorder.requests[0];
    if (!first) throw new Error(`kinit sent nothing to the recorder: ${stderr}`);
    asReq = first.bytes;
  });

  afterAll(async () => {
    for (const f of fakes) await f.close();
    rmSync(scratch, { recursive: true, force: true });
    expect(await leakedSince(before)).toEqual({});
  });

  it('the captured request is an AS-REQ ([APPLICATION 10]) sent over UDP', () => {
    expect(asReq[0]).toBe(0x6a);
    expect(fakes[0]!.requests[0]!.proto).toBe('udp');
  });

  it.each(['udp', 'tcp'] as const)(
    'MIT: AS-REQ over %s gets KDC_ERR_PREAUTH_REQUIRED from the lab KDC',
    async (protocol) => {
      const t = new KdcTransport({ kdcs: { [l.realm]: l.kdcs } });
      const res = await t.sendDetailed(l.realm, asReq, { protocol });
      expect(res.kdc.proto).toBe(protocol);
      expect(`${res.kdc.host}:${res.kdc.port}`).toBe(l.kdcs[0]);
      expect(res.reply[0]).toBe(0x7e);
      expect(peekKrbErrorCode(res.reply)).toBe(KDC_ERR_PREAUTH_REQUIRED);
    },
  );

  it('MIT: KDCs from the lab krb5.conf (KRB5_CONFIG), including a realm on a non-default port', async () => {
    const t = transportFromKrb5Conf(loadKrb5Conf({ KRB5_CONFIG: l.krb5Conf }));
    const mit = await t.sendDetailed(l.realm, asReq);
    expect(peekKrbErrorCode(mit.reply)).toBe(KDC_ERR_PREAUTH_REQUIRED);
    const other = Object.keys(l.realms).find((r) => r !== l.realm && !l.realms[r]!.kdcs[0]!.endsWith(':88'));
    expect(other).toBeDefined();
    const res = await t.sendDetailed(other!, asReq);
    expect(`${res.kdc.host}:${res.kdc.port}`).toBe(l.realms[other!]!.kdcs[0]);
    // The request names another realm, so this KDC answers with a KRB-ERROR (whichever): the bytes went both ways.
    expect(res.reply[0]).toBe(0x7e);
  });

  it('MIT: silence, a reset and a truncated frame from faulty KDCs, then failover to the real KDC', async () => {
    const silent = await startFakeKdc({ udp: { kind: 'silence' }, tcp: { kind: 'silence' } });
    const reset = await startFakeKdc({ tcp: { kind: 'reset' } });
    const truncated = await startFakeKdc({ tcp: { kind: 'half-frame' } });
    fakes.push(silent, reset, truncated);
    const t = new KdcTransport({
      attemptTimeoutMs: 200,
      kdcs: { [l.realm]: [silent.address, `tcp/${reset.address}`, `tcp/${truncated.address}`, ...l.kdcs] },
    });
    const res = await t.sendDetailed(l.realm, asReq);
    // Records in the order attempts ended: the silent KDC's datagram kept listening until the real KDC answered.
    expect(res.attempts.map((a) => `${a.kdc.port}:${a.kdc.proto}:${a.outcome}`)).toEqual([
      `${reset.port}:tcp:error`,
      `${truncated.port}:tcp:error`,
      `${l.kdcs[0]!.split(':')[1]}:udp:reply`,
      `${silent.port}:udp:timeout`,
    ]);
    expect(`${res.kdc.host}:${res.kdc.port}`).toBe(l.kdcs[0]);
    expect(peekKrbErrorCode(res.reply)).toBe(KDC_ERR_PREAUTH_REQUIRED);
  });
});
