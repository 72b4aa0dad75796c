/**
 * What a client learns from KDCs and keeps between exchanges: the KDC clock offset (KRB_AP_ERR_SKEW), the realms
 * whose KDC speaks FAST, and the armor TGTs it got. One object, shared by every KdcClient made with it (a
 * DelegationClient's flights, each on its own counting transport), so nothing is copied back after an exchange.
 */
import type { Credential } from '../messages/credential.js';

/** The state KdcClients share; pass one to several clients (`KdcClientOptions.state`) to share what they learn. */
export class KdcState {
  /** KDC time minus local time (ms), learned from the last KRB_AP_ERR_SKEW. */
  timeOffsetMs = 0;
  /** Realms whose KDC is known to speak FAST (it advertised PA-FX-FAST or answered an armored request). */
  readonly fastRealms = new Set<string>();
  /** Armor TGTs got by a keytab login or anonymous PKINIT, by source and realm, reused until near their end. */
  readonly armorTickets = new Map<string, Credential>();
}
