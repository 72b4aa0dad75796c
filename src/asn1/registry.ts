/**
 * Registries keyed by number: padata-type and ad-type value decoders, and Kerberos message dispatch
 * on the outer APPLICATION tag. Unknown numbers give the raw bytes back.
 */
import { Asn1DecodeError } from '../errors.js';
import { type ApRep, type ApReq, decodeApRep, decodeApReq } from './ap.js';
import {
  type AdAndOr,
  type AdKdcIssued,
  type AuthorizationData,
  decodeAdAndOr,
  decodeAdIfRelevant,
  decodeAdKdcIssued,
  decodeAdMandatoryForKdc,
  decodeEtypeList,
} from './authdata.js';
import { type Checksum, decodeEncryptedData, type EncryptedData, type EncryptionKey } from './basic.js';
import { AdType, ApplicationTag, KerbyPaDataType, PaDataType } from './constants.js';
import { type DecodeOptions, DerReader, Tag } from './der.js';
import {
  decodePaAuthenticationSet,
  decodePaEncryptedChallenge,
  decodePaFxFastReply,
  decodePaFxFastRequest,
  type PaAuthenticationSetElem,
  type PaFxFastReply,
  type PaFxFastRequest,
} from './fast.js';
import { type AsRep, decodeAsRep, decodeTgsRep, type TgsRep } from './kdc-rep.js';
import { type AsReq, decodeAsReq, decodeTgsReq, type TgsReq } from './kdc-req.js';
import {
  decodeKerbAdRestrictions,
  decodeKerbKeyListRep,
  decodeKerbKeyListReq,
  decodePaPacOptions,
  decodePaPacRequest,
  decodePaSupportedEnctypes,
  type KerbAdRestrictionEntry,
  type PaPacOptions,
  type PaPacRequest,
} from './kile.js';
import { decodeKrbCred, type KrbCred } from './krb-cred.js';
import { decodeKrbError, type KrbError } from './krb-error.js';
import { decodeKrbPriv, decodeKrbSafe, type KrbPriv, type KrbSafe } from './krb-safe-priv.js';
import { decodeEtypeInfo, decodeEtypeInfo2, type EtypeInfo2Entry, type EtypeInfoEntry } from './padata.js';
import {
  decodePaPkAsRep,
  decodePaPkAsReq,
  decodePaReqEncPaRep,
  type PaPkAsRep,
  type PaPkAsReq,
} from './pkinit.js';
import { decodePaForUser, decodePaS4uX509User, type PaForUser, type PaS4uX509User } from './sfu.js';
import { type AdToken, decodeAdToken, decodePaTokenChallenge, type PaTokenChallenge } from './token.js';

/** Typed padata-value per registered name. */
export interface PaValueMap {
  'PA-TGS-REQ': ApReq;
  'PA-ENC-TIMESTAMP': EncryptedData;
  'PA-PW-SALT': Uint8Array;
  'PA-ETYPE-INFO': EtypeInfoEntry[];
  'PA-ETYPE-INFO2': EtypeInfo2Entry[];
  'PA-PK-AS-REQ': PaPkAsReq;
  'PA-PK-AS-REP': PaPkAsRep;
  'PA-PAC-REQUEST': PaPacRequest;
  'PA-FOR-USER': PaForUser;
  'PA-S4U-X509-USER': PaS4uX509User;
  'PA-FX-COOKIE': Uint8Array;
  'PA-AUTHENTICATION-SET': PaAuthenticationSetElem[];
  'PA-FX-FAST-REQUEST': PaFxFastRequest;
  'PA-FX-FAST-REPLY': PaFxFastReply;
  'PA-FX-ERROR': KrbError;
  'PA-ENCRYPTED-CHALLENGE': EncryptedData;
  'PA-REQ-ENC-PA-REP': Checksum;
  'PA-AS-FRESHNESS': Uint8Array;
  'KERB-KEY-LIST-REQ': number[];
  'KERB-KEY-LIST-REP': EncryptionKey[];
  'PA-SUPPORTED-ENCTYPES': number;
  'PA-PAC-OPTIONS': PaPacOptions;
  /** Kerby: EncryptedData whose plaintext (armor key, usage 57) is a PA-TOKEN-REQUEST. */
  'PA-TOKEN-REQUEST': EncryptedData;
  'PA-TOKEN-CHALLENGE': PaTokenChallenge;
}

/** A decoded padata-value: `name` says which type; `empty` for a zero-length value, `unknown` for raw bytes. */
export type PaValue =
  | { [K in keyof PaValueMap]: { padataType: number; name: K; value: PaValueMap[K] } }[keyof PaValueMap]
  | { padataType: number; name: 'empty' | 'unknown'; value: Uint8Array };

/** Where a padata came from: PA-FX-FAST (136) has a request form and a reply form (RFC 6113 5.4.2, 5.4.3). */
export interface PaValueOptions extends DecodeOptions {
  /** Default `reply` (KDC replies and KRB-ERROR e-data). */
  direction?: 'request' | 'reply';
}

