import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peekKrbErrorCode } from '../../src/transport/krb-error-peek.js';
import { fromHex } from '../../src/util/bytes.js';

// KRB-ERROR (RFC 4120 5.9.1) built by hand: [APPLICATION 30] SEQUENCE { pvno [0] 5, msg-type [1] 30,
// stime [4] GeneralizedTime, susec [5] 0, error-code [6] CODE, realm [9] "R", sname [10] {2, {"k"}} }.
function krbError(codeTlv: string, withCtime = false): Uint8Array {
  const ctime = withCtime ? 'a211180f32303234303130313030303030305a' : '';
  const body = `a003020105a10302011e${ctime}a411180f32303234303130313030303030305aa503020100a6${(codeTlv.length / 2).toString(16).padStart(2, '0')}${codeTlv}a9031b0152aa0e300ca003020102a105300316016b`;
  const seq = `30${(body.length / 2).toString(16).padStart(2, '0')}${body}`;
  return fromHex(`7e${(seq.length / 2).toString(16).padStart(2, '0')}${seq}`);
}

describe('peekKrbErrorCode', () => {
  it.each([
    ['KRB_ERR_RESPONSE_TOO_BIG', '020134', 52],
    ['KDC_ERR_SVC_UNAVAILABLE', '02011d', 29],
    ['KDC_ERR_NONE', '020100', 0],
    ['a two-byte code', '02020100', 256],
    ['a negative code', '0201ff', -1],
    ['a four-byte negative code', '0204fffffffe', -2],
  ])('reads %s', (_n, tlv, code) => {
    expect(peekKrbErrorCode(krbError(tlv))).toBe(code);
  });

  it('skips optional fields before error-code (ctime)', () => {
    expect(peekKrbErrorCode(krbError('020134', true))).toBe(52);
  });

  it('reads long-form lengths', () => {
    const fields = 'a003020105a10302011ea603020134';
    expect(peekKrbErrorCode(fromHex(`7e8112 30810f ${fields}`))).toBe(52);
  });

  it.each([
    ['an AS-REP', fromHex('6b03020105')],
    ['empty input', new Uint8Array(0)],
    ['a KRB-ERROR cut short', krbError('020134').subarray(0, 20)],
    ['an error-code that is not an INTEGER', krbError('040134')],
    ['an error-code of five bytes', krbError('02050000000001')],
    ['a length beyond the input', fromHex('7e7f30')],
    ['an indefinite length', fromHex('7e80300000')],
    ['a multi-byte tag', fromHex('7f1e00')],
    ['no error-code before later fields', fromHex('7e07 3005 a9031b0152')],
  ])('returns undefined for %s', (_n, b) => {
    expect(peekKrbErrorCode(b)).toBeUndefined();
  });

  it('never throws on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
        const v = peekKrbErrorCode(new Uint8Array([0x7e, ...tail]));
        expect(v === undefined || Number.isInteger(v)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
