/**
 * tskrb/client: KdcClient (AS with pre-auth, TGS with referrals, S4U2Self/S4U2Proxy flows, FAST, anonymous PKINIT),
 * sessions, the state clients share, trace events, ccache bridge.
 */

export {
  credentialFromCcache,
  credentialToCcache,
  toCredsPrincipal,
} from '../creds/index.js';
export type { CallOptions } from '../util/abort.js';
export {
  type DiagnosticsChannel,
  type DiagnosticsChannelModule,
  DiagnosticsChannelName,
  useDiagnosticsChannels,
} from '../util/diagnostics.js';
export { type AnonymousLoginOptions, anonymousPrincipal } from './anonymous.js';
export { ccacheOf, ccacheSaysFastAvailable, FAST_AVAIL_CONFIG_KEY, fastAvailEntry } from './ccache-bridge.js';
export type { ExchangeContext, SentRequest } from './exchange-context.js';
export type { ArmorSource, FastMode, FastSettings } from './fast-options.js';
export {
  DEFAULT_ETYPES,
  KdcClient,
  type KdcClientOptions,
  type KdcClientSettings,
  type LoginOptions,
  Session,
} from './kdc-client.js';
export { KdcState } from './kdc-state.js';
export type { S4uRequestOptions } from './s4u-options.js';
export { type S4u2ProxyOptions, s4u2proxy } from './s4u2proxy.js';
export { type S4u2SelfOptions, s4u2self } from './s4u2self.js';
export type { ExchangeResult, TgsOptions } from './tgs-options.js';
export { TOKEN_NEEDS_FAST, type TokenPlacement } from './token-login.js';
export { redact, type TraceEvent, type TracePhase, type TraceSink } from './trace.js';
