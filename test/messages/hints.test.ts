import { describe, expect, it } from 'vitest';
import { hintFor } from '../../src/messages/hints.js';

describe('KDC error hints', () => {
  it('a step-specific hint wins over the generic one', () => {
    expect(hintFor('S4U2Proxy', 'KDC_ERR_BADOPTION')).toMatch(/allowed-to-delegate|AllowedToDelegateTo/);
    expect(hintFor('S4U2Self', 'KDC_ERR_BADOPTION')).toMatch(/ok_to_auth_as_delegate/);
    expect(hintFor('TGS', 'KDC_ERR_BADOPTION')).not.toBe(hintFor('S4U2Proxy', 'KDC_ERR_BADOPTION'));
  });
  it('falls back to the generic hint, and to none for unknown codes', () => {
    expect(hintFor('S4U2Proxy', 'KRB_AP_ERR_SKEW')).toMatch(/clock/);
    expect(hintFor('AS', 'KDC_ERR_PREAUTH_FAILED')).toMatch(/password/);
    expect(hintFor('AS', 'NO_SUCH_CODE')).toBeUndefined();
  });
});
