/**
 * HTTP Negotiate against servers no one here wrote: Apache httpd + mod_auth_gssapi (MIT krb5 acceptor) protecting
 * a CGI that prints REMOTE_USER (scripts/lab/apache.sh), and Debian's curl (MIT GSSAPI) as the client of our own
 * middleware and of `tskrb serve`. The MIT lab: HTTP/web.mit.test may delegate to HTTP/api.mit.test (Apache's
 * keytab) with protocol transition, not to ldap/other.mit.test. Real clock (the KDC's tickets are today's).
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KdcClient, type Session } from '../../src/client/kdc-client.js';
import { parseKeytab } from '../../src/creds/index.js';
import { DelegationClient } from '../../src/delegation/index.js';
import { negotiateFetch } from '../../src/http/negotiate-fetch.js';
import { type KerberosRequest, negotiate } from '../../src/http/negotiate-middleware.js';
import type { Transport } from '../../src/transport/index.js';
import { buildOnce, tskrb } from '../cli/spawn.js';
import { labKeys, labOrStandIn, labTransport, mitLab, sambaLab } from '../helpers/lab.js';
import { evaluateInChromium, HEADLESS_CHROMIUM_ARGS } from '../runtimes/cdp-pipe.js';

const run = promisify(execFile);

/** One protected site of .lab/apache.json. */
interface ApacheSite {
  realm: string;
  port: number;
  url: string;
  publicUrl: string;
  spn: string;
  serverName: string;
  curlResolve: string;
}

/** .lab/apache.json (scripts/lab/apache.sh). */
interface ApacheLab {
  pid: number;
  curl: string;
  sites: Record<string, ApacheSite>;
}

function loadApache(): ApacheLab | undefined {
  const p = join(new URL('../..', import.meta.url).pathname, '.lab', 'apache.json');
  const at = process.env['TSKRB_LAB_DIR'] ? join(process.env['TSKRB_LAB_DIR'], 'apache.json') : p;
  if (!existsSync(at)) {
    if (process.env['CI'] === 'true')
      throw new Error(`CI=true but the Apache lab is not running (${at} missing)`);
    return undefined;
  }
  return JSON.parse(readFileSync(at, 'utf8')) as ApacheLab;
}

const apache = loadApache();
const ready = mitLab !== undefined && apache !== undefined;
const CHROMIUM = process.env['TSKRB_CHROMIUM'] ?? '/usr/bin/chromium';
const noChromium = existsSync(CHROMIUM) ? '' : ` (${CHROMIUM} not installed: apt-get install chromium)`;

/**
 * The "Local State" of a fresh Chromium profile that does Negotiate to web.mit.test at its first request (Debian's
 * chromium 156, found by trial and by reading the state a working profile kept):
 * - `net.received_http_auth_negotiate_headers`: Chromium on Linux loads libgssapi_krb5 only in a browser that has
 *   seen a Negotiate challenge before (it sets this on the first one, for the next start); until then every
 *   challenge fails with ERR_UNSUPPORTED_AUTH_SCHEME ("Unable to create AuthHandler"), reloads included.
 * - `auth.disable_negotiate_cname_lookup` (policy DisableAuthNegotiateCnameLookup; no switch in this build):
 *   else the SPN is HTTP/<canonical name>, which --host-resolver-rules makes HTTP/127.0.0.1 (KDC: "Server not
 *   found in Kerberos database").
 */
const CHROMIUM_LOCAL_STATE = {
  net: { received_http_auth_negotiate_headers: true },
  auth: { disable_negotiate_cname_lookup: true },
};

