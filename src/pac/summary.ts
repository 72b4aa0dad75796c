/**
 * A readable summary of a decoded PAC: who the user is, which groups they are in (with names where
 * the SID is well known), and how the identity was established (S-1-18-1 vs S-1-18-2, MS-SFU 3.2.5.1.2).
 */
import { fileTimeToDate } from './ndr.js';
import type { Pac } from './pac.js';
import { AssertedIdentitySid, sidName } from './sid.js';

/** How the KDC says the client's identity was established. */
export type IdentityAssertion = 'authentication-authority' | 'service' | 'none';

/** A SID with its attributes and, when well known, its name. */
export interface SidEntry {
  sid: string;
  attributes: number;
  name?: string;
}

/** The facts of a PAC a service usually wants, flattened. */
export interface PacSummary {
  /** EffectiveName from the logon info, else the PAC_CLIENT_INFO name. */
  user?: string;
  /** LogonDomainName (NetBIOS). */
  domain?: string;
  userSid?: string;
  primaryGroup?: SidEntry;
  /** GroupIds as SIDs in the logon domain. */
  groups: SidEntry[];
  /** ResourceGroupIds as SIDs in the resource group domain. */
  resourceGroups: SidEntry[];
  extraSids: SidEntry[];
  /** S-1-18-1 → 'authentication-authority', S-1-18-2 → 'service' (S4U), neither → 'none'. */
  identityAssertion: IdentityAssertion;
  /** The S4U2Proxy target named in S4U_DELEGATION_INFO. */
  delegationTarget?: string;
  /** S4UTransitedServices: the services the delegation went through, first first. */
  delegationPath: string[];
  upn?: string;
  dnsDomain?: string;
  samName?: string;
  /** PAC_CLIENT_INFO: the client name and the ticket's authtime. */
  clientName?: string;
  authTime?: Date;
  requestorSid?: string;
}

function entry(sid: string, attributes: number): SidEntry {
  const name = sidName(sid);
  return name === undefined ? { sid, attributes } : { sid, attributes, name };
}

function inDomain(domainSid: string | null | undefined, rid: number, attributes: number): SidEntry[] {
  return domainSid === null || domainSid === undefined ? [] : [entry(`${domainSid}-${rid}`, attributes)];
}

/** The identity assertion the extra SIDs make; S-1-18-2 wins, as the weaker claim, if both appear. */
export function identityAssertionOf(extraSids: readonly { sid: string }[]): IdentityAssertion {
  if (extraSids.some((s) => s.sid === AssertedIdentitySid.Service)) return 'service';
  if (extraSids.some((s) => s.sid === AssertedIdentitySid.AuthenticationAuthority)) {
    return 'authentication-authority';
  }
  return 'none';
}

/** Summarizes a decoded PAC. The PAC is summarized as given: verify it first (verifyPac). */
export function summarizePac(pac: Pac): PacSummary {
  const info = pac.logonInfo;
  const domainSid = info?.logonDomainId;
  const extraSids = (info?.extraSids ?? []).map((s) => entry(s.sid, s.attributes));
  const summary: PacSummary = {
    groups: (info?.groupIds ?? []).flatMap((g) => inDomain(domainSid, g.relativeId, g.attributes)),
    resourceGroups: (info?.resourceGroupIds ?? []).flatMap((g) =>
      inDomain(info?.resourceGroupDomainSid, g.relativeId, g.attributes),
    ),
    extraSids,
    identityAssertion: identityAssertionOf(extraSids),
    delegationPath: pac.delegationInfo?.s4uTransitedServices ?? [],
  };
  const user = info?.effectiveName || pac.clientInfo?.name;
  if (user) summary.user = user;
  if (info?.logonDomainName) summary.domain = info.logonDomainName;
  if (info !== undefined && domainSid) {
    summary.userSid = `${domainSid}-${info.userId}`;
    summary.primaryGroup = entry(`${domainSid}-${info.primaryGroupId}`, 0);
  }
  if (pac.delegationInfo !== undefined) summary.delegationTarget = pac.delegationInfo.s4u2proxyTarget;
  const upn = pac.upnDnsInfo;
  if (upn !== undefined) {
    summary.upn = upn.upn;
    summary.dnsDomain = upn.dnsDomainName;
    if (upn.samName !== undefined) summary.samName = upn.samName;
  }
  if (pac.clientInfo !== undefined) {
    summary.clientName = pac.clientInfo.name;
    const authTime = fileTimeToDate(pac.clientInfo.clientId);
    if (authTime !== undefined) summary.authTime = authTime;
  }
  if (pac.requestor !== undefined) summary.requestorSid = pac.requestor.sid;
  return summary;
}
