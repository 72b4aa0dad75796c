/**
 * Test-side oracle: the ASN.1 schemas of asn1-reference.json written out independently of src/asn1, and a
 * converter from the vectors' JSON form (hyphenated names, hex, time strings, flag hex) to the TS value form.
 */
import { fromHex } from '../../src/util/bytes.js';

/** How one JSON field maps to a TS value. */
export type Kind =
  | 'int'
  | 'hex'
  | 'str'
  | 'time'
  | { flags: Record<string, number> }
  | { seq: Record<string, Kind> }
  | { arr: Kind }
  | { choice: Record<string, Kind> };

// Bit numbers as printed in the RFCs (RFC 4120 5.3/5.4.1/5.5.1, RFC 6806, RFC 8062, MS-SFU 2.2.2).
/** TicketFlags bit numbers (RFC 4120 5.3, RFC 6806, RFC 8062). */
export const TICKET_FLAGS = {
  forwardable: 1,
  forwarded: 2,
  proxiable: 3,
  proxy: 4,
  mayPostdate: 5,
  postdated: 6,
  invalid: 7,
  renewable: 8,
  initial: 9,
  preAuthent: 10,
  hwAuthent: 11,
  transitedPolicyChecked: 12,
  okAsDelegate: 13,
  encPaRep: 15,
  anonymous: 16,
};
/** KDCOptions bit numbers (RFC 4120 5.4.1, MS-SFU, RFC 6806). */
export const KDC_OPTIONS = {
  forwardable: 1,
  forwarded: 2,
  proxiable: 3,
  proxy: 4,
  allowPostdate: 5,
  postdated: 6,
  renewable: 8,
  optHardwareAuth: 11,
  cnameInAddlTkt: 14,
  canonicalize: 15,
  requestAnonymous: 16,
  disableTransitedCheck: 26,
  renewableOk: 27,
  encTktInSkey: 28,
  renew: 30,
  validate: 31,
};
/** APOptions bit numbers (RFC 4120 5.5.1). */
export const AP_OPTIONS = { useSessionKey: 1, mutualRequired: 2 };
/** S4UUserID options bit numbers (MS-SFU 2.2.2). */
export const S4U_OPTIONS = { checkLogonHours: 1, signedWithKun27: 2 };
/** FastOptions bit numbers (RFC 6113 5.4.1). */
export const FAST_OPTIONS = { hideClientNames: 1, kdcFollowReferrals: 16 };
/** PA-PAC-OPTIONS bit numbers (MS-KILE 2.2.10). */
export const PAC_OPTIONS = {
  claims: 0,
  branchAware: 1,
  forwardToFullDc: 2,
  resourceBasedConstrainedDelegation: 3,
};

const seq = (s: Record<string, Kind>): Kind => ({ seq: s });
const arr = (k: Kind): Kind => ({ arr: k });

const PrincipalName = seq({ 'name-type': 'int', 'name-string': arr('str') });
const EncryptionKey = seq({ keytype: 'int', keyvalue: 'hex' });
const Checksum = seq({ cksumtype: 'int', checksum: 'hex' });
const EncryptedData = seq({ etype: 'int', kvno: 'int', cipher: 'hex' });
const HostAddress = seq({ 'addr-type': 'int', address: 'hex' });
const AuthorizationData = arr(seq({ 'ad-type': 'int', 'ad-data': 'hex' }));
const MethodData = arr(seq({ 'padata-type': 'int', 'padata-value': 'hex' }));
const TicketFlags: Kind = { flags: TICKET_FLAGS };
const Ticket = seq({ 'tkt-vno': 'int', realm: 'str', sname: PrincipalName, 'enc-part': EncryptedData });
const KdcReqBody = seq({
  'kdc-options': { flags: KDC_OPTIONS },
  cname: PrincipalName,
  realm: 'str',
  sname: PrincipalName,
  from: 'time',
  till: 'time',
  rtime: 'time',
  nonce: 'int',
  etype: arr('int'),
  addresses: arr(HostAddress),
  'enc-authorization-data': EncryptedData,
  'additional-tickets': arr(Ticket),
});
const KdcReq = seq({ pvno: 'int', 'msg-type': 'int', padata: MethodData, 'req-body': KdcReqBody });
const KdcRep = seq({
  pvno: 'int',
  'msg-type': 'int',
  padata: MethodData,
  crealm: 'str',
  cname: PrincipalName,
  ticket: Ticket,
  'enc-part': EncryptedData,
});
const SafeBody = seq({
  'user-data': 'hex',
  timestamp: 'time',
  usec: 'int',
  'seq-number': 'int',
  's-address': HostAddress,
  'r-address': HostAddress,
});
const KrbCredInfo = seq({
  key: EncryptionKey,
  prealm: 'str',
  pname: PrincipalName,
  flags: TicketFlags,
  authtime: 'time',
  starttime: 'time',
  endtime: 'time',
  'renew-till': 'time',
  srealm: 'str',
  sname: PrincipalName,
  caddr: arr(HostAddress),
});

