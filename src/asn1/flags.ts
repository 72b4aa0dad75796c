/**
 * KerberosFlags (RFC 4120 5.2.8): 32-bit BIT STRINGs shown as objects of named booleans.
 * Bit n of the BIT STRING is `0x80000000 >>> n`; set bits without a name are kept in `otherBits`.
 */
import { type Read, readBits32 } from './der.js';
import { type DerNode, encBits32 } from './der-write.js';

/** A flag set: every named flag (decoders fill them all) plus unnamed set bits as a uint32 mask. */
export type FlagSet<N extends string> = { [K in N]?: boolean } & {
  /** Set bits that have no name here, as a mask with bit 0 = 0x80000000. */
  otherBits?: number;
};

/** TicketFlags bit numbers (RFC 4120 5.3; enc-pa-rep RFC 6806 11, anonymous RFC 8062 3). */
export const TicketFlagBit = {
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
  // MS-KILE calls bit 15 name-canonicalize; RFC 6806 names it enc-pa-rep.
  encPaRep: 15,
  anonymous: 16,
} as const;

/** KDCOptions bit numbers (RFC 4120 5.4.1; cname-in-addl-tkt MS-SFU 2.2.3, canonicalize RFC 6806). */
export const KdcOptionBit = {
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
} as const;

/** APOptions bit numbers (RFC 4120 5.5.1). */
export const ApOptionBit = { useSessionKey: 1, mutualRequired: 2 } as const;

/** FastOptions bit numbers (RFC 6113 5.4.1). */
export const FastOptionBit = { hideClientNames: 1, kdcFollowReferrals: 16 } as const;

/** PA-PAC-OPTIONS flag bit numbers (MS-KILE 2.2.10). */
export const PacOptionBit = {
  claims: 0,
  branchAware: 1,
  forwardToFullDc: 2,
  resourceBasedConstrainedDelegation: 3,
} as const;

/** S4UUserID options bit numbers (MS-SFU 2.2.2). */
export const S4uOptionBit = { checkLogonHours: 1, signedWithKun27: 2 } as const;

/** TicketFlags as named booleans. */
export type TicketFlags = FlagSet<keyof typeof TicketFlagBit>;
/** KDCOptions as named booleans. */
export type KdcOptions = FlagSet<keyof typeof KdcOptionBit>;
/** APOptions as named booleans. */
export type ApOptions = FlagSet<keyof typeof ApOptionBit>;
/** FastOptions as named booleans. */
export type FastOptions = FlagSet<keyof typeof FastOptionBit>;
/** PA-PAC-OPTIONS flags as named booleans. */
export type PacOptionsFlags = FlagSet<keyof typeof PacOptionBit>;
/** S4UUserID options as named booleans. */
export type S4uOptions = FlagSet<keyof typeof S4uOptionBit>;

const entriesCache = new WeakMap<object, [string, number][]>();

/** The (name, mask) pairs of a bit table, computed once per table. */
function masks(bits: Readonly<Record<string, number>>): [string, number][] {
  let e = entriesCache.get(bits);
  if (e === undefined) {
    e = Object.entries(bits).map(([k, n]) => [k, 0x80000000 >>> n]);
    entriesCache.set(bits, e);
  }
  return e;
}

/** uint32 mask of a flag set under the bit table `bits`. */
export function flagsToBits<N extends string>(bits: Readonly<Record<N, number>>, v: FlagSet<N>): number {
  let m = (v.otherBits ?? 0) >>> 0;
  const named = v as Partial<Record<string, boolean>>;
  for (const [k, b] of masks(bits)) if (named[k]) m = (m | b) >>> 0;
  return m;
}

/** Flag set of a uint32 mask: every named flag, plus `otherBits` when unnamed bits are set. */
export function bitsToFlags<N extends string>(bits: Readonly<Record<N, number>>, m: number): FlagSet<N> {
  const out: Record<string, boolean | number> = {};
  let named = 0;
  for (const [k, b] of masks(bits)) {
    named |= b;
    out[k] = (m & b) !== 0;
  }
  const other = (m & ~named) >>> 0;
  if (other !== 0) out['otherBits'] = other;
  return out as FlagSet<N>;
}

/** A reader for a KerberosFlags field under the bit table `bits`. */
export function flagsReader<N extends string>(bits: Readonly<Record<N, number>>): Read<FlagSet<N>> {
  return (r) => bitsToFlags(bits, readBits32(r));
}

/** A 32-bit BIT STRING of a flag set under the bit table `bits`. */
export function writeFlags<N extends string>(bits: Readonly<Record<N, number>>, v: FlagSet<N>): DerNode {
  return encBits32(flagsToBits(bits, v));
}
