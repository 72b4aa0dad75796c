import { describe, expect, it } from 'vitest';
import { NameType } from '../../src/asn1/index.js';
import { ProtocolError } from '../../src/errors.js';
import type { Principal } from '../../src/messages/principal.js';
import { checkS4u2SelfClient } from '../../src/s4u/index.js';

const REALM = 'UNIT.TEST';
const web: Principal = { realm: REALM, name: { nameType: NameType.NT_SRV_HST, nameString: ['HTTP', 'web'] } };
const alice: Principal = { realm: REALM, name: { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] } };

describe('checkS4u2SelfClient (MS-SFU 1.5)', () => {
  it('a ticket naming the user passes', () => {
    expect(() => checkS4u2SelfClient(alice, web, alice, false)).not.toThrow();
  });

  it('a ticket naming the service itself: the KDC ignored the S4U padata', () => {
    const e = (() => {
      try {
        checkS4u2SelfClient(web, web, alice, false);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(ProtocolError);
    expect(e).toMatchObject({
      check: 's4u2self-client',
      hint: expect.stringMatching(/does not implement S4U2Self/),
    });
  });

  it('by certificate without a name: the hint says the KDC lacks S4U2Self by certificate', () => {
    expect(() => checkS4u2SelfClient(web, web, undefined, true)).toThrow(
      expect.objectContaining({ hint: expect.stringMatching(/by certificate/) }),
    );
  });

  it('a service impersonating itself (the user is the service) passes; so does the same name in another realm', () => {
    expect(() => checkS4u2SelfClient(web, web, web, false)).not.toThrow();
    expect(() => checkS4u2SelfClient({ ...web, realm: 'OTHER.TEST' }, web, alice, false)).not.toThrow();
  });
});
