/** Byte helpers used across layers: hex, concatenation, constant-time compare, UTF-8. */
import { KerberosError } from '../errors.js';

const HEX = '0123456789abcdef';

/** Lowercase hex of `b`. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const v = b[i]!;
    s += HEX[v >> 4]! + HEX[v & 15]!;
  }
  return s;
}

/** Bytes of a hex string (whitespace and a `0x` prefix tolerated); throws on odd length or bad digits. */
export function fromHex(hex: string): Uint8Array {
  const h = hex.replace(/\s+/g, '').replace(/^0x/i, '');
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new KerberosError('invalid hex string');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Concatenation of all arguments into a new array. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Equality in time independent of where the inputs differ (length is not secret). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** Plain byte equality (for non-secret data). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });

/** UTF-8 bytes of `s`. */
export function utf8(s: string): Uint8Array {
  return enc.encode(s);
}

/** Text of UTF-8 bytes (invalid sequences become U+FFFD). */
export function fromUtf8(b: Uint8Array): string {
  return dec.decode(b);
}

/** Base64 of `b` (standard alphabet, padded). */
export function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return btoa(s);
}

/** Bytes of standard or URL-safe base64; throws on bad input. */
export function fromBase64(s: string): Uint8Array {
  const t = s.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  let bin: string;
  try {
    bin = atob(t);
  } catch (e) {
    throw new KerberosError('invalid base64', { cause: e });
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A fresh ArrayBuffer holding exactly `b`'s bytes (for APIs such as WebCrypto and pkijs that take one). */
export function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.slice().buffer as ArrayBuffer;
}