describe.skipIf(!ready)(
  `MIT + Apache mod_auth_gssapi${ready ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(mitLab);
    const A = labOrStandIn(apache);
    const site = A.sites['mit']!;
    const web = L.principals['web']!;
    const alice = L.principals['alice']!;
    let dir = '';
    const at = (f: string) => join(dir, f);
    const env = (extra: Record<string, string> = {}): Record<string, string> => ({
      KRB5_CONFIG: L.krb5Conf,
      ...extra,
    });
    let front: Session;

    /** MIT kinit into a ccache of its own (the password on stdin). */
    function mitKinit(principal: string, password: string, cache: string): void {
      const r = spawnSync('kinit', ['-f', principal], {
        input: `${password}\n`,
        encoding: 'utf8',
        env: { ...process.env, ...env({ KRB5CCNAME: `FILE:${cache}` }) },
      });
      if (r.status !== 0) throw new Error(`kinit ${principal}: ${r.stderr}`);
    }

    beforeAll(async () => {
      buildOnce();
      dir = mkdtempSync(join(tmpdir(), 'tskrb-http-apache-'));
      mitKinit(alice.principal, alice.password, at('alice.cc'));
      const r = spawnSync('kinit', ['-f', '-k', '-t', web.keytab!, web.principal], {
        encoding: 'utf8',
        env: { ...process.env, ...env({ KRB5CCNAME: `FILE:${at('web.cc')}` }) },
      });
      if (r.status !== 0) throw new Error(`kinit -k ${web.principal}: ${r.stderr}`);
      front = await new KdcClient({ realm: L.realm, transport: labTransport(L) }).login({
        principal: web.principal,
        keys: labKeys(web),
        forwardable: true,
      });
    }, 180_000);
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('MIT: protocol transition (S4U2Self alice, S4U2Proxy HTTP/api) then negotiateFetch: 200 alice@MIT.TEST, mutual token verified', async () => {
      const proxy = await front.s4u2proxy(await front.s4u2self('alice'), site.spn);
      const res = await negotiateFetch(site.url, { credential: proxy.credential, spn: site.spn });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('alice@MIT.TEST\n');
      expect(res.negotiate).toMatchObject({ mutual: 'verified', mech: 'spnego', requests: 2 });
    });

    it('MIT: DelegationClient.fetchAs("alice") → 200 alice@MIT.TEST; the second call reuses the cached ticket with a fresh authenticator', async () => {
      const dc = new DelegationClient({
        service: web.principal,
        realm: L.realm,
        transport: labTransport(L),
        keys: labKeys(web),
      });
      const a = await dc.fetchAs('alice', site.url, { spn: site.spn });
      expect([a.status, await a.text(), a.negotiate.mutual]).toEqual([200, 'alice@MIT.TEST\n', 'verified']);
      const b = await dc.fetchAs('alice', site.url, { spn: site.spn });
      expect([b.status, await b.text(), b.negotiate.mutual]).toEqual([200, 'alice@MIT.TEST\n', 'verified']);
      expect(dc.stats()).toMatchObject({ hits: 1, misses: 1 });
    });

    it('MIT: DelegationClient.negotiateHeader: a header for our own fetch, and the reply verified', async () => {
      const dc = new DelegationClient({
        service: web.principal,
        realm: L.realm,
        transport: labTransport(L),
        keys: labKeys(web),
      });
      const h = await dc.negotiateHeader('alice', site.spn);
      expect(h.authorization).toMatch(/^Negotiate /);
      const res = await fetch(site.url, { headers: { Authorization: h.authorization } });
      expect(await res.text()).toBe('alice@MIT.TEST\n');
      expect(h.verifyReply(res.headers.get('www-authenticate'))).toBe('verified');
    });

    it('MIT: a bare krb5 token is accepted by mod_auth_gssapi too', async () => {
      const proxy = await front.s4u2proxy(await front.s4u2self('alice'), site.spn);
      const res = await negotiateFetch(site.url, {
        credential: proxy.credential,
        mech: 'krb5',
        preemptive: true,
      });
      expect(await res.text()).toBe('alice@MIT.TEST\n');
      expect(res.negotiate).toMatchObject({ mutual: 'verified', mech: 'krb5', requests: 1 });
    });

    it('MIT: a session (TGT) gets the ticket for the SPN itself, once for two requests', async () => {
      let sends = 0;
      const inner = labTransport(L);
      const counting: Transport = {
        send: (realm, req, o) => {
          sends++;
          return inner.send(realm, req, o);
        },
        sendDetailed: (realm, req, o) => {
          sends++;
          return inner.sendDetailed(realm, req, o);
        },
      };
      const session = await new KdcClient({ realm: L.realm, transport: counting }).login({
        principal: web.principal,
        keys: labKeys(web),
      });
      const afterLogin = sends;
      for (let i = 0; i < 2; i++) {
        const res = await negotiateFetch(site.url, { session, spn: site.spn });
        expect(await res.text()).toBe('HTTP/web.mit.test@MIT.TEST\n');
      }
      expect(sends - afterLogin).toBe(1);
    });

    it('MIT: a replayed Authorization header gets 401 from Apache (MIT replay cache)', async () => {
      const proxy = await front.s4u2proxy(await front.s4u2self('alice'), site.spn);
      const sent: string[] = [];
      const recording: typeof fetch = (input, init) => {
        const h = new Headers(init?.headers).get('authorization');
        if (h) sent.push(h);
        return fetch(input, init);
      };
      const first = await negotiateFetch(site.url, { credential: proxy.credential, fetch: recording });
      expect(first.status).toBe(200);
      expect(sent).toHaveLength(1);
      const replay = await fetch(site.url, { headers: { Authorization: sent[0]! } });
      expect(replay.status).toBe(401);
    });

    it('MIT: tskrb http -c alice.cc (her own TGT, MIT kinit) → 200 alice@MIT.TEST', () => {
      const r = tskrb(['http', '-c', at('alice.cc'), site.url, '--spn', site.spn, '--json'], env());
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).result).toMatchObject({
        status: 200,
        body: 'alice@MIT.TEST\n',
        mutual: 'verified',
        spn: site.spn,
      });
    });

    it('MIT: tskrb http --impersonate alice from web’s TGT → 200 alice@MIT.TEST; body on stdout', () => {
      const r = tskrb(
        ['http', '-c', at('web.cc'), '--impersonate', 'alice', site.url, '--spn', site.spn],
        env(),
      );
      expect([r.code, r.stdout]).toEqual([0, 'alice@MIT.TEST\n']);
    });

    it('MIT: a target outside the delegation list → exit 2 with the BADOPTION hint', () => {
      const r = tskrb(
        ['http', '-c', at('web.cc'), '--impersonate', 'alice', site.url, '--spn', 'ldap/other.mit.test'],
        env(),
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/KDC_ERR_BADOPTION/);
      expect(r.stderr).toMatch(/allowed-to-delegate/);
    });

    it('MIT: a ticket for the wrong service → Apache refuses (exit 6, status line on stderr)', () => {
      const r = tskrb(['http', '-c', at('alice.cc'), site.url, '--spn', 'cifs/file.mit.test'], env());
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/^tskrb: HTTP 401 Unauthorized/);
    });

    it('MIT: an unprotected page needs no token: exit 0, no token sent', () => {
      const r = tskrb(['http', '-c', at('alice.cc'), site.publicUrl, '--json'], env());
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).result).toMatchObject({ status: 200, requests: 1, mutual: 'none' });
    });

    it('MIT: nothing listening → exit 3', () => {
      const r = tskrb(['http', '-c', at('alice.cc'), 'http://127.0.0.1:9/', '--spn', site.spn], env());
      expect(r.code).toBe(3);
    });

    describe('Kerberos-only constrained delegation', () => {
      let server: Server;
      let port = 0;
      beforeAll(async () => {
        // HTTP/web.mit.test as a tskrb Negotiate server: alice's own ticket (from curl) is the S4U2Proxy evidence.
        const guard = negotiate({ keys: parseKeytab(new Uint8Array(readFileSync(web.keytab!))).entries });
        server = createServer((req, res) =>
          guard(req, res, async () => {
            try {
              const k = (req as KerberosRequest).kerberos;
              const proxy = await front.s4u2proxy(k.evidence, site.spn);
              const back = await negotiateFetch(site.url, { credential: proxy.credential, spn: site.spn });
              res.end(`${k.clientName} -> ${(await back.text()).trim()} (${back.negotiate.mutual})\n`);
            } catch (e) {
              res.statusCode = 502;
              res.end(`${e instanceof Error ? e.message : String(e)}\n`);
            }
          }),
        );
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        port = (server.address() as AddressInfo).port;
      });
      afterAll(() => new Promise<void>((r) => server.close(() => r())));

      it('MIT: curl --negotiate as alice → tskrb middleware as HTTP/web → s4u2proxy with her ticket → Apache → REMOTE_USER alice', async () => {
        const { stdout } = await run(
          A.curl,
          [
            '-s',
            '--negotiate',
            '-u',
            ':',
            '--resolve',
            `web.mit.test:${port}:127.0.0.1`,
            `http://web.mit.test:${port}/`,
          ],
          { env: { ...process.env, ...env({ KRB5CCNAME: `FILE:${at('alice.cc')}` }) } },
        );
        expect(stdout).toBe('alice@MIT.TEST -> alice@MIT.TEST (verified)\n');
      });

      // The browser a real user has: MIT GSSAPI inside Chromium reads alice's kinit'd ccache. The URL's host is the
      // SPN's (HTTP/web.mit.test), mapped to loopback by --host-resolver-rules (no /etc/hosts entry).
      it.skipIf(noChromium !== '')(
        `MIT: headless Chromium with alice's ccache → tskrb middleware as HTTP/web → s4u2proxy with her ticket → Apache → REMOTE_USER alice${noChromium}`,
        async () => {
          const profile = at('chromium-profile');
          mkdirSync(profile);
          writeFileSync(join(profile, 'Local State'), JSON.stringify(CHROMIUM_LOCAL_STATE));
          const r = await evaluateInChromium({
            chromium: CHROMIUM,
            args: [
              ...HEADLESS_CHROMIUM_ARGS,
              `--user-data-dir=${profile}`,
              '--auth-server-allowlist=web.mit.test',
              '--host-resolver-rules=MAP web.mit.test 127.0.0.1',
            ],
            url: `http://web.mit.test:${port}/`,
            expression:
              "location.protocol === 'http:' && document.readyState === 'complete' ? document.body.innerText : undefined",
            timeoutMs: 60_000,
            env: { ...process.env, ...env({ KRB5CCNAME: `FILE:${at('alice.cc')}` }) },
          });
          expect(r.value, r.stderr.slice(-2000)).toBe('alice@MIT.TEST -> alice@MIT.TEST (verified)\n');
        },
        120_000,
      );
    });

    describe('tskrb serve', () => {
      let pid = 0;
      let url = '';
      let stderr = '';
      beforeAll(async () => {
        const child = spawn('node', ['dist/cli/main.js', 'serve', '--keytab', web.keytab!, '--json'], {
          env: { ...process.env, ...env() },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        pid = child.pid ?? 0;
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        url = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            const m = /"listening":"([^"]+)"/.exec(out);
            if (m) resolve(m[1]!);
          });
          child.once('exit', (code) => reject(new Error(`tskrb serve exited ${code}: ${stderr}`)));
        });
      }, 60_000);
      afterAll(() => {
        if (pid) process.kill(pid, 'SIGTERM');
      });

      it('MIT: curl --delegation always forwards alice’s TGT: serve reports it, with DELEG among the flags', async () => {
        const port = new URL(url).port;
        const { stdout } = await run(
          A.curl,
          [
            '-s',
            '--negotiate',
            '-u',
            ':',
            '--delegation',
            'always',
            '--resolve',
            `web.mit.test:${port}:127.0.0.1`,
            `http://web.mit.test:${port}/d`,
          ],
          { env: { ...process.env, ...env({ KRB5CCNAME: `FILE:${at('alice.cc')}` }) } },
        );
        const body = JSON.parse(stdout) as Record<string, unknown>;
        expect(body).toMatchObject({ client: 'alice@MIT.TEST', delegated: true });
        expect(body['delegatedTickets']).toEqual(['krbtgt/MIT.TEST@MIT.TEST']);
        expect(body['flags']).toEqual(expect.arrayContaining(['DELEG', 'MUTUAL']));
        expect(body['pac']).toMatchObject({ user: 'alice', verification: { verified: true } });
      });

      it('MIT: answers alice to curl --negotiate with JSON; the same header replayed → 401', async () => {
        const port = new URL(url).port;
        const { stdout, stderr: trace } = await run(
          A.curl,
          [
            '-s',
            '-v',
            '--negotiate',
            '-u',
            ':',
            '--resolve',
            `web.mit.test:${port}:127.0.0.1`,
            `http://web.mit.test:${port}/x`,
          ],
          { env: { ...process.env, ...env({ KRB5CCNAME: `FILE:${at('alice.cc')}` }) } },
        );
        const body = JSON.parse(stdout) as Record<string, unknown>;
        expect(body).toMatchObject({ client: 'alice@MIT.TEST', mech: 'spnego', delegated: false });
        expect(body['flags']).toEqual(expect.arrayContaining(['MUTUAL']));
        const header = /^> (Authorization: Negotiate \S+)\r?$/m.exec(trace)?.[1];
        expect(header).toBeDefined();
        const { stdout: code } = await run(A.curl, [
          '-s',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '-H',
          header!,
          url,
        ]);
        expect(code).toBe('401');
        expect(stderr).toMatch(/replay/i);
      });
    });
  },
);

