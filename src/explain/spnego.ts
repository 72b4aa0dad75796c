/**
 * SPNEGO tokens in the teaching view (RFC 4178 4.2, MS-SPNG 2.2.1): NegTokenInit with its mechanisms named and the
 * optimistic token decoded, NegTokenInit2 with negHints, NegTokenResp with negState, the response token decoded as
 * its mechanism's and the mechListMIC checked over the MechTypeList; and inputs of several lines.
 */

import type { DecodeOptions } from '../asn1/index.js';
import { KerberosError } from '../errors.js';
import { GssMechOid } from '../gss/constants.js';
import {
  ContextFlag,
  encodeMechTypeList,
  NEG_HINTS_IGNORE_NAME,
  type NegHints,
  type NegotiationToken,
  NegState,
  type NegTokenInit,
  type NegTokenInit2,
  type NegTokenResp,
  type SpnegoToken,
} from '../gss/spnego-codec.js';
import { mechName, NEGOEX_OID, NTLMSSP_OID } from '../gss/spnego-mic.js';
import { bytesEqual, utf8 } from '../util/bytes.js';
import { opt } from './authdata.js';
import { bytesText, type Explain, type ExplainNode, node } from './core.js';
import {
  GssKind,
  type GssTokenValue,
  type InputLine,
  isNtlmssp,
  NTLMSSP_SIGNATURE,
  type NtlmsspValue,
  sniffGss,
} from './detect-gss.js';
import { gssTokenNode } from './gss.js';
import { type GssSession, messageText, sessionOf } from './gss-per-message.js';

/** IAKerb (draft-ietf-kitten-iakerb), which Windows 11 and Heimdal offer. */
const IAKERB_OID = '1.3.6.1.5.2.5';

/** What each well-known mechanism is, for the mechTypes list. */
const MECH_NOTES: ReadonlyMap<string, string> = new Map([
  [GssMechOid.KRB5, 'Kerberos V5 (RFC 4121)'],
  [
    GssMechOid.MS_KRB5,
    'Kerberos V5 under the OID Windows 2000 sent by mistake; Windows still lists it first',
  ],
  [NTLMSSP_OID, 'NTLM (MS-NLMP): not Kerberos, tskrb does not speak it'],
  [NEGOEX_OID, 'NegoEx (MS-NEGOEX): PKU2U and cloud Kerberos negotiate inside it'],
  [IAKERB_OID, 'IAKerb: Kerberos through the service when the KDC is out of reach'],
]);

const NEG_STATES: ReadonlyMap<number, readonly [string, string]> = new Map([
  [NegState.ACCEPT_COMPLETED, ['accept-completed', 'the acceptor is done: the context is established']],
  [NegState.ACCEPT_INCOMPLETE, ['accept-incomplete', 'more tokens are needed']],
  [NegState.REJECT, ['reject', 'the acceptor refused every mechanism offered, or the token']],
  [NegState.REQUEST_MIC, ['request-mic', 'the acceptor asks the initiator for a mechListMIC (RFC 4178 5)']],
]);

const NEGOEX = utf8('NEGOEXTS');

/** NTLMSSP MessageType (MS-NLMP 2.2.1). */
const NTLM_TYPES: ReadonlyMap<number, string> = new Map([
  [1, 'NEGOTIATE'],
  [2, 'CHALLENGE'],
  [3, 'AUTHENTICATE'],
]);

/** An NTLMSSP message: its type, and why it is there. */
function ntlmNode(label: string, b: Uint8Array): ExplainNode {
  const type = new DataView(b.buffer, b.byteOffset + NTLMSSP_SIGNATURE.length, 4).getUint32(0, true);
  return node(
    label,
    `NTLMSSP ${NTLM_TYPES.get(type) ?? 'unknown'} (type ${type})`,
    'NTLM, not Kerberos: the client fell back (no ticket for the service?)',
    [node('bytes', bytesText(b))],
  );
}

/**
 * `n` with the span of field `key` as recorded on `owner`: the reader of a NegTokenInit returns the fields it read in
 * a new object, so they are recorded on the NegotiationToken it returns, not on the NegTokenInit.
 */
function fieldOf(n: ExplainNode, ex: Explain, owner: object, key: string): ExplainNode {
  const s = ex.opts.spans?.field(owner, key);
  if (s !== undefined) n.span = s;
  return n;
}

/** A mechanism's token inside SPNEGO (field `key` of `owner`): Kerberos (framed GSS token), NTLMSSP, NegoEx, or bytes. */
function mechTokenNode(label: string, b: Uint8Array, ex: Explain, owner: object, key: string): ExplainNode {
  return fieldOf(mechToken(label, b, ex, ex.opts.spans?.nested(owner, key, b)), ex, owner, key);
}

