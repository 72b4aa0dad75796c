// KKDCP to the Samba AD DC through the lab proxy (python3-kdcproxy, scripts/lab/kkdcp.sh): an AS exchange whose
// reply carries a full PAC (too big for UDP: the proxy speaks TCP to the KDC), and constrained delegation
// (websvc -> cifs/file.samba.test) with S4U2Self + S4U2Proxy, the back end opening the ticket.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KdcClient } from '../../src/client/kdc-client.js';
import { DelegationClient } from '../../src/delegation/delegation-client.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { openTicket } from '../../src/messages/ticket.js';
import { KkdcpTransport } from '../../src/transport/kkdcp.js';
import { nodeHttpsPost } from '../../src/transport/kkdcp-node.js';
import type { TransportTraceEvent } from '../../src/transport/types.js';
import { labKeys, labOrStandIn, sambaLab } from '../helpers/lab.js';

interface KkdcpLab {
  url: string;
  caCert: string;
  realms: Record<string, unknown>;
}

const labRoot = process.env['TSKRB_LAB_DIR'] ?? new URL('../../.lab', import.meta.url).pathname;
const kkdcpFile = join(labRoot, 'kkdcp.json');
const proxy: KkdcpLab | undefined = existsSync(kkdcpFile)
  ? (JSON.parse(readFileSync(kkdcpFile, 'utf8')) as KkdcpLab)
  : undefined;
if (!proxy && process.env['CI'] === 'true')
  throw new Error(`CI=true but the KKDCP lab is not running (${kkdcpFile} missing)`);
const lab = proxy && sambaLab && proxy.realms[sambaLab.realm] ? sambaLab : undefined;
const title = lab
  ? 'Samba AD DC through the lab KKDCP proxy'
  : 'Samba AD DC through the lab KKDCP proxy (lab not running, or the proxy started before Samba: bash scripts/lab/kkdcp.sh up)';

describe.skipIf(!lab)(title, () => {
  const L = labOrStandIn(lab);
  const P = proxy!;
  const events: TransportTraceEvent[] = [];
  // Built lazily: describe bodies run even when skipped.
  const transportOf = () =>
    new KkdcpTransport({
      url: P.url,
      post: nodeHttpsPost({ ca: [readFileSync(P.caCert, 'utf8')] }),
      timeoutMs: 20_000,
      trace: (e) => events.push(e),
    });

  it('Samba via KKDCP: AS with password; the TGT reply with its PAC arrives whole (no RESPONSE_TOO_BIG)', async () => {
    const alice = L.principals['alice']!;
    const s = await new KdcClient({ realm: L.realm, transport: transportOf() }).login({
      principal: alice.principal,
      password: alice.password,
    });
    expect(formatPrincipal(s.tgt.client.name, s.tgt.client.realm)).toBe(alice.principal);
    const ends = events.filter((e) => e.phase === 'end');
    expect(ends.every((e) => e.record?.outcome === 'reply')).toBe(true);
    // Samba answers this AS-REQ over UDP with KRB_ERR_RESPONSE_TOO_BIG (LAB-NOTES); through the proxy it is whole.
    expect(Math.max(...ends.map((e) => e.bytesReceived ?? 0))).toBeGreaterThan(1400);
  });

  it('Samba via KKDCP: S4U2Self + S4U2Proxy websvc -> cifs/file.samba.test; the back end opens the ticket', async () => {
    const web = L.principals['websvc']!;
    const d = new DelegationClient({
      service: web.principal,
      realm: L.realm,
      transport: transportOf(),
      keys: labKeys(web),
    });
    const t = await d.s4u2proxy('alice', 'cifs/file.samba.test');
    const part = openTicket(t.credential.ticket, labKeys(L.principals['filesvc']!));
    expect(formatPrincipal(part.cname, part.crealm)).toBe(L.principals['alice']!.principal);
  });
});