type Decoder = (b: Uint8Array, opts?: DecodeOptions) => unknown;
const bytes: Decoder = (b) => b.slice();

const paTable = new Map<number, { request: [string, Decoder]; reply: [string, Decoder] }>();
function pa(type: number, name: keyof PaValueMap, dec: Decoder, replyName = name, replyDec = dec): void {
  paTable.set(type, { request: [name, dec], reply: [replyName, replyDec] });
}
pa(PaDataType.TGS_REQ, 'PA-TGS-REQ', decodeApReq);
pa(PaDataType.ENC_TIMESTAMP, 'PA-ENC-TIMESTAMP', decodeEncryptedData);
pa(PaDataType.PW_SALT, 'PA-PW-SALT', bytes);
pa(PaDataType.ETYPE_INFO, 'PA-ETYPE-INFO', decodeEtypeInfo);
pa(PaDataType.ETYPE_INFO2, 'PA-ETYPE-INFO2', decodeEtypeInfo2);
pa(PaDataType.PK_AS_REQ, 'PA-PK-AS-REQ', decodePaPkAsReq);
pa(PaDataType.PK_AS_REP, 'PA-PK-AS-REP', decodePaPkAsRep);
pa(PaDataType.PAC_REQUEST, 'PA-PAC-REQUEST', decodePaPacRequest);
pa(PaDataType.FOR_USER, 'PA-FOR-USER', decodePaForUser);
pa(PaDataType.S4U_X509_USER, 'PA-S4U-X509-USER', decodePaS4uX509User);
pa(PaDataType.FX_COOKIE, 'PA-FX-COOKIE', bytes);
pa(PaDataType.AUTHENTICATION_SET, 'PA-AUTHENTICATION-SET', decodePaAuthenticationSet);
pa(PaDataType.FX_FAST, 'PA-FX-FAST-REQUEST', decodePaFxFastRequest, 'PA-FX-FAST-REPLY', decodePaFxFastReply);
pa(PaDataType.FX_ERROR, 'PA-FX-ERROR', decodeKrbError);
pa(PaDataType.ENCRYPTED_CHALLENGE, 'PA-ENCRYPTED-CHALLENGE', decodePaEncryptedChallenge);
pa(PaDataType.REQ_ENC_PA_REP, 'PA-REQ-ENC-PA-REP', decodePaReqEncPaRep);
pa(PaDataType.AS_FRESHNESS, 'PA-AS-FRESHNESS', bytes);
pa(PaDataType.KERB_KEY_LIST_REQ, 'KERB-KEY-LIST-REQ', decodeKerbKeyListReq);
pa(PaDataType.KERB_KEY_LIST_REP, 'KERB-KEY-LIST-REP', decodeKerbKeyListRep);
pa(PaDataType.SUPPORTED_ETYPES, 'PA-SUPPORTED-ENCTYPES', decodePaSupportedEnctypes);
pa(PaDataType.PAC_OPTIONS, 'PA-PAC-OPTIONS', decodePaPacOptions);
// Kerby's token pre-auth: 148 is IANA's PA-PKU2U-NAME, which tskrb does not decode, so 148 is Kerby's here. Kerby
// seals the PA-TOKEN-REQUEST in the FAST armor key (kerb-server preauth/token/TokenPreauth.java), so the value is an
// EncryptedData.
pa(KerbyPaDataType.TOKEN_REQUEST, 'PA-TOKEN-REQUEST', decodeEncryptedData);

/**
 * 149 is both RFC 6806 PA-REQ-ENC-PA-REP (a Checksum: SEQUENCE { [0] INTEGER, … }) and Kerby's PA-TOKEN-CHALLENGE
 * (SEQUENCE { [0] SEQUENCE OF TokenInfo }): the first field's inner tag tells them apart.
 */
function isPaTokenChallenge(value: Uint8Array): boolean {
  const r = new DerReader(value, 0, value.length, 'padata-value');
  if (r.peekTag() !== Tag.Sequence) return false;
  return r.seq((s) => {
    const challenge =
      s.peekTag() === (Tag.Context | 0) &&
      s.field(0, 'first', (f) => {
        const inner = f.peekTag();
        f.rest();
        return inner === Tag.Sequence;
      });
    s.rest();
    return challenge;
  });
}

/**
 * The typed value of a padata for registered types; `empty` for zero-length values (hints in METHOD-DATA),
 * `unknown` (raw bytes) otherwise. A registered type whose value is malformed throws Asn1DecodeError.
 */
export function decodePaValue(padataType: number, value: Uint8Array, opts?: PaValueOptions): PaValue {
  const entry = paTable.get(padataType);
  if (entry === undefined) return { padataType, name: 'unknown', value: value.slice() };
  if (value.length === 0) return { padataType, name: 'empty', value: new Uint8Array(0) };
  if (padataType === KerbyPaDataType.TOKEN_CHALLENGE && isPaTokenChallenge(value))
    return { padataType, name: 'PA-TOKEN-CHALLENGE', value: decodePaTokenChallenge(value, opts) };
  const [name, dec] = opts?.direction === 'request' ? entry.request : entry.reply;
  return { padataType, name, value: dec(value, opts) } as PaValue;
}