const sambaReady = sambaLab !== undefined && apache?.sites['samba'] !== undefined;

describe.skipIf(!sambaReady)(
  `Samba + Apache mod_auth_gssapi${sambaReady ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(sambaLab);
    const A = labOrStandIn(apache);
    const site = A.sites['samba']!;
    const P = (n: string) => L.principals[n]!;

    async function login(name: string): Promise<Session> {
      return new KdcClient({ realm: L.realm, transport: labTransport(L) }).login({
        principal: P(name).principal,
        keys: labKeys(P(name)),
        forwardable: true,
      });
    }

    it('Samba: classic KCD (websvc → cifs/file) then negotiateFetch: 200 alice@SAMBA.TEST, mutual token verified', async () => {
      const front = await login('websvc');
      const proxy = await front.s4u2proxy(await front.s4u2self('alice'), 'cifs/file.samba.test');
      const res = await negotiateFetch(site.url, {
        credential: proxy.credential,
        spn: 'cifs/file.samba.test',
      });
      expect(await res.text()).toBe(`alice@${L.realm}\n`);
      expect(res.negotiate.mutual).toBe('verified');
    });

    it('Samba: RBCD (rbcdfront → cifs/rbcdback) then negotiateFetch: 200 alice@SAMBA.TEST', async () => {
      const front = await login('rbcdfront');
      const proxy = await front.s4u2proxy(await front.s4u2self('alice'), 'cifs/rbcdback.samba.test');
      const res = await negotiateFetch(site.url, { credential: proxy.credential });
      expect(await res.text()).toBe(`alice@${L.realm}\n`);
      expect(res.negotiate.mutual).toBe('verified');
    });

    it('Samba: our middleware reads the PAC of a Samba ticket: S4U2Self evidence carries S-1-18-2 and verifies', async () => {
      const front = await login('websvc');
      const self = await front.s4u2self('alice');
      const krbtgt = (L['krbtgt'] as { keytab: string }).keytab;
      const kdcKeys = labKeys({ ...P('websvc'), principal: `krbtgt/${L.realm}@${L.realm}`, keytab: krbtgt });
      let seen: KerberosRequest['kerberos'] | undefined;
      const guard = negotiate({ keys: labKeys(P('websvc')), kdcKeys });
      const server = createServer((req, res) =>
        guard(req, res, () => {
          seen = (req as KerberosRequest).kerberos;
          res.end('ok');
        }),
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const port = (server.address() as AddressInfo).port;
        const res = await negotiateFetch(`http://127.0.0.1:${port}/`, { credential: self.credential });
        expect(res.status).toBe(200);
        expect(seen?.clientName).toBe(`alice@${L.realm}`);
        expect(seen?.pac?.summary.identityAssertion).toBe('service');
        expect(seen?.pac?.summary.userSid).toBe(P('alice').sid);
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    });
  },
);
