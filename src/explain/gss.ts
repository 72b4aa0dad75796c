/**
 * Kerberos GSS-API tokens in the teaching view (RFC 2743 3.1 framing, RFC 4121 4.1): the AP-REQ with its 0x8003
 * checksum spelled out and the delegated KRB-CRED opened, the AP-REP, the KRB-ERROR; and the dispatch of every token
 * id, per-message tokens included.
 */
import {
  type ApReq,
  type Authenticator,
  decodeApRep,
  decodeApReq,
  decodeKrbCred,
  decodeKrbError,
  MessageType,
} from '../asn1/index.js';
import { KeyUsage } from '../crypto/index.js';
import { KerberosError, ProtocolError } from '../errors.js';
import { ApExchangeError } from '../gss/ap-error.js';
import { decodeGssChecksum, type GssChecksum } from '../gss/authenticator-checksum.js';
import { GSS_CHECKSUM_TYPE, GssFlag, GssTokenId } from '../gss/constants.js';
import { isKrb5Mech, mechName } from '../gss/spnego-mic.js';
import { formatPrincipal } from '../messages/principal.js';
import { toHex } from '../util/bytes.js';
import { opt } from './authdata.js';
import {
  bytesText,
  type Explain,
  type ExplainNode,
  encryptedText,
  node,
  spanAll,
  usageText,
} from './core.js';
import type { GssTokenValue } from './detect-gss.js';
import { cfxMicNodes, cfxWrapNodes, rc4MicNodes, rc4WrapNodes } from './gss-per-message.js';
import { AP_OPTIONS, MESSAGE_TYPES } from './names.js';

export {
  type GssExplainOptions,
  GssSession,
  type LabelledKey,
  sessionOf,
} from './gss-per-message.js';

/** `01 00`. */
function idText(id: number): string {
  return `${toHex(Uint8Array.of(id >> 8))} ${toHex(Uint8Array.of(id & 0xff))}`;
}

// --- the 0x8003 checksum (RFC 4121 4.1.1) -----------------------------------------------------------------------

/** Context flags of the checksum (RFC 2744, RFC 4121 4.1.1.1, MS-KILE 3.2.5.2) with what each asks. */
const GSS_FLAGS: ReadonlyArray<readonly [number, string, string]> = [
  [
    GssFlag.DELEG,
    'DELEG',
    'the client delegates its TGT: a KRB-CRED in Deleg lets the service act as the client',
  ],
  [GssFlag.MUTUAL, 'MUTUAL', 'mutual authentication: the service answers with an AP-REP'],
  [GssFlag.REPLAY, 'REPLAY', 'per-message tokens are checked for replays'],
  [GssFlag.SEQUENCE, 'SEQUENCE', 'per-message tokens are checked for order (sequence numbers)'],
  [GssFlag.CONF, 'CONF', 'confidentiality: sealed Wrap tokens'],
  [GssFlag.INTEG, 'INTEG', 'integrity: MIC and Wrap tokens'],
  [GssFlag.ANON, 'ANON', 'anonymous initiator'],
  [GssFlag.PROT_READY, 'PROT_READY', 'per-message protection is ready before the context is complete'],
  [GssFlag.TRANS, 'TRANS', 'the context may be exported to another process (MIT sets it)'],
  [GssFlag.DCE_STYLE, 'DCE_STYLE', 'DCE RPC style: a third leg, the client answers the AP-REP with its own'],
  [GssFlag.IDENTIFY, 'IDENTIFY', 'the service may identify the client but not impersonate it (MS-KILE)'],
  [
    GssFlag.EXTENDED_ERROR,
    'EXTENDED_ERROR',
    'the client takes extended errors in KRB-ERROR e-data (MS-KILE)',
  ],
];

function gssFlagsNode(flags: number): ExplainNode {
  const set = GSS_FLAGS.filter(([bit]) => (flags & bit) !== 0);
  const known = GSS_FLAGS.reduce((m, [bit]) => m | bit, 0);
  const other = flags & ~known;
  const kids = set.map(([, name, meaning]) => node(`GSS_C_${name}_FLAG`, undefined, meaning));
  if (other !== 0) kids.push(node('unnamed bits', `0x${(other >>> 0).toString(16)}`));
  const names = set.map(([, name]) => name).join(', ') || 'none';
  return node('Flags', `${names} (0x${flags.toString(16)})`, 'context flags the client asks for', kids);
}

