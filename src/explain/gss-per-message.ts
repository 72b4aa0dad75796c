/**
 * Per-message tokens in the teaching view: RFC 4121 4.2 MIC and Wrap (flags, EC, RRC, SND_SEQ) and RFC 4757 7.2/7.3
 * tokens of rc4-hmac contexts, opened or verified with the keys the session of the input holds: given ones, and the
 * session keys and subkeys learned from the tokens before them.
 */
import { EncType, type Key, KeyUsage } from '../crypto/index.js';
import { CryptoError, IntegrityError, ProtocolError } from '../errors.js';
import { Rc4Alg, TokenFlag } from '../gss/constants.js';
import { cfxUnwrap, cfxVerifyMic } from '../gss/message-tokens.js';
import { rc4Unwrap, rc4VerifyMic } from '../gss/rc4-tokens.js';
import { fromUtf8 } from '../util/bytes.js';
import { bytesText, type Explain, type ExplainNode, type ExplainOptions, node } from './core.js';
import type { GssTokenValue } from './detect-gss.js';

/** A key per-message tokens may be in, and where it came from. */
export interface LabelledKey {
  readonly key: Key;
  readonly label: string;
}

/** What the tokens of one input share: the keys at hand, and the bytes a later MIC token may cover. */
export class GssSession {
  readonly #covered: { bytes: Uint8Array; what: string }[] = [];
  /** `keys` lists the keys at hand when called, oldest first (a keyring that learns as parts open). */
  constructor(readonly keys: () => readonly LabelledKey[]) {}

  /** Remembers bytes a MIC token may be over: an unwrapped message, or a SPNEGO MechTypeList. */
  cover(bytes: Uint8Array, what: string): void {
    this.#covered.push({ bytes, what });
  }

