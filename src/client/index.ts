/** tskrb/client: KdcClient (AS with pre-auth, TGS with referrals), sessions, trace events, ccache bridge. */
export { credentialFromCcache, credentialToCcache } from './ccache-bridge.js';
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
