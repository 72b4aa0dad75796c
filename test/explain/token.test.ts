/**
 * describe/explain of a ticket carrying Apache Kerby's AD-TOKEN: the JWT header and claims shown, the signature
 * said to be unverified. The ticket is built here with a service key the test owns (no available KDC issues one).
 */
import { describe, expect, it } from 'vitest';
import { AdType, encodeAdToken, TokenFormat } from '../../src/asn1/index.js';
import { renderTree } from '../../src/cli/render.js';
import { explain } from '../../src/explain/explain.js';
import { Keyring } from '../../src/explain/keyring.js';
import { utf8 } from '../../src/util/bytes.js';
import { issue, serviceKey } from '../gss/fixtures.js';

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const JWT = `${b64url('{"alg":"ES256","kid":"k1"}')}.${b64url('{"iss":"token-service","sub":"alice","role":"admin"}')}.${b64url('sig')}`;

describe('explain: AD-TOKEN in a ticket', () => {
  it('opened with the service key, the ticket shows AD-TOKEN (256) with the JWT claims, not verified', () => {
    const token = { tokenFormat: TokenFormat.JWT, tokenValue: utf8(JWT) };
    const cred = issue(18, {
      authorizationData: [{ adType: AdType.TOKEN, adData: encodeAdToken({ token }) }],
    });
    const ring = new Keyring();
    const key = serviceKey(18);
    ring.add(key.etype, key.bytes, 'the service key');
    const text = renderTree(explain(cred.ticket, { open: (e, u, k) => ring.open(e, u, k) }));
    expect(text).toContain('AD-TOKEN (256)');
    expect(text).toContain('JWT (1)');
    expect(text).toMatch(/sub.*"alice"/);
    expect(text).toMatch(/role.*"admin"/);
    expect(text).toMatch(/kid.*"k1"/);
    expect(text).toContain('signature is not verified');
  });

  it('a token that is not a JWT is shown as bytes', () => {
    const token = { tokenFormat: 7, tokenValue: Uint8Array.of(1, 2, 3) };
    const cred = issue(18, {
      authorizationData: [{ adType: AdType.TOKEN, adData: encodeAdToken({ token }) }],
    });
    const ring = new Keyring();
    const key = serviceKey(18);
    ring.add(key.etype, key.bytes, 'the service key');
    const text = renderTree(explain(cred.ticket, { open: (e, u, k) => ring.open(e, u, k) }));
    expect(text).toContain('token-value');
    expect(text).toContain('3 bytes 010203');
  });
});
