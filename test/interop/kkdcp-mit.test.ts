// KKDCP against the real lab proxy (python3-kdcproxy under gunicorn, scripts/lab/kkdcp.sh) in front of the MIT
// lab KDC: AS and TGS through HTTPS only, with fetch's runtime trust replaced by the lab CA (node:https), through
// krb5.conf `kdc = https://…` with http_anchors, and the faults a real proxy produces (unknown realm: HTTP 503).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEncTicketPart } from '../../src/asn1/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { decrypt, KeyUsage } from '../../src/crypto/index.js';
import { DelegationClient } from '../../src/delegation/delegation-client.js';
import { TransportError } from '../../src/errors.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { openTicket } from '../../src/messages/ticket.js';
import { transportFromKrb5Conf } from '../../src/transport/kdc-transport.js';
import { KkdcpTransport } from '../../src/transport/kkdcp.js';
import { nodeHttpsPost } from '../../src/transport/kkdcp-node.js';
import { loadKrb5Conf } from '../../src/transport/krb5conf-file.js';
import type { Transport, TransportTraceEvent } from '../../src/transport/types.js';
import { labKeys, labOrStandIn, mitLab } from '../helpers/lab.js';

interface KkdcpLab {
  url: string;
  caCert: string;
  krb5Conf: string;
  realms: Record<string, { upstream: string[] }>;
}

const labRoot = process.env['TSKRB_LAB_DIR'] ?? new URL('../../.lab', import.meta.url).pathname;
const kkdcpFile = join(labRoot, 'kkdcp.json');
const proxy: KkdcpLab | undefined = existsSync(kkdcpFile)
  ? (JSON.parse(readFileSync(kkdcpFile, 'utf8')) as KkdcpLab)
  : undefined;
if (!proxy && process.env['CI'] === 'true')
  throw new Error(`CI=true but the KKDCP lab is not running (${kkdcpFile} missing)`);
const lab = proxy ? mitLab : undefined;
const title = lab
  ? 'MIT through the lab KKDCP proxy: AS, TGS and S4U over HTTPS'
  : 'MIT through the lab KKDCP proxy (lab not running: no .lab/kkdcp.json or .lab/mit.json; bash scripts/lab/kkdcp.sh up)';

describe.skipIf(!lab)(title, () => {
  const L = labOrStandIn(lab);
  const P = proxy!;
  // Read lazily: describe bodies run even when skipped.
  const caPem = () => readFileSync(P.caCert, 'utf8');
  const transport = (trace?: (e: TransportTraceEvent) => void) =>
    new KkdcpTransport({
      url: P.url,
      post: nodeHttpsPost({ ca: [caPem()] }),
      timeoutMs: 20_000,
      ...(trace ? { trace } : {}),
    });
  const cifsOpened = (t: Transport) => async () => {
    const alice = L.principals['alice']!;
    const s = await new KdcClient({ realm: L.realm, transport: t }).login({
      principal: alice.principal,
      password: alice.password,
    });
    const st = await s.getServiceTicket('cifs/file.mit.test');
    const key = labKeys(L.principals['cifs']!).find((k) => k.etype === st.ticket.encPart.etype)!;
    const part = decodeEncTicketPart(decrypt(key, KeyUsage.KdcRepTicket, st.ticket.encPart.cipher));
    return { s, st, part };
  };

  it('MIT via KKDCP: AS with password then TGS to cifs/file; the back end keytab opens the ticket', async () => {
    const events: TransportTraceEvent[] = [];
    const { s, part } = await cifsOpened(transport((e) => events.push(e)))();
    expect(s.tgt.flags.preAuthent).toBe(true);
    expect(part.cname.nameString).toEqual(['alice']);
    expect(part.crealm).toBe(L.realm);
    const ends = events.filter((e) => e.phase === 'end');
    // PREAUTH_REQUIRED round, the pre-authenticated AS-REQ, the TGS-REQ: all over https to the proxy.
    expect(ends.length).toBeGreaterThanOrEqual(3);
    for (const e of ends) {
      expect(e.kdc).toMatchObject({ proto: 'https', url: P.url });
      expect(e.record?.outcome).toBe('reply');
    }
  });

  it('MIT via KKDCP: AS with the service keytab (no pre-auth) for HTTP/web', async () => {
    const web = L.principals['web']!;
    const s = await new KdcClient({ realm: L.realm, transport: transport() }).login({
      principal: web.principal,
      keys: labKeys(web),
    });
    expect(s.tgt.client.name.nameString).toEqual(['HTTP', 'web.mit.test']);
  });

  it('MIT via KKDCP: S4U2Self then S4U2Proxy (HTTP/web for alice to cifs/file); the back end keytab opens the ticket', async () => {
    const events: TransportTraceEvent[] = [];
    const web = L.principals['web']!;
    const d = new DelegationClient({
      service: web.principal,
      realm: L.realm,
      transport: transport((e) => events.push(e)),
      keys: labKeys(web),
    });
    const t = await d.s4u2proxy('alice', 'cifs/file.mit.test');
    const part = openTicket(t.credential.ticket, labKeys(L.principals['cifs']!));
    expect(formatPrincipal(part.cname, part.crealm)).toBe(L.principals['alice']!.principal);
    expect(d.stats().exchanges).toMatchObject({ s4u2self: 1, s4u2proxy: 1 });
    expect(events.filter((e) => e.phase === 'end').every((e) => e.kdc.url === P.url)).toBe(true);
  });

  it('MIT via KKDCP: krb5.conf "kdc = https://…/KdcProxy" with http_anchors selects KKDCP in KdcTransport', async () => {
    const settings = loadKrb5Conf({ KRB5_CONFIG: P.krb5Conf });
    expect(settings.realms.get(L.realm)?.kdcs).toEqual([P.url]);
    const events: TransportTraceEvent[] = [];
    const t = transportFromKrb5Conf(settings, { timeoutMs: 20_000, trace: (e) => events.push(e) });
    const { part } = await cifsOpened(t)();
    expect(part.cname.nameString).toEqual(['alice']);
    expect(events.every((e) => e.kdc.proto === 'https')).toBe(true);
  });

  it('MIT via KKDCP: without the lab CA the TLS failure is a TransportError with a TLS hint', async () => {
    const t = new KkdcpTransport({ url: P.url, post: nodeHttpsPost(), timeoutMs: 10_000 });
    const err = await new KdcClient({ realm: L.realm, transport: t })
      .login({ principal: L.principals['alice']!.principal, password: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).hint).toMatch(/TLS|certificate/);
  });

  it('kdcproxy: a realm it does not serve is HTTP 503 with a hint naming the proxy configuration', async () => {
    const t = new KkdcpTransport({ url: P.url, post: nodeHttpsPost({ ca: [caPem()] }), timeoutMs: 20_000 });
    const err = await new KdcClient({ realm: 'NOWHERE.TEST', transport: t })
      .login({ principal: 'alice@NOWHERE.TEST', password: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).message).toMatch(/HTTP 503/);
    expect((err as TransportError).hint).toMatch(/realm/);
  });
});
