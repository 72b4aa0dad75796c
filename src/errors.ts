/**
 * The error hierarchy shared by every layer. Each error carries data, not just a message,
 * so callers (and the CLI) can branch on the class and show the hint.
 */

/** Options every KerberosError takes: a hint, a cause, and a code other than its class's. */
export interface KerberosErrorOptions {
  readonly hint?: string | undefined;
  readonly cause?: unknown;
  /** Overrides the class's code (the KRB-ERROR errors set the error name, e.g. `KDC_ERR_BADOPTION`). */
  readonly code?: string | undefined;
}

/** Root of every error tskrb throws on purpose. */
export class KerberosError extends Error {
  /** The code of errors of this class (a subclass's `code` unless the constructor is given one). */
  static readonly code: string = 'ERR_TSKRB';
  /** Stable string code, Node style: `KDC_ERR_BADOPTION`, `KRB_AP_ERR_SKEW`, `ERR_TSKRB_TRANSPORT`, … (README: Error codes). */
  readonly code: string;
  /** A short suggestion of the likely cause, when one is known. */
  readonly hint: string | undefined;
  constructor(message: string, options?: KerberosErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options?.code ?? (new.target as typeof KerberosError).code;
    this.hint = options?.hint;
  }
}

/** A DER value broke the rules of DER or of the Kerberos schema. */
export class Asn1DecodeError extends KerberosError {
  static override readonly code: string = 'ERR_TSKRB_ASN1_DECODE';
  /** Field path, e.g. `TGS-REQ.req-body.sname.name-string[1]`. */
  readonly path: string;
  /** Byte offset of the failing element in the outermost input. */
  readonly offset: number;
  constructor(path: string, offset: number, reason: string) {
    super(`${path} at byte ${offset}: ${reason}`);
    this.path = path;
    this.offset = offset;
  }
}

/** A MAC, checksum or signature did not verify, or a ciphertext was malformed. */
export class IntegrityError extends KerberosError {
  static override readonly code: string = 'ERR_TSKRB_INTEGRITY';
}

/** Bad arguments to a crypto operation: wrong key size, unknown enctype, mismatched checksum type. */
export class CryptoError extends KerberosError {
  static override readonly code: string = 'ERR_TSKRB_CRYPTO';
}

/** The network failed: timeout, reset, malformed framing, no KDC reachable. */
export class TransportError extends KerberosError {
  static override readonly code: string = 'ERR_TSKRB_TRANSPORT';
  /** The KDC address (host:port) or URL involved, when known. */
  readonly kdc: string | undefined;
  constructor(message: string, options?: KerberosErrorOptions & { kdc?: string | undefined }) {
    super(message, options);
    this.kdc = options?.kdc;
  }
}

/** A reply or file was well-formed but violated the protocol (wrong nonce, name, message type). */
export class ProtocolError extends KerberosError {
  static override readonly code: string = 'ERR_TSKRB_PROTOCOL';
  /** Name of the validation check that failed, e.g. `nonce`. */
  readonly check: string | undefined;
  constructor(message: string, options?: KerberosErrorOptions & { check?: string }) {
    super(message, options);
    this.check = options?.check;
  }
}

/** A PAC or NDR stream was malformed. */
export class PacDecodeError extends KerberosError {
  static override readonly code: string = 'ERR_TSKRB_PAC_DECODE';
  readonly offset: number;
  constructor(offset: number, reason: string) {
    super(`PAC at byte ${offset}: ${reason}`);
    this.offset = offset;
  }
}

/** A keytab, ccache, kirbi, pcap or krb5.conf file was malformed. */
export class FormatError extends KerberosError {
  static override readonly code: string = 'ERR_TSKRB_FORMAT';
  readonly offset: number | undefined;
  constructor(message: string, options?: KerberosErrorOptions & { offset?: number }) {
    super(options?.offset === undefined ? message : `${message} (at byte ${options.offset})`, options);
    this.offset = options?.offset;
  }
}
