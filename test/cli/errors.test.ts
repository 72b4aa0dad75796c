import { describe, expect, it } from 'vitest';
import { MessageType, NameType } from '../../src/asn1/index.js';
import { ExitCode, exitCodeOf, formatError, UsageError } from '../../src/cli/errors.js';
import {
  Asn1DecodeError,
  CryptoError,
  FormatError,
  IntegrityError,
  KerberosError,
  PacDecodeError,
  ProtocolError,
  TransportError,
} from '../../src/errors.js';
import { KdcError } from '../../src/messages/kdc-error.js';

const kdcError = new KdcError(
  {
    pvno: 5,
    msgType: MessageType.KRB_ERROR,
    stime: new Date(0),
    susec: 0,
    errorCode: 13,
    realm: 'R',
    sname: { nameType: NameType.NT_SRV_HST, nameString: ['cifs', 'f'] },
  },
  'S4U2Proxy',
);

describe('exit codes by error class', () => {
  it.each([
    ['UsageError', new UsageError('u'), 1],
    ['KdcError', kdcError, 2],
    ['TransportError', new TransportError('t'), 3],
    ['IntegrityError', new IntegrityError('i'), 4],
    ['ProtocolError', new ProtocolError('p'), 4],
    ['FormatError', new FormatError('f'), 5],
    ['Asn1DecodeError', new Asn1DecodeError('X', 0, 'bad'), 5],
    ['PacDecodeError', new PacDecodeError(0, 'bad'), 5],
    ['CryptoError (a bad key on the command line)', new CryptoError('c'), 1],
    ['another KerberosError', new KerberosError('k'), 1],
    ['a bug', new TypeError('x is undefined'), 1],
  ])('%s exits %i', (_name, error, code) => {
    expect(exitCodeOf(error)).toBe(code);
  });

  it('names the codes', () => {
    expect(ExitCode).toEqual({
      Ok: 0,
      Usage: 1,
      KdcRefused: 2,
      Network: 3,
      Integrity: 4,
      BadInput: 5,
      ServerRefused: 6,
    });
  });
});

describe('formatError', () => {
  it('prints one line with the KDC error name and the hint', () => {
    const line = formatError(kdcError, false);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd().split('\n')).toHaveLength(1);
    expect(line).toContain('tskrb: S4U2Proxy: KDC_ERR_BADOPTION (13)');
    expect(line).toContain('(hint: S4U2Proxy refused: the target is not in the service');
  });

  it('keeps a multi-line message on one line', () => {
    expect(formatError(new FormatError('a\nb'), false)).toBe('tskrb: a b\n');
  });

  it('adds the stack with --debug', () => {
    const out = formatError(new FormatError('bad'), true);
    expect(out.split('\n')[0]).toBe('tskrb: bad');
    expect(out).toContain('at ');
  });

  it('calls an unexpected error internal and points at --debug', () => {
    expect(formatError(new TypeError('boom'), false)).toBe(
      'tskrb: internal error: boom (run with --debug for the stack)\n',
    );
  });
});
