import { describe, expect, it } from 'vitest';
import { PacDecodeError } from '../../src/errors.js';
import { decodeDeviceInfo } from '../../src/pac/device-info.js';
import { type DeviceInfoInput, encodeDeviceInfo } from './ndr-writer.js';

const device: DeviceInfoInput = {
  userId: 1107,
  primaryGroupId: 515,
  accountDomainId: 'S-1-5-21-1-2-3',
  accountGroupIds: [
    { relativeId: 515, attributes: 7 },
    { relativeId: 1200, attributes: 7 },
  ],
  extraSids: [{ sid: 'S-1-18-1', attributes: 7 }],
  domainGroup: [
    { domainId: 'S-1-5-21-7-8-9', groupIds: [{ relativeId: 1300, attributes: 0x20000007 }] },
    { domainId: 'S-1-5-21-10-11-12', groupIds: [] },
  ],
};

describe('PAC_DEVICE_INFO (MS-PAC 2.12)', () => {
  it('decodes account groups, extra SIDs and per-domain groups', () => {
    expect(decodeDeviceInfo(encodeDeviceInfo(device))).toEqual(device);
  });

  it('rejects a DomainGroupCount of 2^31', () => {
    const bytes = encodeDeviceInfo(device);
    // DomainGroupCount: after UserId, PrimaryGroupId, AccountDomainId, AccountGroupCount+ptr, SidCount+ptr.
    const at = 20 + 4 * 7;
    expect(new DataView(bytes.buffer).getUint32(at, true)).toBe(2);
    new DataView(bytes.buffer).setUint32(at, 0x80000000, true);
    expect(() => decodeDeviceInfo(bytes)).toThrow(PacDecodeError);
  });
});
