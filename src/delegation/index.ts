/**
 * tskrb/delegation: DelegationClient, per-request S4U delegation for a service: a ticket cache (TTL, LRU, refresh),
 * optionally shared by replicas through a sealed TicketStore, single flight, stats and audit events, over the S4U
 * flows of tskrb/client. The Redis store is tskrb/delegation/redis.
 */
export {
  DEFAULT_DELEGATION_TTL_MS,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_REFRESH_BEFORE_MS,
  DelegationClient,
  type DelegationClientOptions,
  MIN_REMAINING_MS,
} from './delegation-client.js';
export { type DelegatedTickets, type FetchAsInit, fetchAs, negotiateHeader } from './fetch-as.js';
export {
  type DelegationStrictness,
  KdcDelegationFlows,
  type KdcDelegationFlowsOptions,
} from './kdc-delegation-flows.js';
export type { SharedStoreOptions, SharedStoreStats } from './shared-tier.js';
export { MemoryTicketStore, type TicketStore } from './ticket-store.js';
export type {
  DelegatedTicket,
  DelegationAuditEvent,
  DelegationAuditOperation,
  DelegationAuditSink,
  DelegationClearResult,
  DelegationFlows,
  DelegationSource,
  DelegationStats,
  DelegationStep,
} from './types.js';
