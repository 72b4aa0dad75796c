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
  type KrbFastArmor,
  type KrbFastArmoredReq,
  type PaData,
  PaDataType,
  type PaForUser,
  type PaFxFastReply,
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

function etypeInfo2(list: EtypeInfo2Entry[], ex: Explain): ExplainNode[] {
  return list.map((e) => {
    const kids =
      e.salt === undefined
        ? [node('salt', 'default', 'realm + name components')]
        : ex.field(e, 'salt', (salt) => node('salt', JSON.stringify(salt)));
    const it = iterationsNode(e.etype, e.s2kparams);
    if (it) kids.push(e.s2kparams === undefined ? it : ex.span(it, e.s2kparams));
    return ex.span(node('etype', etypeText(e.etype), undefined, kids), e);
  });
}

function etypeInfo(list: EtypeInfoEntry[], ex: Explain): ExplainNode[] {
  return list.map((e) =>
    ex.span(
      node(
        'etype',
        etypeText(e.etype),
        undefined,
        ex.field(e, 'salt', (salt) => node('salt', JSON.stringify(fromUtf8(salt)))),
      ),
      e,
    ),
  );
}

function checksumNode(label: string, c: Checksum, note: string, ex: Explain): ExplainNode {
  return ex.span(
    node(
      label,
      cksumText(c.cksumtype),
      note,
      ex.field(c, 'checksum', (b) => node('checksum', bytesText(b))),
    ),
    c,
  );
}

function forUser(v: PaForUser, ex: Explain): ExplainNode[] {
  return [
    ...ex.field(v, 'userName', (n) =>
      principalNode(
        'user',
        n,
        v.userRealm,
        'the identity the service asserts; the KDC sees no credential of this user',
      ),
    ),
    checksumNode(
      'cksum',
      v.cksum,
      `keyed with the TGT session key, usage ${KeyUsage.PacSignature}, over the user name, realm and auth-package`,
      ex,
    ),
    ...ex.field(v, 'authPackage', (p) => node('auth-package', JSON.stringify(p))),
  ];
}

function s4uX509User(v: PaS4uX509User, dir: PaDirection, ex: Explain): ExplainNode[] {
  const u = v.userId;
  const kids = [
    ...ex.field(u, 'nonce', (n) => node('nonce', String(n), 'the req-body nonce, repeated')),
    ...(u.cname
      ? ex.field(u, 'cname', (n) => principalNode('cname', n, u.crealm))
      : ex.field(u, 'crealm', (r) => node('crealm', r))),
    ...ex.field(u, 'subjectCertificate', (c) =>
      node('subject-certificate', bytesText(c), 'the user is named by certificate'),
    ),
    ...ex.flags(u, 'options', 'options', S4U_OPTIONS),
  ];
  const usage = dir === 'request' ? KeyUsage.PaS4uX509UserRequest : KeyUsage.PaS4uX509UserReply;
  const why = dir === 'request' ? 'ties the user to this request' : 'the KDC confirms the user it resolved';
  return [
    ...ex.field(v, 'userId', () => node('user-id', undefined, undefined, kids)),
    checksumNode('checksum', v.checksum, `keyed with the session key or subkey, usage ${usage}: ${why}`, ex),
  ];
}

function fastRequest(v: KrbFastArmoredReq, ex: Explain): ExplainNode[] {
  return [
    ...ex.field(v, 'armor', (a) =>
      node('armor', `armor-type ${a.armorType}`, 'an AP-REQ whose ticket and subkey make the armor key', [
        armorNode(a, ex),
      ]),
    ),
    checksumNode(
      'req-checksum',
      v.reqChecksum,
      `over the outer req-body (AS) or the PA-TGS-REQ AP-REQ (TGS), keyed with the armor key, usage ${KeyUsage.FastReqChksum}`,
      ex,
    ),
    ...ex.field(v, 'encFastReq', (ed) => ex.encrypted('enc-fast-req', ed, [KeyUsage.FastEnc], 'KrbFastReq')),
  ];
}

function armorNode(armor: KrbFastArmor, ex: Explain): ExplainNode {
  const bytes = armor.armorValue;
  const decoded = decodePaValue(PaDataType.TGS_REQ, bytes, {
    direction: 'request',
    ...ex.nested(armor, 'armorValue'),
  });
  return decoded.name === 'PA-TGS-REQ'
    ? ex.apReq('ap-req', decoded.value, KeyUsage.ApReqAuthenticator)
    : ex.span(node('armor-value', bytesText(bytes)), bytes);
}

function supportedEtypes(mask: number): ExplainNode[] {
  const names = SUPPORTED_ETYPE_BITS.filter(([bit]) => (mask & bit) !== 0).map(([, n]) => n);
  return [node('mask', `0x${mask.toString(16)}`, names.join(', ') || 'none')];
}

