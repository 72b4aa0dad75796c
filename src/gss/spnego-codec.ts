/**
 * SPNEGO tokens (RFC 4178 4.2) and the Microsoft NegTokenInit2 (MS-SPNG 2.2.1): values, DER encoders and strict
 * decoders. The initiator's first token is framed as an RFC 2743 3.1 InitialContextToken with the SPNEGO OID; every
 * later token (NegTokenResp either way) is the bare NegotiationToken.
 */
import {
  DEFAULT_MAX_SIZE,
  type DecodeOptions,
  type DerReader,
  decodeTop,
  prune,
  type Read,
  readKerberosString,
  readObjectIdentifier,
  readOctets,
  Tag,
} from '../asn1/der.js';
import {
  ctx,
  DerNode,
  encKerberosString,
  encObjectIdentifier,
  encOctets,
  encSeq,
  encSeqOf,
  optCtx,
  toDer,
} from '../asn1/der-write.js';
import { Asn1DecodeError, KerberosError, ProtocolError } from '../errors.js';
import { GssMechOid } from './constants.js';
import { decodeGssToken, encodeGssToken } from './framing.js';

/** Identifier octet of ENUMERATED (X.690 8.4). */
const ENUMERATED_TAG = 0x0a;

/** NegTokenResp.negState (RFC 4178 4.2.2). */
export const NegState = {
  ACCEPT_COMPLETED: 0,
  ACCEPT_INCOMPLETE: 1,
  REJECT: 2,
  REQUEST_MIC: 3,
} as const;
/** One of the four negState values. */
export type NegStateValue = (typeof NegState)[keyof typeof NegState];

/**
 * ContextFlags bits (RFC 4178 4.2.1) as `1 << n` for the BIT STRING's bit n. These are not GssFlag values
 * (anonFlag is bit 4 here, so confFlag and integFlag sit one place higher than GSS_C_CONF_FLAG/GSS_C_INTEG_FLAG).
 */
export const ContextFlag = {
  delegFlag: 0x01,
  mutualFlag: 0x02,
  replayFlag: 0x04,
  sequenceFlag: 0x08,
  anonFlag: 0x10,
  confFlag: 0x20,
  integFlag: 0x40,
} as const;

/** The hintName Windows and Samba put in NegTokenInit2 (MS-SPNG 2.2.1); receivers ignore it. */
export const NEG_HINTS_IGNORE_NAME = 'not_defined_in_RFC4178@please_ignore';

/** NegTokenInit ::= SEQUENCE { mechTypes [0], reqFlags [1] OPTIONAL, mechToken [2] OPTIONAL, mechListMIC [3] OPTIONAL }. */
export interface NegTokenInit {
  /** MechTypeList: mechanism OIDs, most preferred first. */
  mechTypes: string[];
  /** ContextFlags as {@link ContextFlag} bits; RFC 4178 says senders SHOULD leave it out. */
  reqFlags?: number;
  /** Optimistic token of mechTypes[0]. */
  mechToken?: Uint8Array;
  mechListMIC?: Uint8Array;
}

/** NegHints ::= SEQUENCE { hintName [0] GeneralString OPTIONAL, hintAddress [1] OCTET STRING OPTIONAL } (MS-SPNG 2.2.1). */
export interface NegHints {
  hintName?: string;
  hintAddress?: Uint8Array;
}

/**
 * NegTokenInit2 ::= SEQUENCE { mechTypes [0] OPTIONAL, reqFlags [1] OPTIONAL, mechToken [2] OPTIONAL,
 * negHints [3] OPTIONAL, mechListMIC [4] OPTIONAL } (MS-SPNG 2.2.1): what an SMB or LDAP server sends first.
 */
export interface NegTokenInit2 {
  mechTypes?: string[];
  reqFlags?: number;
  mechToken?: Uint8Array;
  negHints?: NegHints;
  mechListMIC?: Uint8Array;
}

