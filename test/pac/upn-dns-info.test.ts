import { describe, expect, it } from 'vitest';
import { PacDecodeError } from '../../src/errors.js';
import { decodePac } from '../../src/pac/pac.js';
import { decodeUpnDnsInfo } from '../../src/pac/upn-dns-info.js';
import { fromHex } from '../../src/util/bytes.js';
import { extraLogonInfoBytes, savedPac2Bytes } from './helpers.js';

describe('UPN_DNS_INFO (MS-PAC 2.10)', () => {
  it('saved_pac2: UPN and DNS domain, no extension', () => {
    expect(decodePac(savedPac2Bytes).upnDnsInfo).toEqual({
      upn: 'openmsp@msp-ads.peppercon.de',
      dnsDomainName: 'MSP-ADS.PEPPERCON.DE',
      flags: 0,
      upnConstructed: false,
    });
  });

  it('extra_logon_info (Samba): constructed UPN with the SAM name and SID extension', () => {
    expect(decodePac(extraLogonInfoBytes).upnDnsInfo).toEqual({
      upn: 'c9d801a8_0@EXAMPLE.COM',
      dnsDomainName: 'EXAMPLE.COM',
      flags: 3,
      upnConstructed: true,
      samName: 'c9d801a8_0',
      sid: 'S-1-5-21-2140317089-1002772777-95442619-1101',
    });
  });

  it.each([
    ['a UPN running past the buffer', '0400 0c00 0000 0000 00000000 4100'],
    ['an odd UPN length', '0100 0c00 0000 0000 00000000 4100'],
    ['the S flag without the extension', '0000 0000 0000 0000 02000000'],
    ['an extension SID of the wrong length', '0000 0000 0000 0000 02000000 0000 0000 0400 1400 01010000'],
  ])('rejects %s', (_name, hex) => {
    expect(() => decodeUpnDnsInfo(fromHex(hex))).toThrow(PacDecodeError);
  });
});
