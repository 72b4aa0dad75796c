/** A JSON Web Token in JWS compact serialization (RFC 7519 7.2, RFC 7515 7.1): header and claims; RS256/ES256 signatures. */
import { FormatError, ProtocolError } from '../errors.js';
import { fromBase64, fromUtf8, toArrayBuffer, utf8 } from './bytes.js';

/** A JWT split into its parts; nothing here is verified. */
export interface Jwt {
  /** The JOSE header (`alg`, `typ`, `kid`, …). */
  readonly header: Readonly<Record<string, unknown>>;
  /** The claims set (`iss`, `sub`, `aud`, `exp`, …). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** ASCII of `base64url(header) "." base64url(payload)`: what the signature covers. */
  readonly signingInput: Uint8Array;
  readonly signature: Uint8Array;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function jsonObject(part: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(fromUtf8(fromBase64(part)));
  } catch (e) {
    throw new FormatError(`JWT ${what} is not base64url JSON`, { cause: e });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new FormatError(`JWT ${what} is not a JSON object`);
  return v as Record<string, unknown>;
}

/** Splits and decodes a compact JWS (`header.payload.signature`); FormatError when it is not one. */
export function parseJwt(compact: string): Jwt {
  const t = compact.trim();
  const parts = t.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p)))
    throw new FormatError(
      `a JWT in compact serialization has 3 base64url parts separated by dots, got ${parts.length} part(s)`,
      {
        hint:
          parts.length === 5 ? 'this is an encrypted JWT (JWE): give the token vendor explicitly' : undefined,
      },
    );
  const [h, p, s] = parts as [string, string, string];
  return {
    header: jsonObject(h, 'header'),
    claims: jsonObject(p, 'claims'),
    signingInput: utf8(`${h}.${p}`),
    signature: fromBase64(s),
  };
}

/** JWS algorithms tskrb verifies (RFC 7518 3.3 RS256, 3.4 ES256), as WebCrypto parameters. */
const JWS_ALGS: Readonly<
  Record<
    string,
    { import: RsaHashedImportParams | EcKeyImportParams; verify: AlgorithmIdentifier | EcdsaParams }
  >
> = {
  RS256: {
    import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    verify: { name: 'RSASSA-PKCS1-v1_5' },
  },
  ES256: {
    import: { name: 'ECDSA', namedCurve: 'P-256' },
    verify: { name: 'ECDSA', hash: 'SHA-256' },
  },
};

/**
 * Verifies a JWS signature with the issuer's public key (a JWK, or a WebCrypto CryptoKey) by the header's `alg`:
 * RS256 or ES256 (its signature is r || s, as WebCrypto takes it). Any other `alg`, `none` included, is a
 * ProtocolError: a token is never called verified without a signature checked. Claims (exp, aud) are the caller's.
 */
export async function verifyJwt(jwt: Jwt | string, key: JsonWebKey | CryptoKey): Promise<boolean> {
  const t = typeof jwt === 'string' ? parseJwt(jwt) : jwt;
  const alg = t.header['alg'];
  const a = typeof alg === 'string' ? JWS_ALGS[alg] : undefined;
  if (a === undefined)
    throw new ProtocolError(`JWT alg ${JSON.stringify(alg)} is not one tskrb verifies (RS256, ES256)`, {
      check: 'jwt-alg',
    });
  const k =
    'kty' in key && typeof key.kty === 'string'
      ? await crypto.subtle.importKey('jwk', key as JsonWebKey, a.import, false, ['verify'])
      : (key as CryptoKey);
  return crypto.subtle.verify(a.verify, k, toArrayBuffer(t.signature), toArrayBuffer(t.signingInput));
}
