/**
 * HTTP as a user through a DelegationClient: the cached S4U2Self + S4U2Proxy ticket for the request's SPN, a fresh
 * authenticator per request, Negotiate by tskrb/http (the methods `fetchAs` and `negotiateHeader` call these).
 */
import { type NegotiateOptions, type NegotiateResponse, negotiateFetch } from '../http/negotiate-fetch.js';
import {
  type CredentialTokenOptions,
  credentialToken,
  type NegotiateHeader,
  negotiateHeaderOf,
} from '../http/token-source.js';
import type { Principal } from '../messages/principal.js';
import type { CallOptions } from '../util/abort.js';
import type { DelegatedTicket } from './types.js';

/** What these functions need of a DelegationClient. */
export interface DelegatedTickets {
  s4u2proxy(
    user: string | Principal,
    target: string | Principal,
    call?: CallOptions,
  ): Promise<DelegatedTicket>;
}

/** The init of {@link fetchAs}: a RequestInit and the Negotiate options (SPN, mutual, bindings…). */
export type FetchAsInit = RequestInit & NegotiateOptions;

/** `negotiateFetch` as `user`: the ticket to the SPN (default `HTTP/<host>`) from the delegation cache. */
export function fetchAs(
  dc: DelegatedTickets,
  user: string | Principal,
  url: string | URL,
  init: FetchAsInit = {},
): Promise<NegotiateResponse> {
  return negotiateFetch(url, {
    ...init,
    tokenSource: async (req) =>
      credentialToken(
        (await dc.s4u2proxy(user, req.spn, { signal: req.signal })).credential,
        req.channelBindings,
        init,
      ),
  });
}

/** An `Authorization: Negotiate` value for `user` to `spn` (SPNEGO by default) and the check of the reply. */
export async function negotiateHeader(
  dc: DelegatedTickets,
  user: string | Principal,
  spn: string | Principal,
  o: CredentialTokenOptions & CallOptions = {},
): Promise<NegotiateHeader> {
  const call = { signal: o.signal, timeout: o.timeout };
  return negotiateHeaderOf(credentialToken((await dc.s4u2proxy(user, spn, call)).credential, undefined, o));
}
