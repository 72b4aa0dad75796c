/**
 * tls-server-end-point (RFC 5929 4.1) over a real TLS connection: the client reads the certificate by its own
 * handshake, the server takes it from its socket, and the acceptor compares the bindings. Certificates are made by
 * the system's openssl in a temporary directory (skipped without it); Kerberos times come from the test clock.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { negotiateFetch } from '../../src/http/negotiate-fetch.js';
import { type KerberosRequest, negotiate } from '../../src/http/negotiate-middleware.js';
import {
  certificateSignatureOid,
  fetchServerCertificate,
  serverEndPointBindings,
} from '../../src/http/tls-binding.js';
import { fromBase64 } from '../../src/util/bytes.js';
import { issue, seededRandom, serviceKey } from '../gss/fixtures.js';
import { testClock } from '../helpers/clock.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

function pemToDer(pem: string): Uint8Array {
  return fromBase64(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
}

describe.skipIf(!hasOpenssl)(`tls-server-end-point${hasOpenssl ? '' : ' (no openssl)'}`, () => {
  const clock = testClock();
  const random = seededRandom(3);
  let dir = '';
  let server: Server;
  let url = '';
  let cert = '';
  const clients: string[] = [];

  function makeCert(name: string, keyArgs: string[]): { key: string; cert: string } {
    const key = join(dir, `${name}.key`);
    const crt = join(dir, `${name}.pem`);
    const r = spawnSync('openssl', [
      'req',
      '-x509',
      ...keyArgs,
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '2',
      '-keyout',
      key,
      '-out',
      crt,
    ]);
    if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(crt, 'utf8') };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tskrb-tls-binding-'));
    const ec = makeCert('ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-sha384']);
    cert = ec.cert;
    const guard = negotiate({
      keys: [serviceKey(18)],
      clock,
      random,
      channelBindings: 'tls-server-end-point',
      requireChannelBindings: true,
    });
    server = createServer({ key: ec.key, cert: ec.cert }, (req, res) =>
      guard(req, res, () => {
        clients.push((req as KerberosRequest).kerberos.clientName);
        res.end('bound');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the signature algorithm (ecdsa-with-SHA384) and hashes the certificate with it', () => {
    const der = pemToDer(cert);
    expect(certificateSignatureOid(der)).toBe('1.2.840.10045.4.3.3');
    const cb = serverEndPointBindings(der);
    const prefix = new TextEncoder().encode('tls-server-end-point:');
    expect(cb.applicationData!.subarray(0, prefix.length)).toEqual(prefix);
    expect(cb.applicationData!.length).toBe(prefix.length + 48);
  });

  it('gets the same certificate by its own handshake (CA given)', async () => {
    const got = await fetchServerCertificate(new URL(url), { ca: cert });
    expect(got).toEqual(pemToDer(cert));
  });

  it('refuses an untrusted certificate in that handshake unless told otherwise', async () => {
    await expect(fetchServerCertificate(new URL(url))).rejects.toBeInstanceOf(TransportError);
    expect(await fetchServerCertificate(new URL(url), { insecure: true })).toEqual(pemToDer(cert));
  });

  it('a bound token passes an acceptor that requires bindings; an unbound one gets 401', async () => {
    const tlsFetch: typeof fetch = (input, init) => {
      // The test's self-signed certificate: trust it for these requests only.
      const prior = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
      process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
      return fetch(input, init).finally(() => {
        if (prior === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
        else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = prior;
      });
    };
    const credential = issue(18);
    const bound = await negotiateFetch(url, {
      credential,
      clock,
      random,
      fetch: tlsFetch,
      channelBindings: 'tls-server-end-point',
      tls: { ca: cert },
    });
    expect([bound.status, await bound.text(), bound.negotiate.mutual]).toEqual([200, 'bound', 'verified']);
    expect(clients).toEqual(['alice@GSS.TEST']);
    const unbound = await negotiateFetch(url, { credential, clock, random, fetch: tlsFetch });
    expect(unbound.status).toBe(401);
  });

  it('refuses certificates RFC 5929 gives no hash for (Ed25519)', () => {
    const ed = makeCert('ed', ['-newkey', 'ed25519']);
    expect(() => serverEndPointBindings(pemToDer(ed.cert))).toThrow(TransportError);
  });
});
