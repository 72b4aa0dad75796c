/** UPN_DNS_INFO (MS-PAC 2.10): the client's UPN and DNS domain, with the SAM name and SID extension. */
import { NdrSize, UpnDnsFlag } from './constants.js';
import { decodeUtf16, NdrReader, withoutTrailingNuls } from './ndr.js';
import { decodeSid } from './sid.js';

/** UPN_DNS_INFO; `samName` and `sid` are present when the S flag says the structure is extended. */
export interface UpnDnsInfo {
  upn: string;
  dnsDomainName: string;
  flags: number;
  /** U flag: the account has no userPrincipalName; `upn` was built from the name and DNS domain. */
  upnConstructed: boolean;
  samName?: string;
  sid?: string;
}

/** Decodes a UPN_DNS_INFO buffer; every (length, offset) pair must lie inside it. */
export function decodeUpnDnsInfo(data: Uint8Array, base = 0): UpnDnsInfo {
  const r = new NdrReader(data, base);
  const field = (what: string): { bytes: Uint8Array; offset: number } => {
    const length = r.u16();
    const offset = r.u16();
    if (offset + length > data.length) {
      r.fail(`UPN_DNS_INFO ${what}: ${length} bytes at ${offset} run past the ${data.length}-byte buffer`);
    }
    return { bytes: data.subarray(offset, offset + length), offset };
  };
  const text = (what: string): string => {
    const { bytes } = field(what);
    if (bytes.length % NdrSize.wchar !== 0) r.fail(`UPN_DNS_INFO ${what}: odd length ${bytes.length}`);
    return withoutTrailingNuls(decodeUtf16(bytes));
  };
  const upn = text('Upn');
  const dnsDomainName = text('DnsDomainName');
  const flags = r.u32();
  const info: UpnDnsInfo = {
    upn,
    dnsDomainName,
    flags,
    upnConstructed: (flags & UpnDnsFlag.UpnConstructed) !== 0,
  };
  if ((flags & UpnDnsFlag.SamNameAndSid) !== 0) {
    info.samName = text('SamName');
    const sid = field('Sid');
    info.sid = decodeSid(sid.bytes, base + sid.offset);
  }
  return info;
}
