// RFC 4121 4.1.1.2 channel-binding hash and RFC 5929 tls-server-end-point (expected values from Python hashlib).
import { describe, expect, it } from 'vitest';
import {
  type CertificateHashAlgorithm,
  channelBindingsHash,
  encodeChannelBindings,
  tlsServerEndPoint,
} from '../../src/gss/channel-bindings.js';
import { toHex, utf8 } from '../../src/util/bytes.js';

describe('channel bindings', () => {
  it('encodes every field as a little-endian type or length, then the value', () => {
    const cb = {
      initiatorAddrType: 2,
      initiatorAddress: Uint8Array.of(127, 0, 0, 1),
      acceptorAddrType: 2,
      acceptorAddress: Uint8Array.of(10, 0, 0, 1),
      applicationData: utf8('app'),
    };
    expect(toHex(encodeChannelBindings(cb))).toBe(
      '02000000' + '04000000' + '7f000001' + '02000000' + '04000000' + '0a000001' + '03000000' + '617070',
    );
    expect(toHex(channelBindingsHash(cb))).toBe('dd9617f5e82e2668b1e1f2fe21b04eaa');
  });

  it('empty bindings hash 20 zero bytes', () => {
    expect(toHex(channelBindingsHash({}))).toBe('441018525208457705bf09a8ee3c1093');
  });

  const cert = utf8('certificate bytes');
  it.each<[CertificateHashAlgorithm, string]>([
    ['sha256', 'a249c95f888154bcb82dcffe56165bb8'],
    ['sha1', 'a249c95f888154bcb82dcffe56165bb8'],
    ['md5', 'a249c95f888154bcb82dcffe56165bb8'],
    ['sha512', 'd466a4306166fa754163c521bece92ce'],
  ])('tls-server-end-point with %s (MD5 and SHA-1 become SHA-256, RFC 5929 4.1)', (alg, hash) => {
    const cb = tlsServerEndPoint(cert, alg);
    expect(new TextDecoder().decode(cb.applicationData!.subarray(0, 21))).toBe('tls-server-end-point:');
    expect(toHex(channelBindingsHash(cb))).toBe(hash);
  });
});
