import { execFileSync } from 'node:child_process';
import { createHash, getDiffieHellman } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeAuthPack,
  decodePaPkAsReq,
  encodeKdcDhKeyInfo,
  encodePaPkAsRep,
  PaDataType,
} from '../../src/asn1/index.js';
import { FormatError, IntegrityError, ProtocolError } from '../../src/errors.js';
import { dhKeyPair, MODP_GROUP_14 } from '../../src/fast/dh.js';
import { derUnsigned, dhAgreement, dhSubjectPublicKeyInfo } from '../../src/fast/key-agreement.js';
import { makeAnonymousPkAsReq, octetString2Key, openPkAsRep } from '../../src/fast/pkinit.js';
import { concat, toHex } from '../../src/util/bytes.js';
import { counterRandom } from './spec.js';

const REALM = 'TEST.REALM';
const dir = mkdtempSync(join(tmpdir(), 'tskrb-fast-pkinit-'));
const sha1 = (b: Uint8Array) => new Uint8Array(createHash('sha1').update(b).digest());
const ab = (b: Uint8Array) => b.slice().buffer as ArrayBuffer;

const EXT = `
[kdc_ext]
basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=1.3.6.1.5.2.3.5
subjectAltName=otherName:1.3.6.1.5.2.2;SEQUENCE:kdc_princ_name
[kdc_princ_name]
realm=EXP:0,GeneralString:${REALM}
principal_name=EXP:1,SEQUENCE:kdc_principal_seq
[kdc_principal_seq]
name_type=EXP:0,INTEGER:2
name_string=EXP:1,SEQUENCE:kdc_principals
[kdc_principals]
princ1=GeneralString:krbtgt
princ2=GeneralString:${REALM}
`;

function ossl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA (RSA 2048, self-signed) named `name`. */
function makeCa(name: string): void {
  ossl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  );
}

// The KDC's side of the exchange, done with OpenSSL (node:crypto DH, `openssl cms -sign`): independent of src/fast.
const kdcDh = getDiffieHellman('modp14');
kdcDh.generateKeys();

function kdcReply(clientY: bigint, nonce: number, signer = 'kdc'): Uint8Array {
  const yInt = new asn1js.Integer({
    valueHex: ab(concat(Uint8Array.of(0), new Uint8Array(kdcDh.getPublicKey()))),
  });
  const info = encodeKdcDhKeyInfo({ subjectPublicKey: new Uint8Array(yInt.toBER()), nonce });
  writeFileSync(join(dir, 'info.der'), info);
  ossl(
    'cms',
    '-sign',
    '-binary',
    '-nodetach',
    '-nosmimecap',
    '-outform',
    'DER',
    '-econtent_type',
    '1.3.6.1.5.2.3.2',
    '-in',
    'info.der',
    '-signer',
    `${signer}.pem`,
    '-inkey',
    `${signer}.key`,
    '-out',
    'signed.der',
  );
  expect(clientY > 0n).toBe(true);
  return encodePaPkAsRep({ dhInfo: { dhSignedData: new Uint8Array(readFileSync(join(dir, 'signed.der'))) } });
}

function expectedKey(clientY: bigint, size: number): string {
  const z = new Uint8Array(kdcDh.computeSecret(Buffer.from(clientY.toString(16).padStart(512, '0'), 'hex')));
  const padded = concat(new Uint8Array(256 - z.length), z);
  return toHex(
    concat(sha1(concat(Uint8Array.of(0), padded)), sha1(concat(Uint8Array.of(1), padded))).slice(0, size),
  );
}

beforeAll(() => {
  writeFileSync(join(dir, 'ext.cnf'), EXT);
  makeCa('ca');
  makeCa('otherca');
  ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'kdc.key', '-out', 'kdc.csr', '-subj', '/CN=kdc');
  ossl(
    'x509',
    '-req',
    '-in',
    'kdc.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'kdc.pem',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
    '-extensions',
    'kdc_ext',
  );
});

describe('anonymous PA-PK-AS-REQ (RFC 8062 4.1, RFC 4556 3.2.1)', () => {
  it('an unsigned SignedData over the AuthPack: paChecksum = SHA-1(req-body), DH public value in group 14', () => {
    const kp = dhKeyPair(MODP_GROUP_14, counterRandom(9));
    const body = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x05);
    const now = new Date(Date.UTC(2026, 10, 23, 11, 0, 0));
    const pa = makeAnonymousPkAsReq({
      reqBodyBytes: body,
      nonce: 0xfeedbeef,
      now,
      usec: 42,
      agreement: dhAgreement(kp),
    });
    expect(pa.padataType).toBe(16);
    const req = decodePaPkAsReq(pa.padataValue);
    const ci = pkijs.ContentInfo.fromBER(ab(req.signedAuthPack));
    expect(ci.contentType).toBe('1.2.840.113549.1.7.2');
    const sd = new pkijs.SignedData({ schema: ci.content });
    expect(sd.signerInfos).toHaveLength(0);
    expect(sd.certificates ?? []).toHaveLength(0);
    expect(sd.encapContentInfo.eContentType).toBe('1.3.6.1.5.2.3.1');
    const ap = decodeAuthPack(new Uint8Array(sd.encapContentInfo.eContent!.getValue()));
    expect(ap.pkAuthenticator.nonce).toBe(0xfeedbeef);
    expect(ap.pkAuthenticator.ctime).toEqual(now);
    expect(ap.pkAuthenticator.cusec).toBe(42);
    expect(toHex(ap.pkAuthenticator.paChecksum!)).toBe(toHex(sha1(body)));
    const spki = pkijs.PublicKeyInfo.fromBER(ab(ap.clientPublicValue!));
    expect(spki.algorithm.algorithmId).toBe('1.2.840.10046.2.1');
    const params = (spki.algorithm.algorithmParams as asn1js.Sequence).valueBlock.value as asn1js.Integer[];
    const big = (i: asn1js.Integer) => BigInt(`0x${toHex(new Uint8Array(i.valueBlock.valueHexView))}`);
    expect(big(params[0]!)).toBe(BigInt(`0x${toHex(new Uint8Array(kdcDh.getPrime()))}`));
    expect(big(params[1]!)).toBe(2n);
    expect(big(params[2]!)).toBe((big(params[0]!) - 1n) / 2n);
    const y = asn1js.fromBER(spki.subjectPublicKey.valueBlock.valueHexView).result as asn1js.Integer;
    expect(big(y)).toBe(kp.y);
  });
});

