import { describe, expect, it } from 'vitest';
import { ErrorCode, MessageType } from '../src/asn1/index.js';
import { UsageError } from '../src/cli/errors.js';
import { KcmError, KcmOp } from '../src/creds/index.js';
import {
  Asn1DecodeError,
  CryptoError,
  FormatError,
  IntegrityError,
  KerberosError,
  PacDecodeError,
  ProtocolError,
  TransportError,
} from '../src/errors.js';
import { ApExchangeError } from '../src/gss/ap-error.js';
import { SpnegoRejectError } from '../src/gss/spnego-acceptor.js';
import { KdcError } from '../src/messages/kdc-error.js';

const krbError = (errorCode: number) => ({
  pvno: 5,
  msgType: MessageType.KRB_ERROR,
  stime: new Date(0),
  susec: 0,
  errorCode,
  realm: 'EXAMPLE.TEST',
  sname: { nameType: 2, nameString: ['krbtgt', 'EXAMPLE.TEST'] },
});

describe('error codes (README: Error codes)', () => {
  it.each([
    [new KerberosError('x'), 'ERR_TSKRB'],
    [new Asn1DecodeError('A', 0, 'x'), 'ERR_TSKRB_ASN1_DECODE'],
    [new IntegrityError('x'), 'ERR_TSKRB_INTEGRITY'],
    [new CryptoError('x'), 'ERR_TSKRB_CRYPTO'],
    [new TransportError('x'), 'ERR_TSKRB_TRANSPORT'],
    [new ProtocolError('x'), 'ERR_TSKRB_PROTOCOL'],
    [new SpnegoRejectError('x', { check: 'spnego-state' }), 'ERR_TSKRB_SPNEGO_REJECTED'],
    [new PacDecodeError(0, 'x'), 'ERR_TSKRB_PAC_DECODE'],
    [new FormatError('x'), 'ERR_TSKRB_FORMAT'],
    [new UsageError('x'), 'ERR_TSKRB_USAGE'],
    [new KcmError(KcmOp.GET_PRINCIPAL, -1765328189), 'ERR_TSKRB_KCM'],
  ])('%s has code %s', (error, code) => {
    expect(error.code).toBe(code);
    expect(error).toBeInstanceOf(KerberosError);
  });

  it('a KdcError has the KRB-ERROR name as code and the number as errorCode', () => {
    const e = new KdcError(krbError(ErrorCode.KDC_ERR_BADOPTION), 'S4U2Proxy');
    expect(e).toMatchObject({ code: 'KDC_ERR_BADOPTION', codeName: 'KDC_ERR_BADOPTION', errorCode: 13 });
  });

  it('an ApExchangeError has the KRB-ERROR name as code and the number as errorCode', () => {
    const e = new ApExchangeError(krbError(ErrorCode.KRB_AP_ERR_SKEW));
    expect(e).toMatchObject({ code: 'KRB_AP_ERR_SKEW', errorCode: 37 });
  });

  it('an unknown KRB-ERROR number still has a string code', () => {
    expect(new KdcError(krbError(4242), 'AS').code).toBe('UNKNOWN_ERROR_4242');
  });

  it('a code given to the constructor wins over the class code', () => {
    expect(new FormatError('x', { code: 'ERR_TSKRB_CCACHE_TYPE' }).code).toBe('ERR_TSKRB_CCACHE_TYPE');
  });
});
