/** What an S4U exchange returns, and opening its ticket with the service's key to read the PAC. MS-SFU 3.1.5, MS-PAC 2.9. */
import type { EncKdcRepPart, EncTicketPart, Ticket } from '../asn1/index.js';
import type { ExchangeResult } from '../client/kdc-client.js';
import type { Key } from '../crypto/index.js';
import { KerberosError, ProtocolError } from '../errors.js';
import type { Credential } from '../messages/credential.js';
import type { Principal } from '../messages/principal.js';
import { openTicket } from '../messages/ticket.js';
import { readTicketPac, type TicketKeys, type TicketPac } from '../pac/index.js';
import type { S4uStep } from './constants.js';
import type { S4uReplyCheck } from './pa-s4u-x509-user.js';

/** The PAC of an S4U ticket, read with the ticket server's key. */
export type S4uPacView = TicketPac;

/** The outcome of S4U2Self or S4U2Proxy. */
export interface S4uResult {
  readonly step: S4uStep;
  /** Ticket, session key, flags and times: usable as evidence, or to write to a ccache. */
  readonly credential: Credential;
  /** The ticket as the KDC sent it. */
  readonly ticket: Ticket;
  /** The decrypted reply part (session key, flags, times, names). */
  readonly encPart: EncKdcRepPart;
  /** The client the ticket names: the impersonated user. */
  readonly user: Principal;
  /** The service the ticket is for. */
  readonly service: Principal;
  /** Whether the ticket is forwardable (S4U2Proxy on classic constrained delegation needs a forwardable S4U2Self ticket). */
  readonly forwardable: boolean;
  /** Things the caller should know (a non-forwardable S4U2Self ticket, a KDC that skipped a check). */
  readonly warnings: readonly string[];
  /** The realm whose KDC issued the ticket. */
  readonly realm: string;
  /** The request nonce and subkey (the reply was encrypted in the subkey). */
  readonly nonce: number;
  readonly subkey: Key | undefined;
  /** S4U2Self: what the reply's PA-S4U-X509-USER proved. */
  readonly userCheck?: S4uReplyCheck | undefined;
  /** The decrypted ticket, when the caller gave the service key. */
  readonly ticketPart?: EncTicketPart | undefined;
  /** The ticket's PAC, when the caller gave the service key and the ticket has one. */
  readonly pac?: S4uPacView | undefined;
  /** The services the delegation went through, from S4U_DELEGATION_INFO (empty when the PAC has none). */
  readonly delegationPath: readonly string[];
  /** The S4U2Proxy target the PAC names, when it does. */
  readonly delegationTarget?: string | undefined;
}

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
  pac: S4uPacView | undefined,
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

/** Builds the result of an S4U exchange, opening the ticket when keys are given and enforcing the PAC policy. */
export function s4uResult(
  step: S4uStep,
  r: ExchangeResult,
  warnings: readonly string[],
  keys: TicketKeys & PacPolicy,
  userCheck?: S4uReplyCheck,
): S4uResult {
  const c = r.credential;
  const ticketPart = keys.serviceKeys?.length ? openTicket(c.ticket, keys.serviceKeys) : undefined;
  const pac = ticketPart ? readTicketPac(ticketPart, keys) : undefined;
  enforcePacPolicy(step, pac, keys);
  return {
    step,
    credential: c,
    ticket: c.ticket,
    encPart: r.encPart,
    user: c.client,
    service: c.server,
    forwardable: c.flags.forwardable === true,
    warnings,
    realm: r.realm,
    nonce: r.nonce,
    subkey: r.subkey,
    ...(userCheck ? { userCheck } : {}),
    ...(ticketPart ? { ticketPart } : {}),
    ...(pac ? { pac } : {}),
    delegationPath: pac?.summary.delegationPath ?? [],
    ...(pac?.summary.delegationTarget ? { delegationTarget: pac.summary.delegationTarget } : {}),
  };
}
