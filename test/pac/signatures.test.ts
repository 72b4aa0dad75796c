import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Key, KeyUsage, makeChecksum } from '../../src/crypto/index.js';
import { PacDecodeError } from '../../src/errors.js';
import { ticketChecksumData } from '../../src/pac/authorization-data.js';
import { PacBufferType } from '../../src/pac/constants.js';
import { decodePac } from '../../src/pac/pac.js';
import { decodeSignature, verifyPac } from '../../src/pac/signatures.js';
import { fromHex } from '../../src/util/bytes.js';
import { extraLogonInfoBytes, key, openTicket, savedPac, savedPacBytes, ticketCases } from './helpers.js';
import {
  buildPac,
  encodeClientInfo,
  encodeValidationInfo,
  signaturePlaceholder,
  signPac,
} from './ndr-writer.js';

const serverKey = key(savedPac.serverKey);
const kdcKey = key(savedPac.kdcKey!);

/** Decodes and verifies; a PacDecodeError counts as "not verified". */
function verifiedAfterDecode(bytes: Uint8Array, opts: Parameters<typeof verifyPac>[1]): boolean {
  try {
    return verifyPac(decodePac(bytes), opts).verified;
  } catch (e) {
    if (e instanceof PacDecodeError) return false;
    throw e;
  }
}

describe('PAC_SIGNATURE_DATA (MS-PAC 2.8)', () => {
  it.each([
    ['HMAC-MD5', '76ffffff 00112233445566778899aabbccddeeff', -138, 16, undefined],
    ['HMAC-SHA1-96-AES256', '10000000 00112233445566778899aabb', 16, 12, undefined],
    ['with an RODCIdentifier', '76ffffff 00112233445566778899aabbccddeeff 51b6', -138, 16, 46673],
  ])('%s', (_name, hex, type, length, rodc) => {
    const sig = decodeSignature(fromHex(hex));
    expect(sig.signatureType).toBe(type);
    expect(sig.signature.length).toBe(length);
    expect(sig.rodcIdentifier).toBe(rodc);
  });

  it('rejects a known-type signature that is too short or has junk after it', () => {
    expect(() => decodeSignature(fromHex('10000000 0011'))).toThrow(PacDecodeError);
    expect(() => decodeSignature(fromHex('10000000 00112233445566778899aabb 00'))).toThrow(PacDecodeError);
  });
});

describe('verifyPac with the published vectors', () => {
  it('saved_pac: server and KDC signatures verify (HMAC-MD5, usage 17)', () => {
    const v = verifyPac(decodePac(savedPacBytes), { serverKeys: serverKey, kdcKeys: kdcKey });
    expect(v.server.status).toBe('valid');
    expect(v.kdc.status).toBe('valid');
    expect(v.ticket.status).toBe('not-checkable');
    expect(v.full.status).toBe('not-checkable');
    expect(v.verified).toBe(true);
  });

  it.each(ticketCases)('$name: server, KDC and ticket signatures', (c) => {
    const { encTicketPart, pacBytes } = openTicket(c);
    const pac = decodePac(pacBytes);
    const v = verifyPac(pac, {
      serverKeys: c.ticketKey,
      kdcKeys: c.kdcKey,
      ticketChecksumData: ticketChecksumData(encTicketPart),
    });
    expect(v.server.status).toBe('valid');
    expect(v.kdc.status).toBe('valid');
    // MS-PAC 2.8.3: tickets to krbtgt carry no ticket signature.
    expect(v.ticket.status).toBe(c.isTgt ? 'not-checkable' : 'valid');
    expect(v.verified).toBe(true);
    expect(pac.kdcChecksum?.signatureType).toBe(-138);
    expect(pac.kdcChecksum?.rodcIdentifier).toBe(c.rodcIdentifier);
  });

  it.each(ticketCases)('$name: ticket data given as a function, made only when a KDC key checks it', (c) => {
    const { encTicketPart, pacBytes } = openTicket(c);
    let made = 0;
    const lazy = () => {
      made++;
      return ticketChecksumData(encTicketPart);
    };
    const pac = decodePac(pacBytes);
    expect(verifyPac(pac, { serverKeys: c.ticketKey, ticketChecksumData: lazy }).verified).toBe(true);
    expect(made).toBe(0);
    const v = verifyPac(pac, { serverKeys: c.ticketKey, kdcKeys: c.kdcKey, ticketChecksumData: lazy });
    expect(v.ticket.status).toBe(c.isTgt ? 'not-checkable' : 'valid');
    expect(made).toBe(c.isTgt ? 0 : 1);
  });

  it('a ticket signature over other ticket data is invalid', () => {
    const c = ticketCases.find((t) => t.name === 'service_ticket')!;
    const { encTicketPart, pacBytes } = openTicket(c);
    const data = ticketChecksumData({ ...encTicketPart, crealm: 'EVIL.COM' });
    const v = verifyPac(decodePac(pacBytes), {
      serverKeys: c.ticketKey,
      kdcKeys: c.kdcKey,
      ticketChecksumData: data,
    });
    expect(v.ticket.status).toBe('invalid');
    expect(v.verified).toBe(false);
  });
});