/** NegTokenResp ::= SEQUENCE { negState [0] OPTIONAL, supportedMech [1] OPTIONAL, responseToken [2] OPTIONAL, mechListMIC [3] OPTIONAL }. */
export interface NegTokenResp {
  negState?: NegStateValue;
  supportedMech?: string;
  responseToken?: Uint8Array;
  mechListMIC?: Uint8Array;
}

/**
 * NegotiationToken ::= CHOICE { negTokenInit [0], negTokenResp [1] }. NegTokenInit2 shares tag [0] (MS-SPNG 2.2.1);
 * the decoder tells the two apart by field [3] (an OCTET STRING mechListMIC or a NegHints SEQUENCE) and field [4].
 */
export type NegotiationToken =
  | { negTokenInit: NegTokenInit }
  | { negTokenInit2: NegTokenInit2 }
  | { negTokenResp: NegTokenResp };

/** A decoded SPNEGO token and whether it came framed as an InitialContextToken. */
export interface SpnegoToken {
  framed: boolean;
  token: NegotiationToken;
}

// --- MechTypeList -------------------------------------------------------------------------------------------

/** Reads a MechTypeList (SEQUENCE OF MechType). */
export const readMechTypeList: Read<string[]> = (r) => r.seqOf(readObjectIdentifier);

/** DER node of a MechTypeList. */
export function writeMechTypeList(v: readonly string[]): DerNode {
  return encSeqOf(v, encObjectIdentifier);
}

/**
 * DER of a MechTypeList: the bytes both mechListMICs are computed over (RFC 4178 5). Strict decoding makes the
 * re-encoding of a received list byte-identical to what the peer sent.
 */
export function encodeMechTypeList(v: readonly string[]): Uint8Array {
  return toDer(writeMechTypeList(v));
}

/** MechTypeList from DER. */
export function decodeMechTypeList(b: Uint8Array, opts?: DecodeOptions): string[] {
  return decodeTop(b, 'MechTypeList', readMechTypeList, opts);
}

// --- primitives -----------------------------------------------------------------------------------------------

const readNegState: Read<NegStateValue> = (r) => {
  const { bytes, offset } = r.primitive(ENUMERATED_TAG, 'ENUMERATED');
  if (bytes.length !== 1) r.fail('negState must be one content octet', offset);
  const v = bytes[0]!;
  if (v > NegState.REQUEST_MIC) r.fail(`negState ${v} is not one of 0..3`, offset);
  return v as NegStateValue;
};

const encNegState = (v: NegStateValue): DerNode => DerNode.primitive(ENUMERATED_TAG, Uint8Array.of(v));

/**
 * ContextFlags BIT STRING. RFC 4178 gives it SIZE (32) while X.690 11.2.2 strips trailing zero bits of a named bit
 * list, and peers send either form; both are read (padding bits must be zero). reqFlags is not covered by the
 * mechListMIC, so nothing rests on its exact form.
 */
const readContextFlags: Read<number> = (r) => {
  const { bytes, offset } = r.primitive(Tag.BitString, 'BIT STRING');
  if (bytes.length === 0) r.fail('BIT STRING with no content octets', offset);
  const unused = bytes[0]!;
  if (unused > 7 || (bytes.length === 1 && unused !== 0))
    r.fail('BIT STRING unused-bits count is invalid', offset);
  if (bytes.length > 5) r.fail('ContextFlags has more than 32 bits', offset);
  if (bytes.length > 1 && (bytes[bytes.length - 1]! & ((1 << unused) - 1)) !== 0)
    r.fail('BIT STRING padding bits are not zero', offset);
  let v = 0;
  for (let i = 0; i < (bytes.length - 1) * 8; i++) if (bytes[1 + (i >> 3)]! & (0x80 >> (i & 7))) v += 2 ** i;
  return v;
};

