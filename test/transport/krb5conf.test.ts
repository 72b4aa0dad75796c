import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import {
  krb5Settings,
  parseKrb5Conf,
  profileBoolean,
  profileString,
  profileStrings,
  realmOfHost,
} from '../../src/transport/krb5conf.js';

const SAMPLE = `# comment
; another comment
[libdefaults]
	default_realm = EXAMPLE.COM
	udp_preference_limit = 1
	dns_lookup_kdc = no
	kdc_timesync = 0
	forwardable = true
	default_tkt_enctypes = aes256-cts-hmac-sha1-96, aes128-cts-hmac-sha1-96  arcfour-hmac

[realms]
	EXAMPLE.COM = {
		kdc = kdc1.example.com
		kdc = tcp/kdc2.example.com:8888
		kdc = https://proxy.example.com/KdcProxy
		admin_server = kdc1.example.com
		auth_to_local = {
			nested = "quoted \\"value\\" with\\ttab"
		}
	}
	OTHER.COM = {
		kdc = [::1]:10188
	}*

[domain_realm]
	.example.com = EXAMPLE.COM
	example.com = EXAMPLE.COM
	special.other.com = OTHER.COM
	other.com = OTHER.COM

[libdefaults]
	default_realm = SECOND.WINS.NOT
`;

describe('parseKrb5Conf and krb5Settings', () => {
  const profile = parseKrb5Conf(SAMPLE);
  const s = krb5Settings(profile);

  it('reads [libdefaults] with MIT boolean words; the first value wins', () => {
    expect(s.defaultRealm).toBe('EXAMPLE.COM');
    expect(s.udpPreferenceLimit).toBe(1);
    expect(s.dnsLookupKdc).toBe(false);
    expect(s.kdcTimesync).toBe(false);
    expect(s.forwardable).toBe(true);
    expect(s.defaultTktEnctypes).toEqual([
      'aes256-cts-hmac-sha1-96',
      'aes128-cts-hmac-sha1-96',
      'arcfour-hmac',
    ]);
  });

  it('reads [realms] kdc entries in order, with prefixes and https', () => {
    expect(s.realms.get('EXAMPLE.COM')).toEqual({
      kdcs: ['kdc1.example.com', 'tcp/kdc2.example.com:8888', 'https://proxy.example.com/KdcProxy'],
      adminServers: ['kdc1.example.com'],
    });
    expect(s.realms.get('OTHER.COM')?.kdcs).toEqual(['[::1]:10188']);
  });

  it('reads nested subsections and quoted values with escapes', () => {
    expect(profileString(profile, ['realms', 'EXAMPLE.COM', 'auth_to_local', 'nested'])).toBe(
      'quoted "value" with\ttab',
    );
    expect(profileStrings(profile, ['libdefaults', 'default_realm'])).toEqual([
      'EXAMPLE.COM',
      'SECOND.WINS.NOT',
    ]);
  });

  it.each([
    ['host.example.com', 'EXAMPLE.COM'],
    ['example.com', 'EXAMPLE.COM'],
    ['a.b.example.com', 'EXAMPLE.COM'],
    ['special.other.com', 'OTHER.COM'],
    ['x.other.com', 'OTHER.COM'],
    ['HOST.EXAMPLE.COM.', 'EXAMPLE.COM'],
    ['example.net', undefined],
  ])('[domain_realm]: %s -> %s', (host, realm) => {
    expect(realmOfHost(s, host)).toBe(realm);
  });

  it('has MIT defaults when a setting is absent or malformed', () => {
    const d = krb5Settings(
      parseKrb5Conf('[libdefaults]\n udp_preference_limit = lots\n dns_lookup_kdc = maybe\n'),
    );
    expect(d.defaultRealm).toBeUndefined();
    expect(d.udpPreferenceLimit).toBe(1465);
    expect(d.dnsLookupKdc).toBe(true);
    expect(d.kdcTimesync).toBe(true);
    expect(d.forwardable).toBe(false);
    expect(d.defaultTktEnctypes).toBeUndefined();
    expect(profileBoolean(d.profile, ['libdefaults', 'absent'], true)).toBe(true);
  });

  it('handles CRLF line ends and module directives', () => {
    const p = parseKrb5Conf('module x.so:y\r\n[a]\r\n b = c\r\n');
    expect(profileString(p, ['a', 'b'])).toBe('c');
  });
});

describe('krb5.conf hostile input', () => {
  it('keeps __proto__, constructor and prototype as ordinary tags (no prototype pollution)', () => {
    const p = parseKrb5Conf(
      '[__proto__]\n polluted = yes\n[realms]\n __proto__ = {\n  kdc = evil:88\n }\n constructor = {\n  kdc = c:88\n }\n[domain_realm]\n __proto__ = EVIL\n',
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(profileString(p, ['__proto__', 'polluted'])).toBe('yes');
    const s = krb5Settings(p);
    expect(s.realms.get('__proto__')?.kdcs).toEqual(['evil:88']);
    expect(s.realms.get('constructor')?.kdcs).toEqual(['c:88']);
    expect(s.realms.get('toString')).toBeUndefined();
    expect(realmOfHost(s, '__proto__')).toBe('EVIL');
    expect(realmOfHost(s, 'constructor')).toBeUndefined();
  });

  it.each([
    ['relation before any section', 'a = b\n', 1],
    ['unbalanced close brace', '[s]\n}\n', 2],
    ['unclosed brace', '[s]\n a = {\n', undefined],
    ['section inside braces', '[s]\n a = {\n[t]\n', 3],
    ['malformed section header', '[s\n', 1],
    ['line without =', '[s]\n just words\n', 2],
    ['unterminated quote', '[s]\n a = "abc\n', 2],
    ['include without a reader', 'include /etc/x\n', 1],
  ])('refuses %s with a FormatError naming the line', (_n, text, line) => {
    let err: unknown;
    try {
      parseKrb5Conf(text, { name: 'test.conf' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    if (line !== undefined) expect((err as FormatError).message).toContain(`test.conf line ${line}`);
  });

  it('refuses subsections nested deeper than 32', () => {
    const text = `[s]\n${' a = {\n'.repeat(40)}${' }\n'.repeat(40)}`;
    expect(() => parseKrb5Conf(text)).toThrow(/nested too deeply/);
  });

  it('random text parses or throws FormatError, nothing else (property)', () => {
    const atoms = fc.constantFrom(
      '[',
      ']',
      '{',
      '}',
      '=',
      ' ',
      '\n',
      '"',
      '\\',
      '*',
      '#',
      'a',
      'kdc',
      '__proto__',
      'include ',
    );
    fc.assert(
      fc.property(fc.array(atoms, { maxLength: 60 }), (parts) => {
        try {
          krb5Settings(parseKrb5Conf(parts.join('')));
        } catch (e) {
          expect(e).toBeInstanceOf(FormatError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
