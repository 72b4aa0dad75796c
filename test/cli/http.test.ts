/**
 * `tskrb http` and `tskrb serve` in-process: usage errors, and `http` with a ccache that already holds the service
 * ticket (as `tskrb s4u --out` writes) against a local node:http server running the negotiate middleware: body on
 * stdout, --json, exit 6 with the status line on stderr, --trace trees of both tokens. Test clock throughout.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAuth } from '../../src/cli/commands/serve.js';
import type { HostResolver } from '../../src/cli/host-canonical.js';
import { main } from '../../src/cli/run.js';
import { ccacheOf } from '../../src/client/index.js';
import { serializeCcache } from '../../src/creds/index.js';
import { type KerberosRequest, negotiate } from '../../src/http/negotiate-middleware.js';
import { ALICE, issue, seededRandom, serviceKey } from '../gss/fixtures.js';
import { TEST_NOW } from '../helpers/clock.js';
import { fakeIo } from './io.js';

const credential = issue(18, { pac: true });
const cc = serializeCcache(ccacheOf(credential));
const SPN = 'HTTP/api.gss.test';

describe('tskrb http (in-process, ticket from the ccache)', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const guard = negotiate({ keys: [serviceKey(18)], clock: () => TEST_NOW, random: seededRandom(4) });
    server = createServer((req, res) => {
      if (req.url === '/gone') {
        res.statusCode = 404;
        res.end('no such thing\n');
        return;
      }
      guard(req, res, () => {
        res.setHeader('Content-Type', 'application/json');
        res.end(`${JSON.stringify(describeAuth((req as KerberosRequest).kerberos))}\n`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('prints the body and exits 0; the server saw alice with the PAC', async () => {
    const io = fakeIo({ cc });
    expect(await main(['http', '-c', 'cc', `${base}/who`, '--spn', SPN], io)).toBe(0);
    expect(io.err).toBe('');
    const body = JSON.parse(io.out) as Record<string, unknown>;
    expect(body).toMatchObject({ client: 'alice@GSS.TEST', mech: 'spnego', delegated: false });
    expect(body['pac']).toMatchObject({ user: 'alice' });
  });

  it('--json: status, SPN, mutual verified, body; --krb5 sends a bare token', async () => {
    const io = fakeIo({ cc });
    expect(await main(['http', '-c', 'cc', `${base}/who`, '--spn', SPN, '--krb5', '--json'], io)).toBe(0);
    const r = (JSON.parse(io.out) as { result: Record<string, unknown> }).result;
    expect(r).toMatchObject({
      status: 200,
      spn: SPN,
      mech: 'krb5',
      mutual: 'verified',
      as: 'alice@GSS.TEST',
    });
    expect(JSON.parse(String(r['body']))).toMatchObject({ mech: 'krb5' });
  });

  it('--trace shows the SPNEGO token with the AP-REQ inside, and the AP-REP that came back', async () => {
    const io = fakeIo({ cc });
    expect(await main(['http', '-c', 'cc', `${base}/who`, '--spn', SPN, '--trace'], io)).toBe(0);
    expect(io.out).toMatch(/Authorization: SPNEGO NegTokenInit/);
    expect(io.out).toMatch(/AP-REQ: ticket HTTP\/api\.gss\.test@GSS\.TEST/);
    expect(io.out).toMatch(/WWW-Authenticate: SPNEGO NegTokenResp/);
    expect(io.out).toMatch(/AP-REP/);
  });

  it('krb5.conf dns_canonicalize_hostname = true: the SPN host is the canonical name of the URL’s host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tskrb-http-canon-'));
    try {
      const conf = join(dir, 'krb5.conf');
      writeFileSync(conf, '[libdefaults]\n dns_canonicalize_hostname = true\n rdns = false\n');
      const io = fakeIo({ cc }, undefined, false, { KRB5_CONFIG: conf });
      const asked: string[] = [];
      const hostResolver: HostResolver = {
        canonicalName: async (host) => {
          asked.push(host);
          return host === '127.0.0.1' ? 'API.gss.test.' : undefined;
        },
        reverseName: async () => undefined,
      };
      Object.assign(io, { hostResolver });
      expect(await main(['http', '-c', 'cc', `${base}/who`, '--json'], io)).toBe(0);
      expect(asked).toEqual(['127.0.0.1']);
      expect((JSON.parse(io.out) as { result: Record<string, unknown> }).result).toMatchObject({
        status: 200,
        spn: SPN,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a status of 400 or more: exit 6, body on stdout, status line on stderr', async () => {
    const io = fakeIo({ cc });
    expect(await main(['http', '-c', 'cc', `${base}/gone`, '--spn', SPN], io)).toBe(6);
    expect(io.out).toBe('no such thing\n');
    expect(io.err).toBe('tskrb: HTTP 404 Not Found\n');
  });

  it('a token the server refuses (clock far ahead): exit 6, the refusal named', async () => {
    const io = fakeIo({ cc }, undefined, false, {}, () => TEST_NOW + 3_600_000);
    expect(await main(['http', '-c', 'cc', `${base}/who`, '--spn', SPN], io)).toBe(6);
    expect(io.err).toMatch(
      /^tskrb: HTTP 401 Unauthorized \(Negotiate token for HTTP\/api\.gss\.test refused\)/,
    );
  });

  it('sends -X, -d and -H', async () => {
    const echo = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (!req.headers.authorization) {
          res.statusCode = 401;
          res.setHeader('WWW-Authenticate', 'Negotiate');
          res.end();
          return;
        }
        res.end(`${req.method} ${req.headers['x-test']} ${Buffer.concat(chunks).toString()}`);
      });
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
      const io = fakeIo({ cc });
      const argv = ['http', '-c', 'cc', url, '--spn', SPN, '-X', 'PUT', '-d', 'hello', '-H', 'X-Test: yes'];
      expect(await main(argv, io)).toBe(0);
      expect(io.out).toBe('PUT yes hello');
      expect(io.err).toMatch(/no mutual-authentication token/);
    } finally {
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });

  it('usage errors: no URL, not http(s), a bad -H', async () => {
    for (const argv of [
      ['http', '-c', 'cc'],
      ['http', '-c', 'cc', 'ftp://x/'],
      ['http', '-c', 'cc', 'not a url'],
      ['http', '-c', 'cc', `${base}/who`, '--spn', SPN, '-H', 'nocolon'],
    ]) {
      const io = fakeIo({ cc });
      expect([argv.join(' '), await main(argv, io)]).toEqual([argv.join(' '), 1]);
    }
  });
});

describe('tskrb serve', () => {
  it('refuses a bad port and positional arguments', async () => {
    const kt = new Uint8Array([5, 2]);
    for (const argv of [
      ['serve', '--keytab', 'kt', '--port', 'x'],
      ['serve', 'extra'],
    ]) {
      const io = fakeIo({ kt });
      expect(await main(argv, io)).toBe(1);
    }
  });

  it('describeAuth: client, flag names, ticket, PAC summary, delegation', () => {
    const d = describeAuth({
      clientName: 'alice@GSS.TEST',
      client: ALICE,
      mech: 'spnego',
      flags: 2 | 32,
      evidence: { ticket: credential.ticket, ticketBytes: credential.ticketBytes, client: ALICE },
    } as unknown as Parameters<typeof describeAuth>[0]);
    expect(d).toMatchObject({
      client: 'alice@GSS.TEST',
      flags: ['MUTUAL', 'INTEG'],
      ticket: { server: 'HTTP/api.gss.test@GSS.TEST', enctype: 18, kvno: 3 },
      pac: null,
      delegated: false,
    });
  });
});
