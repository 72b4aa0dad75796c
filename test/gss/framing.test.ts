// RFC 2743 3.1 framing and the Kerberos TOK_ID.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Asn1DecodeError, KerberosError, ProtocolError } from '../../src/errors.js';
import { GssMechOid, GssTokenId } from '../../src/gss/constants.js';
import { decodeGssToken, decodeKrb5Token, encodeGssToken, encodeKrb5Token } from '../../src/gss/framing.js';
import { fromHex, toHex } from '../../src/util/bytes.js';

describe('framing', () => {
  it('writes 60 len 06 09 <krb5 OID> then the inner token', () => {
    expect(toHex(encodeKrb5Token(GssTokenId.AP_REQ, Uint8Array.of(0xaa)))).toBe(
      '600e06092a864886f7120102020100aa',
    );
  });

  it('uses the long length form past 127 bytes', () => {
    const t = encodeGssToken(GssMechOid.SPNEGO, new Uint8Array(200));
    expect(toHex(t.subarray(0, 5))).toBe('6081d00606');
    expect(decodeGssToken(t)).toEqual({ mechOid: GssMechOid.SPNEGO, inner: new Uint8Array(200) });
  });

  it('accepts the Microsoft krb5 OID, refuses another mechanism and another TOK_ID', () => {
    const ms = encodeKrb5Token(GssTokenId.AP_REQ, new Uint8Array(3), GssMechOid.MS_KRB5);
    expect(decodeKrb5Token(ms, [GssTokenId.AP_REQ]).mechOid).toBe(GssMechOid.MS_KRB5);
    const spnego = encodeGssToken(GssMechOid.SPNEGO, Uint8Array.of(1, 0));
    expect(() => decodeKrb5Token(spnego, [GssTokenId.AP_REQ])).toThrow(
      expect.objectContaining({ check: 'mech' }),
    );
    expect(() => decodeKrb5Token(ms, [GssTokenId.AP_REP])).toThrow(
      expect.objectContaining({ check: 'token-id' }),
    );
    expect(() => decodeKrb5Token(encodeGssToken(GssMechOid.KRB5, Uint8Array.of(1)), [0x100])).toThrow(
      ProtocolError,
    );
  });

  it('refuses trailing bytes and non-minimal lengths', () => {
    expect(() => decodeGssToken(fromHex('600e06092a864886f7120102020100aa00'))).toThrow(Asn1DecodeError);
    expect(() => decodeGssToken(fromHex('60810e06092a864886f7120102020100aa'))).toThrow(Asn1DecodeError);
  });

  it('round-trips and never throws anything but typed errors (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (inner) => {
        expect(decodeGssToken(encodeGssToken(GssMechOid.KRB5, inner)).inner).toEqual(inner);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          decodeKrb5Token(Uint8Array.of(0x60, b.length, ...b), [0x100]);
        } catch (e) {
          expect(e).toBeInstanceOf(KerberosError);
        }
      }),
    );
  });
});
