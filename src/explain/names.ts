/**
 * Names and one-line meanings of Kerberos numbers and flags, for the teaching view. Registries keyed by number
 * or flag name; the numbers themselves come from the asn1 and crypto constants.
 */
import {
  AddressType,
  AdType,
  ApOptionBit,
  FastOptionBit,
  KdcOptionBit,
  MessageType,
  NameType,
  PacOptionBit,
  S4uOptionBit,
  TicketFlagBit,
} from '../asn1/index.js';
import { KeyUsage } from '../crypto/index.js';

/** Any decoded flag set: named booleans plus `otherBits`. */
export type AnyFlags = { readonly [name: string]: boolean | number | undefined };

/** A name and what it means, one line. */
export interface Named {
  readonly name: string;
  readonly meaning?: string;
}

/** Message types (RFC 4120 7.5.7) with what each message does. */
export const MESSAGE_TYPES: ReadonlyMap<number, Named> = new Map([
  [
    MessageType.AS_REQ,
    {
      name: 'AS-REQ',
      meaning:
        'the client asks the KDC for a ticket (usually a TGT), proving who it is with pre-authentication',
    },
  ],
  [
    MessageType.AS_REP,
    {
      name: 'AS-REP',
      meaning:
        "the KDC answers an AS-REQ: a ticket, and its session key encrypted in the client's long-term key",
    },
  ],
  [
    MessageType.TGS_REQ,
    { name: 'TGS-REQ', meaning: 'the client shows a TGT (in PA-TGS-REQ) and asks for a ticket to a service' },
  ],
  [
    MessageType.TGS_REP,
    {
      name: 'TGS-REP',
      meaning:
        'the KDC answers a TGS-REQ: a service ticket, and its session key encrypted in the TGT session key or the authenticator subkey',
    },
  ],
  [
    MessageType.AP_REQ,
    { name: 'AP-REQ', meaning: 'a client presents a ticket and a fresh authenticator to a service' },
  ],
  [
    MessageType.AP_REP,
    { name: 'AP-REP', meaning: 'the service proves it could open the ticket (mutual authentication)' },
  ],
  [MessageType.KRB_SAFE, { name: 'KRB-SAFE', meaning: 'application data with a keyed checksum' }],
  [MessageType.KRB_PRIV, { name: 'KRB-PRIV', meaning: 'application data encrypted in a session key' }],
  [
    MessageType.KRB_CRED,
    {
      name: 'KRB-CRED',
      meaning: 'tickets with their session keys, forwarded to another party (a .kirbi file)',
    },
  ],
  [MessageType.KRB_ERROR, { name: 'KRB-ERROR', meaning: 'the KDC or service refused the request' }],
]);

/** Name types (RFC 4120 6.2, MS-KILE 2.2.1). */
export const NAME_TYPES: ReadonlyMap<number, string> = new Map(
  Object.entries(NameType).map(([k, v]) => [v, k.replace(/_/g, '-')]),
);

/** Address types (RFC 4120 7.5.3). */
export const ADDRESS_TYPES: ReadonlyMap<number, string> = new Map(
  Object.entries(AddressType).map(([k, v]) => [v, k]),
);

const AD_MEANINGS: Readonly<Record<number, string>> = {
  [AdType.IF_RELEVANT]: 'container: elements a service may ignore when it does not understand them',
  [AdType.KDC_ISSUED]: 'elements signed by the KDC',
  [AdType.AND_OR]: 'a condition over its elements',
  [AdType.MANDATORY_FOR_KDC]: 'elements the KDC must understand or refuse the request',
  [AdType.FX_FAST_ARMOR]: 'marks the armor ticket of FAST',
  [AdType.FX_FAST_USED]: 'the ticket was obtained with FAST',
  [AdType.CAMMAC]: 'container MAC-ed by the KDC (MIT)',
  [AdType.AUTHENTICATION_INDICATOR]: 'how the client authenticated (MIT auth indicators)',
  [AdType.WIN2K_PAC]: "the PAC: the user's SIDs and groups, signed by the KDC",
  [AdType.ETYPE_NEGOTIATION]: 'enctypes the client supports for the AP exchange',
  [AdType.RESTRICTIONS]: 'KERB-AD-RESTRICTION-ENTRY: token integrity level and machine id',
  [AdType.KERB_LOCAL]: "opaque data the client's host keeps for itself",
  [AdType.AP_OPTIONS]: 'AP options, e.g. channel binding support',
  [AdType.TARGET_PRINCIPAL]: 'the service principal the client meant to reach',
};