describe('flipping any byte of a signed PAC', () => {
  it('saved_pac: every single-byte change fails decoding or verification', () => {
    for (let i = 0; i < savedPacBytes.length; i++) {
      const bytes = savedPacBytes.slice();
      bytes[i]! ^= 0x01;
      expect(verifiedAfterDecode(bytes, { serverKeys: serverKey, kdcKeys: kdcKey }), `byte ${i}`).toBe(false);
    }
  });

  it('saved_pac: any change of any byte (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: savedPacBytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const bytes = savedPacBytes.slice();
        bytes[i]! ^= x;
        expect(verifiedAfterDecode(bytes, { serverKeys: serverKey, kdcKeys: kdcKey })).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it.each(ticketCases.filter((c) => c.name === 's4u2self_ticket' || c.name === 's4u2proxy_rodc'))(
    '$name: every single-byte change fails, except in the RODCIdentifier no signature covers',
    (c) => {
      const { encTicketPart, pacBytes } = openTicket(c);
      const opts = {
        serverKeys: c.ticketKey,
        kdcKeys: c.kdcKey,
        ticketChecksumData: ticketChecksumData(encTicketPart),
      };
      expect(verifiedAfterDecode(pacBytes, opts)).toBe(true);
      // MS-PAC 2.8: the KDC buffer is zeroed after SignatureType for the server signature, and the KDC
      // signature covers only the server signature, so the RODCIdentifier trailer is signed by nothing.
      const kdc = decodePac(pacBytes).infoBuffers.find((b) => b.ulType === PacBufferType.KdcChecksum)!;
      const rodcStart =
        c.rodcIdentifier === undefined ? Number.POSITIVE_INFINITY : kdc.offset + kdc.cbBufferSize - 2;
      for (let i = 0; i < pacBytes.length; i++) {
        const bytes = pacBytes.slice();
        bytes[i]! ^= 0x80;
        const unsigned = i >= rodcStart && i < kdc.offset + kdc.cbBufferSize;
        expect(verifiedAfterDecode(bytes, opts), `byte ${i}`).toBe(unsigned);
      }
    },
  );
});

describe('verifyPac statuses', () => {
  const pac = decodePac(savedPacBytes);
  const otherRc4 = new Key(23, fromHex('00112233445566778899aabbccddeeff'));
  const aes = new Key(18, new Uint8Array(32));

  it('no keys: nothing is checkable and the PAC is not verified', () => {
    const v = verifyPac(decodePac(extraLogonInfoBytes), {});
    expect([v.server.status, v.kdc.status, v.ticket.status, v.full.status]).toEqual(
      Array(4).fill('not-checkable'),
    );
    expect(v.verified).toBe(false);
  });

  it('a wrong server key: invalid', () => {
    const v = verifyPac(pac, { serverKeys: otherRc4 });
    expect(v.server.status).toBe('invalid');
    expect(v.verified).toBe(false);
  });

  it('several keys: the one that fits verifies', () => {
    expect(verifyPac(pac, { serverKeys: [aes, otherRc4, serverKey] }).server.status).toBe('valid');
  });

  it('a valid server signature with an invalid KDC signature is not verified', () => {
    const v = verifyPac(pac, { serverKeys: serverKey, kdcKeys: otherRc4 });
    expect(v.server.status).toBe('valid');
    expect(v.kdc.status).toBe('invalid');
    expect(v.verified).toBe(false);
  });

  it('an AES signature with only an RC4 key given: not checkable', () => {
    const aesPac = signPac(
      buildPac([
        { type: PacBufferType.ClientInfo, data: encodeClientInfo(0n, 'alice') },
        { type: PacBufferType.ServerChecksum, data: signaturePlaceholder(16, 12) },
        { type: PacBufferType.KdcChecksum, data: signaturePlaceholder(16, 12) },
      ]),
      aes,
      aes,
      16,
    );
    expect(verifyPac(decodePac(aesPac), { serverKeys: aes }).server.status).toBe('valid');
    expect(verifyPac(decodePac(aesPac), { serverKeys: otherRc4 }).server.status).toBe('not-checkable');
  });

  it('an unkeyed checksum type (SHA-1) is never accepted, even when the hash is right', () => {
    const unsigned = buildPac([
      { type: PacBufferType.ClientInfo, data: encodeClientInfo(0n, 'alice') },
      { type: PacBufferType.ServerChecksum, data: signaturePlaceholder(14, 20) },
      { type: PacBufferType.KdcChecksum, data: signaturePlaceholder(14, 20) },
    ]);
    const sha1 = makeChecksum(14, serverKey, KeyUsage.PacSignature, unsigned);
    const forged = unsigned.slice();
    forged.set(sha1, decodePac(unsigned).infoBuffers[1]!.offset + 4);
    const v = verifyPac(decodePac(forged), { serverKeys: serverKey });
    expect(v.server.status).toBe('invalid');
    expect(v.verified).toBe(false);
  });

  it('the full PAC signature (19): computed with all signatures zeroed, covered by the server signature', () => {
    const signed = signPac(
      buildPac([
        {
          type: PacBufferType.LogonInfo,
          data: encodeValidationInfo({
            effectiveName: 'alice',
            logonServer: 'DC1',
            logonDomainName: 'EXAMPLE',
            logonDomainId: 'S-1-5-21-1-2-3',
            userId: 1104,
            primaryGroupId: 513,
            groupIds: [{ relativeId: 513, attributes: 7 }],
            userFlags: 0x20,
            extraSids: [{ sid: 'S-1-18-1', attributes: 7 }],
          }),
        },
        { type: PacBufferType.ClientInfo, data: encodeClientInfo(0n, 'alice') },
        { type: PacBufferType.FullChecksum, data: signaturePlaceholder(-138, 16) },
        { type: PacBufferType.ServerChecksum, data: signaturePlaceholder(-138, 16) },
        { type: PacBufferType.KdcChecksum, data: signaturePlaceholder(-138, 16) },
      ]),
      serverKey,
      kdcKey,
    );
    const v = verifyPac(decodePac(signed), { serverKeys: serverKey, kdcKeys: kdcKey });
    expect([v.server.status, v.kdc.status, v.full.status, v.verified]).toEqual([
      'valid',
      'valid',
      'valid',
      true,
    ]);
    const fullAt = decodePac(signed).infoBuffers[2]!.offset + 4;
    const tampered = signed.slice();
    tampered[fullAt]! ^= 1;
    const t = verifyPac(decodePac(tampered), { serverKeys: serverKey, kdcKeys: kdcKey });
    expect([t.server.status, t.full.status, t.verified]).toEqual(['invalid', 'invalid', false]);
  });
});
