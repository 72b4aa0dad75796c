/**
 * PA-DATA in the teaching view: each padata-type's name, a one-line meaning, and an explainer of its decoded value
 * (decoded by the asn1 registry). RFC 4120 5.2.7, RFC 6113, MS-SFU 2.2, MS-KILE 2.2.
 */
import {
  type ApReq,
  type Checksum,
  decodePaValue,
  type EncryptedData,
  type EncryptionKey,
  type EtypeInfo2Entry,
  type EtypeInfoEntry,
  type KrbFastArmoredReq,
  type PaData,
  PaDataType,
  type PaForUser,
  type PaPacOptions,
  type PaPacRequest,
  type PaS4uX509User,
  type PaValue,
} from '../asn1/index.js';
import { EncType, KeyUsage } from '../crypto/index.js';
import { KerberosError } from '../errors.js';
import { fromUtf8 } from '../util/bytes.js';
import {
  bytesText,
  cksumText,
  type Explain,
  type ExplainNode,
  etypeText,
  flagsNode,
  keyNode,
  node,
  type PaDirection,
  principalNode,
} from './core.js';
import { PAC_OPTIONS, S4U_OPTIONS } from './names.js';

/** One line on what each padata-type is for, keyed by number. */
export const PADATA_MEANINGS: ReadonlyMap<number, string> = new Map([
  [PaDataType.TGS_REQ, 'AP-REQ proving possession of the TGT'],
  [PaDataType.ENC_TIMESTAMP, 'pre-authentication: the current time encrypted in the client key (usage 1)'],
  [PaDataType.PW_SALT, 'the salt for string-to-key'],
  [PaDataType.ETYPE_INFO, 'enctypes and salts for the client key (old form)'],
  [PaDataType.ETYPE_INFO2, 'which enctype, salt and iteration count turn the password into the client key'],
  [PaDataType.PK_AS_REQ, 'PKINIT: pre-authentication with a certificate or anonymously'],
  [PaDataType.PK_AS_REP, 'PKINIT: the reply key, by Diffie-Hellman or encrypted to the certificate'],
  [PaDataType.PAC_REQUEST, 'asks the KDC to include (or leave out) the PAC'],
  [PaDataType.FOR_USER, 'S4U2Self: the user the service asks a ticket for'],
  [
    PaDataType.S4U_X509_USER,
    'S4U2Self: the user (by name or certificate), checksummed (usage 26) with the authenticator subkey, or the TGT session key without one; the KDC echoes it signed with usage 27',
  ],
  [PaDataType.FX_COOKIE, 'opaque KDC state, echoed back in the next request'],
  [PaDataType.AUTHENTICATION_SET, 'pre-authentication mechanisms the KDC offers together'],
  [PaDataType.FX_FAST, 'FAST: the real request or reply travels encrypted in the armor key (RFC 6113)'],
  [PaDataType.FX_ERROR, 'FAST: the KRB-ERROR, protected inside the armor'],
  [
    PaDataType.ENCRYPTED_CHALLENGE,
    'FAST pre-authentication: a timestamp in the challenge key derived from the armor',
  ],
  [PaDataType.REQ_ENC_PA_REP, 'asks the KDC to checksum the request in its encrypted reply (RFC 6806)'],
  [PaDataType.AS_FRESHNESS, 'PKINIT freshness token'],
  [PaDataType.KERB_KEY_LIST_REQ, "asks an RODC-style KDC for the client's long-term keys"],
  [PaDataType.KERB_KEY_LIST_REP, "the client's long-term keys"],
  [PaDataType.SUPPORTED_ETYPES, 'enctypes the account supports (msDS-SupportedEncryptionTypes)'],
  [PaDataType.PAC_OPTIONS, 'resource-based constrained delegation bit, claims, branch-aware'],
  [PaDataType.SVR_REFERRAL_INFO, 'referral to another realm'],
  [PaDataType.SPAKE, 'SPAKE pre-authentication'],
  [PaDataType.ENC_UNIX_TIME, 'old encrypted-time pre-authentication'],
]);

const PADATA_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(PaDataType).map(([k, v]) => [
    v,
    k.startsWith('KERB_') ? k.replace(/_/g, '-') : `PA-${k.replace(/_/g, '-')}`,
  ]),
);

/** The padata-type's name, `PA-ETYPE-INFO2`, or `padata-N` when unknown. */
export function padataName(type: number): string {
  return PADATA_NAMES.get(type) ?? `padata-${type}`;
}

/** msDS-SupportedEncryptionTypes bits (MS-KILE 2.2.7). */
const SUPPORTED_ETYPE_BITS: ReadonlyArray<readonly [number, string]> = [
  [0x1, 'des-cbc-crc'],
  [0x2, 'des-cbc-md5'],
  [0x4, 'rc4-hmac'],
  [0x8, 'aes128-cts-hmac-sha1-96'],
  [0x10, 'aes256-cts-hmac-sha1-96'],
  [0x20, 'aes256-cts-hmac-sha1-96-sk'],
  [0x10000, 'fast-supported'],
  [0x20000, 'compound-identity-supported'],
  [0x40000, 'claims-supported'],
  [0x80000, 'resource-sid-compression-disabled'],
];

