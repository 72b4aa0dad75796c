/** The PAC in the teaching view: who the user is, their groups, how the identity was established, signatures. MS-PAC, MS-SFU 3.2.5.1.2. */
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
import { type ExplainNode, isoTime, node } from './core.js';

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

/** Explains a decoded PAC; `verification` adds the signature checks when the caller could run them. */
export function explainPac(pac: Pac, verification?: PacVerification, label = 'PAC'): ExplainNode {
  const s = summarizePac(pac);
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
  const children = present<ExplainNode>([
    s.user === undefined
      ? undefined
      : node('user', s.user, s.domain === undefined ? undefined : `domain ${s.domain}`),
    s.userSid === undefined ? undefined : node('user SID', s.userSid),
    s.primaryGroup === undefined ? undefined : sidNode('primary group', s.primaryGroup),
    sidList('groups', s.groups),
    sidList('resource groups', s.resourceGroups),
    sidList('extra SIDs', s.extraSids),
    node('identity', assertion, assertionNote),
    delegation,
    s.upn === undefined ? undefined : node('UPN', s.upn),
    s.dnsDomain === undefined ? undefined : node('DNS domain', s.dnsDomain),
    s.samName === undefined ? undefined : node('SAM name', s.samName),
    s.clientName === undefined
      ? undefined
      : node(
          'client info',
          s.clientName,
          s.authTime === undefined ? undefined : `authtime ${isoTime(s.authTime)}`,
        ),
    s.requestorSid === undefined
      ? undefined
      : node('requestor', s.requestorSid, 'the account that asked for the ticket'),
    claimsNode('client claims', pac.clientClaims),
    claimsNode('device claims', pac.deviceClaims),
    node(
      'buffers',
      String(pac.infoBuffers.length),
      undefined,
      pac.infoBuffers.map((b) =>
        node(`type ${b.ulType}`, `${b.cbBufferSize} bytes`, BUFFER_NAMES.get(b.ulType) ?? 'unknown buffer'),
      ),
    ),
    verification === undefined
      ? undefined
      : node('signatures', verification.verified ? 'verified' : 'not verified', undefined, [
          signatureNode('server', verification.server),
          signatureNode('KDC', verification.kdc),
          signatureNode('ticket', verification.ticket),
          signatureNode('full', verification.full),
        ]),
  ]);
  return node(
    label,
    `version ${pac.version}, ${pac.infoBuffers.length} buffers`,
    'Privilege Attribute Certificate (MS-PAC)',
    children,
  );
}
