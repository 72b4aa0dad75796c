import { describe, expect, it } from 'vitest';
import { Key } from '../../src/crypto/index.js';
import { KerberosError, ProtocolError } from '../../src/errors.js';
import type { TicketPac } from '../../src/pac/ticket-pac.js';
import { enforcePacPolicy } from '../../src/s4u/index.js';

const keys = { serviceKeys: [new Key(18, new Uint8Array(32))] };
const valid = { status: 'valid', reason: 'ok' } as const;
const invalid = { status: 'invalid', reason: 'checksum mismatch' } as const;
const unchecked = { status: 'not-checkable', reason: 'no key' } as const;

/** A PAC view with these signature checks (the PAC itself does not matter to the policy). */
function pacWith(v: Partial<TicketPac['verification']>): TicketPac {
  const verification = {
    server: valid,
    kdc: unchecked,
    ticket: unchecked,
    full: unchecked,
    verified: true,
    ...v,
  };
  return { verification } as unknown as TicketPac;
}

describe('enforcePacPolicy', () => {
  it('no policy: anything passes, even no PAC and no keys', () => {
    expect(() => enforcePacPolicy('S4U2Self', undefined, {})).not.toThrow();
  });

  it('a requirement without the server keys is a usage error, not a protocol one', () => {
    expect(() => enforcePacPolicy('S4U2Self', undefined, { requirePac: true })).toThrow(KerberosError);
    expect(() => enforcePacPolicy('S4U2Self', undefined, { requirePac: true })).not.toThrow(ProtocolError);
  });

  it('requirePac: no PAC fails (check pac), a PAC that does not verify passes', () => {
    expect(() => enforcePacPolicy('S4U2Proxy', undefined, { ...keys, requirePac: true })).toThrow(
      expect.objectContaining({ check: 'pac', message: 'S4U2Proxy: the ticket has no PAC' }),
    );
    const bad = pacWith({ server: invalid, verified: false });
    expect(() => enforcePacPolicy('S4U2Proxy', bad, { ...keys, requirePac: true })).not.toThrow();
  });

  it('requirePacVerified: a bad server signature fails and is named', () => {
    const bad = pacWith({ server: invalid, verified: false });
    expect(() => enforcePacPolicy('S4U2Self', bad, { ...keys, requirePacVerified: true })).toThrow(
      /server signature invalid \(checksum mismatch\)/,
    );
    expect(() =>
      enforcePacPolicy('S4U2Self', pacWith({}), { ...keys, requirePacVerified: true }),
    ).not.toThrow();
  });

  it('requirePacVerified with kdcKeys: the KDC signature must be valid too', () => {
    const policy = { ...keys, kdcKeys: keys.serviceKeys, requirePacVerified: true };
    expect(() => enforcePacPolicy('S4U2Self', pacWith({ kdc: unchecked }), policy)).toThrow(
      /KDC signature not-checkable \(no key\)/,
    );
    expect(() => enforcePacPolicy('S4U2Self', pacWith({ kdc: valid }), policy)).not.toThrow();
  });
});
