/**
 * Tokens in tickets (Apache Kerby AD-TOKEN, ad-type 256): found at top level and in containers, the JWT's claims
 * read but never called verified, the signature checked only with the issuer's key (RS256, ES256 by WebCrypto), and
 * the GSS acceptor exposing them. No available KDC issues such a ticket (MIT has no token mechanism; Kerby's KDC
 * could not be run here): the tickets are built by this test with service keys it owns.
 */
import { describe, expect, it } from 'vitest';
import {
  AdType,
  type AuthorizationData,
  encodeAdToken,
  encodeAuthorizationData,
  TokenFormat,
} from '../../src/asn1/index.js';
import { ProtocolError } from '../../src/errors.js';
import { acceptSecContext } from '../../src/gss/acceptor.js';
import { initSecContext } from '../../src/gss/initiator.js';
import { MemoryReplayCache } from '../../src/gss/replay-cache.js';
import { ticketTokens, verifyTicketToken } from '../../src/messages/ticket-tokens.js';
import { toArrayBuffer, utf8 } from '../../src/util/bytes.js';
import { parseJwt, verifyJwt } from '../../src/util/jwt.js';
import { issue, SERVICE, seededRandom, serviceKey } from '../gss/fixtures.js';
import { testClock } from '../helpers/clock.js';

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const CLAIMS = {
  iss: 'token-service',
  sub: 'alice',
  aud: 'HTTP/svc.gss.test@GSS.TEST',
  role: ['admin', 'ops'],
};

async function signed(alg: 'RS256' | 'ES256', claims: object = CLAIMS) {
  const params =
    alg === 'RS256'
      ? {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: 2048,
          publicExponent: Uint8Array.of(1, 0, 1),
          hash: 'SHA-256',
        }
      : { name: 'ECDSA', namedCurve: 'P-256' };
  const pair = (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
  const input = `${b64url(JSON.stringify({ alg, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  const sig = new Uint8Array(
    await crypto.subtle.sign(
      alg === 'RS256' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' },
      pair.privateKey,
      toArrayBuffer(utf8(input)),
    ),
  );
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return { jwt: `${input}.${b64url(sig)}`, jwk, publicKey: pair.publicKey };
}

const adToken = (jwt: string): AuthorizationData => [
  {
    adType: AdType.TOKEN,
    adData: encodeAdToken({ token: { tokenFormat: TokenFormat.JWT, tokenValue: utf8(jwt) } }),
  },
];

describe('tokens in authorization data', () => {
  it('AD-TOKEN at top level (as Kerby puts it) and inside AD-IF-RELEVANT: claims decoded, nothing verified', async () => {
    const { jwt } = await signed('ES256');
    const ad: AuthorizationData = [
      ...adToken(jwt),
      { adType: AdType.IF_RELEVANT, adData: encodeAuthorizationData(adToken(jwt)) },
    ];
    const found = ticketTokens(ad);
    expect(found.map((t) => t.path)).toEqual([['AD-TOKEN'], ['AD-IF-RELEVANT', 'AD-TOKEN']]);
    expect(found[0]!.jwt?.claims).toEqual(CLAIMS);
    expect(found[0]!.jwt?.header).toEqual({ alg: 'ES256', typ: 'JWT' });
    expect(Object.keys(found[0]!)).not.toContain('verified');
  });

  it.each(['RS256', 'ES256'] as const)(
    '%s: verifies with the issuer key; a changed claim or another key does not',
    async (alg) => {
      const a = await signed(alg);
      const b = await signed(alg);
      const [t] = ticketTokens(adToken(a.jwt));
      expect(await verifyTicketToken(t!, a.jwk)).toBe(true);
      expect(await verifyTicketToken(t!, a.publicKey)).toBe(true);
      expect(await verifyTicketToken(t!, b.jwk)).toBe(false);
      const [h, , s] = a.jwt.split('.');
      const forged = `${h}.${b64url(JSON.stringify({ ...CLAIMS, role: ['root'] }))}.${s}`;
      expect(await verifyJwt(forged, a.jwk)).toBe(false);
    },
  );

  it('alg "none" (or any other) is never verified: ProtocolError jwt-alg', async () => {
    const none = `${b64url('{"alg":"none"}')}.${b64url(JSON.stringify(CLAIMS))}.`;
    const { jwk } = await signed('ES256');
    const err = await verifyJwt(parseJwt(none), jwk).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).check).toBe('jwt-alg');
  });

  it('no AD-TOKEN: no tokens; a non-JWT token has no jwt and does not verify', async () => {
    expect(ticketTokens(undefined)).toEqual([]);
    const opaque: AuthorizationData = [
      {
        adType: AdType.TOKEN,
        adData: encodeAdToken({ token: { tokenFormat: 0, tokenValue: Uint8Array.of(1, 2) } }),
      },
    ];
    const [t] = ticketTokens(opaque);
    expect(t!.jwt).toBeUndefined();
    expect(await verifyTicketToken(t!, (await signed('ES256')).jwk)).toBe(false);
  });

  it('the GSS acceptor exposes the token of the service ticket: the claims, verifiable with the issuer key', async () => {
    const { jwt, jwk } = await signed('RS256');
    const clock = testClock();
    const init = initSecContext({
      credential: issue(18, { authorizationData: adToken(jwt) }),
      clock,
      random: seededRandom(4),
    });
    const accepted = acceptSecContext(init.token, {
      keys: [serviceKey(18)],
      service: SERVICE,
      clock,
      replayCache: new MemoryReplayCache({ clock }),
    });
    expect(accepted.tokens).toHaveLength(1);
    expect(accepted.tokens![0]!.jwt?.claims).toMatchObject({ sub: 'alice', role: ['admin', 'ops'] });
    expect(await verifyTicketToken(accepted.tokens![0]!, jwk)).toBe(true);
  });

  it('a ticket without tokens: the acceptor result has no `tokens`', () => {
    const clock = testClock();
    const init = initSecContext({ credential: issue(18), clock, random: seededRandom(5) });
    const accepted = acceptSecContext(init.token, {
      keys: [serviceKey(18)],
      service: SERVICE,
      clock,
      replayCache: new MemoryReplayCache({ clock }),
    });
    expect(accepted.tokens).toBeUndefined();
  });
});