/** Default PBKDF2 iteration count by enctype (RFC 3962 4, RFC 8009 4). */
const DEFAULT_ITERATIONS: ReadonlyMap<number, number> = new Map([
  [EncType.AES128_CTS_HMAC_SHA1_96, 4096],
  [EncType.AES256_CTS_HMAC_SHA1_96, 4096],
  [EncType.AES128_CTS_HMAC_SHA256_128, 32768],
  [EncType.AES256_CTS_HMAC_SHA384_192, 32768],
]);

function iterationsNode(etype: number, s2kparams: Uint8Array | undefined): ExplainNode | undefined {
  if (etype === EncType.RC4_HMAC)
    return node('string-to-key', 'MD4 of the password', 'rc4-hmac ignores the salt');
  const dflt = DEFAULT_ITERATIONS.get(etype);
  if (s2kparams === undefined)
    return dflt === undefined ? undefined : node('iterations', String(dflt), 'default');
  if (s2kparams.length !== 4) return node('s2kparams', bytesText(s2kparams));
  const count = new DataView(s2kparams.buffer, s2kparams.byteOffset, 4).getUint32(0, false);
  return node(
    'iterations',
    String(count),
    dflt === undefined || count === dflt ? 'PBKDF2 rounds' : `default is ${dflt}`,
  );
}

function etypeInfo2(list: EtypeInfo2Entry[]): ExplainNode[] {
  return list.map((e) => {
    const kids = [
      e.salt === undefined
        ? node('salt', 'default', 'realm + name components')
        : node('salt', JSON.stringify(e.salt)),
    ];
    const it = iterationsNode(e.etype, e.s2kparams);
    if (it) kids.push(it);
    return node('etype', etypeText(e.etype), undefined, kids);
  });
}

function etypeInfo(list: EtypeInfoEntry[]): ExplainNode[] {
  return list.map((e) =>
    node(
      'etype',
      etypeText(e.etype),
      undefined,
      e.salt ? [node('salt', JSON.stringify(fromUtf8(e.salt)))] : [],
    ),
  );
}

function checksumNode(label: string, c: Checksum, note: string): ExplainNode {
  return node(label, cksumText(c.cksumtype), note, [node('checksum', bytesText(c.checksum))]);
}

function forUser(v: PaForUser): ExplainNode[] {
  return [
    principalNode(
      'user',
      v.userName,
      v.userRealm,
      'the identity the service asserts; the KDC sees no credential of this user',
    ),
    checksumNode(
      'cksum',
      v.cksum,
      `keyed with the TGT session key, usage ${KeyUsage.PacSignature}, over the user name, realm and auth-package`,
    ),
    node('auth-package', JSON.stringify(v.authPackage)),
  ];
}

function s4uX509User(v: PaS4uX509User, dir: PaDirection): ExplainNode[] {
  const u = v.userId;
  const kids = [node('nonce', String(u.nonce), 'the req-body nonce, repeated')];
  if (u.cname) kids.push(principalNode('cname', u.cname, u.crealm));
  else kids.push(node('crealm', u.crealm));
  if (u.subjectCertificate)
    kids.push(
      node('subject-certificate', bytesText(u.subjectCertificate), 'the user is named by certificate'),
    );
  if (u.options) kids.push(flagsNode('options', S4U_OPTIONS, u.options));
  const usage = dir === 'request' ? KeyUsage.PaS4uX509UserRequest : KeyUsage.PaS4uX509UserReply;
  const why = dir === 'request' ? 'ties the user to this request' : 'the KDC confirms the user it resolved';
  return [
    node('user-id', undefined, undefined, kids),
    checksumNode('checksum', v.checksum, `keyed with the session key or subkey, usage ${usage}: ${why}`),
  ];
}

function fastRequest(v: KrbFastArmoredReq, ex: Explain): ExplainNode[] {
  const kids: ExplainNode[] = [];
  if (v.armor)
    kids.push(
      node(
        'armor',
        `armor-type ${v.armor.armorType}`,
        'an AP-REQ whose ticket and subkey make the armor key',
        [armorNode(v.armor.armorValue, ex)],
      ),
    );
  kids.push(
    checksumNode(
      'req-checksum',
      v.reqChecksum,
      `over the outer req-body (AS) or the PA-TGS-REQ AP-REQ (TGS), keyed with the armor key, usage ${KeyUsage.FastReqChksum}`,
    ),
  );
  kids.push(ex.encrypted('enc-fast-req', v.encFastReq, [KeyUsage.FastEnc], 'KrbFastReq'));
  return kids;
}

