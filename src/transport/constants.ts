/** Numbers of the KDC transports (RFC 4120 7.2), named. */

/** Default KDC port, UDP and TCP. RFC 4120 7.2.3. */
export const KERBEROS_PORT = 88;
/** Default port of a KKDCP (HTTPS) proxy. MS-KKDCP 2.1. */
export const HTTPS_PORT = 443;
/** Requests longer than this go over TCP first (MIT's default udp_preference_limit). */
export const DEFAULT_UDP_PREFERENCE_LIMIT = 1465;
/** Largest reply length a TCP length prefix may announce unless configured otherwise (1 MiB). */
export const DEFAULT_MAX_MESSAGE_LENGTH = 1024 * 1024;
/**
 * The old timeout of one KKDCP (HTTPS) POST in milliseconds.
 * @deprecated Unused since KkdcpTransport runs on the retry schedule: its `attemptTimeoutMs` defaults to
 * {@link DEFAULT_SEND_WAIT_MS}, and a POST lives until the overall deadline. Kept for code that imports it.
 */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 3000;
/**
 * Wait after each send (UDP, TCP, KKDCP) before the schedule sends again, in milliseconds (MIT sendto_kdc.c: 1 s),
 * so a dropped datagram costs about a second.
 */
export const DEFAULT_SEND_WAIT_MS = 1000;
/** Overall timeout across every attempt of one send, in milliseconds. */
export const DEFAULT_OVERALL_TIMEOUT_MS = 30_000;
/** Passes of the retry schedule over a realm's KDCs (MIT sendto_kdc.c MAX_PASS). */
export const DEFAULT_PASSES = 3;
/**
 * Requests of one transport in flight at one KDC before more wait in a queue. MIT's krb5kdc is one process: 32
 * datagrams fit its socket buffer with room to spare, but it listens for TCP with a backlog of 5 (Samba: 10), and
 * connections beyond the backlog lose their SYN and wait a second for its retransmission (measured in the lab,
 * issue 17), so TCP gets 6.
 */
export const DEFAULT_MAX_IN_FLIGHT_PER_KDC: { readonly udp: number; readonly tcp: number } = {
  udp: 32,
  tcp: 6,
};
/**
 * Idle UDP sockets a transport keeps per KDC address for later requests (./udp-pool.ts): as many as the default
 * requests in flight there over UDP, so a busy client stops opening sockets.
 */
export const UDP_IDLE_SOCKETS_PER_KDC = 32;
/** Length of the TCP record mark. RFC 4120 7.2.2. */
export const TCP_LENGTH_PREFIX = 4;
/** High bit of the TCP length: reserved for an extension mechanism this client does not use. RFC 4120 7.2.2. */
export const TCP_LENGTH_HIGH_BIT = 0x80000000;

/** KRB-ERROR codes the transport reacts to. RFC 4120 7.5.9. */
export const TransportErrorCode = {
  /** KDC_ERR_SVC_UNAVAILABLE: this KDC cannot serve now; try another. */
  KdcErrSvcUnavailable: 29,
  /** KRB_ERR_RESPONSE_TOO_BIG: the reply does not fit a datagram; retry over TCP. */
  KrbErrResponseTooBig: 52,
} as const;

/** First octets of the messages a KDC may send back: [APPLICATION 11], [APPLICATION 13], [APPLICATION 30]. */
export const KdcReplyTag = { AsRep: 0x6b, TgsRep: 0x6d, KrbError: 0x7e } as const;

/** Media type of KKDCP requests and replies. MS-KKDCP 2.1. */
export const KKDCP_CONTENT_TYPE = 'application/kerberos';
/** Bytes a KDC-PROXY-MESSAGE adds around its kerb-message, at most (DER headers and a target-domain). */
export const KKDCP_ENVELOPE_ALLOWANCE = 1024;