/** Authorization-data types (RFC 4120 7.5.4, MS-PAC, MS-KILE) with meanings. */
export const AD_TYPES: ReadonlyMap<number, Named> = new Map(
  Object.entries(AdType).map(([k, v]) => {
    const meaning = AD_MEANINGS[v];
    const name = `AD-${k.replace(/_/g, '-')}`;
    return [v, meaning === undefined ? { name } : { name, meaning }];
  }),
);

/** What each key usage number protects (RFC 4120 7.5.1, RFC 6113, MS-SFU), for "opened with … usage N". */
export const KEY_USAGES: ReadonlyMap<number, string> = new Map([
  [KeyUsage.AsReqPaEncTimestamp, 'AS-REQ PA-ENC-TIMESTAMP, client key'],
  [KeyUsage.KdcRepTicket, 'ticket, service key'],
  [KeyUsage.AsRepEncPart, 'AS-REP enc-part, client key'],
  [KeyUsage.TgsReqAuthDataSessionKey, 'TGS-REQ enc-authorization-data, session key'],
  [KeyUsage.TgsReqAuthDataSubkey, 'TGS-REQ enc-authorization-data, subkey'],
  [KeyUsage.TgsReqAuthCksum, 'PA-TGS-REQ authenticator checksum'],
  [KeyUsage.TgsReqAuthenticator, 'PA-TGS-REQ authenticator, TGT session key'],
  [KeyUsage.TgsRepEncPartSessionKey, 'TGS-REP enc-part, TGT session key'],
  [KeyUsage.TgsRepEncPartSubkey, 'TGS-REP enc-part, authenticator subkey'],
  [KeyUsage.ApReqAuthenticator, 'AP-REQ authenticator, session key'],
  [KeyUsage.ApRepEncPart, 'AP-REP enc-part, session key'],
  [KeyUsage.KrbPrivEncPart, 'KRB-PRIV enc-part'],
  [KeyUsage.KrbCredEncPart, 'KRB-CRED enc-part'],
  [KeyUsage.PacSignature, 'PAC signature / PA-FOR-USER checksum'],
  [KeyUsage.FastEnc, 'FAST enc-fast-req, armor key'],
  [KeyUsage.FastRep, 'FAST enc-fast-rep, armor key'],
  [KeyUsage.EncChallengeClient, 'FAST encrypted challenge, client'],
  [KeyUsage.EncChallengeKdc, 'FAST encrypted challenge, KDC'],
]);

/** A flag family: bit table, spec spelling, and what each set flag means. */
export interface FlagFamily {
  readonly title: string;
  readonly bits: Readonly<Record<string, number>>;
  readonly meanings: Readonly<Record<string, string>>;
}

/** KDCOptions (RFC 4120 5.4.1, MS-SFU 2.2.3, RFC 6806). */
export const KDC_OPTIONS: FlagFamily = {
  title: 'KDC options',
  bits: KdcOptionBit,
  meanings: {
    forwardable: 'asks for a forwardable ticket (needed for delegation and as S4U2Proxy evidence)',
    forwarded: 'asks for a forwarded TGT (with new addresses)',
    proxiable: 'asks for a proxiable ticket',
    proxy: 'asks for a proxy ticket',
    allowPostdate: 'asks for a TGT from which postdated tickets may be requested',
    postdated: 'asks for a postdated ticket',
    renewable: 'asks for a renewable ticket',
    optHardwareAuth: 'asks for hardware pre-authentication',
    cnameInAddlTkt: 'S4U2Proxy: the client is taken from the evidence ticket in additional-tickets',
    canonicalize: 'the KDC may answer with the canonical name or a referral',
    requestAnonymous: 'asks for an anonymous ticket',
    disableTransitedCheck: 'asks the KDC not to check the transited realms',
    renewableOk: 'accept a renewable ticket if the requested end time cannot be granted',
    encTktInSkey: 'user-to-user: encrypt the ticket in the session key of the additional ticket',
    renew: 'renew the ticket in additional-tickets',
    validate: 'validate the postdated ticket in additional-tickets',
  },
};

