/**
 * TCP record marking: a 4-byte big-endian length, then the message. RFC 4120 7.2.2.
 * The reader reassembles a reply from chunks of any size and refuses an announced length
 * with the reserved high bit or above the configured bound before buffering any of it.
 */
import { TransportError } from '../errors.js';
import { TCP_LENGTH_HIGH_BIT, TCP_LENGTH_PREFIX } from './constants.js';

/** The request with its length prefix. */
export function frameTcpMessage(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(TCP_LENGTH_PREFIX + message.length);
  new DataView(out.buffer).setUint32(0, message.length);
  out.set(message, TCP_LENGTH_PREFIX);
  return out;
}

/** Reassembles one length-prefixed reply from a byte stream. */
export class TcpFrameReader {
  private readonly prefix = new Uint8Array(TCP_LENGTH_PREFIX);
  private prefixHave = 0;
  private body: Uint8Array | undefined;
  private bodyHave = 0;

  constructor(private readonly maxLength: number) {}

  /** Bytes received so far (prefix included). */
  get received(): number {
    return this.prefixHave + this.bodyHave;
  }

  /** The announced message length, once the prefix is complete. */
  get announced(): number | undefined {
    return this.body?.length;
  }

  /**
   * Consumes a chunk; returns the message when complete (bytes after it are ignored).
   * Throws TransportError on a reserved-bit or oversized length.
   */
  push(chunk: Uint8Array): Uint8Array | undefined {
    let at = 0;
    if (!this.body) {
      const n = Math.min(TCP_LENGTH_PREFIX - this.prefixHave, chunk.length);
      this.prefix.set(chunk.subarray(0, n), this.prefixHave);
      this.prefixHave += n;
      at = n;
      if (this.prefixHave < TCP_LENGTH_PREFIX) return undefined;
      const len = new DataView(this.prefix.buffer).getUint32(0);
      if (len & TCP_LENGTH_HIGH_BIT) {
        throw new TransportError(`reply length 0x${len.toString(16)} has the reserved high bit set`, {
          hint: 'the RFC 4120 7.2.2 extension is not supported; is this port a Kerberos KDC?',
        });
      }
      if (len > this.maxLength) {
        throw new TransportError(`reply announces ${len} bytes, above the limit of ${this.maxLength}`, {
          hint: 'raise maxMessageLength if the KDC really sends replies this large; otherwise this port is not a KDC',
        });
      }
      this.body = new Uint8Array(len);
    }
    const body = this.body;
    const n = Math.min(body.length - this.bodyHave, chunk.length - at);
    body.set(chunk.subarray(at, at + n), this.bodyHave);
    this.bodyHave += n;
    return this.bodyHave === body.length ? body : undefined;
  }
}
