import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameType } from '../../src/asn1/index.js';
import { KerberosError } from '../../src/errors.js';
import {
  formatPrincipal,
  krbtgt,
  parsePrincipal,
  sameName,
  tgsRealmOf,
} from '../../src/messages/principal.js';

describe('parsePrincipal (MIT text form)', () => {
  it.each([
    ['alice@MIT.TEST', undefined, 'MIT.TEST', ['alice'], NameType.NT_PRINCIPAL],
    ['HTTP/web.mit.test@MIT.TEST', undefined, 'MIT.TEST', ['HTTP', 'web.mit.test'], NameType.NT_PRINCIPAL],
    ['alice', 'DEF.TEST', 'DEF.TEST', ['alice'], NameType.NT_PRINCIPAL],
    ['krbtgt/A.TEST@B.TEST', undefined, 'B.TEST', ['krbtgt', 'A.TEST'], NameType.NT_SRV_INST],
    ['a\\/b@R', undefined, 'R', ['a/b'], NameType.NT_PRINCIPAL],
    ['a\\@b@R', undefined, 'R', ['a@b'], NameType.NT_PRINCIPAL],
  ])('%s', (text, def, realm, parts, nameType) => {
    const p = parsePrincipal(text, { defaultRealm: def });
    expect(p.realm).toBe(realm);
    expect(p.name.nameString).toEqual(parts);
    expect(p.name.nameType).toBe(nameType);
  });

  it('enterprise names keep the @ in one component', () => {
    const p = parsePrincipal('alice@upn.example', { enterprise: true, defaultRealm: 'R.TEST' });
    expect(p).toEqual({
      realm: 'R.TEST',
      name: { nameType: NameType.NT_ENTERPRISE, nameString: ['alice@upn.example'] },
    });
    expect(formatPrincipal(p.name, p.realm)).toBe('alice\\@upn.example@R.TEST');
  });

  it('an enterprise name with a second @ takes the realm from after it, as MIT kinit -E does', () => {
    const p = parsePrincipal('alice@upn.example@OTHER.TEST', { enterprise: true, defaultRealm: 'R.TEST' });
    expect(p).toEqual({
      realm: 'OTHER.TEST',
      name: { nameType: NameType.NT_ENTERPRISE, nameString: ['alice@upn.example'] },
    });
    expect(parsePrincipal('alice', { enterprise: true, defaultRealm: 'R.TEST' }).realm).toBe('R.TEST');
  });

  it('rejects missing realms, empty components and dangling escapes', () => {
    expect(() => parsePrincipal('alice')).toThrow(KerberosError);
    expect(() => parsePrincipal('a//b@R')).toThrow(KerberosError);
    expect(() => parsePrincipal('a\\')).toThrow(KerberosError);
  });

  it('format then parse is the identity for any components', () => {
    const comp = fc.string({ minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(comp, { minLength: 1, maxLength: 3 }), comp, (parts, realm) => {
        const text = formatPrincipal({ nameType: NameType.NT_PRINCIPAL, nameString: parts }, realm);
        const p = parsePrincipal(text, { nameType: NameType.NT_PRINCIPAL });
        expect(p.name.nameString).toEqual(parts);
        expect(p.realm).toBe(realm);
      }),
    );
  });

  it('krbtgt, sameName and tgsRealmOf', () => {
    const t = krbtgt('OTHER.TEST', 'MIT.TEST');
    expect(formatPrincipal(t.name, t.realm)).toBe('krbtgt/OTHER.TEST@MIT.TEST');
    expect(tgsRealmOf(t.name)).toBe('OTHER.TEST');
    expect(tgsRealmOf({ nameType: 1, nameString: ['HTTP', 'x'] })).toBeUndefined();
    expect(sameName({ nameType: 1, nameString: ['a'] }, { nameType: 10, nameString: ['a'] })).toBe(true);
    expect(sameName({ nameType: 1, nameString: ['a'] }, { nameType: 1, nameString: ['a', 'b'] })).toBe(false);
  });
});
