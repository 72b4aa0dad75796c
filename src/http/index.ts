/** tskrb/http: Negotiate over HTTP (RFC 4559): a fetch client that answers 401 challenges, and a node:http middleware. */
export {
  type MutualStatus,
  type NegotiateCredentials,
  type NegotiateFetchInit,
  type NegotiateInfo,
  type NegotiateOptions,
  type NegotiateResponse,
  negotiateFetch,
  spnForUrl,
} from './negotiate-fetch.js';
export {
  type AuthChallenge,
  NEGOTIATE_SCHEME,
  type NegotiateChallenge,
  negotiateChallengeOf,
  negotiateTokenOf,
  parseChallenges,
} from './negotiate-header.js';
export {
  type KerberosAuth,
  type KerberosRequest,
  type NegotiateMiddlewareOptions,
  type Next,
  negotiate,
} from './negotiate-middleware.js';
export { type Acceptance, type AcceptOptions, acceptNegotiateToken } from './server-token.js';
export {
  certificateSignatureOid,
  fetchServerCertificate,
  type ServerCertificateOptions,
  serverEndPointBindings,
} from './tls-binding.js';
export {
  type CredentialTokenOptions,
  credentialToken,
  credentialTokenSource,
  type NegotiateHeader,
  type NegotiateToken,
  negotiateHeaderOf,
  sessionTokenSource,
  type TokenRequest,
  type TokenSource,
} from './token-source.js';