/** TicketFlags (RFC 4120 5.3, RFC 6806, RFC 8062). */
export const TICKET_FLAGS: FlagFamily = {
  title: 'ticket flags',
  bits: TicketFlagBit,
  meanings: {
    forwardable: 'may be forwarded, and may serve as S4U2Proxy evidence',
    forwarded: 'this ticket was forwarded (or issued from a forwarded TGT)',
    proxiable: 'may be used to get proxy tickets',
    proxy: 'this is a proxy ticket',
    mayPostdate: 'postdated tickets may be requested from this TGT',
    postdated: 'this ticket was postdated',
    invalid: 'must be validated before use',
    renewable: 'may be renewed until renew-till',
    initial: 'issued by the AS exchange, not from a TGT',
    preAuthent: 'the client pre-authenticated',
    hwAuthent: 'the client used hardware pre-authentication',
    transitedPolicyChecked: 'the KDC checked the transited realms',
    okAsDelegate: 'the realm trusts this service for delegation',
    encPaRep: 'the KDC protected its reply padata (RFC 6806; MS-KILE name-canonicalize)',
    anonymous: 'an anonymous ticket',
  },
};

/** APOptions (RFC 4120 5.5.1). */
export const AP_OPTIONS: FlagFamily = {
  title: 'AP options',
  bits: ApOptionBit,
  meanings: {
    useSessionKey: 'user-to-user: the ticket is encrypted in a session key',
    mutualRequired: 'the client wants an AP-REP',
  },
};

/** FastOptions (RFC 6113 5.4.1). */
export const FAST_OPTIONS: FlagFamily = {
  title: 'FAST options',
  bits: FastOptionBit,
  meanings: {
    hideClientNames: 'the KDC hides the client name in the outer reply and errors',
    kdcFollowReferrals: 'the KDC follows referrals for the client (reserved)',
  },
};

/** PA-PAC-OPTIONS flags (MS-KILE 2.2.10). */
export const PAC_OPTIONS: FlagFamily = {
  title: 'PAC options',
  bits: PacOptionBit,
  meanings: {
    claims: 'the client supports claims',
    branchAware: 'the client is branch aware (RODC)',
    forwardToFullDc: 'forward the request to a writable DC',
    resourceBasedConstrainedDelegation:
      "RBCD: the KDC may check the target's msDS-AllowedToActOnBehalfOfOtherIdentity",
  },
};

/** S4UUserID options (MS-SFU 2.2.2). */
export const S4U_OPTIONS: FlagFamily = {
  title: 'S4U options',
  bits: S4uOptionBit,
  meanings: {
    checkLogonHours: "the KDC checks the user's logon hours and account restrictions",
    signedWithKun27: 'the reply checksum uses key usage 27',
  },
};

/** `cnameInAddlTkt` → `cname-in-addl-tkt`: the spec spelling of a camelCase name. */
export function specName(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The names of the set flags of `set` in spec spelling, plus `bit-N` for set bits without a name. */
export function setFlagNames(family: FlagFamily, set: AnyFlags): string[] {
  const names = Object.keys(family.bits)
    .filter((k) => set[k] === true)
    .sort((a, b) => (family.bits[a] ?? 0) - (family.bits[b] ?? 0))
    .map(specName);
  const other = typeof set['otherBits'] === 'number' ? set['otherBits'] : 0;
  for (let bit = 0; bit < 32; bit++) if ((other & (0x80000000 >>> bit)) !== 0) names.push(`bit-${bit}`);
  return names;
}
