/** tskrb/gss: the Kerberos GSS-API mechanism (RFC 4121, RFC 4757 tokens), initiator and acceptor contexts. */
export {
  type AcceptEvidence,
  type AcceptorOptions,
  type AcceptResult,
  acceptSecContext,
} from './acceptor.js';
export type { AcceptorKey } from './acceptor-keys.js';
export { ApExchangeError, makeApErrorToken } from './ap-error.js';
export { decodeGssChecksum, encodeGssChecksum, type GssChecksum } from './authenticator-checksum.js';
export {
  type CertificateHashAlgorithm,
  type ChannelBindings,
  channelBindingsHash,
  encodeChannelBindings,
  tlsServerEndPoint,
} from './channel-bindings.js';
export {
  DEFAULT_INITIATOR_FLAGS,
  DEFAULT_MAX_SKEW_MS,
  GSS_CHECKSUM_TYPE,
  GssFlag,
  GssMechOid,
  GssTokenId,
  TokenFlag,
} from './constants.js';
export type { GssContext, WrapTokenOptions } from './context.js';
export {
  decodeGssToken,
  decodeKrb5Token,
  encodeGssToken,
  encodeKrb5Token,
  type Krb5Token,
} from './framing.js';
export {
  type ApRepResult,
  type InitiatorContext,
  type InitiatorOptions,
  initSecContext,
  readApRepToken,
} from './initiator.js';
export {
  MemoryReplayCache,
  type MemoryReplayCacheOptions,
  type ReplayCache,
  type ReplayEntry,
} from './replay-cache.js';
export {
  SASL_DEFAULT_MAX_BUFFER,
  SASL_MAX_BUFFER,
  type SaslGssapiClient,
  type SaslGssapiClientOptions,
  type SaslGssapiServer,
  type SaslGssapiServerOptions,
  type SaslLayer,
  SaslSecurityLayer,
  saslGssapiClient,
  saslGssapiServer,
} from './sasl-gssapi.js';
export {
  encodeSpnegoReject,
  type SpnegoAcceptOptions,
  type SpnegoAcceptor,
  SpnegoRejectError,
  spnegoAccept,
  spnegoServerInit,
} from './spnego-acceptor.js';
export {
  ContextFlag,
  decodeMechTypeList,
  decodeNegotiationToken,
  decodeNegTokenResp,
  decodeSpnegoInitialToken,
  decodeSpnegoToken,
  encodeMechTypeList,
  encodeNegotiationToken,
  encodeSpnegoInitialToken,
  NEG_HINTS_IGNORE_NAME,
  type NegHints,
  type NegotiationToken,
  NegState,
  type NegTokenInit,
  type NegTokenInit2,
  type NegTokenResp,
  type SpnegoToken,
} from './spnego-codec.js';
export { formatNegotiateHeader, parseNegotiateHeader } from './spnego-http.js';
export {
  type SpnegoInitiator,
  type SpnegoInitOptions,
  spnegoInit,
  WINDOWS_KRB5_MECHS,
} from './spnego-initiator.js';
export { isKrb5Mech, mechName, NEGOEX_OID, NTLMSSP_OID } from './spnego-mic.js';
