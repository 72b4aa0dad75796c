// RFC 4121 4.2 token layout and checks, on the token functions directly.
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/errors.js';
import { TokenFlag } from '../../src/gss/constants.js';
import {
  type CfxReceiver,
  cfxGetMic,
  cfxUnwrap,
  cfxVerifyMic,
  cfxWrap,
} from '../../src/gss/message-tokens.js';
import { toHex, utf8 } from '../../src/util/bytes.js';
import { serviceKey } from './fixtures.js';
import { checkOf } from './spnego-fixtures.js';

const key = serviceKey(18);
const initiatorSends = { key, acceptor: false, acceptorSubkey: false };
const acceptorReceives: CfxReceiver = { acceptor: true, keyFor: () => key };
const SEQ = 0x1_0000_0002;

describe('RFC 4121 MIC token', () => {
  it('header 04 04, flags, five ff, 64-bit big-endian SND_SEQ, then the 12-byte checksum', () => {
    const t = cfxGetMic({ ...initiatorSends, acceptorSubkey: true }, SEQ, utf8('m'));
    expect(toHex(t.subarray(0, 16))).toBe('040404ffffffffff0000000100000002');
    expect(t.length).toBe(28);
    expect(cfxVerifyMic(acceptorReceives, utf8('m'), t)).toBe(SEQ);
  });

  it('refuses a short token, a bad filler, a truncated checksum', () => {
    const t = cfxGetMic(initiatorSends, 1, utf8('m'));
    expect(checkOf(() => cfxVerifyMic(acceptorReceives, utf8('m'), t.subarray(0, 10)))).toBe('token-length');
    const f = t.slice();
    f[5] = 0;
    expect(checkOf(() => cfxVerifyMic(acceptorReceives, utf8('m'), f))).toBe('filler');
    expect(checkOf(() => cfxVerifyMic(acceptorReceives, utf8('m'), t.subarray(0, 27)))).toBe('integrity');
  });

  it('a token flagged AcceptorSubkey needs an acceptor subkey', () => {
    const initiatorReceives: CfxReceiver = {
      acceptor: false,
      keyFor: (sub) => {
        if (sub) throw new ProtocolError('none', { check: 'acceptor-subkey' });
        return key;
      },
    };
    const t = cfxGetMic({ key, acceptor: true, acceptorSubkey: true }, 1, utf8('m'));
    expect(t[2]).toBe(TokenFlag.SENT_BY_ACCEPTOR | TokenFlag.ACCEPTOR_SUBKEY);
    expect(checkOf(() => cfxVerifyMic(initiatorReceives, utf8('m'), t))).toBe('acceptor-subkey');
  });
});

describe('RFC 4121 Wrap token', () => {
  it('without confidentiality: EC is the checksum length, the message is in the clear', () => {
    const t = cfxWrap(initiatorSends, 7, utf8('plain'), { conf: false });
    expect(toHex(t.subarray(0, 16))).toBe('050400ff000c00000000000000000007');
    expect(t.subarray(16, 21)).toEqual(utf8('plain'));
    expect(cfxUnwrap(acceptorReceives, t)).toEqual({ message: utf8('plain'), conf: false, seq: 7 });
  });

  it('refuses an unsealed token whose EC is not the checksum length', () => {
    const t = cfxWrap(initiatorSends, 7, utf8('plain'), { conf: false });
    t[5] = 11;
    expect(checkOf(() => cfxUnwrap(acceptorReceives, t))).toBe('token-length');
  });

  it('sealed: a changed EC is refused (the encrypted header copy holds the real one)', () => {
    const t = cfxWrap(initiatorSends, 7, utf8('secret'), { conf: true, ec: 4 });
    expect(cfxUnwrap(acceptorReceives, t).message).toEqual(utf8('secret'));
    const bad = t.slice();
    bad[5] = 6;
    expect(checkOf(() => cfxUnwrap(acceptorReceives, bad))).toBe('integrity');
  });

  it('rotation: the RRC bytes after the header are rotated right, and any RRC is undone', () => {
    const plain = cfxWrap(initiatorSends, 9, utf8('abc'), { conf: false });
    const rotated = cfxWrap(initiatorSends, 9, utf8('abc'), { conf: false, rrc: 5 });
    const body = plain.subarray(16);
    expect(rotated.subarray(16)).toEqual(
      Uint8Array.from([...body.subarray(body.length - 5), ...body.subarray(0, body.length - 5)]),
    );
    expect(cfxUnwrap(acceptorReceives, rotated).message).toEqual(utf8('abc'));
  });

  it('refuses out-of-range RRC and EC when wrapping', () => {
    expect(() => cfxWrap(initiatorSends, 1, utf8('x'), { conf: true, rrc: 70000 })).toThrow(ProtocolError);
    expect(() => cfxWrap(initiatorSends, 1, utf8('x'), { conf: true, ec: -1 })).toThrow(ProtocolError);
  });
});
