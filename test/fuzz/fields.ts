/**
 * Where the length, count and offset fields of a PAC, a keytab and a ccache are, found by test-side walkers that
 * follow the published layouts (MS-PAC 2.3-2.10, MIT doc/formats/keytab_file_format.rst and
 * ccache_file_format.rst), independent of src/. A huge value in any of them must be refused.
 */

/** One length, count or offset field: its offset, width, byte order, and the huge values to try. */
export interface LengthField {
  readonly at: number;
  readonly size: 2 | 4;
  readonly little: boolean;
  readonly values: readonly number[];
  readonly what: string;
}

const HUGE32 = [0x7fffffff, 0x80000000, 0xffffffff];
const HUGE16 = [0xffff, 0x8000];

/** The seed with `f` set to each of its huge values. */
export function hugeAt(b: Uint8Array, f: LengthField): Uint8Array[] {
  return f.values.map((v) => {
    const x = b.slice();
    const view = new DataView(x.buffer);
    if (f.size === 2) view.setUint16(f.at, v, f.little);
    else view.setUint32(f.at, v >>> 0, f.little);
    return x;
  });
}

const le = (at: number, size: 2 | 4, what: string): LengthField => ({
  at,
  size,
  little: true,
  values: size === 2 ? HUGE16 : HUGE32,
  what,
});
const be = (at: number, size: 2 | 4, what: string): LengthField => ({ ...le(at, size, what), little: false });

/** KERB_VALIDATION_INFO (MS-PAC 2.5) after the NDR headers and the top-level referent: RPC_UNICODE_STRING
 * Length/MaximumLength pairs and the GroupCount, SidCount and ResourceGroupCount fields, relative to the buffer. */
const LOGON_INFO_STRINGS = [68, 76, 84, 92, 100, 108, 156, 164];
const LOGON_INFO_COUNTS: [number, string][] = [
  [128, 'GroupCount'],
  [216, 'SidCount'],
  [228, 'ResourceGroupCount'],
];
const NDR_BUFFERS = new Set([1, 13, 14, 15]);

/** The PAC header's cBuffers, each buffer's cbBufferSize and Offset, and the length fields inside known buffers. */
export function pacLengthFields(pac: Uint8Array): LengthField[] {
  const v = new DataView(pac.buffer, pac.byteOffset, pac.byteLength);
  const count = v.getUint32(0, true);
  const out: LengthField[] = [le(0, 4, 'cBuffers')];
  for (let i = 0; i < count; i++) {
    const e = 8 + 16 * i;
    const type = v.getUint32(e, true);
    const size = v.getUint32(e + 4, true);
    const off = v.getUint32(e + 8, true);
    out.push(le(e + 4, 4, `buffer ${type} cbBufferSize`), le(e + 8, 4, `buffer ${type} Offset`));
    out.push(le(e + 12, 4, `buffer ${type} Offset high`));
    if (NDR_BUFFERS.has(type) && size >= 16) out.push(le(off + 8, 4, `buffer ${type} ObjectBufferLength`));
    if (type === 1) {
      for (const s of LOGON_INFO_STRINGS)
        out.push(le(off + s, 2, 'Length'), le(off + s + 2, 2, 'MaximumLength'));
      for (const [c, what] of LOGON_INFO_COUNTS) out.push(le(off + c, 4, what));
    }
    if (type === 10) out.push(le(off + 8, 2, 'NameLength'));
    if (type === 12) {
      const names = ['UpnLength', 'UpnOffset', 'DnsDomainNameLength', 'DnsDomainNameOffset'];
      for (const [k, n] of names.entries()) out.push(le(off + 2 * k, 2, n));
      const extended = (v.getUint32(off + 8, true) & 2) !== 0;
      const more = ['SamNameLength', 'SamNameOffset', 'SidLength', 'SidOffset'];
      if (extended) for (const [k, n] of more.entries()) out.push(le(off + 12 + 2 * k, 2, n));
    }
  }
  return out;
}

/** Keytab v2: each record length (signed: only huge magnitudes), component count and 16-bit data lengths. */
export function keytabLengthFields(kt: Uint8Array): LengthField[] {
  const v = new DataView(kt.buffer, kt.byteOffset, kt.byteLength);
  const out: LengthField[] = [];
  let p = 2;
  while (p + 4 <= kt.length) {
    const size = v.getInt32(p);
    if (size === 0) break;
    if (size > 0) {
      out.push({ at: p, size: 4, little: false, values: [0x7fffffff, 0x80000000], what: 'record length' });
      let q = p + 4;
      const n = v.getUint16(q);
      out.push(be(q, 2, 'component count'));
      q += 2;
      for (let i = 0; i <= n; i++) {
        out.push(be(q, 2, i === 0 ? 'realm length' : `component ${i - 1} length`));
        q += 2 + v.getUint16(q);
      }
      q += 4 + 4 + 1 + 2; // name type, timestamp, vno8, enctype
      out.push(be(q, 2, 'key length'));
    }
    p += 4 + Math.abs(size);
  }
  return out;
}

/** Ccache v4: header length and field lengths, then per principal and credential every count and length. */
export function ccacheLengthFields(cc: Uint8Array): LengthField[] {
  const v = new DataView(cc.buffer, cc.byteOffset, cc.byteLength);
  const out: LengthField[] = [be(2, 2, 'header length')];
  let p = 4;
  const headerEnd = 4 + v.getUint16(2);
  while (p < headerEnd) {
    out.push(be(p + 2, 2, 'header field length'));
    p += 4 + v.getUint16(p + 2);
  }
  const data = (what: string): void => {
    out.push(be(p, 4, what));
    p += 4 + v.getUint32(p);
  };
  const principal = (what: string): void => {
    const n = v.getUint32(p + 4);
    out.push(be(p + 4, 4, `${what} component count`));
    p += 8;
    data(`${what} realm length`);
    for (let i = 0; i < n; i++) data(`${what} component ${i} length`);
  };
  principal('default principal');
  while (p < cc.length) {
    principal('client');
    principal('server');
    p += 2; // keyblock enctype
    data('key length');
    p += 16 + 1 + 4; // times, is_skey, flags
    for (const what of ['address', 'authdata']) {
      const n = v.getUint32(p);
      out.push(be(p, 4, `${what} count`));
      p += 4;
      for (let i = 0; i < n; i++) {
        p += 2;
        data(`${what} ${i} length`);
      }
    }
    data('ticket length');
    data('second ticket length');
  }
  return out;
}
