/** fast-check arbitraries for every ASN.1 value type, in canonical form (what a decoder returns). */
import fc from 'fast-check';
import type * as A from '../../src/asn1/index.js';
import {
  AP_OPTIONS,
  FAST_OPTIONS,
  flagsOf,
  KDC_OPTIONS,
  PAC_OPTIONS,
  S4U_OPTIONS,
  TICKET_FLAGS,
} from './reference-schema.js';

const int32 = fc.integer({ min: -2147483648, max: 2147483647 });
const uint32 = fc.integer({ min: 0, max: 4294967295 });
const any32 = fc.integer({ min: -2147483648, max: 4294967295 });
const usec = fc.integer({ min: 0, max: 999999 });
const bytes = fc.uint8Array({ maxLength: 40 });
const kstr = fc.string({ unit: 'grapheme', maxLength: 12 });
// Whole seconds from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
const time = fc.integer({ min: -62167219200, max: 253402300799 }).map((s) => new Date(s * 1000));
const flags = <T>(table: Record<string, number>): fc.Arbitrary<T> =>
  uint32.map((v) => flagsOf(table, v) as T);
const small = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(a, { maxLength: 3 });
const nonEmpty = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(a, { minLength: 1, maxLength: 3 });
/** A record where the keys named in `optional` may be absent. */
function rec<T>(
  model: { [K in keyof T]-?: fc.Arbitrary<T[K]> },
  optional: (keyof T)[] = [],
): fc.Arbitrary<T> {
  const keys = Object.keys(model) as (keyof T)[];
  return fc.record(model as never, {
    requiredKeys: keys.filter((k) => !optional.includes(k)) as never,
  }) as fc.Arbitrary<T>;
}
/** A primitive DER element (an OCTET STRING) standing in for opaque CMS/X.509 DER. */
const rawElement = fc.uint8Array({ maxLength: 30 }).map((b) => Uint8Array.of(0x04, b.length, ...b));
const rawSequence = fc
  .uint8Array({ maxLength: 30 })
  .map((b) => Uint8Array.of(0x30, b.length + 2, 0x04, b.length, ...b));
const oid = fc
  .tuple(
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 0, max: 39 }),
    fc.array(fc.nat(), { maxLength: 5 }),
  )
  .map(([a, b, rest]) => [a, b, ...rest].join('.'));

export const principalName = rec<A.PrincipalName>({ nameType: int32, nameString: small(kstr) });
export const encryptionKey = rec<A.EncryptionKey>({ keytype: int32, keyvalue: bytes });
export const encryptedData = rec<A.EncryptedData>({ etype: int32, kvno: any32, cipher: bytes }, ['kvno']);
export const checksum = rec<A.Checksum>({ cksumtype: int32, checksum: bytes });
export const hostAddress = rec<A.HostAddress>({ addrType: int32, address: bytes });
export const hostAddresses = small(hostAddress);
export const authorizationData = small(rec<A.AuthorizationDataEntry>({ adType: int32, adData: bytes }));
export const paData = rec<A.PaData>({ padataType: int32, padataValue: bytes });
export const methodData = small(paData);
export const typedData = nonEmpty(
  rec<A.TypedDataEntry>({ dataType: int32, dataValue: bytes }, ['dataValue']),
);
export const paEncTsEnc = rec<A.PaEncTsEnc>({ patimestamp: time, pausec: usec }, ['pausec']);
export const etypeInfo = small(rec<A.EtypeInfoEntry>({ etype: int32, salt: bytes }, ['salt']));
export const etypeInfo2 = nonEmpty(
  rec<A.EtypeInfo2Entry>({ etype: int32, salt: kstr, s2kparams: bytes }, ['salt', 's2kparams']),
);
export const ticketFlags = flags<A.TicketFlags>(TICKET_FLAGS);
export const ticket = rec<A.Ticket>({
  tktVno: fc.constant(5),
  realm: kstr,
  sname: principalName,
  encPart: encryptedData,
});
export const encTicketPart = rec<A.EncTicketPart>(
  {
    flags: ticketFlags,
    key: encryptionKey,
    crealm: kstr,
    cname: principalName,
    transited: rec<A.TransitedEncoding>({ trType: int32, contents: bytes }),
    authtime: time,
    starttime: time,
    endtime: time,
    renewTill: time,
    caddr: hostAddresses,
    authorizationData,
  },
  ['starttime', 'renewTill', 'caddr', 'authorizationData'],
);
export const kdcReqBody = rec<A.KdcReqBody>(
  {
    kdcOptions: flags<A.KdcOptions>(KDC_OPTIONS),
    cname: principalName,
    realm: kstr,
    sname: principalName,
    from: time,
    till: time,
    rtime: time,
    nonce: any32,
    etype: small(int32),
    addresses: hostAddresses,
    encAuthorizationData: encryptedData,
    additionalTickets: small(ticket),
  },
  ['cname', 'sname', 'from', 'rtime', 'addresses', 'encAuthorizationData', 'additionalTickets'],
);
const kdcReq = (msgType: number): fc.Arbitrary<A.KdcReq> =>
  rec<A.KdcReq>(
    { pvno: fc.constant(5), msgType: fc.constant(msgType), padata: methodData, reqBody: kdcReqBody },
    ['padata'],
  );