  /** What a MIC may cover, most recent first. */
  get covered(): readonly { bytes: Uint8Array; what: string }[] {
    return [...this.#covered].reverse();
  }
}

/** Explain options with the GSS session of the input (without one, per-message tokens stay closed). */
export interface GssExplainOptions extends ExplainOptions {
  readonly gss?: GssSession;
}

/** The session of `opts`, when the caller gave one. */
export function sessionOf(opts: ExplainOptions): GssSession | undefined {
  return 'gss' in opts && opts.gss instanceof GssSession ? opts.gss : undefined;
}

/** `"text" (4 bytes)` when printable, else `12 bytes 0a0b…`. */
export function messageText(b: Uint8Array): string {
  const s = fromUtf8(b);
  return b.length > 0 && /^[\t\n\r\x20-\x7e]*$/.test(s)
    ? `${JSON.stringify(s)} (${b.length} bytes)`
    : bytesText(b);
}

/** Keys a per-message token may be in, most recently learned first. */
function candidates(ex: Explain, rc4: boolean): LabelledKey[] {
  const keys = sessionOf(ex.opts)?.keys() ?? [];
  return [...keys].reverse().filter((k) => (k.key.etype === EncType.RC4_HMAC) === rc4);
}

/** Runs `f` with each key until one passes; undefined when none does (wrong keys fail integrity or a check). */
function firstThat<T>(keys: readonly LabelledKey[], f: (k: LabelledKey) => T): T | undefined {
  for (const k of keys) {
    try {
      return f(k);
    } catch (e) {
      if (e instanceof IntegrityError || e instanceof ProtocolError || e instanceof CryptoError) continue;
      throw e;
    }
  }
  return undefined;
}

const GSS_USAGES: ReadonlyMap<number, string> = new Map([
  [KeyUsage.GssAcceptorSeal, 'Wrap from the acceptor'],
  [KeyUsage.GssAcceptorSign, 'MIC from the acceptor'],
  [KeyUsage.GssInitiatorSeal, 'Wrap from the initiator'],
  [KeyUsage.GssInitiatorSign, 'MIC from the initiator'],
]);

function gssUsage(byAcceptor: boolean, wrap: boolean): string {
  const u = byAcceptor
    ? wrap
      ? KeyUsage.GssAcceptorSeal
      : KeyUsage.GssAcceptorSign
    : wrap
      ? KeyUsage.GssInitiatorSeal
      : KeyUsage.GssInitiatorSign;
  return `usage ${u} (${GSS_USAGES.get(u)})`;
}

const TOKEN_FLAGS: ReadonlyArray<readonly [number, string, string]> = [
  [TokenFlag.SENT_BY_ACCEPTOR, 'SentByAcceptor', 'sent by the acceptor (else by the initiator)'],
  [TokenFlag.SEALED, 'Sealed', 'the message is encrypted'],
  [TokenFlag.ACCEPTOR_SUBKEY, 'AcceptorSubkey', "in the acceptor's subkey from the AP-REP"],
];

function tokenFlagsNode(flags: number): ExplainNode {
  const set = TOKEN_FLAGS.filter(([bit]) => (flags & bit) !== 0);
  return node(
    'Flags',
    `${set.map(([, n]) => n).join(', ') || 'none'} (0x${flags.toString(16).padStart(2, '0')})`,
    'RFC 4121 4.2.2',
    set.map(([, n, meaning]) => node(n, undefined, meaning)),
  );
}

function seqOf(token: Uint8Array): number {
  const v = new DataView(token.buffer, token.byteOffset, token.byteLength);
  return v.getUint32(8) * 0x1_0000_0000 + v.getUint32(12);
}

/** Tries every covered message with every key; the node says which verified, or why none was tried. */
function micCheck(ex: Explain, rc4: boolean, verify: (k: Key, message: Uint8Array) => string): ExplainNode {
  const covered = sessionOf(ex.opts)?.covered ?? [];
  const keys = candidates(ex, rc4);
  if (keys.length === 0)
    return node('checksum', 'not verified', `no ${rc4 ? 'rc4-hmac ' : ''}session key or subkey at hand`);
  if (covered.length === 0)
    return node(
      'checksum',
      'not verified',
      'the message it covers is not in the input (a MIC travels apart)',
    );
  for (const m of covered) {
    const ok = firstThat(keys, (k) => ({ k, how: verify(k.key, m.bytes) }));
    if (ok !== undefined)
      return node('checksum', 'verified', `over ${m.what}, with ${ok.k.label}, ${ok.how}`);
  }
  return node(
    'checksum',
    'not verified',
    `${keys.length} key(s) and ${covered.length} earlier message(s) tried: none matches`,
  );
}

/** The fields of an RFC 4121 MIC token, opened when a key fits. */
export function cfxMicNodes(t: GssTokenValue, ex: Explain): ExplainNode[] {
  const b = t.token;
  const flags = b[2]!;
  const byAcceptor = (flags & TokenFlag.SENT_BY_ACCEPTOR) !== 0;
  return [
    tokenFlagsNode(flags),
    node('SND_SEQ', String(seqOf(b)), "the sender's sequence number"),
    node('SGN_CKSUM', bytesText(b.subarray(16)), 'checksum of the message, then the token header'),
    micCheck(ex, false, (key, message) => {
      cfxVerifyMic({ acceptor: !byAcceptor, keyFor: () => key }, message, b);
      return gssUsage(byAcceptor, false);
    }),
  ];
}

/** The fields of an RFC 4121 Wrap token, opened when a key fits. */
export function cfxWrapNodes(t: GssTokenValue, ex: Explain): ExplainNode[] {
  const b = t.token;
  const flags = b[2]!;
  const byAcceptor = (flags & TokenFlag.SENT_BY_ACCEPTOR) !== 0;
  const sealed = (flags & TokenFlag.SEALED) !== 0;
  const ec = (b[4]! << 8) | b[5]!;
  const rrc = (b[6]! << 8) | b[7]!;
  const kids = [
    tokenFlagsNode(flags),
    node('EC', String(ec), sealed ? 'filler bytes before the encrypted header copy' : 'the checksum length'),
    node(
      'RRC',
      String(rrc),
      rrc === 0
        ? 'no rotation'
        : 'right rotation count: the data was rotated by this many bytes (as Windows sends)',
    ),
    node('SND_SEQ', String(seqOf(b)), "the sender's sequence number"),
    node('data', bytesText(b.subarray(16)), sealed ? 'E(message | filler | header)' : 'message | checksum'),
  ];
  const keys = candidates(ex, false);
  const opened = firstThat(keys, (k) => ({
    k,
    r: cfxUnwrap({ acceptor: !byAcceptor, keyFor: () => k.key }, b),
  }));
  if (opened === undefined) {
    const why =
      keys.length === 0 ? 'no session key or subkey at hand' : `${keys.length} key(s) tried, none opens it`;
    kids.push(node('message', 'not opened', why));
    return kids;
  }
  sessionOf(ex.opts)?.cover(opened.r.message, `the message of the Wrap token with SND_SEQ ${opened.r.seq}`);
  const how = `${sealed ? 'decrypted' : 'checksum verified'} with ${opened.k.label}, ${gssUsage(byAcceptor, true)}`;
  kids.push(node('message', messageText(opened.r.message), how));
  return kids;
}

/** SGN_ALG, SEAL_ALG (Wrap) and the sealed fields of an RFC 4757 token body (after TOK_ID). */
function rc4Header(body: Uint8Array, wrap: boolean): ExplainNode[] {
  const sgn = body[0]! | (body[1]! << 8);
  const seal = body[2]! | (body[3]! << 8);
  const sealName = seal === Rc4Alg.SEAL_RC4 ? 'RC4' : seal === Rc4Alg.SEAL_NONE ? 'none' : 'unknown';
  return [
    node(
      'SGN_ALG',
      `0x${sgn.toString(16).padStart(4, '0')}`,
      sgn === Rc4Alg.SGN_HMAC_MD5 ? 'HMAC-MD5' : 'unknown',
    ),
    ...(wrap ? [node('SEAL_ALG', `0x${seal.toString(16).padStart(4, '0')}`, sealName)] : []),
    node('SND_SEQ', bytesText(body.subarray(6, 14)), 'sequence number and direction, RC4-encrypted'),
    node('SGN_CKSUM', bytesText(body.subarray(14, 22)), 'HMAC-MD5, first 8 bytes'),
  ];
}

/** Who sent an RFC 4757 token, tried both ways (the direction bytes under SND_SEQ tell). */
const DIRECTIONS = [
  { weAreAcceptor: true, sender: 'initiator' },
  { weAreAcceptor: false, sender: 'acceptor' },
] as const;

/** The fields of an RFC 4757 MIC token, opened when a key fits. */
export function rc4MicNodes(t: GssTokenValue, ex: Explain): ExplainNode[] {
  return [
    ...rc4Header(t.body, false),
    micCheck(ex, true, (key, message) => {
      for (const d of DIRECTIONS) {
        try {
          const seq = rc4VerifyMic(key, d.weAreAcceptor, message, t.token);
          return `sent by the ${d.sender}, sequence number ${seq}`;
        } catch (e) {
          if (!(e instanceof ProtocolError) || e.check !== 'direction') throw e;
        }
      }
      throw new ProtocolError('neither direction', { check: 'direction' });
    }),
  ];
}

/** The fields of an RFC 4757 Wrap token, opened when a key fits. */
export function rc4WrapNodes(t: GssTokenValue, ex: Explain): ExplainNode[] {
  const kids = [
    ...rc4Header(t.body, true),
    node('data', bytesText(t.body.subarray(22)), 'confounder | message | padding'),
  ];
  const keys = candidates(ex, true);
  const opened = firstThat(keys, (k) => {
    for (const d of DIRECTIONS) {
      try {
        return { k, d, r: rc4Unwrap(k.key, d.weAreAcceptor, t.token) };
      } catch (e) {
        if (!(e instanceof ProtocolError) || e.check !== 'direction') throw e;
      }
    }
    throw new ProtocolError('neither direction', { check: 'direction' });
  });
  if (opened === undefined) {
    const why =
      keys.length === 0
        ? 'no rc4-hmac session key or subkey at hand'
        : `${keys.length} key(s) tried, none opens it`;
    kids.push(node('message', 'not opened', why));
    return kids;
  }
  const { k, d, r } = opened;
  sessionOf(ex.opts)?.cover(r.message, `the message of the rc4 Wrap token with sequence number ${r.seq}`);
  kids.push(node('sequence number', String(r.seq), `sent by the ${d.sender}`));
  kids.push(
    node('message', messageText(r.message), `${r.conf ? 'decrypted' : 'checksum verified'} with ${k.label}`),
  );
  return kids;
}
