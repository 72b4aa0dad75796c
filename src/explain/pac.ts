/** The PAC in the teaching view: who the user is, their groups, how the identity was established, signatures. MS-PAC, MS-SFU 3.2.5.1.2. */

import { PacLayout } from '../pac/constants.js';
import {
  AssertedIdentitySid,
  ClaimsCompressionFormat,
  type ClaimsSetMetadata,
  ClaimsSourceType,
  ClaimType,
  type Pac,
  PacBufferType,
  type PacSummary,
  type PacVerification,
  type SidEntry,
  type SignatureCheck,
  summarizePac,
} from '../pac/index.js';
import type { NodeSpan } from './byte-spans.js';
import { type ExplainNode, isoTime, node, spanAll } from './core.js';

const BUFFER_NAMES: ReadonlyMap<number, string> = new Map([
  [PacBufferType.LogonInfo, 'logon info (KERB_VALIDATION_INFO)'],
  [PacBufferType.CredentialsInfo, 'credentials info'],
  [PacBufferType.ServerChecksum, 'server signature'],
  [PacBufferType.KdcChecksum, 'KDC signature'],
  [PacBufferType.ClientInfo, 'client info'],
  [PacBufferType.DelegationInfo, 'S4U delegation info'],
  [PacBufferType.UpnDnsInfo, 'UPN and DNS info'],
  [PacBufferType.ClientClaimsInfo, 'client claims'],
  [PacBufferType.DeviceInfo, 'device info'],
  [PacBufferType.DeviceClaimsInfo, 'device claims'],
  [PacBufferType.TicketChecksum, 'ticket signature'],
  [PacBufferType.AttributesInfo, 'PAC attributes'],
  [PacBufferType.Requestor, 'requestor SID'],
  [PacBufferType.FullChecksum, 'full PAC signature'],
]);

/** CLAIMS_COMPRESSION_FORMAT names (MS-PAC 2.11). */
const COMPRESSION_NAMES: ReadonlyMap<number, string> = new Map([
  [ClaimsCompressionFormat.Lznt1, 'LZNT1'],
  [ClaimsCompressionFormat.Xpress, 'XPRESS'],
  [ClaimsCompressionFormat.XpressHuff, 'XPRESS_HUFF'],
]);

/** CLAIM_TYPE names (MS-ADTS 2.2.18.2). */
const CLAIM_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [ClaimType.Int64, 'int64'],
  [ClaimType.Uint64, 'uint64'],
  [ClaimType.String, 'string'],
  [ClaimType.Boolean, 'boolean'],
]);

/** CLAIMS_SOURCE_TYPE names (MS-ADTS 2.2.18.3). */
const CLAIM_SOURCE_NAMES: ReadonlyMap<number, string> = new Map([
  [ClaimsSourceType.Ad, 'from AD'],
  [ClaimsSourceType.Certificate, 'from the certificate'],
]);

/** A claims buffer: each claim with its values, and how the set was compressed. */
function claimsNode(label: string, m: ClaimsSetMetadata | null | undefined): ExplainNode | undefined {
  if (m === null || m === undefined) return undefined;
  const format = COMPRESSION_NAMES.get(m.compressionFormat) ?? `compression format ${m.compressionFormat}`;
  const note =
    m.compressionFormat === ClaimsCompressionFormat.None
      ? undefined
      : `${format}: ${m.claimsSetBytes.length} bytes, ${m.uncompressedClaimsSetSize} uncompressed`;
  if (m.claimsSet === undefined) return node(label, 'not decoded', note);
  const claims = m.claimsSet.claimsArrays.flatMap((a) =>
    a.claimEntries.map((e) =>
      node(
        e.id,
        e.values.map(String).join(', '),
        `${CLAIM_TYPE_NAMES.get(e.type) ?? `type ${e.type}`}, ${CLAIM_SOURCE_NAMES.get(a.claimsSourceType) ?? `source ${a.claimsSourceType}`}`,
      ),
    ),
  );
  return node(label, `${claims.length} claims`, note, claims);
}

/** What each identity assertion tells a service. */
const ASSERTION_NOTES: Readonly<Record<PacSummary['identityAssertion'], [string, string]>> = {
  service: [
    `service asserted identity (${AssertedIdentitySid.Service})`,
    "the KDC issued this on a service's word (S4U2Self), not on the user's own credentials",
  ],
  'authentication-authority': [
    `authentication authority asserted identity (${AssertedIdentitySid.AuthenticationAuthority})`,
    'the user proved their identity to the KDC',
  ],
  none: ['not stated', 'no asserted-identity SID in the PAC'],
};

function sidNode(label: string, e: SidEntry): ExplainNode {
  return node(label, e.sid, e.name);
}

function sidList(label: string, list: readonly SidEntry[]): ExplainNode | undefined {
  if (list.length === 0) return undefined;
  return node(
    label,
    `${list.length}`,
    undefined,
    list.map((e) => sidNode('sid', e)),
  );
}

