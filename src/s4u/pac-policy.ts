/** What a service demands of the PAC of an S4U ticket, and the check of a ticket's PAC against it. MS-PAC 2.8, MS-SFU 3.1.5. */
import { KerberosError, ProtocolError } from '../errors.js';
import type { TicketKeys, TicketPac } from '../pac/ticket-pac.js';
import type { S4uStep } from './constants.js';

/** What a service demands of the PAC of an S4U ticket (checked with {@link TicketKeys}). */
export interface PacPolicy {
  /** Fail (ProtocolError, check 'pac') when the ticket has no PAC; needs `serviceKeys`. */
  readonly requirePac?: boolean | undefined;
  /**
   * Fail (ProtocolError, check 'pac') unless the PAC verifies: a valid server signature, no invalid one, and with
   * `kdcKeys` a valid KDC signature. Implies `requirePac`; needs `serviceKeys`.
   */
  readonly requirePacVerified?: boolean | undefined;
}

/** Checks a ticket's PAC against the policy; throws ProtocolError (check 'pac') when it falls short. */
export function enforcePacPolicy(
  step: S4uStep,
  pac: TicketPac | undefined,
  keys: TicketKeys & PacPolicy,
): void {
  const strict = keys.requirePacVerified === true;
  if (!strict && keys.requirePac !== true) return;
  if (!keys.serviceKeys?.length) {
    throw new KerberosError(`${step}: a PAC requirement needs the ticket server's keys`, {
      hint: 'pass serviceKeys (the keytab keys of the ticket server) with requirePac or requirePacVerified',
    });
  }
  if (!pac) {
    throw new ProtocolError(`${step}: the ticket has no PAC`, {
      check: 'pac',
      hint: 'the KDC issued the ticket without a PAC (MIT without a KDB PAC plugin, a principal with no-auth-data-required, or a KDC that ignored PA-PAC-REQUEST): authorization data cannot be trusted',
    });
  }
  if (!strict) return;
  const v = pac.verification;
  const kdcBad = keys.kdcKeys?.length ? v.kdc.status !== 'valid' : false;
  if (!v.verified || kdcBad) {
    const bad = v.server.status !== 'valid' ? `server signature ${v.server.status} (${v.server.reason})` : '';
    const more = [
      ['KDC', v.kdc],
      ['ticket', v.ticket],
      ['full', v.full],
    ] as const;
    const others = more
      .filter(([name, c]) => c.status === 'invalid' || (name === 'KDC' && kdcBad))
      .map(([name, c]) => `${name} signature ${c.status} (${c.reason})`);
    throw new ProtocolError(
      `${step}: the ticket's PAC does not verify: ${[bad, ...others].filter(Boolean).join('; ')}`,
      {
        check: 'pac',
        hint: 'the PAC was not signed with the service key and krbtgt key given: wrong or stale keytab keys (kvno), or a forged PAC',
      },
    );
  }
}
