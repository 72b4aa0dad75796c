import { describe, expect, it } from 'vitest';
import { type ExchangeStep, hintFor } from '../../src/messages/exchange-step.js';

describe('KDC error hints', () => {
  it('a step-specific hint wins over the generic one', () => {
    expect(hintFor('S4U2Proxy', 'KDC_ERR_BADOPTION')).toMatch(/allowed-to-delegate|AllowedToDelegateTo/);
    expect(hintFor('S4U2Self', 'KDC_ERR_BADOPTION')).toMatch(/ok_to_auth_as_delegate/);
    expect(hintFor('TGS', 'KDC_ERR_BADOPTION')).not.toBe(hintFor('S4U2Proxy', 'KDC_ERR_BADOPTION'));
  });
  it('falls back to the generic hint, and to none for unknown codes', () => {
    expect(hintFor('TGS', 'KRB_AP_ERR_SKEW')).toMatch(/clock/);
    expect(hintFor('AS', 'KDC_ERR_PREAUTH_FAILED')).toMatch(/password/);
    expect(hintFor('AS', 'NO_SUCH_CODE')).toBeUndefined();
  });

  // Each S4U failure names the setting to check on MIT and on AD/Samba (issue 5, "errors that teach").
  const S4U: [ExchangeStep, string, RegExp[]][] = [
    [
      'S4U2Self',
      'KDC_ERR_BADOPTION',
      [/ok_to_auth_as_delegate/, /TrustedToAuthForDelegation/, /INVALID S4U2SELF OPTIONS/],
    ],
    ['S4U2Self', 'KDC_ERR_POLICY', [/ok_to_auth_as_delegate/, /Protected Users/]],
    ['S4U2Self', 'KDC_ERR_C_PRINCIPAL_UNKNOWN', [/impersonated user does not exist/]],
    ['S4U2Self', 'KDC_ERR_S_PRINCIPAL_UNKNOWN', [/no SPN/]],
    ['S4U2Self', 'KRB_AP_ERR_MODIFIED', [/PA-FOR-USER/, /keytab/]],
    ['S4U2Self', 'KDC_ERR_ETYPE_NOSUPP', [/msDS-SupportedEncryptionTypes/]],
    ['S4U2Self', 'KRB_AP_ERR_SKEW', [/clock skew/]],
    ['S4U2Self', 'KRB_ERR_GENERIC', [/LOOKING_UP_S4U2SELF_PRINCIPAL/, /certificate/]],
    [
      'S4U2Proxy',
      'KDC_ERR_BADOPTION',
      [
        /msDS-AllowedToDelegateTo/,
        /krbAllowedToDelegateTo/,
        /not forwardable/,
        /msDS-AllowedToActOnBehalfOfOtherIdentity/,
      ],
    ],
    ['S4U2Proxy', 'KDC_ERR_S_PRINCIPAL_UNKNOWN', [/target service principal does not exist/]],
    ['S4U2Proxy', 'KDC_ERR_C_PRINCIPAL_UNKNOWN', [/evidence ticket/]],
    ['S4U2Proxy', 'KRB_AP_ERR_MODIFIED', [/evidence ticket did not decrypt/]],
    ['S4U2Proxy', 'KDC_ERR_ETYPE_NOSUPP', [/enctype/]],
    ['S4U2Proxy', 'KRB_AP_ERR_SKEW', [/clock skew/]],
  ];
  it.each(S4U)('%s %s names the cause', (step, code, patterns) => {
    const h = hintFor(step, code);
    for (const p of patterns) expect(h).toMatch(p);
    expect(h).toMatch(new RegExp(`^${step}`));
  });
});
