import { describe, expect, it } from 'vitest';
import { formatCredsPrincipal, samePrincipal } from '../../src/creds/types.js';

describe('formatCredsPrincipal (MIT krb5_unparse_name quoting)', () => {
  it.each([
    [['alice'], 'EXAMPLE.TEST', 'alice@EXAMPLE.TEST'],
    [['HTTP', 'web.example.test'], 'EXAMPLE.TEST', 'HTTP/web.example.test@EXAMPLE.TEST'],
    [['user@upn.test'], 'R', 'user\\@upn.test@R'],
    [['a/b', 'c\\d'], 'R', 'a\\/b/c\\\\d@R'],
    [['tab\there', 'nl\n', 'nul\0', 'bs\b'], 'R', 'tab\\there/nl\\n/nul\\0/bs\\b@R'],
    [['a'], 'WEIRD/REALM@X', 'a@WEIRD\\/REALM\\@X'],
  ])('%j in %s', (components, realm, want) => {
    expect(formatCredsPrincipal({ realm, nameType: 1, components })).toBe(want);
  });
});

describe('samePrincipal', () => {
  it.each([
    [{ realm: 'R', nameType: 1, components: ['a'] }, { realm: 'R', nameType: 0, components: ['a'] }, true],
    [{ realm: 'R', nameType: 1, components: ['a'] }, { realm: 'S', nameType: 1, components: ['a'] }, false],
    [
      { realm: 'R', nameType: 1, components: ['a', 'b'] },
      { realm: 'R', nameType: 1, components: ['a'] },
      false,
    ],
    [
      { realm: 'R', nameType: 1, components: ['a', 'b'] },
      { realm: 'R', nameType: 1, components: ['a', 'c'] },
      false,
    ],
  ])('%j vs %j -> %s', (a, b, want) => {
    expect(samePrincipal(a, b)).toBe(want);
  });
});
