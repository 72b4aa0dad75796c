/** tskrb/client: KdcClient (AS with pre-auth, TGS with referrals, FAST, anonymous PKINIT), sessions, trace events, ccache bridge. */
export { type AnonymousLoginOptions, anonymousPrincipal } from './anonymous.js';
export {
  ccacheOf,
  ccacheSaysFastAvailable,
  credentialFromCcache,
  credentialToCcache,
  FAST_AVAIL_CONFIG_KEY,
  fastAvailEntry,
  toCredsPrincipal,
} from './ccache-bridge.js';
export type { ArmorSource, FastMode, FastSettings } from './fast-options.js';
export {
  DEFAULT_ETYPES,
  type ExchangeResult,
  KdcClient,
  type KdcClientOptions,
  type LoginOptions,
  Session,
  type TgsOptions,
} from './kdc-client.js';
export { redact, type TraceEvent, type TracePhase, type TraceSink } from './trace.js';
