/** Tiny big-endian byte builders for hand-constructing keytab and ccache files from the format spec. */
const enc = new TextEncoder();

/** Bytes of the given numbers (each 0..255). */
export const b = (...xs: number[]): number[] => xs;
/** 16-bit big-endian. */
export const u16 = (v: number): number[] => [(v >>> 8) & 255, v & 255];
/** 32-bit big-endian (two's complement for negatives). */
export const u32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
/** 32-bit little-endian. */
export const u32le = (v: number): number[] => u32(v).reverse();
/** 16-bit little-endian. */
export const u16le = (v: number): number[] => u16(v).reverse();
/** ASCII bytes. */
export const ascii = (s: string): number[] => [...enc.encode(s)];
/** Octet string with a 16-bit length. */
export const d16 = (s: string | number[]): number[] => {
  const x = typeof s === 'string' ? ascii(s) : s;
  return [...u16(x.length), ...x];
};
/** Octet string with a 32-bit length. */
export const d32 = (s: string | number[]): number[] => {
  const x = typeof s === 'string' ? ascii(s) : s;
  return [...u32(x.length), ...x];
};
/** A Uint8Array of the concatenated parts. */
export const bytes = (...parts: number[][]): Uint8Array => new Uint8Array(parts.flat());
