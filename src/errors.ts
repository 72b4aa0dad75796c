/**
 * The error hierarchy shared by every layer. Each error carries data, not just a message,
 * so callers (and the CLI) can branch on the class and show the hint.
 */

/** Root of every error tskrb throws on purpose. */
export class KerberosError extends Error {
  /** A short suggestion of the likely cause, when one is known. */
  readonly hint: string | undefined;
  constructor(message: string, options?: { hint?: string | undefined; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** A DER value broke the rules of DER or of the Kerberos schema. */
export class Asn1DecodeError extends KerberosError {
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
export class IntegrityError extends KerberosError {}

/** Bad arguments to a crypto operation: wrong key size, unknown enctype, mismatched checksum type. */
export class CryptoError extends KerberosError {}

/** The network failed: timeout, reset, malformed framing, no KDC reachable. */
export class TransportError extends KerberosError {
  /** The KDC address (host:port) or URL involved, when known. */
  readonly kdc: string | undefined;
  constructor(message: string, options?: { kdc?: string | undefined; hint?: string; cause?: unknown }) {
    super(message, options);
    this.kdc = options?.kdc;
  }
}

/** A reply or file was well-formed but violated the protocol (wrong nonce, name, message type). */
export class ProtocolError extends KerberosError {
  /** Name of the validation check that failed, e.g. `nonce`. */
  readonly check: string | undefined;
  constructor(message: string, options?: { check?: string; hint?: string; cause?: unknown }) {
    super(message, options);
    this.check = options?.check;
  }
}

/** A PAC or NDR stream was malformed. */
export class PacDecodeError extends KerberosError {
  readonly offset: number;
  constructor(offset: number, reason: string) {
    super(`PAC at byte ${offset}: ${reason}`);
    this.offset = offset;
  }
}

/** A keytab, ccache, kirbi, pcap or krb5.conf file was malformed. */
export class FormatError extends KerberosError {
  readonly offset: number | undefined;
  constructor(message: string, options?: { offset?: number; hint?: string; cause?: unknown }) {
    super(options?.offset === undefined ? message : `${message} (at byte ${options.offset})`, options);
    this.offset = options?.offset;
  }
}
