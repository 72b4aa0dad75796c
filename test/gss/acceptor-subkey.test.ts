// The AP-REP subkey rule of RFC 4121 vs RFC 4757 contexts, as MIT's accept_sec_context.c and init_sec_context.c.
import { describe, expect, it } from 'vitest';
import { freshAcceptorSubkeyEtype, takesAcceptorSubkey } from '../../src/gss/acceptor-subkey.js';
import { GssFlag } from '../../src/gss/constants.js';

describe('freshAcceptorSubkeyEtype', () => {
  it.each([
    ['aes256 initiator subkey: fresh aes256', 18, undefined, 0, 18],
    ['aes-sha2 initiator subkey, aes256 negotiated: fresh aes256', 20, 18, 0, 18],
    ['rc4 initiator subkey, aes256 negotiated (an upgrade): fresh aes256', 23, 18, 0, 18],
    ['rc4 initiator subkey, no negotiation: echo (RFC 4757)', 23, undefined, 0, undefined],
    ['rc4 initiator subkey, rc4 negotiated: echo (RFC 4757)', 23, 23, 0, undefined],
    ['rc4 initiator subkey in DCE style: fresh rc4', 23, undefined, GssFlag.DCE_STYLE, 23],
  ] as const)('%s', (_name, initiatorEtype, negotiated, flags, want) => {
    expect(freshAcceptorSubkeyEtype(initiatorEtype, negotiated, flags)).toBe(want);
  });
});

describe('takesAcceptorSubkey', () => {
  it.each([
    ['aes256 context, aes256 AP-REP subkey: taken', 18, 18, 0, true],
    ['rc4 context, aes256 AP-REP subkey (RFC 4537 upgrade): taken', 23, 18, 0, true],
    ['rc4 context, rc4 AP-REP subkey: ignored, as MIT (RFC 4757)', 23, 23, 0, false],
    ['rc4 context in DCE style, rc4 AP-REP subkey: taken', 23, 23, GssFlag.DCE_STYLE, true],
  ] as const)('%s', (_name, initiatorEtype, acceptorEtype, flags, want) => {
    expect(takesAcceptorSubkey(initiatorEtype, acceptorEtype, flags)).toBe(want);
  });
});
