import { describe, expect, it } from 'vitest';
import { NameType, type Ticket, type TicketFlags } from '../../src/asn1/index.js';
import { Key } from '../../src/crypto/index.js';
import type { Credential } from '../../src/messages/credential.js';
import type { Principal } from '../../src/messages/principal.js';
import {
  evidenceClient,
  evidenceFlags,
  evidenceTicket,
  evidenceWarnings,
  NON_FORWARDABLE_EVIDENCE,
  type S4uEvidence,
  s4uResult,
  toS4uEvidence,
} from '../../src/s4u/index.js';

const REALM = 'UNIT.TEST';
const T0 = new Date('2026-11-23T10:00:00Z');
const T1 = new Date('2026-11-23T20:00:00Z');
const alice: Principal = { realm: REALM, name: { nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] } };
const web: Principal = { realm: REALM, name: { nameType: NameType.NT_SRV_HST, nameString: ['HTTP', 'web'] } };
const ticket: Ticket = {
  tktVno: 5,
  realm: REALM,
  sname: web.name,
  encPart: { etype: 18, kvno: 1, cipher: new Uint8Array([1, 2, 3]) },
};

/** A credential for alice to the web service, as an S4U2Self reply would give (no KDC: the ticket is opaque). */
function credential(flags: Partial<TicketFlags>): Credential {
  const sessionKey = new Key(18, new Uint8Array(32).fill(4));
  return {
    client: alice,
    server: web,
    sessionKey,
    ticket,
    ticketBytes: new Uint8Array(0),
    flags: flags as TicketFlags,
    authtime: T0,
    endtime: T1,
    encPart: {
      key: { keytype: 18, keyvalue: sessionKey.bytes },
      lastReq: [],
      nonce: 7,
      flags: flags as TicketFlags,
      authtime: T0,
      endtime: T1,
      srealm: REALM,
      sname: web.name,
    },
  };
}

describe('S4U2Proxy evidence, a tagged union', () => {
  const c = credential({ forwardable: true });
  const result = s4uResult(
    'S4U2Self',
    { credential: c, encPart: c.encPart, realm: REALM, nonce: 7, subkey: undefined },
    [],
    {},
  );
  const cases: [string, S4uEvidence, Principal | undefined, boolean][] = [
    ['s4u', result, alice, true],
    ['credential', { kind: 'credential', credential: c }, alice, true],
    ['ticket', { kind: 'ticket', ticket, client: alice }, alice, false],
    ['ticket', { kind: 'ticket', ticket }, undefined, false],
  ];
  it.each(cases)(
    '%s: the ticket sent, the client expected, the flags known',
    (kind, e, client, flagsKnown) => {
      expect(e.kind).toBe(kind);
      expect(evidenceTicket(e)).toBe(ticket);
      expect(evidenceClient(e)).toEqual(client);
      expect(evidenceFlags(e) !== undefined).toBe(flagsKnown);
      expect(evidenceWarnings(e)).toEqual([]);
    },
  );

  it('an S4U result is tagged s4u, and passes through toS4uEvidence unchanged', () => {
    expect(result.kind).toBe('s4u');
    expect(toS4uEvidence(result)).toBe(result);
  });

  it('the untagged forms of before are tagged once: a Credential, a bare { ticket, client? }', () => {
    expect(toS4uEvidence(c)).toEqual({ kind: 'credential', credential: c });
    expect(toS4uEvidence({ ticket })).toEqual({ kind: 'ticket', ticket });
    expect(toS4uEvidence({ ticket, client: alice })).toEqual({ kind: 'ticket', ticket, client: alice });
  });

  it('evidence known not to be forwardable earns the classic-delegation warning', () => {
    const e = toS4uEvidence(credential({}));
    expect(evidenceWarnings(e)).toEqual([NON_FORWARDABLE_EVIDENCE]);
    expect(NON_FORWARDABLE_EVIDENCE).toMatch(/KDC_ERR_BADOPTION/);
  });
});
