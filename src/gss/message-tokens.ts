/**
 * RFC 4121 4.2 per-message tokens: MIC (TOK_ID 04 04) and Wrap (05 04), with and without confidentiality, the
 * Flags octet (SentByAcceptor, Sealed, AcceptorSubkey), EC and RRC. Key usages 22-25 (RFC 4121 2).
 */
import {
  checksumSize,
  checksumTypeOf,
  decrypt,
  encrypt,
  type Key,
  KeyUsage,
  makeChecksum,
  verifyChecksum,
} from '../crypto/index.js';
import { IntegrityError, ProtocolError } from '../errors.js';
import { bytesEqual, concat } from '../util/bytes.js';
import type { RandomSource } from '../util/env.js';
import { GssTokenId, TokenFlag } from './constants.js';

const HEADER_LENGTH = 16;
const FILLER = 0xff;

/** The sending side of a context, as RFC 4121 tokens need it. */
export interface CfxSender {
  /** The context key (RFC 4121 2: acceptor subkey, else initiator subkey, else session key). */
  readonly key: Key;
  /** True when the acceptor sends (sets SentByAcceptor and selects usages 22/23). */
  readonly acceptor: boolean;
  /** True when `key` is the acceptor's subkey (sets AcceptorSubkey). */
  readonly acceptorSubkey: boolean;
}

/** The receiving side: our role, and the key a token's AcceptorSubkey flag selects. */
export interface CfxReceiver {
  /** True when we are the acceptor (tokens must then not have SentByAcceptor). */
  readonly acceptor: boolean;
  /** The key for a token with (`true`) or without the AcceptorSubkey flag; ProtocolError when there is none. */
  keyFor(acceptorSubkey: boolean): Key;
}

function flagsOf(s: CfxSender, sealed: boolean): number {
  return (
    (s.acceptor ? TokenFlag.SENT_BY_ACCEPTOR : 0) |
    (sealed ? TokenFlag.SEALED : 0) |
    (s.acceptorSubkey ? TokenFlag.ACCEPTOR_SUBKEY : 0)
  );
}

function writeSeq(h: Uint8Array, seq: number): void {
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
  v.setUint32(8, Math.floor(seq / 0x1_0000_0000) >>> 0);
  v.setUint32(12, seq >>> 0);
}

function readSeq(h: Uint8Array): number {
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
  return v.getUint32(8) * 0x1_0000_0000 + v.getUint32(12);
}

/** Usage for tokens the given side sends: Seal for Wrap, Sign for MIC (RFC 4121 2). */
function usageOf(acceptorSends: boolean, wrap: boolean): number {
  if (acceptorSends) return wrap ? KeyUsage.GssAcceptorSeal : KeyUsage.GssAcceptorSign;
  return wrap ? KeyUsage.GssInitiatorSeal : KeyUsage.GssInitiatorSign;
}

function checkHeader(r: CfxReceiver, token: Uint8Array, tokId: number, what: string): number {
  if (token.length < HEADER_LENGTH)
    throw new ProtocolError(`${what} token of ${token.length} bytes is shorter than its header`, {
      check: 'token-length',
    });
  const id = (token[0]! << 8) | token[1]!;
  if (id !== tokId)
    throw new ProtocolError(`${what} token has TOK_ID ${id.toString(16).padStart(4, '0')}`, {
      check: 'token-id',
    });
  const flags = token[2]!;
  const byAcceptor = (flags & TokenFlag.SENT_BY_ACCEPTOR) !== 0;
  if (byAcceptor === r.acceptor) {
    throw new ProtocolError(
      `${what} token was sent by the ${byAcceptor ? 'acceptor' : 'initiator'}, as we are`,
      {
        check: 'direction',
        hint: 'a reflected token: it was made by this side of the context',
      },
    );
  }
  return flags;
}

/** A MIC token over `message` (RFC 4121 4.2.6.1): header, then the checksum of message || header. */
export function cfxGetMic(s: CfxSender, seq: number, message: Uint8Array): Uint8Array {
  const header = new Uint8Array(HEADER_LENGTH);
  header[0] = GssTokenId.MIC >> 8;
  header[1] = GssTokenId.MIC & 0xff;
  header[2] = flagsOf(s, false);
  header.fill(FILLER, 3, 8);
  writeSeq(header, seq);
  const cksum = makeChecksum(
    checksumTypeOf(s.key.etype),
    s.key,
    usageOf(s.acceptor, false),
    concat(message, header),
  );
  return concat(header, cksum);
}

/** Verifies a MIC token over `message`; returns its sequence number. IntegrityError when the checksum fails. */
export function cfxVerifyMic(r: CfxReceiver, message: Uint8Array, token: Uint8Array): number {
  const flags = checkHeader(r, token, GssTokenId.MIC, 'MIC');
  for (let i = 3; i < 8; i++)
    if (token[i] !== FILLER) throw new ProtocolError('MIC token filler is not ff', { check: 'filler' });
  const key = r.keyFor((flags & TokenFlag.ACCEPTOR_SUBKEY) !== 0);
  const type = checksumTypeOf(key.etype);
  const header = token.subarray(0, HEADER_LENGTH);
  const cksum = token.subarray(HEADER_LENGTH);
  if (cksum.length !== checksumSize(type))
    throw new IntegrityError('MIC token checksum has the wrong length');
  if (!verifyChecksum(type, key, usageOf(!r.acceptor, false), concat(message, header), cksum))
    throw new IntegrityError('MIC token checksum does not verify (wrong key, or message or token altered)');
  return readSeq(header);
}