function mechToken(
  label: string,
  b: Uint8Array,
  ex: Explain,
  decode: DecodeOptions | undefined,
): ExplainNode {
  if (isNtlmssp(b)) return ntlmNode(label, b);
  if (b.length >= 8 && bytesEqual(b.subarray(0, 8), NEGOEX))
    return node(label, 'NegoEx message', 'MS-NEGOEX', [node('bytes', bytesText(b))]);
  try {
    const g = sniffGss(b, decode);
    if (g?.name === GssKind.TOKEN) return gssTokenNode(label, g.value as GssTokenValue, ex);
    if (g?.name === GssKind.SPNEGO) return spnegoNode(label, g.value as SpnegoToken, ex);
  } catch (e) {
    if (!(e instanceof KerberosError)) throw e;
    return node(label, bytesText(b), `not decoded: ${e.message}`);
  }
  return node(label, bytesText(b), 'not a token tskrb reads');
}

function mechTypesNode(mechTypes: readonly string[], ex: Explain, hasToken: boolean): ExplainNode {
  sessionOf(ex.opts)?.cover(
    encodeMechTypeList(mechTypes),
    'the MechTypeList of the NegTokenInit (mechListMIC)',
  );
  return node(
    'mechTypes',
    String(mechTypes.length),
    'the mechanisms offered, preferred first',
    mechTypes.map((m, i) => {
      const note = MECH_NOTES.get(m);
      const first = i === 0 && hasToken ? 'the optimistic mechToken is for this one' : undefined;
      return ex.itemSpan(
        node(`[${i}]`, mechName(m), [note, first].filter((x) => x !== undefined).join('; ') || undefined),
        mechTypes,
        i,
      );
    }),
  );
}

function reqFlagsNode(flags: number): ExplainNode {
  const names = Object.entries(ContextFlag)
    .filter(([, bit]) => (flags & bit) !== 0)
    .map(([n]) => n);
  return node(
    'reqFlags',
    names.join(', ') || 'none',
    'ContextFlags; RFC 4178 says senders SHOULD leave them out',
  );
}

function negHintsNode(h: NegHints, ex: Explain): ExplainNode {
  const nameNote = (n: string): string =>
    n === NEG_HINTS_IGNORE_NAME ? "Windows' placeholder: to be ignored" : 'the server principal';
  return node('negHints', undefined, 'MS-SPNG 2.2.1: what a server sends first (SMB, LDAP)', [
    ...ex.field(h, 'hintName', (n) => node('hintName', JSON.stringify(n), nameNote(n))),
    ...ex.field(h, 'hintAddress', (a) => node('hintAddress', bytesText(a))),
  ]);
}

/** The codec's name of NegTokenInit's field [3], which is mechListMIC in a NegTokenInit, negHints in a NegTokenInit2. */
const FIELD_3 = 'mechListMIC|negHints';

/** A NegTokenInit or NegTokenInit2 (`v`), whose fields are recorded on the NegotiationToken `t` (see fieldOf). */
function negTokenInit(
  v: NegTokenInit | NegTokenInit2,
  t: NegotiationToken,
  ex: Explain,
  two: boolean,
  framing: string,
): ExplainNode {
  const mechTypes = v.mechTypes;
  const negHints = 'negHints' in v ? v.negHints : undefined;
  const kids = [
    ...opt(mechTypes, (m) => fieldOf(mechTypesNode(m, ex, v.mechToken !== undefined), ex, t, 'mechTypes')),
    ...opt(v.reqFlags, (f) => fieldOf(reqFlagsNode(f), ex, t, 'reqFlags')),
    ...opt(v.mechToken, (b) => mechTokenNode('mechToken', b, ex, t, 'mechToken')),
    ...opt(negHints, (h) => fieldOf(negHintsNode(h, ex), ex, t, FIELD_3)),
    ...opt(v.mechListMIC, (m) => mechTokenNode('mechListMIC', m, ex, t, two ? 'mechListMIC' : FIELD_3)),
  ];
  const summary = (mechTypes ?? []).map((m) => mechName(m).replace(/ \(.*\)$/, '')).join(', ');
  return node(
    two ? 'NegTokenInit2' : 'NegTokenInit',
    summary || undefined,
    `${two ? 'MS-SPNG 2.2.1' : 'RFC 4178 4.2.1'}; ${framing}`,
    kids,
  );
}

