/** Transport to KDCs: UDP, TCP and KKDCP (HTTPS) with retries, timeouts and failover; KDC location from krb5.conf and DNS SRV. */

export { CoalescedTimers } from './coalesced-timers.js';
export {
  DEFAULT_ATTEMPT_TIMEOUT_MS,
  DEFAULT_MAX_IN_FLIGHT_PER_KDC,
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_OVERALL_TIMEOUT_MS,
  DEFAULT_PASSES,
  DEFAULT_SEND_WAIT_MS,
  DEFAULT_UDP_PREFERENCE_LIMIT,
  KERBEROS_PORT,
} from './constants.js';
export { formatHostPort, parseKdcAddress } from './kdc-address.js';
export { KdcTransport, type KdcTransportOptions, transportFromKrb5Conf } from './kdc-transport.js';
export { fetchPost, KkdcpTransport, type KkdcpTransportOptions } from './kkdcp.js';
export {
  decodeKkdcpReply,
  encodeKkdcpRequest,
  type KkdcpHttpRequest,
  type KkdcpHttpResponse,
  type KkdcpPost,
} from './kkdcp-exchange.js';
export { httpAnchorsFromKrb5Conf, type NodeHttpsPostOptions, nodeHttpsPost } from './kkdcp-node.js';
export { peekKrbErrorCode } from './krb-error-peek.js';
export {
  type HostCanonicalization,
  type Krb5Realm,
  type Krb5Settings,
  krb5Settings,
  type ProfileNode,
  type ProfileValue,
  parseKrb5Conf,
  profileBoolean,
  profileString,
  profileStrings,
  realmOfHost,
} from './krb5conf.js';
export { krb5ConfigPaths, loadKrb5Conf, loadKrb5Profile } from './krb5conf-file.js';
export {
  chainLocators,
  type KdcLocator,
  krb5ConfLocator,
  type SrvRecord,
  type SrvResolver,
  srvLocator,
  staticLocator,
} from './locate.js';
export type {
  AttemptRecord,
  KdcAttemptAddress,
  KdcEndpoint,
  KdcProtocol,
  ScheduledTransportOptions,
  SendOptions,
  SendResult,
  Transport,
  TransportTimers,
  TransportTraceEvent,
} from './types.js';