function armorNode(bytes: Uint8Array, ex: Explain): ExplainNode {
  const decoded = decodePaValue(PaDataType.TGS_REQ, bytes, { direction: 'request' });
  return decoded.name === 'PA-TGS-REQ'
    ? ex.apReq('ap-req', decoded.value, KeyUsage.ApReqAuthenticator)
    : node('armor-value', bytesText(bytes));
}

function supportedEtypes(mask: number): ExplainNode[] {
  const names = SUPPORTED_ETYPE_BITS.filter(([bit]) => (mask & bit) !== 0).map(([, n]) => n);
  return [node('mask', `0x${mask.toString(16)}`, names.join(', ') || 'none')];
}

type ValueExplainer = (v: PaValue, ex: Explain, dir: PaDirection) => ExplainNode[];

/** Explainers of decoded values, keyed by the registry's name for them. */
const VALUE_EXPLAINERS: Readonly<Record<string, ValueExplainer>> = {
  'PA-TGS-REQ': (v, ex) => [ex.apReq('ap-req', v.value as ApReq, KeyUsage.TgsReqAuthenticator)],
  'PA-ENC-TIMESTAMP': (v, ex) => [
    ex.encrypted('enc-timestamp', v.value as EncryptedData, [KeyUsage.AsReqPaEncTimestamp], 'PA-ENC-TS-ENC'),
  ],
  'PA-PW-SALT': (v) => [node('salt', JSON.stringify(fromUtf8(v.value as Uint8Array)))],
  'PA-ETYPE-INFO': (v) => etypeInfo(v.value as EtypeInfoEntry[]),
  'PA-ETYPE-INFO2': (v) => etypeInfo2(v.value as EtypeInfo2Entry[]),
  'PA-PAC-REQUEST': (v) => {
    const include = (v.value as PaPacRequest).includePac;
    return [
      node(
        'include-pac',
        String(include),
        include ? 'the ticket will carry a PAC' : 'asks for a ticket without a PAC',
      ),
    ];
  },
  'PA-FOR-USER': (v) => forUser(v.value as PaForUser),
  'PA-S4U-X509-USER': (v, _ex, dir) => s4uX509User(v.value as PaS4uX509User, dir),
  'PA-PAC-OPTIONS': (v) => [flagsNode('flags', PAC_OPTIONS, (v.value as PaPacOptions).flags)],
  'PA-FX-FAST-REQUEST': (v, ex) =>
    fastRequest((v.value as { armoredData: KrbFastArmoredReq }).armoredData, ex),
  'PA-FX-FAST-REPLY': (v, ex) => {
    const ed = (v.value as { armoredData: { encFastRep: EncryptedData } }).armoredData.encFastRep;
    return [ex.encrypted('enc-fast-rep', ed, [KeyUsage.FastRep], 'KrbFastResponse')];
  },
  'PA-FX-ERROR': (v, ex) => [ex.value('krb-error', v.value)],
  'PA-ENCRYPTED-CHALLENGE': (v, ex, dir) => [
    ex.encrypted(
      'challenge',
      v.value as EncryptedData,
      [dir === 'request' ? KeyUsage.EncChallengeClient : KeyUsage.EncChallengeKdc],
      'PA-ENC-TS-ENC',
    ),
  ],
  'PA-REQ-ENC-PA-REP': (v) => [
    checksumNode(
      'checksum',
      v.value as Checksum,
      `over the AS-REQ, keyed with the reply key, usage ${KeyUsage.AsReq}`,
    ),
  ],
  'PA-SUPPORTED-ENCTYPES': (v) => supportedEtypes(v.value as number),
  'KERB-KEY-LIST-REQ': (v) => (v.value as number[]).map((e) => node('etype', etypeText(e))),
  'KERB-KEY-LIST-REP': (v, ex) => (v.value as EncryptionKey[]).map((k) => keyNode('key', k, ex.opts)),
  empty: () => [node('value', 'empty', 'a hint: the KDC accepts this type')],
  unknown: (v) => [node('value', bytesText(v.value as Uint8Array))],
};

/** Explains one PA-DATA: its name and meaning, and its value decoded and explained. */
export function explainPaData(p: PaData, ex: Explain, dir: PaDirection): ExplainNode {
  const label = `${padataName(p.padataType)} (${p.padataType})`;
  const meaning = PADATA_MEANINGS.get(p.padataType);
  let children: ExplainNode[];
  try {
    const decoded = decodePaValue(p.padataType, p.padataValue, { direction: dir });
    const explainer = VALUE_EXPLAINERS[decoded.name] ?? ((v: PaValue) => [ex.value('value', v.value)]);
    children = explainer(decoded, ex, dir);
  } catch (e) {
    if (!(e instanceof KerberosError)) throw e;
    children = [node('value', bytesText(p.padataValue), `could not decode: ${e.message}`)];
  }
  return node(label, undefined, meaning, children);
}
