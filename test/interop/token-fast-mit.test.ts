/**
 * Token pre-authentication against MIT krb5 1.20's FAST-only realm (FAST.TEST). MIT has no token mechanism, so what
 * this proves is the client side against real software: the request is armored with anonymous-PKINIT armor (as
 * Kerby's ktinit does), MIT opens it and answers inside FAST, tskrb reports the refusal with a hint naming the
 * missing KDC support, and on the wire (tshark on loopback) the outer request carries only PA-FX-FAST and no byte
 * of the JWT. A KDC that accepts the token (Apache Kerby) could not be run here: see the report of issue 22.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeAsReq, KerbyPaDataType, PaDataType } from '../../src/asn1/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { TOKEN_NEEDS_FAST } from '../../src/client/token-login.js';
import type { TraceEvent } from '../../src/client/trace.js';
import { KerberosError } from '../../src/errors.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import type { Transport } from '../../src/transport/index.js';
import { utf8 } from '../../src/util/bytes.js';
import { startCapture, tsharkPath } from '../fast/tshark-capture.js';
import { labOrStandIn, labTransport, mitLab } from '../helpers/lab.js';

const lab = mitLab;
const fastInfo = lab?.['fast'] as { realm: string; user: string } | undefined;
const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** A JWT like an OAuth server would issue for the FAST.TEST user (unsigned here: MIT never looks inside). */
function jwtFor(sub: string, realm: string): string {
  const claims = { iss: 'token-service', sub, aud: `krbtgt/${realm}@${realm}`, exp: 4102444800 };
  return `${b64url('{"alg":"RS256","typ":"JWT"}')}.${b64url(JSON.stringify(claims))}.${b64url('sig'.repeat(20))}`;
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Records every request the client sends. */
function recording(inner: Transport): Transport & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    sent,
    send: async (realm, req, o) => {
      sent.push(req);
      return inner.send(realm, req, o);
    },
    sendDetailed: async (realm, req, o) => {
      sent.push(req);
      return inner.sendDetailed(realm, req, o);
    },
  };
}

describe.skipIf(!lab || !fastInfo)(
  `MIT KDC: token pre-authentication (Kerby PA-TOKEN-REQUEST) on the FAST-only realm${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(lab);
    const F = fastInfo!;
    const user = () => L.principals[F.user]!;
    const ca = () => readFileSync(L['caCert'] as string, 'utf8');
    const anonymousArmor = () => ({ anonymous: true as const, trustAnchors: [ca()] });

    it('MIT: without armor the token login refuses before sending anything (ERR_TSKRB_TOKEN_NEEDS_FAST)', async () => {
      const t = recording(labTransport(L));
      const err = await new KdcClient({ realm: F.realm, transport: t })
        .login({ principal: user().principal, token: jwtFor(F.user, F.realm) })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KerberosError);
      expect((err as KerberosError).code).toBe(TOKEN_NEEDS_FAST);
      expect(t.sent).toHaveLength(0);
    });

    it.each(['fast', 'kerby-outer'] as const)(
      'MIT: the armored token request (%s placement, anonymous PKINIT armor) is refused inside FAST; the hint names the missing token support',
      async (tokenPlacement) => {
        const jwt = jwtFor(F.user, F.realm);
        const events: TraceEvent[] = [];
        const t = recording(labTransport(L));
        const err = await new KdcClient({ realm: F.realm, transport: t, trace: (e) => events.push(e) })
          .login({ principal: user().principal, token: jwt, armor: anonymousArmor(), tokenPlacement })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(KdcError);
        const k = err as KdcError;
        // The refusal came out of PA-FX-ERROR: MIT processed the armor and answered in the tunnel.
        expect(events.some((e) => e.step === 'FAST' && e.phase === 'decrypt')).toBe(true);
        expect(k.step).toBe('TOKEN');
        expect(k.code).toBe('KDC_ERR_PREAUTH_REQUIRED');
        expect(k.hint).toMatch(/no token pre-authentication/);
        // The last request is the token request: armored, the JWT in no byte of it.
        const last = t.sent.at(-1)!;
        const outer = decodeAsReq(last).padata!.map((p) => p.padataType);
        expect(outer).toEqual(
          tokenPlacement === 'fast'
            ? [PaDataType.FX_FAST]
            : [KerbyPaDataType.TOKEN_REQUEST, PaDataType.FX_FAST],
        );
        for (const part of [jwt, ...jwt.split('.')])
          for (const req of t.sent) expect(contains(req, utf8(part))).toBe(false);
      },
    );

    it.skipIf(!tsharkPath)(
      'MIT: tshark on loopback sees PA-FX-FAST only in the token AS-REQ, and no JWT byte in the whole capture',
      async () => {
        const port = Number(L.realms?.[F.realm]?.kdcs[0]?.split(':')[1] ?? 10288);
        const jwt = jwtFor(F.user, F.realm);
        const cap = await startCapture(port);
        const err = await new KdcClient({ realm: F.realm, transport: labTransport(L) })
          .login({ principal: user().principal, token: jwt, armor: anonymousArmor() })
          .catch((e: unknown) => e);
        const { frames, file } = await cap.stop();
        expect(err).toBeInstanceOf(KdcError);
        // AS-REQs: the anonymous PKINIT ones (PA-PK-AS-REQ) and the armored token request (PA-FX-FAST alone).
        const asReqs = frames.filter((f) => f.msgType === 10);
        const armored = asReqs.filter((f) => f.padataTypes.includes(PaDataType.FX_FAST));
        expect(armored.length).toBeGreaterThanOrEqual(1);
        for (const f of armored) expect(f.padataTypes).toEqual([PaDataType.FX_FAST]);
        for (const f of frames) expect(f.padataTypes).not.toContain(KerbyPaDataType.TOKEN_REQUEST);
        const pcap = new Uint8Array(readFileSync(file));
        for (const part of [jwt, ...jwt.split('.')]) expect(contains(pcap, utf8(part))).toBe(false);
      },
      30_000,
    );
  },
);