/** Typed ad-data per registered name. */
export interface AdValueMap {
  'AD-IF-RELEVANT': AuthorizationData;
  'AD-KDCIssued': AdKdcIssued;
  'AD-AND-OR': AdAndOr;
  'AD-MANDATORY-FOR-KDC': AuthorizationData;
  'AD-ETYPE-NEGOTIATION': number[];
  'AD-WIN2K-PAC': Uint8Array;
  'KERB-AD-RESTRICTION-ENTRY': KerbAdRestrictionEntry[];
  'AD-TOKEN': AdToken;
}

/** A decoded ad-data: `unknown` keeps the raw bytes. */
export type AdValue =
  | { [K in keyof AdValueMap]: { adType: number; name: K; value: AdValueMap[K] } }[keyof AdValueMap]
  | { adType: number; name: 'unknown'; value: Uint8Array };

const adTable = new Map<number, [keyof AdValueMap, Decoder]>([
  [AdType.IF_RELEVANT, ['AD-IF-RELEVANT', decodeAdIfRelevant]],
  [AdType.KDC_ISSUED, ['AD-KDCIssued', decodeAdKdcIssued]],
  [AdType.AND_OR, ['AD-AND-OR', decodeAdAndOr]],
  [AdType.MANDATORY_FOR_KDC, ['AD-MANDATORY-FOR-KDC', decodeAdMandatoryForKdc]],
  // RFC 4537 2: SEQUENCE OF Int32 enctypes.
  [AdType.ETYPE_NEGOTIATION, ['AD-ETYPE-NEGOTIATION', decodeEtypeList]],
  // The PAC is NDR, decoded by the pac layer.
  [AdType.WIN2K_PAC, ['AD-WIN2K-PAC', bytes]],
  [AdType.RESTRICTIONS, ['KERB-AD-RESTRICTION-ENTRY', decodeKerbAdRestrictions]],
  // Kerby's KDC puts it top level in the ticket (kerb-identity AbstractIdentityBackend.doGetIdentityAuthorizationData).
  [AdType.TOKEN, ['AD-TOKEN', decodeAdToken]],
]);

/** The typed value of an ad-data for registered ad-types, raw bytes otherwise. */
export function decodeAdValue(adType: number, value: Uint8Array, opts?: DecodeOptions): AdValue {
  const entry = adTable.get(adType);
  if (entry === undefined) return { adType, name: 'unknown', value: value.slice() };
  return { adType, name: entry[0], value: entry[1](value, opts) } as AdValue;
}

/** Any top-level Kerberos message, by its APPLICATION tag (RFC 4120 5.10). */
export type KerberosMessage =
  | { type: 'AS-REQ'; value: AsReq }
  | { type: 'TGS-REQ'; value: TgsReq }
  | { type: 'AS-REP'; value: AsRep }
  | { type: 'TGS-REP'; value: TgsRep }
  | { type: 'AP-REQ'; value: ApReq }
  | { type: 'AP-REP'; value: ApRep }
  | { type: 'KRB-SAFE'; value: KrbSafe }
  | { type: 'KRB-PRIV'; value: KrbPriv }
  | { type: 'KRB-CRED'; value: KrbCred }
  | { type: 'KRB-ERROR'; value: KrbError };

const messageTable = new Map<number, [KerberosMessage['type'], Decoder]>([
  [ApplicationTag.AsReq, ['AS-REQ', decodeAsReq]],
  [ApplicationTag.TgsReq, ['TGS-REQ', decodeTgsReq]],
  [ApplicationTag.AsRep, ['AS-REP', decodeAsRep]],
  [ApplicationTag.TgsRep, ['TGS-REP', decodeTgsRep]],
  [ApplicationTag.ApReq, ['AP-REQ', decodeApReq]],
  [ApplicationTag.ApRep, ['AP-REP', decodeApRep]],
  [ApplicationTag.KrbSafe, ['KRB-SAFE', decodeKrbSafe]],
  [ApplicationTag.KrbPriv, ['KRB-PRIV', decodeKrbPriv]],
  [ApplicationTag.KrbCred, ['KRB-CRED', decodeKrbCred]],
  [ApplicationTag.KrbError, ['KRB-ERROR', decodeKrbError]],
]);

/** Decodes any Kerberos message, dispatching on its outer APPLICATION tag. */
export function decodeKerberosMessage(b: Uint8Array, opts?: DecodeOptions): KerberosMessage {
  const id = b[0];
  const entry = id !== undefined && (id & 0xe0) === 0x60 ? messageTable.get(id & 0x1f) : undefined;
  if (entry === undefined)
    throw new Asn1DecodeError(
      'KerberosMessage',
      0,
      id === undefined ? 'empty input' : `tag 0x${id.toString(16)} is not a Kerberos message`,
    );
  return { type: entry[0], value: entry[1](b, opts) } as KerberosMessage;
}