function negTokenResp(v: NegTokenResp, ex: Explain, framing: string): ExplainNode {
  const state = v.negState === undefined ? undefined : NEG_STATES.get(v.negState);
  const kids = [
    ...ex.field(v, 'negState', (n) => node('negState', `${state?.[0] ?? 'unknown'} (${n})`, state?.[1])),
    ...ex.field(v, 'supportedMech', (m) =>
      node('supportedMech', mechName(m), "the acceptor's choice among the initiator's mechTypes"),
    ),
    ...opt(v.responseToken, (b) => mechTokenNode('responseToken', b, ex, v, 'responseToken')),
    ...opt(v.mechListMIC, (m) => mechTokenNode('mechListMIC', m, ex, v, 'mechListMIC')),
  ];
  return node('NegTokenResp', state?.[0], `RFC 4178 4.2.2; ${framing}`, kids);
}

/** A SPNEGO token under `label` (`bytes`, when sniffed, are the token as received: the input, or a mechToken). */
export function spnegoNode(label: string, v: SpnegoToken & { bytes?: Uint8Array }, ex: Explain): ExplainNode {
  if (v.bytes !== undefined) ex.opts.spans?.input(v.bytes);
  const framing = v.framed ? 'framed as an InitialContextToken (1.3.6.1.5.5.2)' : 'bare NegotiationToken';
  const t = v.token;
  const inner =
    'negTokenResp' in t
      ? negTokenResp(t.negTokenResp, ex, framing)
      : 'negTokenInit2' in t
        ? negTokenInit(t.negTokenInit2, t, ex, true, framing)
        : negTokenInit(t.negTokenInit, t, ex, false, framing);
  const n: ExplainNode = {
    ...inner,
    label,
    value: inner.value === undefined ? inner.label : `${inner.label}: ${inner.value}`,
  };
  return ex.span(n, v.bytes ?? t);
}

/**
 * Inputs of several lines, each explained by `treeOf` in order (keys learned on one line open the next); a line that
 * is no token is kept in the session as a message a later MIC may cover (a MIC travels apart from its message).
 */
export function explainLines<D>(
  inputs: readonly InputLine<D>[],
  treeOf: (d: D) => ExplainNode,
  session: GssSession | undefined,
): ExplainNode {
  return node(
    'input',
    `${inputs.length} lines`,
    'one input a line, explained in order: keys learned on one line open the next',
    inputs.map((i) => {
      const label = `line ${i.line}`;
      if (i.detected !== undefined) return node(label, i.header, undefined, [treeOf(i.detected)]);
      if (i.bytes !== undefined) {
        session?.cover(i.bytes, `the bytes of line ${i.line}`);
        return node(label, messageText(i.bytes), `not a token (${i.error}); a message a MIC may cover`);
      }
      if (i.error !== undefined) return node(label, 'not recognised', i.error);
      return node(
        label,
        i.header,
        "Negotiate without a token: the server's challenge, asking the client to begin",
      );
    }),
  );
}

/** The GSS kinds the explain engine recognises by shape. */
export const GSS_DETECTORS: ReadonlyArray<readonly [string, (o: Record<string, unknown>) => boolean]> = [
  [
    GssKind.TOKEN,
    (o) =>
      typeof o['tokId'] === 'number' && o['token'] instanceof Uint8Array && o['body'] instanceof Uint8Array,
  ],
  [
    GssKind.SPNEGO,
    (o) => {
      const t = o['token'];
      return (
        typeof o['framed'] === 'boolean' &&
        typeof t === 'object' &&
        t !== null &&
        ('negTokenInit' in t || 'negTokenInit2' in t || 'negTokenResp' in t)
      );
    },
  ],
  [GssKind.NTLMSSP, (o) => o['ntlmssp'] instanceof Uint8Array && Object.keys(o).length === 1],
];

/** The explainers of the GSS kinds. */
export const GSS_EXPLAINERS: ReadonlyMap<string, (v: unknown, ex: Explain) => ExplainNode> = new Map([
  [GssKind.TOKEN, (v: unknown, ex: Explain) => gssTokenNode('GSS-API token', v as GssTokenValue, ex)],
  [GssKind.SPNEGO, (v: unknown, ex: Explain) => spnegoNode('SPNEGO', v as SpnegoToken, ex)],
  [
    GssKind.NTLMSSP,
    (v: unknown, ex: Explain) => {
      const b = (v as NtlmsspValue).ntlmssp;
      ex.opts.spans?.input(b);
      return ex.span(ntlmNode('NTLMSSP', b), b);
    },
  ],
]);