export const asReq = kdcReq(10);
export const tgsReq = kdcReq(12);
const kdcRep = (msgType: number): fc.Arbitrary<A.KdcRep> =>
  rec<A.KdcRep>(
    {
      pvno: fc.constant(5),
      msgType: fc.constant(msgType),
      padata: methodData,
      crealm: kstr,
      cname: principalName,
      ticket,
      encPart: encryptedData,
    },
    ['padata'],
  );
export const asRep = kdcRep(11);
export const tgsRep = kdcRep(13);
export const encKdcRepPart = rec<A.EncKdcRepPart>(
  {
    key: encryptionKey,
    lastReq: small(rec<A.LastReqEntry>({ lrType: int32, lrValue: time })),
    nonce: any32,
    keyExpiration: time,
    flags: ticketFlags,
    authtime: time,
    starttime: time,
    endtime: time,
    renewTill: time,
    srealm: kstr,
    sname: principalName,
    caddr: hostAddresses,
    encryptedPaData: methodData,
  },
  ['keyExpiration', 'starttime', 'renewTill', 'caddr', 'encryptedPaData'],
);
export const apReq = rec<A.ApReq>({
  pvno: fc.constant(5),
  msgType: fc.constant(14),
  apOptions: flags<A.ApOptions>(AP_OPTIONS),
  ticket,
  authenticator: encryptedData,
});
export const authenticator = rec<A.Authenticator>(
  {
    authenticatorVno: fc.constant(5),
    crealm: kstr,
    cname: principalName,
    cksum: checksum,
    cusec: usec,
    ctime: time,
    subkey: encryptionKey,
    seqNumber: any32,
    authorizationData,
  },
  ['cksum', 'subkey', 'seqNumber', 'authorizationData'],
);
export const apRep = rec<A.ApRep>({ pvno: fc.constant(5), msgType: fc.constant(15), encPart: encryptedData });
export const encApRepPart = rec<A.EncApRepPart>(
  { ctime: time, cusec: usec, subkey: encryptionKey, seqNumber: any32 },
  ['subkey', 'seqNumber'],
);
export const krbError = rec<A.KrbError>(
  {
    pvno: fc.constant(5),
    msgType: fc.constant(30),
    ctime: time,
    cusec: usec,
    stime: time,
    susec: usec,
    errorCode: int32,
    crealm: kstr,
    cname: principalName,
    realm: kstr,
    sname: principalName,
    eText: kstr,
    eData: bytes,
  },
  ['ctime', 'cusec', 'crealm', 'cname', 'eText', 'eData'],
);
export const krbSafeBody = rec<A.KrbSafeBody>(
  { userData: bytes, timestamp: time, usec, seqNumber: any32, sAddress: hostAddress, rAddress: hostAddress },
  ['timestamp', 'usec', 'seqNumber', 'rAddress'],
);
export const krbSafe = rec<A.KrbSafe>({
  pvno: fc.constant(5),
  msgType: fc.constant(20),
  safeBody: krbSafeBody,
  cksum: checksum,
});
export const krbPriv = rec<A.KrbPriv>({
  pvno: fc.constant(5),
  msgType: fc.constant(21),
  encPart: encryptedData,
});
export const krbCredInfo = rec<A.KrbCredInfo>(
  {
    key: encryptionKey,
    prealm: kstr,
    pname: principalName,
    flags: ticketFlags,
    authtime: time,
    starttime: time,
    endtime: time,
    renewTill: time,
    srealm: kstr,
    sname: principalName,
    caddr: hostAddresses,
  },
  ['prealm', 'pname', 'flags', 'authtime', 'starttime', 'endtime', 'renewTill', 'srealm', 'sname', 'caddr'],
);
export const krbCred = rec<A.KrbCred>({
  pvno: fc.constant(5),
  msgType: fc.constant(22),
  tickets: small(ticket),
  encPart: encryptedData,
});
export const encKrbCredPart = rec<A.EncKrbCredPart>(
  {
    ticketInfo: small(krbCredInfo),
    nonce: any32,
    timestamp: time,
    usec,
    sAddress: hostAddress,
    rAddress: hostAddress,
  },
  ['nonce', 'timestamp', 'usec', 'sAddress', 'rAddress'],
);
export const adKdcIssued = rec<A.AdKdcIssued>(
  { adChecksum: checksum, iRealm: kstr, iSname: principalName, elements: authorizationData },
  ['iRealm', 'iSname'],
);
export const adAndOr = rec<A.AdAndOr>({ conditionCount: int32, elements: authorizationData });
export const paForUser = rec<A.PaForUser>({
  userName: principalName,
  userRealm: kstr,
  cksum: checksum,
  authPackage: kstr,
});
export const s4uUserId = rec<A.S4uUserId>(
  {
    nonce: any32,
    cname: principalName,
    crealm: kstr,
    subjectCertificate: bytes,
    options: flags<A.S4uOptions>(S4U_OPTIONS),
  },
  ['cname', 'subjectCertificate', 'options'],
);
export const paS4uX509User = rec<A.PaS4uX509User>({ userId: s4uUserId, checksum });
export const paPacRequest = rec<A.PaPacRequest>({ includePac: fc.boolean() });
export const paPacOptions = rec<A.PaPacOptions>({ flags: flags<A.PacOptionsFlags>(PAC_OPTIONS) });
export const kerbAdRestrictions = small(
  rec<A.KerbAdRestrictionEntry>({ restrictionType: int32, restriction: bytes }),
);
export const kerbKeyListReq = small(int32);
export const kerbKeyListRep = small(encryptionKey);
export const supportedEnctypes = uint32;
export const kdcProxyMessage = rec<A.KdcProxyMessage>(
  { kerbMessage: bytes, targetDomain: kstr, dclocatorHint: int32 },
  ['targetDomain', 'dclocatorHint'],
);
export const krbFastArmor = rec<A.KrbFastArmor>({ armorType: int32, armorValue: bytes });
export const krbFastArmoredReq = rec<A.KrbFastArmoredReq>(
  { armor: krbFastArmor, reqChecksum: checksum, encFastReq: encryptedData },
  ['armor'],
);
export const paFxFastRequest = rec<A.PaFxFastRequest>({ armoredData: krbFastArmoredReq });
export const krbFastReq = rec<A.KrbFastReq>({
  fastOptions: flags<A.FastOptions>(FAST_OPTIONS),
  padata: methodData,
  reqBody: kdcReqBody,
});
export const krbFastArmoredRep = rec<A.KrbFastArmoredRep>({ encFastRep: encryptedData });
export const paFxFastReply = rec<A.PaFxFastReply>({ armoredData: krbFastArmoredRep });
export const krbFastFinished = rec<A.KrbFastFinished>({
  timestamp: time,
  usec,
  crealm: kstr,
  cname: principalName,
  ticketChecksum: checksum,
});
export const krbFastResponse = rec<A.KrbFastResponse>(
  { padata: methodData, strengthenKey: encryptionKey, finished: krbFastFinished, nonce: any32 },
  ['strengthenKey', 'finished'],
);
export const paAuthenticationSet = small(
  rec<A.PaAuthenticationSetElem>({ paType: int32, paHint: bytes, paValue: bytes }, ['paHint', 'paValue']),
);
const kdf = rec<A.KdfAlgorithmId>({ kdfId: oid });
export const paPkAsReq = rec<A.PaPkAsReq>(
  {
    signedAuthPack: bytes,
    trustedCertifiers: small(
      rec<A.ExternalPrincipalIdentifier>(
        { subjectName: bytes, issuerAndSerialNumber: bytes, subjectKeyIdentifier: bytes },
        ['subjectName', 'issuerAndSerialNumber', 'subjectKeyIdentifier'],
      ),
    ),
    kdcPkId: bytes,
  },
  ['trustedCertifiers', 'kdcPkId'],
);
export const paPkAsRep: fc.Arbitrary<A.PaPkAsRep> = fc.oneof(
  rec<{ encKeyPack: Uint8Array }>({ encKeyPack: bytes }),
  rec<{ dhInfo: A.DhRepInfo }>({
    dhInfo: rec<A.DhRepInfo>({ dhSignedData: bytes, serverDhNonce: bytes, kdf }, ['serverDhNonce', 'kdf']),
  }),
);
export const authPack = rec<A.AuthPack>(
  {
    pkAuthenticator: rec<A.PkAuthenticator>(
      {
        cusec: usec,
        ctime: time,
        nonce: uint32,
        paChecksum: bytes,
        freshnessToken: bytes,
        paChecksum2: rec<A.PaChecksum2>({ checksum: bytes, algorithmIdentifier: rawSequence }),
      },
      ['paChecksum', 'freshnessToken', 'paChecksum2'],
    ),
    clientPublicValue: rawElement,
    supportedCmsTypes: small(rawSequence),
    clientDhNonce: bytes,
    supportedKdfs: small(kdf),
  },
  ['clientPublicValue', 'supportedCmsTypes', 'clientDhNonce', 'supportedKdfs'],
);
export const kdcDhKeyInfo = rec<A.KdcDhKeyInfo>(
  { subjectPublicKey: bytes, nonce: uint32, dhKeyExpiration: time },
  ['dhKeyExpiration'],
);
export const replyKeyPack = rec<A.ReplyKeyPack>({ replyKey: encryptionKey, asChecksum: checksum });