/** Where the fields of the 0x8003 checksum are (RFC 4121 4.1.1): Lgth, Bnd, Flags, then DlgOpt, Dlgth, Deleg. */
const GSS_CKSUM_LAYOUT = { bnd: 4, flags: 20, flagsLength: 4, deleg: 28 } as const;

function bndNode(bnd: Uint8Array): ExplainNode {
  if (bnd.every((b) => b === 0))
    return node('Bnd', 'zeros', 'no channel bindings: nothing ties this token to a TLS channel');
  return node(
    'Bnd',
    toHex(bnd),
    'MD5 of the channel bindings (RFC 4121 4.1.1.2); over TLS, tls-server-end-point (RFC 5929), as extended protection checks',
  );
}

/** The delegated KRB-CRED; `at` is where it lies, so its fields can be placed. */
function delegNode(deleg: Uint8Array, at: Uint8Array, ex: Explain): ExplainNode {
  const note = 'DlgOpt 1: the forwarded TGT, for the service to act as the client (RFC 4121 4.1.1.1)';
  try {
    return node('Deleg', `KRB-CRED, ${deleg.length} bytes`, note, [
      ex.value('KRB-CRED', decodeKrbCred(at, ex.opts.spans?.decode)),
    ]);
  } catch (e) {
    if (!(e instanceof KerberosError)) throw e;
    return node('Deleg', bytesText(deleg), `not a KRB-CRED: ${e.message}`);
  }
}

/** The authenticator checksum of type 0x8003 (`bytes`, placed by the caller when spans are collected), field by field. */
export function gssChecksumNode(bytes: Uint8Array, ex: Explain): ExplainNode {
  const label = 'cksum';
  const value = `GSS-API checksum (0x${GSS_CHECKSUM_TYPE.toString(16)})`;
  let c: GssChecksum;
  try {
    c = decodeGssChecksum(bytes);
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return node(label, value, `malformed: ${e.message}`, [node('bytes', bytesText(bytes))]);
  }
  const L = GSS_CKSUM_LAYOUT;
  // The fields are little-endian integers and bytes (no DER): each node, flags included, spans its field.
  const at = (n: ExplainNode, offset: number, length: number): ExplainNode => {
    const s = ex.opts.spans?.range(bytes, offset, length);
    return s === undefined ? n : spanAll(n, s);
  };
  return ex.span(
    node(label, value, 'RFC 4121 4.1.1: not a checksum but the context request', [
      at(bndNode(c.bnd), L.bnd, c.bnd.length),
      at(gssFlagsNode(c.flags), L.flags, L.flagsLength),
      ...opt(c.deleg, (d) =>
        at(delegNode(d, bytes.subarray(L.deleg, L.deleg + d.length), ex), L.deleg, d.length),
      ),
      ...opt(c.exts, (x) =>
        at(
          node('extensions', bytesText(x), 'bytes after the fixed fields'),
          bytes.length - x.length,
          x.length,
        ),
      ),
    ]),
    bytes,
  );
}

// --- context tokens ----------------------------------------------------------------------------------------------

/** What the authenticator's subkey and seq-number are in a GSS context (RFC 4121 2, 4.1), in place of the TGS notes. */
const GSS_AUTHENTICATOR_NOTES: Readonly<Record<string, string>> = {
  subkey: "the initiator's subkey: the context key unless the AP-REP brings an acceptor subkey",
  'seq-number': "the initiator's first sequence number for MIC and Wrap tokens",
};

/** The Authenticator's tree with its 0x8003 cksum spelled out and its subkey and seq-number read as GSS ones. */
function authenticatorNode(a: Authenticator, ex: Explain): ExplainNode {
  const n = ex.value('Authenticator', a);
  const cksum = a.cksum;
  if (cksum?.cksumtype !== GSS_CHECKSUM_TYPE || n.children === undefined) return n;
  // Placed in the plaintext, so that the checksum's fields get spans.
  ex.nested(cksum, 'checksum');
  return {
    ...n,
    children: n.children.map((k) => {
      if (k.label === 'cksum') {
        const g = gssChecksumNode(cksum.checksum, ex);
        // The field's span, as the RFC 4120 view gives it.
        if (k.span !== undefined) g.span = k.span;
        return g;
      }
      const note = GSS_AUTHENTICATOR_NOTES[k.label];
      return note === undefined ? k : { ...k, note };
    }),
  };
}

