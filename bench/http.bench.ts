/**
 * What Negotiate adds to a request on the client (issue 16 target: ≤ 100 µs of client CPU per request on a cached
 * ticket): a plain fetch against negotiateFetch with the token sent pre-emptively, to the same local server that
 * answers without looking at the header; and the token alone (SPNEGO and bare krb5).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bench, describe } from 'vitest';
import { negotiateFetch } from '../src/http/negotiate-fetch.js';
import { credentialToken } from '../src/http/token-source.js';
import { issue } from '../test/gss/fixtures.js';
import { TEST_NOW } from '../test/helpers/clock.js';

const credential = issue(18);
const clock = () => TEST_NOW;
const server = createServer((_req, res) => res.end('ok'));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
// The server must not keep the bench process alive.
server.unref();

describe('HTTP Negotiate client cost', () => {
  bench('plain fetch', async () => {
    await (await fetch(url)).text();
  });

  bench('negotiateFetch, token sent pre-emptively (cached ticket)', async () => {
    await (await negotiateFetch(url, { credential, clock, preemptive: true })).text();
  });
});

describe('Negotiate token alone', () => {
  bench('SPNEGO token (initSecContext + NegTokenInit)', () => {
    credentialToken(credential, undefined, { clock });
  });

  bench('bare krb5 token (initSecContext)', () => {
    credentialToken(credential, undefined, { clock, mech: 'krb5' });
  });
});
