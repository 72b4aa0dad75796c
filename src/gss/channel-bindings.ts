/**
 * Channel bindings (RFC 2744 3.11 gss_channel_bindings_struct) hashed into the authenticator checksum as RFC 4121
 * 4.1.1.2 says, and the TLS binding of RFC 5929 4 (tls-server-end-point) that Windows' extended protection checks.
 */
import { digest } from '../crypto/index.js';
import { concat, utf8 } from '../util/bytes.js';

/** The GSS channel bindings: addresses (usually absent) and application data (the TLS binding). */
export interface ChannelBindings {
  /** GSS_C_AF_* address family of the initiator (0, GSS_C_AF_UNSPEC, when absent). */
  readonly initiatorAddrType?: number | undefined;
  readonly initiatorAddress?: Uint8Array | undefined;
  /** GSS_C_AF_* address family of the acceptor. */
  readonly acceptorAddrType?: number | undefined;
  readonly acceptorAddress?: Uint8Array | undefined;
  /** Application data, e.g. `tls-server-end-point:` and the certificate hash. */
  readonly applicationData?: Uint8Array | undefined;
}

function le32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}

/** The bytes that are hashed: each field as a little-endian 32-bit type or length, then the value (as MIT, Windows). */
export function encodeChannelBindings(cb: ChannelBindings): Uint8Array {
  const ia = cb.initiatorAddress ?? new Uint8Array(0);
  const aa = cb.acceptorAddress ?? new Uint8Array(0);
  const ad = cb.applicationData ?? new Uint8Array(0);
  return concat(
    le32(cb.initiatorAddrType ?? 0),
    le32(ia.length),
    ia,
    le32(cb.acceptorAddrType ?? 0),
    le32(aa.length),
    aa,
    le32(ad.length),
    ad,
  );
}

/** Bnd of the 0x8003 checksum: MD5 of the encoded bindings (RFC 4121 4.1.1.2). */
export function channelBindingsHash(cb: ChannelBindings): Uint8Array {
  return digest('md5', encodeChannelBindings(cb));
}

/** Hash algorithm of a certificate's signature, as RFC 5929 4.1 needs it. */
export type CertificateHashAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

const TLS_SERVER_END_POINT = utf8('tls-server-end-point:');

/**
 * The tls-server-end-point channel bindings of a server certificate (RFC 5929 4.1): the certificate hashed with
 * the hash of its signature algorithm, SHA-256 when that is MD5 or SHA-1, after the prefix `tls-server-end-point:`.
 */
export function tlsServerEndPoint(
  certDer: Uint8Array,
  sigHashAlg: CertificateHashAlgorithm,
): ChannelBindings {
  const alg = sigHashAlg === 'md5' || sigHashAlg === 'sha1' ? 'sha256' : sigHashAlg;
  return { applicationData: concat(TLS_SERVER_END_POINT, digest(alg, certDer)) };
}
