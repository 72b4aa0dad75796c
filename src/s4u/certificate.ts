/** The user certificate of S4U2Self by certificate (MS-SFU 2.2.2 subject-certificate), read with pkijs to name its subject. */
import * as pkijs from 'pkijs';
import { FormatError } from '../errors.js';
import { toArrayBuffer, toHex } from '../util/bytes.js';

/** Short names of the X.500 attribute types a subject usually carries. */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

/** What a service shows about the certificate it impersonates the user with. */
export interface UserCertificate {
  /** `CN=alice, O=SAMBA.TEST` */
  readonly subject: string;
  readonly issuer: string;
  /** Serial number, hex. */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The DER as given (sent as subject-certificate). */
  readonly der: Uint8Array;
}

function rdn(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${ATTRIBUTE_NAMES[tv.type] ?? tv.type}=${String(tv.value.valueBlock.value)}`)
    .join(', ');
}

/** Parses a DER X.509 certificate for S4U2Self; FormatError when it is not one. */
export function readUserCertificate(der: Uint8Array): UserCertificate {
  let cert: pkijs.Certificate;
  try {
    cert = pkijs.Certificate.fromBER(toArrayBuffer(der));
  } catch (e) {
    throw new FormatError('the S4U2Self user certificate is not a DER X.509 certificate', { cause: e });
  }
  return {
    subject: rdn(cert.subject),
    issuer: rdn(cert.issuer),
    serial: toHex(new Uint8Array(cert.serialNumber.valueBlock.valueHexView)),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    der,
  };
}
