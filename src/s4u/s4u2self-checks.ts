/** Checks of an S4U2Self reply beyond PA-S4U-X509-USER: whom the ticket names, whether it is forwardable. MS-SFU 1.5, 3.1.5.1. */
import { ProtocolError } from '../errors.js';
import { formatPrincipal, type Principal, sameName } from '../messages/principal.js';

/**
 * A KDC that does not understand the S4U padata answers as to a plain TGS-REQ, naming the service itself (MS-SFU
 * 1.5): ProtocolError (check 's4u2self-client') when the ticket names `service` and not the `user` asked.
 */
export function checkS4u2SelfClient(
  named: Principal,
  service: Principal,
  user: Principal | undefined,
  byCertificate: boolean,
): void {
  if (named.realm !== service.realm || !sameName(named.name, service.name)) return;
  if (user && sameName(user.name, named.name)) return;
  throw new ProtocolError(
    `S4U2Self: the KDC issued a ticket naming the service itself (${formatPrincipal(named.name, named.realm)}), not the user: it ignored the S4U2Self padata`,
    {
      check: 's4u2self-client',
      hint:
        byCertificate && !user
          ? 'this KDC does not implement S4U2Self by certificate (PA-S4U-X509-USER without a name); name the user instead'
          : 'this KDC does not implement S4U2Self (MS-SFU 1.5)',
    },
  );
}

/** The warning for an S4U2Self ticket asked forwardable and issued without the flag. */
export const NOT_FORWARDABLE =
  'the S4U2Self ticket is not forwardable: S4U2Proxy with it will fail on classic constrained delegation (the service lacks protocol transition: MIT ok_to_auth_as_delegate, AD TrustedToAuthForDelegation; or its TGT is not forwardable; or the user may not be delegated)';

/** A warning the reply earns for a user that did not answer with its PA-S4U-X509-USER echo. */
export const NO_USER_CHECK =
  'the KDC returned no PA-S4U-X509-USER: the reply is bound to the request by its nonce and subkey only';
