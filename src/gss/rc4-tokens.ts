/**
 * RFC 4757 7.2 and 7.3 per-message tokens of rc4-hmac contexts, in the RFC 1964 layout with the mechanism framing:
 * HMAC-MD5 checksums (usage 15 for MIC, 13 for Wrap) truncated to 8 bytes, the sequence number (big-endian) and the
 * direction (00 from the initiator, ff from the acceptor) RC4-encrypted under a key from the checksum, and for
 * sealing an RC4 key from Klocal (key XOR F0) and the sequence number. As MIT and Windows send them.
 */
import { ChecksumType, hmac, type Key, makeChecksum, rc4 } from '../crypto/index.js';
import { IntegrityError, ProtocolError } from '../errors.js';
import { concat, constantTimeEqual } from '../util/bytes.js';
import { defaultRandom, type RandomSource } from '../util/env.js';
import { GssTokenId, Rc4Alg } from './constants.js';
import { decodeKrb5Token, encodeKrb5Token } from './framing.js';

/** Microsoft message types of the checksums (RFC 4757 7.2, 7.3). */
const Rc4Usage = { MIC: 15, WRAP: 13 } as const;
const CKSUM_LENGTH = 8;
const CONFOUNDER_LENGTH = 8;
/** Bytes after TOK_ID: SGN_ALG, SEAL_ALG or filler, filler, SND_SEQ, SGN_CKSUM. */
const MIC_BODY_LENGTH = 22;
const WRAP_HEAD_LENGTH = 30;
const ZERO4 = new Uint8Array(4);

/** HMAC-MD5(HMAC-MD5(key, 0^4), data): the RC4 key of SND_SEQ and, from Klocal, of the sealed data. */
function rc4Key(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac('md5', hmac('md5', key, ZERO4), data);
}

function header8(tokId: number, sealAlg: number): Uint8Array {
  const h = new Uint8Array(8).fill(0xff);
  h[0] = tokId >> 8;
  h[1] = tokId & 0xff;
  h[2] = Rc4Alg.SGN_HMAC_MD5 & 0xff;
  h[3] = Rc4Alg.SGN_HMAC_MD5 >> 8;
  if (tokId === GssTokenId.RC4_WRAP) {
    h[4] = sealAlg & 0xff;
    h[5] = sealAlg >> 8;
  }
  return h;
}

function seqPlain(seq: number, acceptor: boolean): Uint8Array {
  const b = new Uint8Array(8).fill(acceptor ? 0xff : 0);
  new DataView(b.buffer).setUint32(0, seq >>> 0);
  return b;
}

function cksumOf(key: Key, usage: number, data: Uint8Array): Uint8Array {
  return makeChecksum(ChecksumType.HMAC_MD5, key, usage, data).subarray(0, CKSUM_LENGTH);
}

/** The sequence number of SND_SEQ after checking its direction bytes (`direction` when the peer is not the sender). */
function openSeq(key: Key, sndSeq: Uint8Array, cksum: Uint8Array, weAreAcceptor: boolean): number {
  const plain = rc4(rc4Key(key.bytes, cksum), sndSeq);
  const expected = weAreAcceptor ? 0 : 0xff;
  for (let i = 4; i < 8; i++) {
    if (plain[i] !== expected)
      throw new ProtocolError('RFC 4757 token has the wrong direction (a reflected or misdirected token)', {
        check: 'direction',
      });
  }
  return new DataView(plain.buffer, plain.byteOffset).getUint32(0);
}

function checkSgnAlg(body: Uint8Array): void {
  if (body[0] !== (Rc4Alg.SGN_HMAC_MD5 & 0xff) || body[1] !== Rc4Alg.SGN_HMAC_MD5 >> 8)
    throw new ProtocolError(`RFC 4757 token SGN_ALG ${body[0]} ${body[1]} is not HMAC-MD5`, {
      check: 'sgn-alg',
    });
}

/** A MIC token (RFC 4757 7.2) over `message`. */
export function rc4GetMic(key: Key, acceptor: boolean, seq: number, message: Uint8Array): Uint8Array {
  const h = header8(GssTokenId.RC4_MIC, 0);
  const cksum = cksumOf(key, Rc4Usage.MIC, concat(h, message));
  const sndSeq = rc4(rc4Key(key.bytes, cksum), seqPlain(seq, acceptor));
  return encodeKrb5Token(GssTokenId.RC4_MIC, concat(h.subarray(2), sndSeq, cksum));
}

