// The README's library quickstart, step for step, against the MIT lab: a service logs in with its keytab,
// impersonates a user (S4U2Self), delegates to a back end (S4U2Proxy) and writes a ccache MIT's tools accept.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEncTicketPart } from '../../src/asn1/index.js';
import { ccacheOf } from '../../src/client/ccache-bridge.js';
import { readKeytabFile, writeCcacheFile } from '../../src/creds/files.js';
import { findKeytabEntries } from '../../src/creds/index.js';
import { decrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import { formatPrincipal, KdcClient, KdcTransport } from '../../src/index.js';
import { labKey, labOrStandIn, mitLab } from '../helpers/lab.js';

const lab = mitLab;

describe.skipIf(!lab)(
  `README quickstart against MIT${lab ? '' : ' (lab not running: npm run lab:up)'}`,
  () => {
    const L = labOrStandIn(lab);

    it('login with a keytab, S4U2Self for alice, S4U2Proxy to cifs, ccache listed by MIT klist', async () => {
      const web = L.principals['web']!;
      const kt = await readKeytabFile(web.keytab!);
      const keys = findKeytabEntries(kt, {
        principal: { realm: L.realm, nameType: 1, components: ['HTTP', 'web.mit.test'] },
      }).map((e) => new Key(e.key.etype, e.key.bytes));

      const kdc = new KdcClient({
        realm: L.realm,
        transport: new KdcTransport({ kdcs: { [L.realm]: L.kdcs } }),
      });
      const svc = await kdc.login({ principal: 'HTTP/web.mit.test', keys, forwardable: true });
      const self = await svc.s4u2self('alice');
      expect(self.forwardable).toBe(true);
      expect(formatPrincipal(self.user.name, self.user.realm)).toBe(`alice@${L.realm}`);
      const toFile = await svc.s4u2proxy(self, 'cifs/file.mit.test');

      const etp = decodeEncTicketPart(
        decrypt(
          labKey(L.principals['cifs']!, toFile.ticket.encPart.etype),
          KeyUsage.KdcRepTicket,
          toFile.ticket.encPart.cipher,
        ),
      );
      expect(formatPrincipal(etp.cname, etp.crealm)).toBe(`alice@${L.realm}`);

      const cc = join(mkdtempSync(join(tmpdir(), 'tskrb-qs-')), 'cc');
      await writeCcacheFile(cc, ccacheOf(toFile.credential));
      const list = execFileSync('klist', [], { env: { ...process.env, ...L.env, KRB5CCNAME: `FILE:${cc}` } });
      expect(list.toString()).toContain(`cifs/file.mit.test@${L.realm}`);
      expect(list.toString()).toContain(`Default principal: alice@${L.realm}`);
    });
  },
);
