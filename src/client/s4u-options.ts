/** What both S4U flows may ask of the KDC and of the ticket they get. */
import type { TicketKeys } from '../pac/ticket-pac.js';
import type { PacPolicy } from '../s4u/pac-policy.js';
import type { CallOptions } from '../util/abort.js';
import type { TgsOptions } from './tgs-options.js';

/**
 * Options common to S4U2Self and S4U2Proxy: the request's flags and enctypes, the keys and policy to read its PAC,
 * and `signal`/`timeout` to cancel the whole flow.
 */
export interface S4uRequestOptions extends TicketKeys, PacPolicy, Pick<TgsOptions, 'etypes'>, CallOptions {
  /**
   * Ask for a forwardable ticket (default true: S4U2Proxy needs a forwardable S4U2Self ticket, and a forwardable
   * S4U2Proxy ticket lets the target delegate further).
   */
  readonly forwardable?: boolean | undefined;
  /** Ask for a renewable ticket (until the TGT's renew-till) when the TGT is renewable, as MIT does (default true). */
  readonly renewable?: boolean | undefined;
}
