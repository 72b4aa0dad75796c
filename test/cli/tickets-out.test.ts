import { describe, expect, it } from 'vitest';
import { decodeTicket } from '../../src/asn1/index.js';
import { isKirbiPath, withAltService, writeTickets } from '../../src/cli/tickets-out.js';
import { credentialFromCcache } from '../../src/client/index.js';
import { importKirbi, parseCcache, ticketsOf } from '../../src/creds/index.js';
import { tgtCcache } from './creds-fixtures.js';
import { fakeIo } from './io.js';

const cred = () => credentialFromCcache(ticketsOf(parseCcache(tgtCcache()))[0]!);

describe('tickets out', () => {
  it('tells a .kirbi from a ccache by the name', () => {
    expect(isKirbiPath('a.KIRBI')).toBe(true);
    expect(isKirbiPath('a.ccache')).toBe(false);
  });

  it('writes a ccache whose default principal is the ticket’s client, or a KRB-CRED for .kirbi', async () => {
    const io = fakeIo();
    expect(await writeTickets(io, 'FILE:/o.cc', [{ cred: cred() }])).toBe('FILE:/o.cc');
    const cc = parseCcache(io.written['/o.cc']!);
    expect(cc.defaultPrincipal.components).toEqual(['apache']);
    expect(ticketsOf(cc)[0]!.ticket).toEqual(cred().ticketBytes);
    expect(await writeTickets(io, '/o.kirbi', [{ cred: cred() }])).toBe('/o.kirbi (KRB-CRED)');
    expect(importKirbi(io.written['/o.kirbi']!)[0]!.ticket).toEqual(cred().ticketBytes);
  });

  it('keeps the second ticket of a user-to-user ticket and marks it is-skey', async () => {
    const io = fakeIo();
    const second = Uint8Array.of(0x61, 0x00);
    await writeTickets(io, '/u.cc', [{ cred: cred(), secondTicket: second }]);
    const rec = ticketsOf(parseCcache(io.written['/u.cc']!))[0]!;
    expect(rec.isSkey).toBe(true);
    expect(rec.secondTicket).toEqual(second);
  });

  it('altservice rewrites the clear sname of the ticket and keeps the encrypted part', () => {
    const c = withAltService(cred(), 'host/other.acme.com');
    const t = decodeTicket(c.ticketBytes);
    expect(t.sname.nameString).toEqual(['host', 'other.acme.com']);
    expect(t.realm).toBe('ACME.COM');
    expect(t.encPart).toEqual(cred().ticket.encPart);
    expect(c.server.name.nameString).toEqual(['host', 'other.acme.com']);
  });
});
