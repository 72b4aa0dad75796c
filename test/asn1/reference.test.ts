/** Every asn1-reference.json row with a value: encode(value) == der and decode(der) deep-equals value. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/util/bytes.js';
import { CODECS, PKINIT_CODECS } from './codecs.js';
import { jsonToValue, SCHEMAS } from './reference-schema.js';

interface Row {
  mitName: string;
  type: string;
  variant: string;
  der: string;
  asn1Type?: string;
  value?: unknown;
}

const rows: Row[] = JSON.parse(
  readFileSync(new URL('../vectors/asn1-reference.json', import.meta.url), 'utf8'),
);

const label = (r: Row): string =>
  r.variant ? `${r.asn1Type ?? r.type} (${r.variant})` : (r.asn1Type ?? r.type);
const withValue = rows.filter((r) => r.value !== undefined).map((r) => [label(r), r] as const);

describe('asn1-reference.json rows with a value', () => {
  it('has the 56 rows the README announces', () => {
    expect(withValue).toHaveLength(56);
  });

  it.each(withValue)('%s: encode(value) is the reference DER', (_, r) => {
    const [, encode] = CODECS[r.asn1Type!]!;
    const value = jsonToValue(SCHEMAS[r.asn1Type!]!, r.value);
    expect(toHex(encode(value as never))).toBe(r.der);
  });

  it.each(withValue)('%s: decode(der) is the reference value', (_, r) => {
    const [decode] = CODECS[r.asn1Type!]!;
    expect(decode(fromHex(r.der))).toEqual(jsonToValue(SCHEMAS[r.asn1Type!]!, r.value));
  });
});

// PKINIT rows carry no `value`; these expectations are read off MIT's trval dumps (ktest.c uses "krb5data"
// for every opaque field; its OID 6b72…61 reads as 2.27.114.98.53.100.97.116.97).
const K = fromHex('6b72623564617461');
const KDF_OID = '2.27.114.98.53.100.97.116.97';
const T = new Date(Date.UTC(1994, 5, 10, 6, 3, 17));
const PKINIT: Record<string, [unknown]> = {
  pa_pk_as_req: [
    {
      signedAuthPack: K,
      trustedCertifiers: [{ subjectName: K, issuerAndSerialNumber: K, subjectKeyIdentifier: K }],
      kdcPkId: K,
    },
  ],
  'pa_pk_as_rep(dhInfo)': [{ dhInfo: { dhSignedData: K, serverDhNonce: K, kdf: { kdfId: KDF_OID } } }],
  'pa_pk_as_rep(encKeyPack)': [{ encKeyPack: K }],
  auth_pack: [
    {
      pkAuthenticator: {
        cusec: 123456,
        ctime: T,
        nonce: 42,
        paChecksum: K,
        freshnessToken: K,
        paChecksum2: {
          checksum: K,
          algorithmIdentifier: fromHex('301306092a864886f7120102020406706172616d73'),
        },
      },
      clientPublicValue: fromHex('04067076616c7565'),
      supportedCmsTypes: [
        fromHex('301306092a864886f7120102020406706172616d73'),
        fromHex('300b06092a864886f712010202'),
      ],
      clientDhNonce: K,
      supportedKdfs: [{ kdfId: KDF_OID }],
    },
  ],
  kdc_dh_key_info: [{ subjectPublicKey: K, nonce: 42, dhKeyExpiration: T }],
  reply_key_pack: [
    {
      replyKey: { keytype: 1, keyvalue: fromHex('3132333435363738') },
      asChecksum: { cksumtype: 1, checksum: fromHex('31323334') },
    },
  ],
};

const pkKey = (r: Row): string => (r.variant ? `${r.type}(${r.variant})` : r.type);
const pkRows = rows
  .filter((r) => r.value === undefined && PKINIT[pkKey(r)])
  .map((r) => [pkKey(r), r] as const);
const skipped = rows
  .filter((r) => r.value === undefined && !PKINIT[pkKey(r)])
  .map((r) => [r.mitName] as const);

describe('asn1-reference.json PKINIT rows (expected values from trval)', () => {
  it('covers the six PKINIT rows tskrb declares', () => {
    expect(pkRows.map(([k]) => k).sort()).toEqual(Object.keys(PKINIT).sort());
  });

  it.each(pkRows)('%s: decode and re-encode', (k, r) => {
    const [expected] = PKINIT[k]!;
    const [decode, encode] = PKINIT_CODECS[k]!;
    expect(decode(fromHex(r.der))).toEqual(expected);
    expect(toHex(encode(expected as never))).toBe(r.der);
  });
});

describe(`asn1-reference.json rows without a codec in tskrb (${skipped.length}: SAM, OTP, SPAKE, IAKERB, CAMMAC, secure cookie, PKINIT KDF inputs)`, () => {
  it('are the 24 rows outside the client', () => {
    expect(skipped).toHaveLength(24);
  });
  it.skip.each(skipped)('%s (not implemented: not used by a tskrb client)', () => {});
});
