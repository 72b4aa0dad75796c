/** fast-check round trips for every ASN.1 type: decode(encode(v)) == v and encode(decode(b)) == b. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as A from '../../src/asn1/index.js';
import { toHex } from '../../src/util/bytes.js';
import * as G from './arbitraries.js';

type Case = [
  name: string,
  arb: fc.Arbitrary<unknown>,
  encode: (v: never) => Uint8Array,
  decode: (b: Uint8Array) => unknown,
];

const cases: Case[] = [
  ['PrincipalName', G.principalName, A.encodePrincipalName, A.decodePrincipalName],
  ['EncryptionKey', G.encryptionKey, A.encodeEncryptionKey, A.decodeEncryptionKey],
  ['EncryptedData', G.encryptedData, A.encodeEncryptedData, A.decodeEncryptedData],
  ['Checksum', G.checksum, A.encodeChecksum, A.decodeChecksum],
  ['HostAddress', G.hostAddress, A.encodeHostAddress, A.decodeHostAddress],
  ['HostAddresses', G.hostAddresses, A.encodeHostAddresses, A.decodeHostAddresses],
  ['AuthorizationData', G.authorizationData, A.encodeAuthorizationData, A.decodeAuthorizationData],
  ['AD-IF-RELEVANT', G.authorizationData, A.encodeAdIfRelevant, A.decodeAdIfRelevant],
  ['AD-MANDATORY-FOR-KDC', G.authorizationData, A.encodeAdMandatoryForKdc, A.decodeAdMandatoryForKdc],
  ['AD-KDCIssued', G.adKdcIssued, A.encodeAdKdcIssued, A.decodeAdKdcIssued],
  ['AD-AND-OR', G.adAndOr, A.encodeAdAndOr, A.decodeAdAndOr],
  ['PA-DATA', G.paData, A.encodePaData, A.decodePaData],
  ['METHOD-DATA', G.methodData, A.encodeMethodData, A.decodeMethodData],
  ['TYPED-DATA', G.typedData, A.encodeTypedData, A.decodeTypedData],
  ['PA-ENC-TS-ENC', G.paEncTsEnc, A.encodePaEncTsEnc, A.decodePaEncTsEnc],
  ['ETYPE-INFO', G.etypeInfo, A.encodeEtypeInfo, A.decodeEtypeInfo],
  ['ETYPE-INFO2', G.etypeInfo2, A.encodeEtypeInfo2, A.decodeEtypeInfo2],
  ['Ticket', G.ticket, A.encodeTicket, A.decodeTicket],
  ['EncTicketPart', G.encTicketPart, A.encodeEncTicketPart, A.decodeEncTicketPart],
  ['KDC-REQ-BODY', G.kdcReqBody, A.encodeKdcReqBody, A.decodeKdcReqBody],
  ['AS-REQ', G.asReq, A.encodeAsReq, A.decodeAsReq],
  ['TGS-REQ', G.tgsReq, A.encodeTgsReq, A.decodeTgsReq],
  ['AS-REP', G.asRep, A.encodeAsRep, A.decodeAsRep],
  ['TGS-REP', G.tgsRep, A.encodeTgsRep, A.decodeTgsRep],
  ['EncASRepPart', G.encKdcRepPart, A.encodeEncAsRepPart, A.decodeEncAsRepPart],
  ['EncTGSRepPart', G.encKdcRepPart, A.encodeEncTgsRepPart, A.decodeEncTgsRepPart],
  ['EncKDCRepPart (25)', G.encKdcRepPart, A.encodeEncAsRepPart, A.decodeEncKdcRepPart],
  ['EncKDCRepPart (26)', G.encKdcRepPart, A.encodeEncTgsRepPart, A.decodeEncKdcRepPart],
  ['AP-REQ', G.apReq, A.encodeApReq, A.decodeApReq],
  ['Authenticator', G.authenticator, A.encodeAuthenticator, A.decodeAuthenticator],
  ['AP-REP', G.apRep, A.encodeApRep, A.decodeApRep],
  ['EncAPRepPart', G.encApRepPart, A.encodeEncApRepPart, A.decodeEncApRepPart],
  ['KRB-ERROR', G.krbError, A.encodeKrbError, A.decodeKrbError],
  ['KRB-SAFE', G.krbSafe, A.encodeKrbSafe, A.decodeKrbSafe],
  ['KRB-PRIV', G.krbPriv, A.encodeKrbPriv, A.decodeKrbPriv],
  ['EncKrbPrivPart', G.krbSafeBody, A.encodeEncKrbPrivPart, A.decodeEncKrbPrivPart],
  ['KRB-CRED', G.krbCred, A.encodeKrbCred, A.decodeKrbCred],
  ['EncKrbCredPart', G.encKrbCredPart, A.encodeEncKrbCredPart, A.decodeEncKrbCredPart],
  ['KrbCredInfo', G.krbCredInfo, A.encodeKrbCredInfo, A.decodeKrbCredInfo],
  ['PA-FOR-USER', G.paForUser, A.encodePaForUser, A.decodePaForUser],
  ['S4UUserID', G.s4uUserId, A.encodeS4uUserId, A.decodeS4uUserId],
  ['PA-S4U-X509-USER', G.paS4uX509User, A.encodePaS4uX509User, A.decodePaS4uX509User],
  ['PA-PAC-REQUEST', G.paPacRequest, A.encodePaPacRequest, A.decodePaPacRequest],
  ['PA-PAC-OPTIONS', G.paPacOptions, A.encodePaPacOptions, A.decodePaPacOptions],
  [
    'KERB-AD-RESTRICTION-ENTRY list',
    G.kerbAdRestrictions,
    A.encodeKerbAdRestrictions,
    A.decodeKerbAdRestrictions,
  ],
  ['KERB-KEY-LIST-REQ', G.kerbKeyListReq, A.encodeKerbKeyListReq, A.decodeKerbKeyListReq],
  ['KERB-KEY-LIST-REP', G.kerbKeyListRep, A.encodeKerbKeyListRep, A.decodeKerbKeyListRep],
  ['PA-SUPPORTED-ENCTYPES', G.supportedEnctypes, A.encodePaSupportedEnctypes, A.decodePaSupportedEnctypes],
  ['KDC-PROXY-MESSAGE', G.kdcProxyMessage, A.encodeKdcProxyMessage, A.decodeKdcProxyMessage],
  ['KrbFastArmor', G.krbFastArmor, A.encodeKrbFastArmor, A.decodeKrbFastArmor],
  ['KrbFastArmoredReq', G.krbFastArmoredReq, A.encodeKrbFastArmoredReq, A.decodeKrbFastArmoredReq],
  ['PA-FX-FAST-REQUEST', G.paFxFastRequest, A.encodePaFxFastRequest, A.decodePaFxFastRequest],
  ['KrbFastReq', G.krbFastReq, A.encodeKrbFastReq, A.decodeKrbFastReq],
  ['KrbFastArmoredRep', G.krbFastArmoredRep, A.encodeKrbFastArmoredRep, A.decodeKrbFastArmoredRep],
  ['PA-FX-FAST-REPLY', G.paFxFastReply, A.encodePaFxFastReply, A.decodePaFxFastReply],
  ['KrbFastFinished', G.krbFastFinished, A.encodeKrbFastFinished, A.decodeKrbFastFinished],
  ['KrbFastResponse', G.krbFastResponse, A.encodeKrbFastResponse, A.decodeKrbFastResponse],
  ['PA-ENCRYPTED-CHALLENGE', G.encryptedData, A.encodePaEncryptedChallenge, A.decodePaEncryptedChallenge],
  ['PA-AUTHENTICATION-SET', G.paAuthenticationSet, A.encodePaAuthenticationSet, A.decodePaAuthenticationSet],
  ['PA-PK-AS-REQ', G.paPkAsReq, A.encodePaPkAsReq, A.decodePaPkAsReq],
  ['PA-PK-AS-REP', G.paPkAsRep, A.encodePaPkAsRep, A.decodePaPkAsRep],
  ['AuthPack', G.authPack, A.encodeAuthPack, A.decodeAuthPack],
  ['KDCDHKeyInfo', G.kdcDhKeyInfo, A.encodeKdcDhKeyInfo, A.decodeKdcDhKeyInfo],
  ['ReplyKeyPack', G.replyKeyPack, A.encodeReplyKeyPack, A.decodeReplyKeyPack],
  ['PA-REQ-ENC-PA-REP', G.checksum, A.encodePaReqEncPaRep, A.decodePaReqEncPaRep],
];

describe('round trips', () => {
  it.each(cases)('%s: decode(encode(v)) == v and encode(decode(b)) == b', (_, arb, encode, decode) => {
    fc.assert(
      fc.property(arb, (v) => {
        const b = encode(v as never);
        const back = decode(b);
        expect(back).toEqual(v);
        expect(toHex(encode(back as never))).toBe(toHex(b));
      }),
      { numRuns: 150 },
    );
  });
});