/** Explains a decoded padata-value; `raw` is the padata-value's bytes, for nodes that stand for all of it. */
type ValueExplainer = (v: PaValue, ex: Explain, dir: PaDirection, raw: Uint8Array) => ExplainNode[];

/** Explainers of decoded values, keyed by the registry's name for them. */
const VALUE_EXPLAINERS: Readonly<Record<string, ValueExplainer>> = {
  'PA-TGS-REQ': (v, ex) => [ex.apReq('ap-req', v.value as ApReq, KeyUsage.TgsReqAuthenticator)],
  'PA-ENC-TIMESTAMP': (v, ex) => [
    ex.encrypted('enc-timestamp', v.value as EncryptedData, [KeyUsage.AsReqPaEncTimestamp], 'PA-ENC-TS-ENC'),
  ],
  'PA-PW-SALT': (v, ex, _dir, raw) => [
    ex.span(node('salt', JSON.stringify(fromUtf8(v.value as Uint8Array))), raw),
  ],
  'PA-ETYPE-INFO': (v, ex) => etypeInfo(v.value as EtypeInfoEntry[], ex),
  'PA-ETYPE-INFO2': (v, ex) => etypeInfo2(v.value as EtypeInfo2Entry[], ex),
  'PA-PAC-REQUEST': (v, ex) =>
    ex.field(v.value as PaPacRequest, 'includePac', (include) =>
      node(
        'include-pac',
        String(include),
        include ? 'the ticket will carry a PAC' : 'asks for a ticket without a PAC',
      ),
    ),
  'PA-FOR-USER': (v, ex) => forUser(v.value as PaForUser, ex),
  'PA-S4U-X509-USER': (v, ex, dir) => s4uX509User(v.value as PaS4uX509User, dir, ex),
  'PA-PAC-OPTIONS': (v, ex) => ex.flags(v.value as PaPacOptions, 'flags', 'flags', PAC_OPTIONS),
  'PA-FX-FAST-REQUEST': (v, ex) =>
    fastRequest((v.value as { armoredData: KrbFastArmoredReq }).armoredData, ex),
  'PA-FX-FAST-REPLY': (v, ex) =>
    ex.field((v.value as PaFxFastReply).armoredData, 'encFastRep', (ed) =>
      ex.encrypted('enc-fast-rep', ed, [KeyUsage.FastRep], 'KrbFastResponse'),
    ),
  'PA-FX-ERROR': (v, ex) => [ex.value('krb-error', v.value)],
  'PA-ENCRYPTED-CHALLENGE': (v, ex, dir) => [
    ex.encrypted(
      'challenge',
      v.value as EncryptedData,
      [dir === 'request' ? KeyUsage.EncChallengeClient : KeyUsage.EncChallengeKdc],
      'PA-ENC-TS-ENC',
    ),
  ],
  'PA-REQ-ENC-PA-REP': (v, ex) => [
    checksumNode(
      'checksum',
      v.value as Checksum,
      `over the AS-REQ, keyed with the reply key, usage ${KeyUsage.AsReq}`,
      ex,
    ),
  ],
  'PA-SUPPORTED-ENCTYPES': (v, ex, _dir, raw) =>
    supportedEtypes(v.value as number).map((n) => ex.span(n, raw)),
  'KERB-KEY-LIST-REQ': (v, ex) => {
    const list = v.value as number[];
    return list.map((e, i) => ex.itemSpan(node('etype', etypeText(e)), list, i));
  },
  'KERB-KEY-LIST-REP': (v, ex) =>
    (v.value as EncryptionKey[]).map((k) => ex.span(keyNode('key', k, ex.opts), k)),
  empty: () => [node('value', 'empty', 'a hint: the KDC accepts this type')],
  unknown: (v, ex, _dir, raw) => [ex.span(node('value', bytesText(v.value as Uint8Array)), raw)],
};

/** Explains one PA-DATA: its name and meaning, and its value decoded and explained. */
export function explainPaData(p: PaData, ex: Explain, dir: PaDirection): ExplainNode {
  const label = `${padataName(p.padataType)} (${p.padataType})`;
  const meaning = PADATA_MEANINGS.get(p.padataType);
  let children: ExplainNode[];
  const raw = p.padataValue;
  try {
    const decoded = decodePaValue(p.padataType, raw, { direction: dir, ...ex.nested(p, 'padataValue') });
    const explainer =
      VALUE_EXPLAINERS[decoded.name] ?? ((v: PaValue) => [ex.span(ex.value('value', v.value), raw)]);
    children = explainer(decoded, ex, dir, raw);
  } catch (e) {
    if (!(e instanceof KerberosError)) throw e;
    children = [ex.span(node('value', bytesText(raw), `could not decode: ${e.message}`), raw)];
  }
  return ex.span(node(label, undefined, meaning, children), p);
}
