// httpAnchorsFromKrb5Conf: MIT's [realms] http_anchors (FILE: and DIR:) as PEM text for the KKDCP POST; other
// forms and unreadable paths are FormatErrors. nodeHttpsPost itself is exercised in kkdcp.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { httpAnchorsFromKrb5Conf } from '../../src/transport/kkdcp-node.js';
import { krb5Settings, parseKrb5Conf } from '../../src/transport/krb5conf.js';

const dir = mkdtempSync(join(tmpdir(), 'tskrb-anchors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PEM_A = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
const PEM_B = '-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n';
writeFileSync(join(dir, 'a.pem'), PEM_A);
mkdirSync(join(dir, 'anchors'));
writeFileSync(join(dir, 'anchors', 'b.crt'), PEM_B);
writeFileSync(join(dir, 'anchors', 'README'), 'not a certificate');

const settings = (realms: string) => krb5Settings(parseKrb5Conf(`[realms]\n${realms}`));

describe('httpAnchorsFromKrb5Conf', () => {
  it('reads FILE: and DIR: anchors of every realm, in order, skipping non-certificate files', () => {
    const s = settings(
      ` A.TEST = {\n  kdc = https://p/KdcProxy\n  http_anchors = FILE:${join(dir, 'a.pem')}\n }\n` +
        ` B.TEST = {\n  kdc = https://q/KdcProxy\n  http_anchors = DIR:${join(dir, 'anchors')}\n }\n`,
    );
    expect(httpAnchorsFromKrb5Conf(s)).toEqual([PEM_A, PEM_B]);
  });

  it('a realm without http_anchors adds nothing', () => {
    expect(httpAnchorsFromKrb5Conf(settings(' A.TEST = {\n  kdc = kdc.a.test\n }\n'))).toEqual([]);
  });

  it.each([
    ['ENV:SSL_CERT', /only FILE:path and DIR:path/],
    [`FILE:${join(dir, 'missing.pem')}`, /cannot read it/],
    [`DIR:${join(dir, 'missing')}`, /cannot read it/],
  ])('%s is a FormatError', (anchor, message) => {
    const s = settings(` A.TEST = {\n  http_anchors = ${anchor}\n }\n`);
    expect(() => httpAnchorsFromKrb5Conf(s)).toThrow(FormatError);
    expect(() => httpAnchorsFromKrb5Conf(s)).toThrow(message);
  });
});
