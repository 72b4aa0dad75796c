import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import {
  anchorsOf,
  certificatesOf,
  FAST_OPTIONS,
  fastOf,
  identityOf,
  LOGIN_OPTIONS,
  loginIdentity,
  passwordOf,
} from '../../src/cli/login.js';
import { krb5Settings, parseKrb5Conf } from '../../src/transport/index.js';
import { toBase64, utf8 } from '../../src/util/bytes.js';
import { labKeytab, tgtCcache } from './creds-fixtures.js';
import { fakeIo } from './io.js';

const specs = [...LOGIN_OPTIONS, ...FAST_OPTIONS, { name: 'cache', short: 'c', value: 'C', help: '' }];
const args = (argv: string[]) => parseArgs(argv, specs, 'test');
const alice = { realm: 'R', name: { nameType: 1, nameString: ['alice'] } };
const der1 = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01);
const der2 = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x02);
const pem = (d: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${toBase64(d)}\n-----END CERTIFICATE-----\n`;

describe('passwordOf', () => {
  it('reads the first line of --password-file, of stdin with -, else asks without echo', async () => {
    expect(
      await passwordOf(args(['--password-file', 'pw']), fakeIo({ pw: utf8('s3cret\r\nnext\n') }), alice),
    ).toBe('s3cret');
    expect(await passwordOf(args(['--password-file', '-']), fakeIo({}, utf8('from stdin\n')), alice)).toBe(
      'from stdin',
    );
    const io = fakeIo({}, utf8('typed\n'));
    let prompt = '';
    io.readSecret = async (p) => {
      prompt = p;
      return 'typed';
    };
    expect(await passwordOf(args([]), io, alice)).toBe('typed');
    expect(prompt).toBe('Password for alice@R: ');
  });
});

describe('loginIdentity and identityOf', () => {
  it('a keytab gives the principal’s keys; without a name, its first entry', async () => {
    const io = fakeIo({ kt: labKeytab() });
    const named = await loginIdentity(args(['-k', '-t', 'kt']), io, 'apache', 'ACME.COM');
    expect(named.keys?.map((k) => k.etype)).toEqual([23]);
    const first = await loginIdentity(args(['-k', '-t', 'kt']), io, undefined, undefined);
    expect(first.principal.name.nameString).toEqual(['krbtgt', 'ACME.COM']);
    expect(first.keys?.map((k) => k.etype)).toEqual([18, 23]);
  });
  it('-E makes an enterprise name; $USER is the default principal', async () => {
    const e = await loginIdentity(args(['-E']), fakeIo(), 'alice@upn.example', 'R');
    expect(e.principal.name).toEqual({ nameType: 10, nameString: ['alice@upn.example'] });
    const u = await loginIdentity(args([]), fakeIo({}, undefined, false, { USER: 'bob' }), undefined, 'R');
    expect(u.principal).toEqual({ realm: 'R', name: { nameType: 1, nameString: ['bob'] } });
  });
  it('without a principal, the TGT of the ccache', async () => {
    const id = await identityOf(args(['-c', 'cc']), fakeIo({ cc: tgtCcache() }), undefined, undefined);
    expect(id.kind).toBe('ccache');
    expect(id.realm).toBe('ACME.COM');
  });
});

describe('PKINIT anchors and FAST', () => {
  it('reads every certificate of a PEM file, or one DER certificate', () => {
    expect(certificatesOf(utf8(pem(der1) + pem(der2)))).toEqual([der1, der2]);
    expect(certificatesOf(der1)).toEqual([der1]);
  });
  it('takes the anchors from --anchor, else the realm’s pkinit_anchors FILE: in krb5.conf', async () => {
    const s = krb5Settings(parseKrb5Conf('[realms]\n R = {\n  pkinit_anchors = FILE:/ca.pem\n }\n'));
    const io = fakeIo({ '/ca.pem': utf8(pem(der1)), 'mine.pem': utf8(pem(der2)) });
    expect(await anchorsOf(args([]), io, s, 'R')).toEqual([der1]);
    expect(await anchorsOf(args(['--anchor', 'mine.pem']), io, s, 'R')).toEqual([der2]);
    expect(await anchorsOf(args([]), io, s, 'OTHER')).toEqual([]);
  });
  it('--fast armors with the ccache TGT (-T) or anonymous PKINIT; no --fast, no FAST', async () => {
    const s = krb5Settings(parseKrb5Conf(''));
    const io = fakeIo({ cc: tgtCcache() });
    expect(await fastOf(args([]), io, s, 'ACME.COM')).toEqual({});
    const t = await fastOf(args(['--fast', '-T', 'cc']), io, s, 'ACME.COM');
    expect(t.fast).toBe('required');
    expect(t.armor && 'tgt' in t.armor ? t.armor.tgt.server.name.nameString : []).toEqual([
      'krbtgt',
      'ACME.COM',
    ]);
    expect(await fastOf(args(['--fast']), io, s, 'ACME.COM')).toEqual({
      fast: 'required',
      armor: { anonymous: true, trustAnchors: [] },
    });
  });
});
