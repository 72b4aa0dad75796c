/**
 * What a KDC error most likely means, per exchange step. A table, not a switch: the step-specific row wins over
 * the generic one. Hints name the setting to check on MIT (kadmin / LDAP attribute) and on AD/Samba.
 */

/**
 * The exchange a request belongs to; the same error code means different things in each. `TOKEN` is an AS exchange
 * with token pre-authentication (Apache Kerby PA-TOKEN-REQUEST inside FAST).
 */
export type ExchangeStep = 'AS' | 'TGS' | 'S4U2Self' | 'S4U2Proxy' | 'U2U' | 'FAST' | 'RENEW' | 'TOKEN';

const GENERIC: Record<string, string> = {
  KDC_ERR_C_PRINCIPAL_UNKNOWN:
    'the client principal does not exist in this realm (check spelling, realm, and enterprise/UPN form)',
  KDC_ERR_S_PRINCIPAL_UNKNOWN:
    'the service principal is not registered in the realm (MIT: kadmin addprinc; AD/Samba: the SPN is on no account)',
  KDC_ERR_PREAUTH_FAILED:
    'wrong password or key: the pre-authentication did not decrypt with the key the KDC has (password changed, wrong salt, stale keytab kvno)',
  KDC_ERR_PREAUTH_REQUIRED:
    'the KDC wants pre-authentication; the client retries with the etype info it sent',
  KDC_ERR_ETYPE_NOSUPP:
    'no encryption type in common: the request offered enctypes that the KDC or the principal has no key for (Samba offers 17, 18, 23; not 19/20)',
  KDC_ERR_CLIENT_REVOKED: 'the client account is disabled, locked out or expired',
  KDC_ERR_KEY_EXPIRED: 'the password has expired; change it before logging in',
  KDC_ERR_POLICY:
    'the KDC policy refused the request (account restrictions, or an option the principal may not use)',
  KDC_ERR_BADOPTION:
    'the KDC cannot honour a requested option (forwardable/renewable/proxiable not allowed for this principal, or a delegation option refused)',
  KDC_ERR_TGT_REVOKED: 'the TGT is no longer valid (krbtgt key changed or account disabled): log in again',
  KDC_ERR_WRONG_REALM:
    'the principal belongs to another realm: follow the referral to the realm named in the reply',
  KDC_ERR_NEVER_VALID: 'the requested start time is after the end time',
  KDC_ERR_CANNOT_POSTDATE: 'the ticket may not be postdated',
  KDC_ERR_SERVER_NOMATCH: 'the server name in the ticket does not match the request',
  KDC_ERR_MUST_USE_USER2USER:
    'the service has no long-term key: use user-to-user (enc-tkt-in-skey with its TGT)',
  KDC_ERR_PADATA_TYPE_NOSUPP: 'the KDC does not support a pre-authentication type the request used',
  KDC_ERR_SVC_UNAVAILABLE: 'the KDC is unavailable or cannot serve this request now',
  KDC_ERR_PREAUTH_EXPIRED: 'the pre-authentication data is too old; check the clock',
  KDC_ERR_MORE_PREAUTH_DATA_REQUIRED:
    'the pre-authentication needs another round trip (FAST or a multi-step mechanism)',
  KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS: 'the KDC does not understand a critical FAST option in the request',
  KRB_AP_ERR_SKEW:
    'client and KDC clocks differ by more than the allowed skew (usually 5 minutes): sync the clock; tskrb retries once with the KDC time',
  KRB_AP_ERR_MODIFIED:
    'integrity check failed at the KDC: the keytab or password does not match the key the KDC holds (re-export the keytab; check kvno)',
  KRB_AP_ERR_BAD_INTEGRITY: 'integrity check failed: wrong key (stale keytab, or a FAST/armor key mismatch)',
  KRB_AP_ERR_TKT_EXPIRED: 'the ticket presented has expired: get a new one',
  KRB_AP_ERR_TKT_NYV: 'the ticket is not yet valid: check clocks',
  KRB_AP_ERR_REPEAT: 'the KDC saw this authenticator before (replay cache): do not resend identical requests',
  KRB_AP_ERR_INAPP_CKSUM:
    'the request carried an inappropriate checksum (e.g. no req-body checksum in the TGS authenticator)',
  KRB_AP_ERR_BADKEYVER: 'the ticket was encrypted with a key version the KDC no longer has',
  KRB_AP_ERR_NOKEY: 'the KDC has no key to decrypt the ticket presented',
  KRB_ERR_RESPONSE_TOO_BIG: 'the reply does not fit in a UDP datagram: retry over TCP',
  KRB_ERR_GENERIC: 'the KDC reported a generic error; the e-text and the KDC log give the reason',
};

