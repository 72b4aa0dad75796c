import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FormatError, IntegrityError } from '../../src/errors.js';
import { checkKdcCertificate, parseCertificates } from '../../src/fast/pkinit-cert.js';

// Certificates made by OpenSSL with the extensions MIT's PKINIT guide gives (krb5 admin docs, "pkinit_configuration").
const dir = mkdtempSync(join(tmpdir(), 'tskrb-fast-cert-'));
const san = (realm: string) => `
subjectAltName=otherName:1.3.6.1.5.2.2;SEQUENCE:princ
[princ]
realm=EXP:0,GeneralString:${realm}
principal_name=EXP:1,SEQUENCE:pseq
[pseq]
name_type=EXP:0,INTEGER:2
name_string=EXP:1,SEQUENCE:names
[names]
n1=GeneralString:krbtgt
n2=GeneralString:${realm}
`;
const EXTS: Record<string, string> = {
  both: `[x]\nextendedKeyUsage=1.3.6.1.5.2.3.5\n${san('A.TEST').replace('\n', '')}`,
  sanOnly: `[x]${san('A.TEST')}`,
  ekuOnly: '[x]\nextendedKeyUsage=1.3.6.1.5.2.3.5\n',
  otherRealm: `[x]\nextendedKeyUsage=1.3.6.1.5.2.3.5${san('B.TEST')}`,
  neither: '[x]\nextendedKeyUsage=serverAuth\n',
};
const pem: Record<string, string> = {};

beforeAll(() => {
  const run = (...a: string[]) => execFileSync('openssl', a, { cwd: dir, stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=ca',
  );
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.key', '-out', 'k.csr', '-subj', '/CN=kdc');
  for (const [name, ext] of Object.entries(EXTS)) {
    writeFileSync(join(dir, `${name}.cnf`), ext);
    run(
      'x509',
      '-req',
      '-in',
      'k.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-extfile',
      `${name}.cnf`,
      '-extensions',
      'x',
    );
    pem[name] = readFileSync(join(dir, `${name}.pem`), 'utf8');
  }
});

describe('KDC certificate checks (RFC 4556 3.2.4)', () => {
  it.each([
    ['id-pkinit-san and id-pkinit-KPKdc', 'both'],
    ['id-pkinit-san krbtgt/A.TEST@A.TEST alone', 'sanOnly'],
    ['id-pkinit-KPKdc alone (no SAN to contradict it)', 'ekuOnly'],
  ])('accepts a certificate with %s', (_n, name) => {
    expect(() => checkKdcCertificate(parseCertificates([pem[name]!])[0]!, 'A.TEST')).not.toThrow();
  });

  it.each([
    ['an id-pkinit-san for another realm', 'otherRealm'],
    ['neither the SAN nor the EKU', 'neither'],
  ])('refuses a certificate with %s', (_n, name) => {
    expect(() => checkKdcCertificate(parseCertificates([pem[name]!])[0]!, 'A.TEST')).toThrow(IntegrityError);
  });

  it('parses every certificate of a PEM bundle, and refuses text without one', () => {
    expect(parseCertificates([pem['both']! + pem['neither']!])).toHaveLength(2);
    expect(() => parseCertificates(['no certificate here'])).toThrow(FormatError);
  });
});
