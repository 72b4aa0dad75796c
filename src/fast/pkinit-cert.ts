/** Checks of the KDC certificate in PKINIT (RFC 4556 3.2.4): id-pkinit-KPKdc EKU and id-pkinit-san krbtgt/REALM. */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { FormatError, IntegrityError } from '../errors.js';
import { fromBase64, toArrayBuffer } from '../util/bytes.js';

/** Object identifiers of the KDC certificate checks. */
export const KdcCertOid = {
  IdPkinitKpKdc: '1.3.6.1.5.2.3.5',
  IdPkinitSan: '1.3.6.1.5.2.2',
  ExtKeyUsage: '2.5.29.37',
  SubjectAltName: '2.5.29.17',
} as const;

/** Certificates from DER bytes or PEM text (each PEM may hold several). */
export function parseCertificates(items: readonly (Uint8Array | string)[]): pkijs.Certificate[] {
  const ders: Uint8Array[] = [];
  for (const it of items) {
    if (typeof it !== 'string') {
      ders.push(it);
      continue;
    }
    const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
    let m: RegExpExecArray | null = re.exec(it);
    if (!m) throw new FormatError('no PEM certificate in the trust anchor text');
    while (m) {
      ders.push(fromBase64((m[1] ?? '').replace(/\s+/g, '')));
      m = re.exec(it);
    }
  }
  return ders.map((d, i) => {
    try {
      return pkijs.Certificate.fromBER(toArrayBuffer(d));
    } catch (e) {
      throw new FormatError(`trust anchor ${i + 1} is not a DER or PEM X.509 certificate`, { cause: e });
    }
  });
}

function pkinitSanNames(ext: pkijs.Extension): string[] {
  const names: string[] = [];
  const san = asn1js.fromBER(ext.extnValue.getValue());
  if (!(san.result instanceof asn1js.Sequence)) return names;
  for (const gn of san.result.valueBlock.value) {
    // otherName [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT KRB5PrincipalName }
    if (gn.idBlock.tagClass !== 3 || gn.idBlock.tagNumber !== 0) continue;
    const parts = (gn as asn1js.Constructed).valueBlock.value;
    const oid = parts[0];
    if (!(oid instanceof asn1js.ObjectIdentifier) || oid.valueBlock.toString() !== KdcCertOid.IdPkinitSan)
      continue;
    const pn = (parts[1] as asn1js.Constructed | undefined)?.valueBlock.value[0] as
      | asn1js.Sequence
      | undefined;
    const [realmTag, nameTag] = pn?.valueBlock.value ?? [];
    const realm = (
      (realmTag as asn1js.Constructed | undefined)?.valueBlock.value[0] as asn1js.GeneralString | undefined
    )?.valueBlock.value;
    const nameSeq = (nameTag as asn1js.Constructed | undefined)?.valueBlock.value[0] as
      | asn1js.Sequence
      | undefined;
    const strings = (
      (nameSeq?.valueBlock.value[1] as asn1js.Constructed | undefined)?.valueBlock.value[0] as
        | asn1js.Sequence
        | undefined
    )?.valueBlock.value.map((s) => (s as asn1js.GeneralString).valueBlock.value);
    if (realm !== undefined && strings) names.push(`${strings.join('/')}@${realm}`);
  }
  return names;
}

/**
 * The KDC certificate must carry id-pkinit-san naming krbtgt/REALM@REALM, or the id-pkinit-KPKdc extended key usage
 * (RFC 4556 3.2.4 lets either identify the KDC). Otherwise an IntegrityError.
 */
export function checkKdcCertificate(cert: pkijs.Certificate, realm: string): void {
  const want = `krbtgt/${realm}@${realm}`;
  const exts = cert.extensions ?? [];
  const san = exts.find((e) => e.extnID === KdcCertOid.SubjectAltName);
  const names = san ? pkinitSanNames(san) : [];
  if (names.includes(want)) return;
  const eku = exts.find((e) => e.extnID === KdcCertOid.ExtKeyUsage);
  const purposes = (eku?.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
  if (names.length === 0 && purposes.includes(KdcCertOid.IdPkinitKpKdc)) return;
  throw new IntegrityError(
    `PKINIT: the KDC certificate names ${names.length ? names.join(', ') : 'no pkinit-san'}, not ${want}`,
    { hint: "the certificate belongs to another realm's KDC, or is not a KDC certificate" },
  );
}
