import { describe, expect, it } from 'vitest';
import { NameType } from '../../src/asn1/index.js';
import { referrableName, userPrincipal } from '../../src/s4u/index.js';

const REALM = 'UNIT.TEST';

describe('S4U names', () => {
  it.each([
    ['alice', false, { realm: REALM, name: { nameType: 1, nameString: ['alice'] } }],
    ['alice@OTHER.TEST', false, { realm: 'OTHER.TEST', name: { nameType: 1, nameString: ['alice'] } }],
    ['alice@upn.example', true, { realm: REALM, name: { nameType: 10, nameString: ['alice@upn.example'] } }],
  ] as const)('userPrincipal(%s, enterprise %s)', (user, enterprise, expected) => {
    expect(userPrincipal(user, REALM, enterprise)).toEqual(expected);
  });

  it('a Principal user is taken as it is', () => {
    const p = { realm: 'X.TEST', name: { nameType: NameType.NT_ENTERPRISE, nameString: ['a@b'] } };
    expect(userPrincipal(p, REALM)).toBe(p);
  });

  it('referrableName: a two-part service becomes host-based (MIT refers only NT-SRV-HST), others stay', () => {
    const svc = {
      realm: REALM,
      name: { nameType: NameType.NT_PRINCIPAL, nameString: ['HTTP', 'web.unit.test'] },
    };
    expect(referrableName(svc)).toEqual({
      realm: REALM,
      name: { nameType: NameType.NT_SRV_HST, nameString: ['HTTP', 'web.unit.test'] },
    });
    const user = { realm: REALM, name: { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] } };
    expect(referrableName(user)).toBe(user);
  });
});
