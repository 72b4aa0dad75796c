/** tskrb/fast: RFC 6113 FAST (armor keys, armored requests and replies, encrypted challenge) and anonymous PKINIT. */
export {
  armorKeyOf,
  explicitTgsArmorKey,
  makeTicketArmor,
  type TicketArmor,
  type TicketArmorParams,
} from './armor.js';
export {
  clientChallengeKey,
  kdcChallengeKey,
  makePaEncryptedChallenge,
  verifyKdcChallenge,
} from './challenge.js';
export { ArmorType, FastPepper } from './constants.js';
export { type DhKeyPair, dhKeyPair, dhSharedSecret, MODP_GROUP_14, type ModpGroup } from './dh.js';
export {
  derUnsigned,
  dhAgreement,
  dhSubjectPublicKeyInfo,
  ecdhP256Agreement,
  type KeyAgreement,
  KeyAgreementOid,
} from './key-agreement.js';
export {
  makePaReqEncPaRep,
  type NegotiationCheck,
  verifyProtectedNegotiation,
} from './negotiation.js';
export {
  makeAnonymousPkAsReq,
  type OpenPkAsRepParams,
  octetString2Key,
  openPkAsRep,
  type PkAsRepResult,
} from './pkinit.js';
export { checkKdcCertificate, parseCertificates } from './pkinit-cert.js';
export {
  fastReplyKey,
  findPaData,
  openArmoredError,
  openFastResponse,
  strengthenReplyKey,
  type UnwrappedFastError,
  unwrapFastError,
  verifyFastFinished,
} from './reply.js';
export { type FastRequestParams, makeArmoredReq, makePaFxFastRequest } from './request.js';
export { makePaTokenRequest, openPaTokenRequest, type TokenRequestParams } from './token.js';