/** Verifies an RFC 4757 MIC token; returns its sequence number. */
export function rc4VerifyMic(
  key: Key,
  weAreAcceptor: boolean,
  message: Uint8Array,
  token: Uint8Array,
): number {
  const { body } = decodeKrb5Token(token, [GssTokenId.RC4_MIC]);
  if (body.length !== MIC_BODY_LENGTH)
    throw new ProtocolError(`RFC 4757 MIC token body of ${body.length} bytes`, { check: 'token-length' });
  checkSgnAlg(body);
  for (let i = 2; i < 6; i++)
    if (body[i] !== 0xff) throw new ProtocolError('RFC 4757 MIC filler is not ff', { check: 'filler' });
  const cksum = body.subarray(14, 22);
  const expected = cksumOf(key, Rc4Usage.MIC, concat(header8(GssTokenId.RC4_MIC, 0), message));
  if (!constantTimeEqual(expected, cksum))
    throw new IntegrityError(
      'RFC 4757 MIC checksum does not verify (wrong key, or message or token altered)',
    );
  return openSeq(key, body.subarray(6, 14), cksum, weAreAcceptor);
}

/** A Wrap token (RFC 4757 7.3): confounder and message with one byte of padding, RC4-sealed when `conf`. */
export function rc4Wrap(
  key: Key,
  acceptor: boolean,
  seq: number,
  message: Uint8Array,
  o: { conf: boolean; random?: RandomSource | undefined },
): Uint8Array {
  const h = header8(GssTokenId.RC4_WRAP, o.conf ? Rc4Alg.SEAL_RC4 : Rc4Alg.SEAL_NONE);
  const confounder = (o.random ?? defaultRandom)(CONFOUNDER_LENGTH);
  const data = concat(message, Uint8Array.of(1));
  const cksum = cksumOf(key, Rc4Usage.WRAP, concat(h, confounder, data));
  const plainSeq = seqPlain(seq, acceptor);
  let sealed = concat(confounder, data);
  if (o.conf) sealed = rc4(rc4Key(klocal(key), plainSeq.subarray(0, 4)), sealed);
  const sndSeq = rc4(rc4Key(key.bytes, cksum), plainSeq);
  return encodeKrb5Token(GssTokenId.RC4_WRAP, concat(h.subarray(2), sndSeq, cksum, sealed));
}

function klocal(key: Key): Uint8Array {
  return key.bytes.map((b) => b ^ 0xf0);
}

/** The message of an RFC 4757 Wrap token and its sequence number. */
export function rc4Unwrap(
  key: Key,
  weAreAcceptor: boolean,
  token: Uint8Array,
): { message: Uint8Array; conf: boolean; seq: number } {
  const { body } = decodeKrb5Token(token, [GssTokenId.RC4_WRAP]);
  if (body.length < WRAP_HEAD_LENGTH + 1)
    throw new ProtocolError(`RFC 4757 Wrap token body of ${body.length} bytes`, { check: 'token-length' });
  checkSgnAlg(body);
  const sealAlg = body[2]! | (body[3]! << 8);
  if (sealAlg !== Rc4Alg.SEAL_RC4 && sealAlg !== Rc4Alg.SEAL_NONE)
    throw new ProtocolError(`RFC 4757 Wrap SEAL_ALG ${sealAlg.toString(16)} is not RC4 or none`, {
      check: 'seal-alg',
    });
  if (body[4] !== 0xff || body[5] !== 0xff)
    throw new ProtocolError('RFC 4757 Wrap filler is not ff', { check: 'filler' });
  const cksum = body.subarray(14, 22);
  const seq = openSeq(key, body.subarray(6, 14), cksum, weAreAcceptor);
  const conf = sealAlg === Rc4Alg.SEAL_RC4;
  const peerSeq = seqPlain(seq, !weAreAcceptor).subarray(0, 4);
  const clear = conf ? rc4(rc4Key(klocal(key), peerSeq), body.subarray(22)) : body.subarray(22);
  const h = header8(GssTokenId.RC4_WRAP, sealAlg);
  if (!constantTimeEqual(cksumOf(key, Rc4Usage.WRAP, concat(h, clear)), cksum))
    throw new IntegrityError(
      'RFC 4757 Wrap checksum does not verify (wrong key, or message or token altered)',
    );
  const data = clear.subarray(CONFOUNDER_LENGTH);
  const pad = data[data.length - 1]!;
  if (pad < 1 || pad > 8 || pad > data.length || data.subarray(data.length - pad).some((b) => b !== pad))
    throw new ProtocolError('RFC 4757 Wrap padding is malformed', { check: 'padding' });
  return { message: data.slice(0, data.length - pad), conf, seq };
}