function encContextFlags(v: number): DerNode {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw new KerberosError(`cannot encode ContextFlags: ${v} is not a uint32`);
  let bits = 0;
  while (bits < 32 && v >= 2 ** bits) bits++;
  const n = Math.ceil(bits / 8);
  const out = new Uint8Array(1 + n);
  out[0] = n * 8 - bits;
  for (let i = 0; i < bits; i++) if (Math.floor(v / 2 ** i) % 2 === 1) out[1 + (i >> 3)]! |= 0x80 >> (i & 7);
  return DerNode.primitive(Tag.BitString, out);
}

// --- NegTokenInit / NegTokenInit2 -----------------------------------------------------------------------------

const readNegHints: Read<NegHints> = (r) =>
  r.seq((s) =>
    prune<NegHints>({
      hintName: s.opt(0, 'hintName', readKerberosString),
      hintAddress: s.opt(1, 'hintAddress', readOctets),
    }),
  );

type Field3 = { mechListMIC: Uint8Array } | { negHints: NegHints };

/** The body under [0]: a NegTokenInit, or a NegTokenInit2 when it carries negHints, field [4] or no mechTypes. */
function readInitBody(s: DerReader): NegotiationToken {
  const mechTypes = s.opt(0, 'mechTypes', readMechTypeList);
  const reqFlags = s.opt(1, 'reqFlags', readContextFlags);
  const mechToken = s.opt(2, 'mechToken', readOctets);
  const at3 = s.offset;
  const f3 = s.opt<Field3>(3, 'mechListMIC|negHints', (f) =>
    f.peekTag() === Tag.Sequence ? { negHints: readNegHints(f) } : { mechListMIC: readOctets(f) },
  );
  const at4 = s.offset;
  const mic4 = s.opt(4, 'mechListMIC', readOctets);
  if (f3 !== undefined && 'mechListMIC' in f3) {
    if (mic4 !== undefined) s.fail('NegTokenInit has both [3] mechListMIC and [4] mechListMIC', at4);
    if (mechTypes === undefined) s.fail('NegTokenInit without mechTypes', at3);
    return {
      negTokenInit: prune<NegTokenInit>({ mechTypes, reqFlags, mechToken, mechListMIC: f3.mechListMIC }),
    };
  }
  const negHints = f3?.negHints;
  if (mechTypes !== undefined && negHints === undefined && mic4 === undefined)
    return { negTokenInit: prune<NegTokenInit>({ mechTypes, reqFlags, mechToken, mechListMIC: undefined }) };
  return {
    negTokenInit2: prune<NegTokenInit2>({ mechTypes, reqFlags, mechToken, negHints, mechListMIC: mic4 }),
  };
}

function writeNegTokenInit(v: NegTokenInit): DerNode {
  return encSeq(
    ctx(0, writeMechTypeList(v.mechTypes)),
    optCtx(1, v.reqFlags, encContextFlags),
    optCtx(2, v.mechToken, encOctets),
    optCtx(3, v.mechListMIC, encOctets),
  );
}

function writeNegTokenInit2(v: NegTokenInit2): DerNode {
  return encSeq(
    optCtx(0, v.mechTypes, writeMechTypeList),
    optCtx(1, v.reqFlags, encContextFlags),
    optCtx(2, v.mechToken, encOctets),
    optCtx(3, v.negHints, (h) =>
      encSeq(optCtx(0, h.hintName, encKerberosString), optCtx(1, h.hintAddress, encOctets)),
    ),
    optCtx(4, v.mechListMIC, encOctets),
  );
}

// --- NegTokenResp -------------------------------------------------------------------------------------------

const readNegTokenResp: Read<NegTokenResp> = (r) =>
  r.seq((s) =>
    prune<NegTokenResp>({
      negState: s.opt(0, 'negState', readNegState),
      supportedMech: s.opt(1, 'supportedMech', readObjectIdentifier),
      responseToken: s.opt(2, 'responseToken', readOctets),
      mechListMIC: s.opt(3, 'mechListMIC', readOctets),
    }),
  );