function signatureNode(label: string, c: SignatureCheck): ExplainNode {
  return node(label, c.status, c.reason);
}

function present<T>(list: readonly (T | undefined)[]): T[] {
  return list.filter((x): x is T => x !== undefined);
}

/** Where `length` bytes at `offset` of the PAC are, when the caller knows where the PAC is. */
export type PacSpanner = (offset: number, length: number) => NodeSpan | undefined;

/**
 * The summary nodes, each (with what it lists: SIDs, claims) given the span of the buffer its facts were read from:
 * the PAC decoder keeps no offsets inside a buffer's NDR.
 */
function spannedBy(pac: Pac, at: PacSpanner | undefined) {
  return <N extends ExplainNode | undefined>(n: N, type: number): N => {
    const b = pac.infoBuffers.find((x) => x.ulType === type);
    const span = b === undefined ? undefined : at?.(b.offset, b.cbBufferSize);
    if (n !== undefined && span !== undefined) spanAll(n, span);
    return n;
  };
}

/**
 * Explains a decoded PAC; `verification` adds the signature checks when the caller could run them; with `at`, each
 * node carries the span of the buffer it was read from (MS-PAC 2.4), and the buffer list the span of each buffer.
 */
export function explainPac(
  pac: Pac,
  verification?: PacVerification,
  label = 'PAC',
  at?: PacSpanner,
): ExplainNode {
  const s = summarizePac(pac);
  const from = spannedBy(pac, at);
  const T = PacBufferType;
  const userFrom = pac.logonInfo === undefined ? T.ClientInfo : T.LogonInfo;
  const [assertion, assertionNote] = ASSERTION_NOTES[s.identityAssertion];
  const delegation =
    s.delegationTarget === undefined
      ? undefined
      : node('delegation', s.delegationTarget, 'S4U2Proxy target (S4U_DELEGATION_INFO)', [
          node(
            'transited services',
            s.delegationPath.join(', ') || 'none',
            'services that delegated, first first',
          ),
        ]);
  const buffers = node(
    'buffers',
    String(pac.infoBuffers.length),
    undefined,
    pac.infoBuffers.map((b) =>
      from(
        node(`type ${b.ulType}`, `${b.cbBufferSize} bytes`, BUFFER_NAMES.get(b.ulType) ?? 'unknown buffer'),
        b.ulType,
      ),
    ),
  );
  // The PAC_INFO_BUFFER array and the buffers it points at: all of the PAC after cBuffers and Version.
  const all = at?.(PacLayout.headerSize, pac.bytes.length - PacLayout.headerSize);
  if (all !== undefined) buffers.span = all;
  const children = present<ExplainNode>([
    s.user === undefined
      ? undefined
      : from(node('user', s.user, s.domain === undefined ? undefined : `domain ${s.domain}`), userFrom),
    s.userSid === undefined ? undefined : from(node('user SID', s.userSid), T.LogonInfo),
    s.primaryGroup === undefined ? undefined : from(sidNode('primary group', s.primaryGroup), T.LogonInfo),
    from(sidList('groups', s.groups), T.LogonInfo),
    from(sidList('resource groups', s.resourceGroups), T.LogonInfo),
    from(sidList('extra SIDs', s.extraSids), T.LogonInfo),
    from(node('identity', assertion, assertionNote), T.LogonInfo),
    from(delegation, T.DelegationInfo),
    s.upn === undefined ? undefined : from(node('UPN', s.upn), T.UpnDnsInfo),
    s.dnsDomain === undefined ? undefined : from(node('DNS domain', s.dnsDomain), T.UpnDnsInfo),
    s.samName === undefined ? undefined : from(node('SAM name', s.samName), T.UpnDnsInfo),
    s.clientName === undefined
      ? undefined
      : from(
          node(
            'client info',
            s.clientName,
            s.authTime === undefined ? undefined : `authtime ${isoTime(s.authTime)}`,
          ),
          T.ClientInfo,
        ),
    s.requestorSid === undefined
      ? undefined
      : from(node('requestor', s.requestorSid, 'the account that asked for the ticket'), T.Requestor),
    from(claimsNode('client claims', pac.clientClaims), T.ClientClaimsInfo),
    from(claimsNode('device claims', pac.deviceClaims), T.DeviceClaimsInfo),
    buffers,
    verification === undefined
      ? undefined
      : node('signatures', verification.verified ? 'verified' : 'not verified', undefined, [
          from(signatureNode('server', verification.server), T.ServerChecksum),
          from(signatureNode('KDC', verification.kdc), T.KdcChecksum),
          from(signatureNode('ticket', verification.ticket), T.TicketChecksum),
          from(signatureNode('full', verification.full), T.FullChecksum),
        ]),
  ]);
  const root = node(
    label,
    `version ${pac.version}, ${pac.infoBuffers.length} buffers`,
    'Privilege Attribute Certificate (MS-PAC)',
    children,
  );
  const whole = at?.(0, pac.bytes.length);
  if (whole !== undefined) root.span = whole;
  return root;
}
