/** The codec under test for each asn1Type of the reference vectors. */
import * as A from '../../src/asn1/index.js';

/** A decode/encode pair. */
export type Codec = [decode: (b: Uint8Array) => unknown, encode: (v: never) => Uint8Array];

/** Codec per `asn1Type` of asn1-reference.json. */
export const CODECS: Record<string, Codec> = {
  Authenticator: [A.decodeAuthenticator, A.encodeAuthenticator],
  Ticket: [A.decodeTicket, A.encodeTicket],
  EncryptionKey: [A.decodeEncryptionKey, A.encodeEncryptionKey],
  EncTicketPart: [A.decodeEncTicketPart, A.encodeEncTicketPart],
  EncTGSRepPart: [A.decodeEncTgsRepPart, A.encodeEncTgsRepPart],
  'AS-REP': [A.decodeAsRep, A.encodeAsRep],
  'TGS-REP': [A.decodeTgsRep, A.encodeTgsRep],
  'AP-REQ': [A.decodeApReq, A.encodeApReq],
  'AP-REP': [A.decodeApRep, A.encodeApRep],
  EncAPRepPart: [A.decodeEncApRepPart, A.encodeEncApRepPart],
  'AS-REQ': [A.decodeAsReq, A.encodeAsReq],
  'TGS-REQ': [A.decodeTgsReq, A.encodeTgsReq],
  'KDC-REQ-BODY': [A.decodeKdcReqBody, A.encodeKdcReqBody],
  'KRB-SAFE': [A.decodeKrbSafe, A.encodeKrbSafe],
  'KRB-PRIV': [A.decodeKrbPriv, A.encodeKrbPriv],
  EncKrbPrivPart: [A.decodeEncKrbPrivPart, A.encodeEncKrbPrivPart],
  'KRB-CRED': [A.decodeKrbCred, A.encodeKrbCred],
  EncKrbCredPart: [A.decodeEncKrbCredPart, A.encodeEncKrbCredPart],
  'KRB-ERROR': [A.decodeKrbError, A.encodeKrbError],
  AuthorizationData: [A.decodeAuthorizationData, A.encodeAuthorizationData],
  'METHOD-DATA (SEQUENCE OF PA-DATA)': [A.decodeMethodData, A.encodeMethodData],
  'TYPED-DATA': [A.decodeTypedData, A.encodeTypedData],
  'ETYPE-INFO': [A.decodeEtypeInfo, A.encodeEtypeInfo],
  'ETYPE-INFO2': [A.decodeEtypeInfo2, A.encodeEtypeInfo2],
  'PA-ENC-TS-ENC': [A.decodePaEncTsEnc, A.encodePaEncTsEnc],
  EncryptedData: [A.decodeEncryptedData, A.encodeEncryptedData],
  'PA-FOR-USER': [A.decodePaForUser, A.encodePaForUser],
  'PA-S4U-X509-USER': [A.decodePaS4uX509User, A.encodePaS4uX509User],
  'AD-KDCIssued': [A.decodeAdKdcIssued, A.encodeAdKdcIssued],
  KrbFastResponse: [A.decodeKrbFastResponse, A.encodeKrbFastResponse],
  'PA-FX-FAST-REPLY': [A.decodePaFxFastReply, A.encodePaFxFastReply],
  'KDC-PROXY-MESSAGE': [A.decodeKdcProxyMessage, A.encodeKdcProxyMessage],
};

/** Codec per PKINIT row (`type(variant)`) of asn1-reference.json; these rows carry no `value`. */
export const PKINIT_CODECS: Record<string, Codec> = {
  pa_pk_as_req: [A.decodePaPkAsReq, A.encodePaPkAsReq],
  'pa_pk_as_rep(dhInfo)': [A.decodePaPkAsRep, A.encodePaPkAsRep],
  'pa_pk_as_rep(encKeyPack)': [A.decodePaPkAsRep, A.encodePaPkAsRep],
  auth_pack: [A.decodeAuthPack, A.encodeAuthPack],
  kdc_dh_key_info: [A.decodeKdcDhKeyInfo, A.encodeKdcDhKeyInfo],
  reply_key_pack: [A.decodeReplyKeyPack, A.encodeReplyKeyPack],
};
