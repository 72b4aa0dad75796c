/** The Transport interface the client codes against, and the records it returns and traces. */

/** How an endpoint is reached: one protocol, or `auto` (UDP first when the request is small, then TCP). */
export type KdcProtocol = 'udp' | 'tcp' | 'auto' | 'https';

/** A KDC endpoint as configured. */
export interface KdcEndpoint {
  host: string;
  port: number;
  protocol: KdcProtocol;
  /** For `https` endpoints (KKDCP): the proxy URL. */
  url?: string;
}

/** The KDC and protocol of one actual attempt. */
export interface KdcAttemptAddress {
  host: string;
  port: number;
  proto: 'udp' | 'tcp' | 'https';
  /** For `https` (KKDCP): the proxy URL. */
  url?: string;
}

/** Outcome of one attempt (`timeout`: no reply by the time it was resent, superseded or given up). */
export interface AttemptRecord {
  kdc: KdcAttemptAddress;
  outcome: 'reply' | 'timeout' | 'error' | 'too-big' | 'unavailable';
  ms: number;
  /** What went wrong, when the outcome is not `reply`. */
  error?: string;
}

/** A trace event: emitted when an attempt starts and when it ends. */
export interface TransportTraceEvent {
  realm: string;
  phase: 'start' | 'end';
  /** 1-based index of the attempt within this send. */
  attempt: number;
  kdc: KdcAttemptAddress;
  bytesSent: number;
  /** On `end`: the attempt's outcome, duration and reply size. */
  record?: AttemptRecord;
  bytesReceived?: number;
}

/** Options of a transport that sends on the retry schedule (KdcTransport, KkdcpTransport). */
export interface ScheduledTransportOptions {
  /** Overall deadline of a whole send in ms, queueing included (default 30000). */
  timeoutMs?: number;
  /**
   * Passes over the KDCs (default 3, as MIT): UDP is sent up to this many times per KDC, TCP reconnected and KKDCP
   * POSTed up to this many; 1 tries each once.
   */
  passes?: number;
  /** Largest KDC reply accepted (default 1 MiB). */
  maxMessageLength?: number;
  /** Called when each attempt starts and ends. */
  trace?: (ev: TransportTraceEvent) => void;
  /** Clock and timers of the schedule (default: the process-wide {@link CoalescedTimers}, one system timer for every transport); tests drive the schedule with manual ones. */
  timers?: TransportTimers;
}

/** Options for one send. */
export interface SendOptions {
  /** Overall timeout across every attempt (ms). */
  timeoutMs?: number;
  /** Wait after each send before the schedule sends again, to the next KDC or the same one (ms); earlier attempts keep listening. */
  attemptTimeoutMs?: number;
  /** Force one protocol for every KDC of the realm. */
  protocol?: 'udp' | 'tcp';
  /** Abort the send. */
  signal?: AbortSignal;
  /** Called for every attempt, in addition to the transport's own trace hook. */
  trace?: (ev: TransportTraceEvent) => void;
}

/** A reply with where and how it came. */
export interface SendResult {
  /** The reply: its own bytes, unchanged after (the client keeps views of them, e.g. the ticket's). */
  reply: Uint8Array;
  kdc: KdcAttemptAddress;
  attempts: AttemptRecord[];
  /** Total time of the send (ms), queueing included. */
  ms: number;
  /** Time the send waited for a free slot at a busy KDC (ms), when the transport limits requests in flight. */
  queuedMs?: number;
}

/** The clock and timers a transport runs its schedule on: the system's by default, manual ones in tests. */
export interface TransportTimers {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Sends a request to a KDC of `realm` and returns its reply. The client depends on nothing else. */
export interface Transport {
  /** The reply bytes only (its own bytes, unchanged after: see {@link SendResult.reply}). */
  send(realm: string, request: Uint8Array, opts?: SendOptions): Promise<Uint8Array>;
  /** The reply with the KDC that answered, every attempt, and the time taken. */
  sendDetailed(realm: string, request: Uint8Array, opts?: SendOptions): Promise<SendResult>;
}