/** Options of {@link cfxWrap}. */
export interface CfxWrapOptions {
  /** Encrypt (Sealed) or only checksum. */
  readonly conf: boolean;
  /** Right rotation count to apply (default 0; Windows uses 28 for sealed AES tokens). */
  readonly rrc?: number | undefined;
  /** Filler bytes in a sealed token (default 0). */
  readonly ec?: number | undefined;
  readonly random?: RandomSource | undefined;
}

function rotateRight(b: Uint8Array, n: number): Uint8Array {
  if (b.length === 0) return b;
  const k = n % b.length;
  return k === 0 ? b : concat(b.subarray(b.length - k), b.subarray(0, b.length - k));
}

function rotateLeft(b: Uint8Array, n: number): Uint8Array {
  if (b.length === 0) return b;
  const k = n % b.length;
  return k === 0 ? b : concat(b.subarray(k), b.subarray(0, k));
}

function wrapHeader(s: CfxSender, sealed: boolean, seq: number, ec: number, rrc: number): Uint8Array {
  const h = new Uint8Array(HEADER_LENGTH);
  h[0] = GssTokenId.WRAP >> 8;
  h[1] = GssTokenId.WRAP & 0xff;
  h[2] = flagsOf(s, sealed);
  h[3] = FILLER;
  h[4] = ec >> 8;
  h[5] = ec & 0xff;
  h[6] = rrc >> 8;
  h[7] = rrc & 0xff;
  writeSeq(h, seq);
  return h;
}

/** A Wrap token (RFC 4121 4.2.6.2, 4.2.4): sealed, E(message || filler || header), or message || checksum. */
export function cfxWrap(s: CfxSender, seq: number, message: Uint8Array, o: CfxWrapOptions): Uint8Array {
  const rrc = o.rrc ?? 0;
  if (!Number.isInteger(rrc) || rrc < 0 || rrc > 0xffff) throw new ProtocolError('RRC must be 0..65535');
  const usage = usageOf(s.acceptor, true);
  if (o.conf) {
    const ec = o.ec ?? 0;
    if (!Number.isInteger(ec) || ec < 0 || ec > 0xffff) throw new ProtocolError('EC must be 0..65535');
    const inner = wrapHeader(s, true, seq, ec, 0);
    const cipher = encrypt(s.key, usage, concat(message, new Uint8Array(ec).fill(FILLER), inner), {
      random: o.random,
    });
    return concat(wrapHeader(s, true, seq, ec, rrc), rotateRight(cipher, rrc));
  }
  const type = checksumTypeOf(s.key.etype);
  // The checksum covers the header with EC and RRC zero (RFC 4121 4.2.4); EC then holds the checksum length.
  const cksum = makeChecksum(type, s.key, usage, concat(message, wrapHeader(s, false, seq, 0, 0)));
  return concat(wrapHeader(s, false, seq, cksum.length, rrc), rotateRight(concat(message, cksum), rrc));
}

/** The message of a Wrap token and its sequence number. IntegrityError when decryption or the checksum fails. */
export function cfxUnwrap(
  r: CfxReceiver,
  token: Uint8Array,
): { message: Uint8Array; conf: boolean; seq: number } {
  const flags = checkHeader(r, token, GssTokenId.WRAP, 'Wrap');
  if (token[3] !== FILLER) throw new ProtocolError('Wrap token filler is not ff', { check: 'filler' });
  const header = token.subarray(0, HEADER_LENGTH);
  const ec = (token[4]! << 8) | token[5]!;
  const rrc = (token[6]! << 8) | token[7]!;
  const seq = readSeq(header);
  const key = r.keyFor((flags & TokenFlag.ACCEPTOR_SUBKEY) !== 0);
  const usage = usageOf(!r.acceptor, true);
  // Any RRC is accepted (Windows sends 28 for sealed AES tokens): undo the rotation first.
  const data = rotateLeft(token.subarray(HEADER_LENGTH), rrc);
  if (flags & TokenFlag.SEALED) {
    const plain = decrypt(key, usage, data);
    if (plain.length < ec + HEADER_LENGTH)
      throw new IntegrityError(
        `sealed Wrap token: ${plain.length} bytes decrypted, EC ${ec} + header needed`,
      );
    const inner = plain.subarray(plain.length - HEADER_LENGTH);
    // The encrypted copy repeats the header but for RRC (RFC 4121 4.2.4). EC is compared too, as Heimdal does:
    // the outer EC is not authenticated otherwise, and it says how many bytes to strip.
    if (
      !bytesEqual(inner.subarray(0, 6), header.subarray(0, 6)) ||
      !bytesEqual(inner.subarray(8), header.subarray(8))
    )
      throw new IntegrityError('sealed Wrap token: the encrypted header differs from the token header');
    return { message: plain.slice(0, plain.length - HEADER_LENGTH - ec), conf: true, seq };
  }
  const type = checksumTypeOf(key.etype);
  if (ec !== checksumSize(type))
    throw new ProtocolError(`Wrap token EC ${ec} is not the checksum length ${checksumSize(type)}`, {
      check: 'token-length',
    });
  if (data.length < ec)
    throw new ProtocolError('Wrap token shorter than its checksum', { check: 'token-length' });
  const message = data.subarray(0, data.length - ec);
  const zeroed = header.slice();
  zeroed.fill(0, 4, 8);
  if (!verifyChecksum(type, key, usage, concat(message, zeroed), data.subarray(data.length - ec)))
    throw new IntegrityError('Wrap token checksum does not verify (wrong key, or message or token altered)');
  return { message: message.slice(), conf: false, seq };
}