function writeNegTokenResp(v: NegTokenResp): DerNode {
  return encSeq(
    optCtx(0, v.negState, encNegState),
    optCtx(1, v.supportedMech, encObjectIdentifier),
    optCtx(2, v.responseToken, encOctets),
    optCtx(3, v.mechListMIC, encOctets),
  );
}

// --- NegotiationToken -------------------------------------------------------------------------------------------

/** Reads a NegotiationToken element. */
export const readNegotiationToken: Read<NegotiationToken> = (r) => {
  if (r.peekTag() === (Tag.Context | 1))
    return { negTokenResp: r.field(1, 'negTokenResp', readNegTokenResp) };
  return r.field(0, 'negTokenInit', (f) => f.seq(readInitBody));
};

/** DER node of a NegotiationToken. */
export function writeNegotiationToken(v: NegotiationToken): DerNode {
  if ('negTokenResp' in v) return ctx(1, writeNegTokenResp(v.negTokenResp));
  if ('negTokenInit2' in v) return ctx(0, writeNegTokenInit2(v.negTokenInit2));
  return ctx(0, writeNegTokenInit(v.negTokenInit));
}

/** DER of a NegotiationToken, unframed (how every NegTokenResp travels). */
export function encodeNegotiationToken(v: NegotiationToken): Uint8Array {
  return toDer(writeNegotiationToken(v));
}

/** NegotiationToken from unframed DER. */
export function decodeNegotiationToken(b: Uint8Array, opts?: DecodeOptions): NegotiationToken {
  return decodeTop(b, 'NegotiationToken', readNegotiationToken, opts);
}

// --- InitialContextToken framing (RFC 2743 3.1, RFC 4178 4.2) -------------------------------------------------

/** A framed NegotiationToken: how the initiator's NegTokenInit (and a server's NegTokenInit2) travels. */
export function encodeSpnegoInitialToken(v: NegotiationToken): Uint8Array {
  return encodeGssToken(GssMechOid.SPNEGO, encodeNegotiationToken(v));
}

/**
 * A framed SPNEGO InitialContextToken from DER. Asn1DecodeError for bad framing or DER (offsets inside the
 * NegotiationToken count from the inner token), ProtocolError check `mech` when thisMech is not SPNEGO.
 */
export function decodeSpnegoInitialToken(b: Uint8Array, opts?: DecodeOptions): NegotiationToken {
  const max = opts?.maxSize ?? DEFAULT_MAX_SIZE;
  if (b.length > max)
    throw new Asn1DecodeError('InitialContextToken', 0, `input of ${b.length} bytes exceeds ${max}`);
  const { mechOid, inner } = decodeGssToken(b);
  if (mechOid !== GssMechOid.SPNEGO)
    throw new ProtocolError(`token is for mechanism ${mechOid}, not SPNEGO (${GssMechOid.SPNEGO})`, {
      check: 'mech',
    });
  return decodeNegotiationToken(inner, opts);
}

/**
 * The bare NegTokenResp a peer sent after the first token. ProtocolError check `spnego-token` when it is a
 * NegTokenInit instead; Asn1DecodeError when it is not DER.
 */
export function decodeNegTokenResp(
  b: Uint8Array,
  from: 'initiator' | 'acceptor',
  opts?: DecodeOptions,
): NegTokenResp {
  const t = decodeNegotiationToken(b, opts);
  if (!('negTokenResp' in t))
    throw new ProtocolError(`the ${from} sent a NegTokenInit where a NegTokenResp belongs`, {
      check: 'spnego-token',
    });
  return t.negTokenResp;
}

/** Any SPNEGO token, framed (tag 0x60) or bare: what a receiver or `describe` gets off the wire. */
export function decodeSpnegoToken(b: Uint8Array, opts?: DecodeOptions): SpnegoToken {
  if (b[0] === Tag.Application) return { framed: true, token: decodeSpnegoInitialToken(b, opts) };
  return { framed: false, token: decodeNegotiationToken(b, opts) };
}