/** Schema per `asn1Type` of the reference file. */
export const SCHEMAS: Record<string, Kind> = {
  Authenticator: seq({
    'authenticator-vno': 'int',
    crealm: 'str',
    cname: PrincipalName,
    cksum: Checksum,
    cusec: 'int',
    ctime: 'time',
    subkey: EncryptionKey,
    'seq-number': 'int',
    'authorization-data': AuthorizationData,
  }),
  Ticket,
  EncryptionKey,
  EncTicketPart: seq({
    flags: TicketFlags,
    key: EncryptionKey,
    crealm: 'str',
    cname: PrincipalName,
    transited: seq({ 'tr-type': 'int', contents: 'hex' }),
    authtime: 'time',
    starttime: 'time',
    endtime: 'time',
    'renew-till': 'time',
    caddr: arr(HostAddress),
    'authorization-data': AuthorizationData,
  }),
  EncTGSRepPart: seq({
    key: EncryptionKey,
    'last-req': arr(seq({ 'lr-type': 'int', 'lr-value': 'time' })),
    nonce: 'int',
    'key-expiration': 'time',
    flags: TicketFlags,
    authtime: 'time',
    starttime: 'time',
    endtime: 'time',
    'renew-till': 'time',
    srealm: 'str',
    sname: PrincipalName,
    caddr: arr(HostAddress),
    'encrypted-pa-data': MethodData,
  }),
  'AS-REP': KdcRep,
  'TGS-REP': KdcRep,
  'AP-REQ': seq({
    pvno: 'int',
    'msg-type': 'int',
    'ap-options': { flags: AP_OPTIONS },
    ticket: Ticket,
    authenticator: EncryptedData,
  }),
  'AP-REP': seq({ pvno: 'int', 'msg-type': 'int', 'enc-part': EncryptedData }),
  EncAPRepPart: seq({ ctime: 'time', cusec: 'int', subkey: EncryptionKey, 'seq-number': 'int' }),
  'AS-REQ': KdcReq,
  'TGS-REQ': KdcReq,
  'KDC-REQ-BODY': KdcReqBody,
  'KRB-SAFE': seq({ pvno: 'int', 'msg-type': 'int', 'safe-body': SafeBody, cksum: Checksum }),
  'KRB-PRIV': seq({ pvno: 'int', 'msg-type': 'int', 'enc-part': EncryptedData }),
  EncKrbPrivPart: SafeBody,
  'KRB-CRED': seq({ pvno: 'int', 'msg-type': 'int', tickets: arr(Ticket), 'enc-part': EncryptedData }),
  EncKrbCredPart: seq({
    'ticket-info': arr(KrbCredInfo),
    nonce: 'int',
    timestamp: 'time',
    usec: 'int',
    's-address': HostAddress,
    'r-address': HostAddress,
  }),
  'KRB-ERROR': seq({
    pvno: 'int',
    'msg-type': 'int',
    ctime: 'time',
    cusec: 'int',
    stime: 'time',
    susec: 'int',
    'error-code': 'int',
    crealm: 'str',
    cname: PrincipalName,
    realm: 'str',
    sname: PrincipalName,
    'e-text': 'str',
    'e-data': 'hex',
  }),
  AuthorizationData,
  'METHOD-DATA (SEQUENCE OF PA-DATA)': MethodData,
  'TYPED-DATA': arr(seq({ 'data-type': 'int', 'data-value': 'hex' })),
  'ETYPE-INFO': arr(seq({ etype: 'int', salt: 'hex' })),
  'ETYPE-INFO2': arr(seq({ etype: 'int', salt: 'str', s2kparams: 'hex' })),
  'PA-ENC-TS-ENC': seq({ patimestamp: 'time', pausec: 'int' }),
  EncryptedData,
  'PA-FOR-USER': seq({ userName: PrincipalName, userRealm: 'str', cksum: Checksum, 'auth-package': 'str' }),
  'PA-S4U-X509-USER': seq({
    'user-id': seq({
      nonce: 'int',
      cname: PrincipalName,
      crealm: 'str',
      'subject-certificate': 'hex',
      options: { flags: S4U_OPTIONS },
    }),
    checksum: Checksum,
  }),
  'AD-KDCIssued': seq({
    'ad-checksum': Checksum,
    'i-realm': 'str',
    'i-sname': PrincipalName,
    elements: AuthorizationData,
  }),
  KrbFastResponse: seq({
    padata: MethodData,
    'strengthen-key': EncryptionKey,
    finished: seq({
      timestamp: 'time',
      usec: 'int',
      crealm: 'str',
      cname: PrincipalName,
      'ticket-checksum': Checksum,
    }),
    nonce: 'int',
  }),
  'PA-FX-FAST-REPLY': { choice: { 'armored-data': seq({ 'enc-fast-rep': EncryptedData }) } },
  'KDC-PROXY-MESSAGE': seq({ 'kerb-message': 'hex', 'target-domain': 'str', 'dclocator-hint': 'int' }),
};

function camel(k: string): string {
  return k.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function time(s: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new Error(`bad time ${s}`);
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, se));
}

/** The flag-set value for the uint32 `v` (bit n = 2^(31-n)) under `table`. */
export function flagsOf(table: Record<string, number>, v: number): Record<string, boolean | number> {
  const out: Record<string, boolean | number> = {};
  let named = 0;
  for (const [name, bit] of Object.entries(table)) {
    const m = 2 ** (31 - bit);
    named += m;
    out[name] = Math.floor(v / m) % 2 === 1;
  }
  const other = (v & ~named) >>> 0;
  if (other !== 0) out['otherBits'] = other;
  return out;
}

/** The TS value the codec must produce for a JSON value of kind `k`. */
export function jsonToValue(k: Kind, j: unknown): unknown {
  if (k === 'int') return j as number;
  if (k === 'str') return j as string;
  if (k === 'hex') return fromHex(j as string);
  if (k === 'time') return time(j as string);
  if ('flags' in k) return flagsOf(k.flags, Number.parseInt(j as string, 16) >>> 0);
  if ('arr' in k) return (j as unknown[]).map((e) => jsonToValue(k.arr, e));
  const o = j as Record<string, unknown>;
  const fields = 'seq' in k ? k.seq : k.choice;
  const out: Record<string, unknown> = {};
  for (const [key, val] of Object.entries(o)) {
    const fk = fields[key];
    if (fk === undefined) throw new Error(`schema has no field ${key}`);
    out[camel(key)] = jsonToValue(fk, val);
  }
  return out;
}
