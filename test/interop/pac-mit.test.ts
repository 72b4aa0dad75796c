import { describe, expect, it } from 'vitest';
import { s4u2proxy, s4u2self } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { checkClientInfo, PacBufferType } from '../../src/pac/index.js';
import { openTicket, readTicketPac } from '../../src/s4u/index.js';
import { labKeys, labOrStandIn, labTransport, mitLab } from '../helpers/lab.js';

const lab = mitLab;

describe.skipIf(!lab)(`MIT KDC: PACs${lab ? '' : ' (lab not running: npm run lab:up)'}`, () => {
  const L = labOrStandIn(lab);
  const P = (n: string) => L.principals[n]!;
  const client = () => new KdcClient({ realm: L.realm, transport: labTransport(L) });

  it("MIT: alice's service ticket carries MIT's minimal PAC (client info, server, KDC, ticket checksums); the server signature verifies", async () => {
    const s = await client().login({ principal: P('alice').principal, password: P('alice').password });
    const st = await s.getServiceTicket('cifs/file.mit.test');
    const part = openTicket(st.ticket, labKeys(P('cifs')));
    const view = readTicketPac(part, { serviceKeys: labKeys(P('cifs')) })!;
    expect(view.pac.infoBuffers.map((b) => b.ulType).sort((a, b) => a - b)).toEqual(
      [
        PacBufferType.ServerChecksum,
        PacBufferType.KdcChecksum,
        PacBufferType.ClientInfo,
        PacBufferType.TicketChecksum,
      ].sort((a, b) => a - b),
    );
    expect(view.verification.server.status).toBe('valid');
    expect(view.verification.verified).toBe(true);
    // The krbtgt key is not exported by the MIT lab: the KDC and ticket signatures stay not-checkable.
    expect(view.verification.kdc.status).toBe('not-checkable');
    expect(view.summary.identityAssertion).toBe('none');
    expect(checkClientInfo(view.pac, { authtime: part.authtime, clientName: 'alice' }).status).toBe('valid');
  });

  it('MIT: the S4U2Self and S4U2Proxy PACs decode and verify, and name alice', async () => {
    const c = client();
    const s = await c.login({ principal: P('web').principal, keys: labKeys(P('web')), forwardable: true });
    const self = await s4u2self(c, s.tgt, 'alice', { serviceKeys: labKeys(P('web')) });
    const proxy = await s4u2proxy(c, s.tgt, self, 'cifs/file.mit.test', { serviceKeys: labKeys(P('cifs')) });
    for (const r of [self, proxy]) {
      expect(r.pac?.verification.server.status).toBe('valid');
      expect(r.pac?.summary.clientName).toBe('alice');
      expect(
        checkClientInfo(r.pac!.pac, { authtime: r.ticketPart!.authtime, clientName: 'alice' }).status,
      ).toBe('valid');
    }
    expect(proxy.pac?.pac.delegationInfo?.s4uTransitedServices).toEqual([P('web').principal]);
  });
});
