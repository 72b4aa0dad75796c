import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTicket } from '../../src/asn1/index.js';
import { Key } from '../../src/crypto/index.js';
import { KerberosError } from '../../src/errors.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { openTicket, readTicketPac } from '../../src/s4u/index.js';
import { fromHex } from '../../src/util/bytes.js';

// Heimdal's test_pac.c tickets (Samba torture PACs): S4U2Self and S4U2Proxy tickets of admin@ACME.COM.
const v = JSON.parse(readFileSync('test/vectors/pac-examples.json', 'utf8')) as {
  ticketSignature: Record<string, string>;
  ticketSignatureKeys: Record<string, { enctype: number; key: string }>;
};
const key = (n: string) => new Key(v.ticketSignatureKeys[n]!.enctype, fromHex(v.ticketSignatureKeys[n]!.key));
const ticket = (n: string) => decodeTicket(fromHex(v.ticketSignature[n]!));

describe('opening S4U tickets and reading their PAC', () => {
  it.each([
    ['s4u2self_ticket', 'service', []],
    ['s4u2proxy_ticket', 'service', ['apache@ACME.COM']],
  ] as const)(
    '%s: identity %s, delegation path %j, server and KDC signatures valid',
    (name, identity, path) => {
      const part = openTicket(ticket(name), [key('server_key')]);
      const view = readTicketPac(part, {
        serviceKeys: [key('server_key')],
        kdcKeys: [key('rwdc_tgt_pac_key')],
      })!;
      expect(view.summary.identityAssertion).toBe(identity);
      expect(view.summary.delegationPath).toEqual(path);
      expect(view.verification.server.status).toBe('valid');
      expect(view.verification.kdc.status).toBe('valid');
      expect(view.verification.verified).toBe(true);
    },
  );

  it('the S4U2Proxy ticket names its target in S4U_DELEGATION_INFO', () => {
    const part = openTicket(ticket('s4u2proxy_ticket'), [key('server_key')]);
    expect(formatPrincipal(part.cname, part.crealm)).toBe('admin@ACME.COM');
    expect(readTicketPac(part, { serviceKeys: [key('server_key')] })!.summary.delegationTarget).toMatch(
      /^sql\//,
    );
  });

  it('a PAC checked with the wrong service key is not verified', () => {
    const part = openTicket(ticket('s4u2self_ticket'), [key('server_key')]);
    const wrong = new Key(23, new Uint8Array(16));
    const view = readTicketPac(part, { serviceKeys: [wrong] })!;
    expect(view.verification.server.status).toBe('invalid');
    expect(view.verification.verified).toBe(false);
  });

  it('no key of the ticket enctype: a KerberosError with a hint', () => {
    expect(() => openTicket(ticket('s4u2self_ticket'), [new Key(18, new Uint8Array(32))])).toThrow(
      KerberosError,
    );
  });

  it('a ticket without a PAC has no PAC view', () => {
    const part = openTicket(ticket('s4u2self_ticket'), [key('server_key')]);
    expect(readTicketPac({ ...part, authorizationData: [] }, {})).toBeUndefined();
  });
});
