/** PAC_DEVICE_INFO (MS-PAC 2.12): the groups of the device the client used (compound identity). */
import { NdrSize } from './constants.js';
import { type GroupMembership, readGroupArray, readSidArray, type SidAndAttributes } from './logon-info.js';
import { decodeNdrType, type Lazy, type NdrReader } from './ndr.js';

/** DOMAIN_GROUP_MEMBERSHIP (MS-PAC 2.2.3): groups of the device in one other domain. */
export interface DomainGroupMembership {
  domainId: string | null;
  groupIds: GroupMembership[];
}

/** PAC_DEVICE_INFO. */
export interface PacDeviceInfo {
  userId: number;
  primaryGroupId: number;
  accountDomainId: string | null;
  accountGroupIds: GroupMembership[];
  extraSids: SidAndAttributes[];
  domainGroup: DomainGroupMembership[];
}

/** DomainId pointer, GroupCount, GroupIds pointer. */
const DOMAIN_GROUP_MEMBERSHIP_SIZE = NdrSize.pointer + NdrSize.u32 + NdrSize.pointer;

function readDomainGroupMembership(r: NdrReader): Lazy<DomainGroupMembership> {
  const domainId = r.sidPointer('DOMAIN_GROUP_MEMBERSHIP.DomainId');
  const groupIds = readGroupArray(r, 'DOMAIN_GROUP_MEMBERSHIP.GroupIds');
  return () => ({ domainId: domainId(), groupIds: groupIds() });
}

function readDeviceInfo(r: NdrReader): Lazy<PacDeviceInfo> {
  const userId = r.u32();
  const primaryGroupId = r.u32();
  const accountDomainId = r.sidPointer('AccountDomainId');
  const accountGroupIds = readGroupArray(r, 'AccountGroupIds');
  const extraSids = readSidArray(r, 'ExtraSids');
  const domainGroupCount = r.u32();
  const domainGroup = r.arrayPointer(
    domainGroupCount,
    DOMAIN_GROUP_MEMBERSHIP_SIZE,
    'DomainGroup',
    readDomainGroupMembership,
  );
  return () => ({
    userId,
    primaryGroupId,
    accountDomainId: accountDomainId(),
    accountGroupIds: accountGroupIds(),
    extraSids: extraSids(),
    domainGroup: domainGroup(),
  });
}

/** Decodes a PAC_DEVICE_INFO buffer. */
export function decodeDeviceInfo(data: Uint8Array, base = 0): PacDeviceInfo {
  return decodeNdrType(data, base, 'PAC_DEVICE_INFO', readDeviceInfo);
}