/** An AP-REQ of a GSS token: as the RFC 4120 one, with the authenticator's checksum read as RFC 4121 4.1.1. */
function apReqNode(v: ApReq, ex: Explain): ExplainNode {
  const ed = v.authenticator;
  const usage = KeyUsage.ApReqAuthenticator;
  const authenticator = (): ExplainNode => {
    const outcome = ex.open('authenticator', ed, [usage], 'Authenticator');
    const text = encryptedText(ed);
    if (outcome === undefined) return node('authenticator', text, `encrypted, ${usageText(usage)}`);
    if (outcome.status !== 'opened') return node('authenticator', text, `closed: ${outcome.reason}`);
    return node('authenticator', text, `opened with ${outcome.keyLabel}, ${usageText(outcome.usage)}`, [
      authenticatorNode(outcome.value as Authenticator, ex),
    ]);
  };
  return ex.span(
    node(
      'AP-REQ',
      `ticket ${formatPrincipal(v.ticket.sname, v.ticket.realm)}`,
      MESSAGE_TYPES.get(MessageType.AP_REQ)?.meaning,
      [
        ...ex.flags(v, 'apOptions', 'ap-options', AP_OPTIONS),
        ...ex.field(v, 'ticket', (t) => ex.value('ticket', t)),
        ...ex.field(v, 'authenticator', authenticator),
      ],
    ),
    v,
  );
}

function krbErrorNodes(body: Uint8Array, ex: Explain): ExplainNode[] {
  const e = decodeKrbError(body, ex.opts.spans?.decode);
  const hint = new ApExchangeError(e).hint;
  return [ex.value('KRB-ERROR', e), ...opt(hint, (h) => node('hint', h))];
}

// --- the token ---------------------------------------------------------------------------------------------------

/** Each Kerberos token id: its name, spec section, and the explainer of its body. */
const TOKENS: ReadonlyMap<
  number,
  { name: string; spec: string; body: (t: GssTokenValue, ex: Explain) => ExplainNode[] }
> = new Map([
  [
    GssTokenId.AP_REQ,
    {
      name: 'AP-REQ',
      spec: 'RFC 4121 4.1',
      body: (t, ex) => [apReqNode(decodeApReq(t.body, ex.opts.spans?.decode), ex)],
    },
  ],
  [
    GssTokenId.AP_REP,
    {
      name: 'AP-REP',
      spec: 'RFC 4121 4.1',
      body: (t, ex) => [ex.value('AP-REP', decodeApRep(t.body, ex.opts.spans?.decode))],
    },
  ],
  [
    GssTokenId.KRB_ERROR,
    { name: 'KRB-ERROR', spec: 'RFC 4121 4.1', body: (t, ex) => krbErrorNodes(t.body, ex) },
  ],
  [GssTokenId.MIC, { name: 'MIC', spec: 'RFC 4121 4.2.6.1', body: cfxMicNodes }],
  [GssTokenId.WRAP, { name: 'Wrap', spec: 'RFC 4121 4.2.6.2', body: cfxWrapNodes }],
  [GssTokenId.RC4_MIC, { name: 'rc4-hmac MIC', spec: 'RFC 4757 7.2', body: rc4MicNodes }],
  [GssTokenId.RC4_WRAP, { name: 'rc4-hmac Wrap', spec: 'RFC 4757 7.3', body: rc4WrapNodes }],
]);

/** A GSS-API token under `label`: framing, TOK_ID, then the message or the per-message fields. */
export function gssTokenNode(label: string, t: GssTokenValue, ex: Explain): ExplainNode {
  // A token explained on its own is the input; one inside SPNEGO was placed by its mechToken or responseToken.
  ex.opts.spans?.input(t.token);
  return ex.span(tokenNode(label, t, ex), t.token);
}

function tokenNode(label: string, t: GssTokenValue, ex: Explain): ExplainNode {
  if (t.mechOid !== undefined && !isKrb5Mech(t.mechOid))
    return node(label, mechName(t.mechOid), 'a framed token of a mechanism tskrb does not read', [
      node('inner token', bytesText(t.body)),
    ]);
  const framing = t.mechOid === undefined ? 'no framing' : `framed, ${mechName(t.mechOid)}`;
  const kind = TOKENS.get(t.tokId);
  if (kind === undefined)
    return node(label, `TOK_ID ${idText(t.tokId)}`, `unknown Kerberos token; ${framing}`, [
      node('body', bytesText(t.body)),
    ]);
  let kids: ExplainNode[];
  try {
    kids = kind.body(t, ex);
  } catch (e) {
    if (!(e instanceof KerberosError)) throw e;
    kids = [node('body', bytesText(t.body), `not decoded: ${e.message}`)];
  }
  return node(label, `${kind.name} (TOK_ID ${idText(t.tokId)})`, `${kind.spec}; ${framing}`, kids);
}