const BY_STEP: Record<string, string> = {
  'S4U2Self:KDC_ERR_BADOPTION':
    'S4U2Self refused: the service is not trusted to authenticate for delegation (MIT: +ok_to_auth_as_delegate on the service principal; AD/Samba: TrustedToAuthForDelegation / samba-tool delegation for-any-protocol on), or it asked for forwardable without that right; with user-to-user, MIT refuses enc-tkt-in-skey in S4U2Self (e-text INVALID S4U2SELF OPTIONS) while Samba accepts it',
  'S4U2Self:KRB_ERR_GENERIC':
    'S4U2Self: the KDC could not process the request; its e-text names the step (MIT LOOKING_UP_S4U2SELF_PRINCIPAL: it found no user for the name or certificate; MIT maps certificates to users only through a KDB or certauth module)',
  'S4U2Self:KDC_ERR_POLICY':
    'S4U2Self refused by policy: the service may not impersonate this user (MIT: ok_to_auth_as_delegate; AD: the user is "sensitive and cannot be delegated" or in Protected Users)',
  'S4U2Self:KDC_ERR_C_PRINCIPAL_UNKNOWN':
    'S4U2Self: the impersonated user does not exist in the realm asked (check the user realm, or use an enterprise name)',
  'S4U2Self:KDC_ERR_S_PRINCIPAL_UNKNOWN':
    'S4U2Self: the KDC does not know the requesting service as a principal it can issue a ticket to (AD: the account has no SPN; use --u2u)',
  'S4U2Self:KRB_AP_ERR_MODIFIED':
    'S4U2Self: a checksum did not verify at the KDC: the PA-FOR-USER/PA-S4U-X509-USER checksum key is wrong (under FAST the reply key changes), or the keytab does not match the KDC',
  'S4U2Self:KDC_ERR_ETYPE_NOSUPP':
    "S4U2Self: the ticket is encrypted in the service's own key and the service has no key of an offered enctype (AD/Samba: msDS-SupportedEncryptionTypes of the service account; MIT: the principal's keys)",
  'S4U2Self:KRB_AP_ERR_SKEW':
    'S4U2Self: the TGS authenticator time is outside the KDC clock skew (usually 5 minutes): sync the clock; tskrb retries once with the KDC time',
  'S4U2Self:KRB_AP_ERR_INAPP_CKSUM':
    'S4U2Self: the KDC wants a keyed checksum in PA-S4U-X509-USER (an unkeyed one is only allowed with rc4 and older session keys)',
  'S4U2Proxy:KDC_ERR_BADOPTION':
    "S4U2Proxy refused: the target is not in the service's allowed-to-delegate list (AD msDS-AllowedToDelegateTo / MIT krbAllowedToDelegateTo), or the evidence ticket is not forwardable (no protocol transition: MIT ok_to_auth_as_delegate, AD TrustedToAuthForDelegation), or resource-based delegation is not granted on the target (msDS-AllowedToActOnBehalfOfOtherIdentity); an MIT KDC on the db2 backend refuses every S4U2Proxy (it needs the LDAP backend)",
  'S4U2Proxy:KDC_ERR_ETYPE_NOSUPP':
    'S4U2Proxy: the target has no key of an offered enctype, or the KDC has no key of the enctype the evidence ticket is encrypted in (AD/Samba: msDS-SupportedEncryptionTypes of the target account)',
  'S4U2Proxy:KRB_AP_ERR_SKEW':
    'S4U2Proxy: the TGS authenticator time is outside the KDC clock skew (usually 5 minutes): sync the clock; tskrb retries once with the KDC time',
  'S4U2Proxy:KRB_AP_ERR_TKT_EXPIRED':
    'S4U2Proxy: the evidence ticket has expired: get a new S4U2Self ticket (or a new service ticket from the user)',
  'S4U2Proxy:KDC_ERR_POLICY':
    'S4U2Proxy refused by policy: the user cannot be delegated (sensitive account / Protected Users) or the target forbids it',
  'S4U2Proxy:KDC_ERR_S_PRINCIPAL_UNKNOWN':
    'S4U2Proxy: the target service principal does not exist (check the SPN and its realm)',
  'S4U2Proxy:KRB_AP_ERR_MODIFIED':
    'S4U2Proxy: the evidence ticket did not decrypt at the KDC: it was not issued to this service, or its key changed',
  'S4U2Proxy:KDC_ERR_C_PRINCIPAL_UNKNOWN':
    'S4U2Proxy: the client named by the evidence ticket is unknown to the KDC',
  'AS:KDC_ERR_PREAUTH_FAILED':
    'wrong password (or wrong key in the keytab): the encrypted timestamp did not decrypt with the key the KDC holds for this principal',
  'AS:KDC_ERR_POLICY':
    'the KDC requires a pre-authentication this client did not do (e.g. FAST-only encrypted challenge: enable FAST with an armor ticket)',
  'AS:KDC_ERR_PREAUTH_REQUIRED':
    'pre-authentication required but no usable method was offered (the realm may require FAST: enable it with an armor ticket or anonymous PKINIT)',
  'TGS:KDC_ERR_BADOPTION':
    'the TGS refused an option (forwardable/renewable from a TGT that lacks it, or enc-tkt-in-skey without a second ticket)',
  'U2U:KDC_ERR_BADOPTION':
    'user-to-user refused: the additional ticket is not a TGT of the target service, or the KDC does not allow u2u here',
  'FAST:KDC_ERR_PREAUTH_FAILED':
    "the encrypted challenge did not verify: wrong password, or the armor key differs from the KDC's",
  'RENEW:KDC_ERR_BADOPTION': 'the ticket is not renewable, or its renew-till has passed',
  'TOKEN:KDC_ERR_PREAUTH_REQUIRED':
    'the KDC has no token pre-authentication: PA-TOKEN-REQUEST (Apache Kerby padata 148) was not recognised. MIT krb5, Heimdal and Windows/Samba KDCs have no token mechanism; use an Apache Kerby KDC with token preauth allowed and the token issuer configured (the token itself went only inside FAST)',
  'TOKEN:KDC_ERR_PADATA_TYPE_NOSUPP':
    'the KDC has no token pre-authentication: PA-TOKEN-REQUEST (Apache Kerby padata 148) was not recognised. MIT krb5, Heimdal and Windows/Samba KDCs have no token mechanism; use an Apache Kerby KDC with token preauth allowed and the token issuer configured (the token itself went only inside FAST)',
  'TOKEN:KDC_ERR_POLICY':
    'the KDC has no token pre-authentication: PA-TOKEN-REQUEST (Apache Kerby padata 148) was not recognised. MIT krb5, Heimdal and Windows/Samba KDCs have no token mechanism; use an Apache Kerby KDC with token preauth allowed and the token issuer configured (the token itself went only inside FAST)',
  'TOKEN:KDC_ERR_PREAUTH_FAILED':
    'the KDC refused the token: untrusted issuer (Kerby: the tokenVendor is not among its issuers), a signature its verify key does not match, or an audience that is not the requested server',
  'TOKEN:KDC_ERR_C_PRINCIPAL_UNKNOWN':
    'the KDC knows no principal for the token subject (Kerby maps the token `sub` to the client principal)',
};

/** The most specific hint known for `codeName` in `step`, if any. */
export function hintFor(step: ExchangeStep, codeName: string): string | undefined {
  return BY_STEP[`${step}:${codeName}`] ?? GENERIC[codeName];
}
