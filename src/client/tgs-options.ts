/** What a TGS request may ask (options, padata, evidence, FAST) and what a TGS exchange returns. RFC 4120 3.3. */
import type { KdcOptions, PaData, Ticket } from '../asn1/index.js';
import type { Key } from '../crypto/index.js';
import type { ExchangeStep } from '../messages/exchange-step.js';
import type { Principal } from '../messages/principal.js';
import type { ValidatedReply } from '../messages/reply.js';
import type { CallOptions } from '../util/abort.js';
import type { FastSettings } from './fast-options.js';

/** Options of a TGS request; `fast`/`armor` override the client's FAST settings; `signal`/`timeout` cancel it. */
export interface TgsOptions extends FastSettings, CallOptions {
  /** The step named in traces and errors (default `TGS`). */
  readonly step?: ExchangeStep | undefined;
  readonly options?: Partial<KdcOptions> | undefined;
  /** Padata after PA-TGS-REQ (inside the KrbFastReq under FAST); a function gets the request's nonce and subkey. */
  readonly padata?: readonly PaData[] | ((nonce: number, subkey: Key) => readonly PaData[]) | undefined;
  /** additional-tickets: S4U2Proxy evidence, the u2u TGT. */
  readonly additionalTickets?: readonly Ticket[] | undefined;
  /** The additional tickets' DER as the KDC sent them, by index (sent as received instead of re-encoded). */
  readonly additionalTicketsDer?: readonly (Uint8Array | undefined)[] | undefined;
  /** Enctypes to offer (default: the client's). */
  readonly etypes?: readonly number[] | undefined;
  /** Accept a reply whose client differs from the TGT's (S4U2Self, S4U2Proxy). */
  readonly expectClient?: Principal | 'any' | undefined;
  /** Follow referrals (default true). */
  readonly followReferrals?: boolean | undefined;
}

/** A reply plus what the client learned while getting it. */
export interface ExchangeResult extends ValidatedReply {
  /** The realm whose KDC answered. */
  readonly realm: string;
  /** The request's nonce and subkey (S4U checks need them). */
  readonly nonce: number;
  readonly subkey: Key | undefined;
  /** The key that opened the reply's enc-part: the subkey, or under FAST the strengthened subkey. */
  readonly replyKey: Key;
  /** The reply padata that counts: the KrbFastResponse padata under FAST, else the KDC-REP padata. */
  readonly padata: readonly PaData[];
  /** True when the exchange was armored with FAST. */
  readonly armored: boolean;
}