describe('DER INTEGERs of the DH domain parameters (X.690 8.3.2: minimal encoding)', () => {
  it.each([
    [0n, '00'],
    [2n, '02'],
    [0x7fn, '7f'],
    [0x80n, '0080'],
    [0xff01n, '00ff01'],
  ])('%i -> %s', (n, hex) => {
    expect(toHex(derUnsigned(n))).toBe(hex);
  });

  it('g is 02 01 02 and q (top byte 0x7f) has no padding byte, whatever y is', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const der = toHex(dhSubjectPublicKeyInfo(dhKeyPair(MODP_GROUP_14, counterRandom(seed))));
      expect(der).toContain('020102028201007fffffff');
      const spki = pkijs.PublicKeyInfo.fromBER(
        ab(dhSubjectPublicKeyInfo(dhKeyPair(MODP_GROUP_14, counterRandom(seed)))),
      );
      const y = new Uint8Array(spki.subjectPublicKey.valueBlock.valueHexView);
      // 02 82 01 0x: a 256-byte value with its high bit clear, or 257 bytes starting 00 then a high bit.
      expect(y[4] === 0 ? (y[5]! & 0x80) !== 0 : (y[4]! & 0x80) === 0).toBe(true);
    }
  });
});

describe('octetstring2key (RFC 4556 3.2.3.1)', () => {
  it.each([
    [17, 16],
    [18, 32],
  ])('etype %i: K-truncate(SHA1(0x00|x) | SHA1(0x01|x)) to %i bytes', (etype, size) => {
    const x = Uint8Array.from({ length: 256 }, (_, i) => (i * 7) & 0xff);
    const want = toHex(
      concat(sha1(concat(Uint8Array.of(0), x)), sha1(concat(Uint8Array.of(1), x))).slice(0, size),
    );
    expect(octetString2Key(etype, x).toHex()).toBe(want);
  });
});

describe('PA-PK-AS-REP with DH (RFC 4556 3.2.3)', () => {
  const kp = dhKeyPair(MODP_GROUP_14, counterRandom(77));
  const open = (padataValue: Uint8Array, over: Partial<Parameters<typeof openPkAsRep>[0]> = {}) =>
    openPkAsRep({
      padata: [{ padataType: PaDataType.PK_AS_REP, padataValue }],
      agreement: dhAgreement(kp),
      nonce: 1234,
      etype: 18,
      realm: REALM,
      now: new Date(),
      ...over,
    });

  it('verified against the CA: the reply key is octetstring2key of the OpenSSL-computed secret', async () => {
    const r = await open(kdcReply(kp.y, 1234), { trustAnchors: [readFileSync(join(dir, 'ca.pem'), 'utf8')] });
    expect(r.verified).toBe(true);
    expect(r.kdcCertificate).toBeDefined();
    expect(r.replyKey.toHex()).toBe(expectedKey(kp.y, 32));
  });

  it('without trust anchors the key is derived but the KDC is not authenticated', async () => {
    const r = await open(kdcReply(kp.y, 1234), { etype: 17 });
    expect(r.verified).toBe(false);
    expect(r.replyKey.toHex()).toBe(expectedKey(kp.y, 16));
  });

  it('a KDC certificate from another CA is refused', async () => {
    const err = await open(kdcReply(kp.y, 1234), {
      trustAnchors: [readFileSync(join(dir, 'otherca.pem'), 'utf8')],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrityError);
  });

  it('a DER CA certificate works as a trust anchor; garbage is a FormatError', async () => {
    ossl('x509', '-in', 'ca.pem', '-outform', 'DER', '-out', 'ca.der');
    const r = await open(kdcReply(kp.y, 1234), {
      trustAnchors: [new Uint8Array(readFileSync(join(dir, 'ca.der')))],
    });
    expect(r.verified).toBe(true);
    await expect(
      open(kdcReply(kp.y, 1234), { trustAnchors: [Uint8Array.of(1, 2, 3)] }),
    ).rejects.toBeInstanceOf(FormatError);
  });

  it('a KDC certificate for another realm is refused (id-pkinit-san names krbtgt/REALM)', async () => {
    const err = await open(kdcReply(kp.y, 1234), {
      realm: 'OTHER.REALM',
      trustAnchors: [readFileSync(join(dir, 'ca.pem'), 'utf8')],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    expect(String(err)).toMatch(/krbtgt\/TEST.REALM@TEST.REALM/);
  });

  it('a reply for another nonce is refused; a missing PA-PK-AS-REP is a ProtocolError', async () => {
    await expect(open(kdcReply(kp.y, 999))).rejects.toBeInstanceOf(IntegrityError);
    await expect(
      openPkAsRep({
        padata: [],
        agreement: dhAgreement(kp),
        nonce: 1,
        etype: 18,
        realm: REALM,
        now: new Date(),
      }),
    ).rejects.toBeInstanceOf(ProtocolError);
  });
});
