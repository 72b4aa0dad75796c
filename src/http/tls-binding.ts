/**
 * The TLS server certificate behind an https:// URL and its tls-server-end-point channel bindings (RFC 5929 4.1),
 * for Negotiate over HTTPS with extended protection (Windows' "EPA"). Node only: the certificate is read by a TLS
 * handshake of its own (global fetch does not expose the peer certificate), with the same host, port and SNI.
 */
import { decodeTop, readObjectIdentifier } from '../asn1/der.js';
import { TransportError } from '../errors.js';
import {
  type CertificateHashAlgorithm,
  type ChannelBindings,
  tlsServerEndPoint,
} from '../gss/channel-bindings.js';

/** Signature algorithm OIDs (RFC 5754, RFC 3279) -> the hash RFC 5929 4.1 starts from. */
const SIGNATURE_HASH: Readonly<Record<string, CertificateHashAlgorithm>> = {
  '1.2.840.113549.1.1.4': 'md5',
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.10040.4.3': 'sha1',
  '2.16.840.1.101.3.4.3.2': 'sha256',
};

/** The signature algorithm OID of a DER certificate (Certificate.signatureAlgorithm, RFC 5280 4.1.1.2). */
export function certificateSignatureOid(certDer: Uint8Array): string {
  return decodeTop(certDer, 'Certificate', (r) =>
    r.seq((s) => {
      s.raw('tbsCertificate');
      const oid = s.seq((a) => {
        const o = readObjectIdentifier(a);
        a.rest();
        return o;
      });
      s.rest();
      return oid;
    }),
  );
}

/**
 * tls-server-end-point bindings of a DER certificate. TransportError for signature algorithms RFC 5929 gives no hash
 * for (RSASSA-PSS with parameters, Ed25519): such a server cannot be bound this way.
 */
export function serverEndPointBindings(certDer: Uint8Array): ChannelBindings {
  const oid = certificateSignatureOid(certDer);
  const hash = SIGNATURE_HASH[oid];
  if (hash === undefined)
    throw new TransportError(
      `tls-server-end-point: no hash defined for the certificate's signature algorithm ${oid}`,
      {
        hint: 'RFC 5929 4.1 covers certificates signed with a single hash (RSA PKCS#1 v1.5, ECDSA, DSA)',
      },
    );
  return tlsServerEndPoint(certDer, hash);
}

/** Options of {@link fetchServerCertificate}. */
export interface ServerCertificateOptions {
  /** Trust anchors (PEM) for the handshake; the system's by default. */
  readonly ca?: string | readonly string[] | undefined;
  /** Accept any certificate (tests against a lab CA the caller does not pass). */
  readonly insecure?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The DER certificate the server at `url` (https) presents, by a TLS handshake to its host and port. */
export async function fetchServerCertificate(
  url: URL,
  o: ServerCertificateOptions = {},
): Promise<Uint8Array> {
  const tls = await import('node:tls');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  return new Promise<Uint8Array>((resolve, reject) => {
    const sock = tls.connect({
      host,
      port,
      ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }),
      ...(o.ca === undefined ? {} : { ca: typeof o.ca === 'string' ? o.ca : [...o.ca] }),
      rejectUnauthorized: !o.insecure,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    sock.once('secureConnect', () => {
      const cert = sock.getPeerCertificate();
      sock.end();
      if (!cert?.raw) reject(new TransportError(`${url.host} sent no certificate`, { kdc: url.host }));
      else resolve(new Uint8Array(cert.raw));
    });
    sock.once('error', (e) =>
      reject(new TransportError(`TLS to ${url.host}: ${e.message}`, { kdc: url.host, cause: e })),
    );
  });
}
