/** KERB_VALIDATION_INFO, the PAC_LOGON_INFO buffer (MS-PAC 2.5), and its shared parts (MS-PAC 2.2). */
import { NdrSize } from './constants.js';
import { decodeNdrType, type Lazy, type NdrReader } from './ndr.js';

/** GROUP_MEMBERSHIP (MS-PAC 2.2.2): a group RID in some domain and its SE_GROUP_* attributes. */
export interface GroupMembership {
  relativeId: number;
  attributes: number;
}

/** KERB_SID_AND_ATTRIBUTES (MS-PAC 2.2.1): a full SID and its SE_GROUP_* attributes. */
export interface SidAndAttributes {
  sid: string;
  attributes: number;
}

/** KERB_VALIDATION_INFO (MS-PAC 2.5). FILETIMEs are 100-ns intervals since 1601 (see `fileTimeToDate`). */
export interface KerbValidationInfo {
  logonTime: bigint;
  logoffTime: bigint;
  kickOffTime: bigint;
  passwordLastSet: bigint;
  passwordCanChange: bigint;
  passwordMustChange: bigint;
  effectiveName: string;
  fullName: string;
  logonScript: string;
  profilePath: string;
  homeDirectory: string;
  homeDirectoryDrive: string;
  logonCount: number;
  badPasswordCount: number;
  userId: number;
  primaryGroupId: number;
  groupIds: GroupMembership[];
  userFlags: number;
  userSessionKey: Uint8Array;
  logonServer: string;
  logonDomainName: string;
  logonDomainId: string | null;
  userAccountControl: number;
  subAuthStatus: number;
  lastSuccessfulILogon: bigint;
  lastFailedILogon: bigint;
  failedILogonCount: number;
  extraSids: SidAndAttributes[];
  resourceGroupDomainSid: string | null;
  resourceGroupIds: GroupMembership[];
}

/** Bytes of one GROUP_MEMBERSHIP / KERB_SID_AND_ATTRIBUTES array element. */
const PAIR_SIZE = 2 * NdrSize.u32;
/** USER_SESSION_KEY: two 8-byte CYPHER_BLOCKs. */
const USER_SESSION_KEY_LENGTH = 16;

/** Reads a GROUP_MEMBERSHIP. */
function readGroupMembership(r: NdrReader): Lazy<GroupMembership> {
  const value = { relativeId: r.u32(), attributes: r.u32() };
  return () => value;
}

/** Reads a KERB_SID_AND_ATTRIBUTES (the SID is a deferred pointee and must be present). */
function readSidAndAttributes(r: NdrReader): Lazy<SidAndAttributes> {
  const sid = r.sidPointer('KERB_SID_AND_ATTRIBUTES.Sid');
  const attributes = r.u32();
  return () => {
    const s = sid();
    if (s === null) return r.fail('KERB_SID_AND_ATTRIBUTES with a null SID');
    return { sid: s, attributes };
  };
}

/** Reads `count`, then a pointer to that many GROUP_MEMBERSHIPs. */
export function readGroupArray(r: NdrReader, what: string): Lazy<GroupMembership[]> {
  const count = r.u32();
  return r.arrayPointer(count, PAIR_SIZE, what, readGroupMembership);
}

/** Reads `count`, then a pointer to that many KERB_SID_AND_ATTRIBUTES. */
export function readSidArray(r: NdrReader, what: string): Lazy<SidAndAttributes[]> {
  const count = r.u32();
  return r.arrayPointer(count, PAIR_SIZE, what, readSidAndAttributes);
}

function readValidationInfo(r: NdrReader): Lazy<KerbValidationInfo> {
  const logonTime = r.fileTime();
  const logoffTime = r.fileTime();
  const kickOffTime = r.fileTime();
  const passwordLastSet = r.fileTime();
  const passwordCanChange = r.fileTime();
  const passwordMustChange = r.fileTime();
  const effectiveName = r.unicodeString('EffectiveName');
  const fullName = r.unicodeString('FullName');
  const logonScript = r.unicodeString('LogonScript');
  const profilePath = r.unicodeString('ProfilePath');
  const homeDirectory = r.unicodeString('HomeDirectory');
  const homeDirectoryDrive = r.unicodeString('HomeDirectoryDrive');
  const logonCount = r.u16();
  const badPasswordCount = r.u16();
  const userId = r.u32();
  const primaryGroupId = r.u32();
  const groupIds = readGroupArray(r, 'GroupIds');
  const userFlags = r.u32();
  const userSessionKey = r.bytesOf(USER_SESSION_KEY_LENGTH, 'UserSessionKey');
  const logonServer = r.unicodeString('LogonServer');
  const logonDomainName = r.unicodeString('LogonDomainName');
  const logonDomainId = r.sidPointer('LogonDomainId');
  r.u32();
  r.u32();
  const userAccountControl = r.u32();
  const subAuthStatus = r.u32();
  const lastSuccessfulILogon = r.fileTime();
  const lastFailedILogon = r.fileTime();
  const failedILogonCount = r.u32();
  r.u32();
  const extraSids = readSidArray(r, 'ExtraSids');
  const resourceGroupDomainSid = r.sidPointer('ResourceGroupDomainSid');
  const resourceGroupIds = readGroupArray(r, 'ResourceGroupIds');
  return () => ({
    logonTime,
    logoffTime,
    kickOffTime,
    passwordLastSet,
    passwordCanChange,
    passwordMustChange,
    effectiveName: effectiveName(),
    fullName: fullName(),
    logonScript: logonScript(),
    profilePath: profilePath(),
    homeDirectory: homeDirectory(),
    homeDirectoryDrive: homeDirectoryDrive(),
    logonCount,
    badPasswordCount,
    userId,
    primaryGroupId,
    groupIds: groupIds(),
    userFlags,
    userSessionKey,
    logonServer: logonServer(),
    logonDomainName: logonDomainName(),
    logonDomainId: logonDomainId(),
    userAccountControl,
    subAuthStatus,
    lastSuccessfulILogon,
    lastFailedILogon,
    failedILogonCount,
    extraSids: extraSids(),
    resourceGroupDomainSid: resourceGroupDomainSid(),
    resourceGroupIds: resourceGroupIds(),
  });
}

/** Decodes a PAC_LOGON_INFO buffer; `base` is its offset in the PAC (for error offsets). */
export function decodeLogonInfo(data: Uint8Array, base = 0): KerbValidationInfo {
  return decodeNdrType(data, base, 'PAC_LOGON_INFO', readValidationInfo);
}
