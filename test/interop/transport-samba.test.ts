// A real KRB_ERR_RESPONSE_TOO_BIG: Samba's AS-REP with a PAC does not fit a UDP reply. MIT kinit logs in
// through the fake KDC acting as a recording proxy; its pre-authenticated AS-REQ is then replayed by
// tskrb's transport over UDP, and must be retried over TCP to get the AS-REP.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KdcTransport } from '../../src/transport/kdc-transport.js';
import { peekKrbErrorCode } from '../../src/transport/krb-error-peek.js';
import { activeResources, type FakeKdc, leakedSince, startFakeKdc } from '../helpers/fake-kdc.js';
import { labOrStandIn } from '../helpers/lab.js';

interface SambaLab {
  realm: string;
  kdc: { host: string; port: number };
  kdcs: string[];
  principals: Record<string, { principal: string; password: string }>;
}

const labRoot = process.env['TSKRB_LAB_DIR'] ?? fileURLToPath(new URL('../../.lab', import.meta.url));
const labFile = join(labRoot, 'samba.json');
const lab: SambaLab | undefined = existsSync(labFile)
  ? (JSON.parse(readFileSync(labFile, 'utf8')) as SambaLab)
  : undefined;

// RFC 4120 7.5.9.
const KRB_ERR_RESPONSE_TOO_BIG = 52;
const AS_REP_TAG = 0x6b;

const title = lab
  ? 'Samba: tskrb transport against the Samba AD DC'
  : `Samba: tskrb transport against the Samba AD DC (lab not running: no ${labFile}; start it as root with npm run lab:up)`;

describe.skipIf(!lab)(title, () => {
  const l = labOrStandIn(lab);
  const scratch = mkdtempSync(join(tmpdir(), 'tskrb-transport-samba-'));
  let proxy: FakeKdc;
  let before: Record<string, number>;
  let preauthReq: Uint8Array;

  beforeAll(async () => {
    before = await activeResources();
    proxy = await startFakeKdc({ udp: { kind: 'proxy', ...l.kdc }, tcp: { kind: 'proxy', ...l.kdc } });
    const conf = join(scratch, 'krb5.conf');
    writeFileSync(
      conf,
      `[libdefaults]\n default_realm = ${l.realm}\n dns_lookup_kdc = false\n[realms]\n ${l.realm} = {\n  kdc = ${proxy.address}\n }\n`,
    );
    const alice = l.principals['alice']!;
    const env = { ...process.env, KRB5_CONFIG: conf, KRB5CCNAME: `FILE:${join(scratch, 'cc')}` };
    const child = spawn('kinit', [alice.principal], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdin.end(`${alice.password}\n`);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (status !== 0) throw new Error(`kinit through the recording proxy failed: ${stderr}`);
    // The request that drew RESPONSE_TOO_BIG over UDP is the pre-authenticated one.
    const i = proxy.replies.findIndex(
      (r) => r.proto === 'udp' && peekKrbErrorCode(r.bytes) === KRB_ERR_RESPONSE_TOO_BIG,
    );
    if (i < 0) throw new Error('Samba never answered RESPONSE_TOO_BIG through the proxy');
    preauthReq = proxy.requests.filter((r) => r.proto === 'udp')[i]!.bytes;
  });

  afterAll(async () => {
    await proxy.close();
    rmSync(scratch, { recursive: true, force: true });
    expect(await leakedSince(before)).toEqual({});
  });

  it('Samba: MIT kinit itself went UDP, got RESPONSE_TOO_BIG, and retried over TCP', () => {
    expect(proxy.requests.map((r) => r.proto)).toContain('tcp');
    expect(proxy.replies.some((r) => r.proto === 'tcp' && r.bytes[0] === AS_REP_TAG)).toBe(true);
  });

  it('Samba: the replayed AS-REQ gets RESPONSE_TOO_BIG over UDP, and tskrb retries over TCP for the AS-REP', async () => {
    const t = new KdcTransport({ kdcs: { [l.realm]: l.kdcs } });
    const res = await t.sendDetailed(l.realm, preauthReq);
    expect(res.attempts.map((a) => `${a.kdc.proto}:${a.outcome}`)).toEqual(['udp:too-big', 'tcp:reply']);
    expect(res.reply[0]).toBe(AS_REP_TAG);
    expect(res.reply.length).toBeGreaterThan(1465);
  });
});
