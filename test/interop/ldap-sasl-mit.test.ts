/**
 * SASL GSSAPI (RFC 4752) to OpenLDAP with tskrb's initiator and SASL state machine, against the MIT lab: the web
 * service impersonates alice (S4U2Self, then S4U2Proxy to ldap/<host>), binds, and WhoAmI (RFC 4532) names alice;
 * the three lab slapds force no layer, integrity and confidentiality (sasl-secprops), so the WhoAmI after the bind
 * travels unwrapped, MIC-protected and sealed. Also alice's own TGT, and the refusals.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { KdcClient, type Session } from '../../src/client/kdc-client.js';
import { EncType } from '../../src/crypto/index.js';
import { ProtocolError } from '../../src/errors.js';
import { GssFlag } from '../../src/gss/constants.js';
import { initSecContext } from '../../src/gss/initiator.js';
import { type SaslLayer, saslGssapiClient } from '../../src/gss/sasl-gssapi.js';
import type { Credential } from '../../src/messages/index.js';
import { KdcError } from '../../src/messages/kdc-error.js';
import { labJson, labKeys, labOrStandIn, labTransport, mitLab } from '../helpers/lab.js';
import { LdapConnection, LdapResultCode, LdapResultError, saslBind } from './ldap-client.js';

/** .lab/ldap.json (scripts/lab/ldap.sh; schema in scripts/lab/README.md). */
interface LdapLabInfo {
  realm: string;
  mitCreatedAt: string;
  service: { principal: string; keytab: string };
  delegation: { service: string; front: string; allowedTo: string };
  users: Record<string, { principal: string; dn: string; authzId: string }>;
  servers: Record<SaslLayer, { host: string; port: number; log: string; layers: SaslLayer[] }>;
}

const lab = mitLab;
const ldap = labJson<LdapLabInfo>('ldap');
const why = !lab
  ? ' (lab not running: npm run lab:up)'
  : !ldap
    ? ' (LDAP lab not running: scripts/lab/ldap.sh up)'
    : '';
const LAYERS: readonly SaslLayer[] = ['none', 'integrity', 'confidentiality'];
const ENCTYPES: readonly (readonly [string, number])[] = [
  ['aes256-cts-hmac-sha1-96', EncType.AES256_CTS_HMAC_SHA1_96],
  ['aes128-cts-hmac-sha1-96', EncType.AES128_CTS_HMAC_SHA1_96],
  ['aes256-cts-hmac-sha384-192', EncType.AES256_CTS_HMAC_SHA384_192],
  ['aes128-cts-hmac-sha256-128', EncType.AES128_CTS_HMAC_SHA256_128],
  ['rc4-hmac', EncType.RC4_HMAC],
];

describe.skipIf(!lab || !ldap)(`MIT + OpenLDAP: SASL GSSAPI bind${why}`, () => {
  const L = labOrStandIn(lab);
  const D = labOrStandIn(ldap);
  const kdc = new KdcClient({ realm: L.realm, transport: labTransport(L) });
  let web: Session;
  let alice: Session;

  beforeAll(async () => {
    if (D.mitCreatedAt !== L['createdAt'])
      throw new Error(
        'ldap.json was made for an earlier MIT lab (mit.sh up since): run scripts/lab/ldap.sh up',
      );
    web = await kdc.login({
      principal: L.principals['web']!.principal,
      keys: labKeys(L.principals['web']!),
      forwardable: true,
    });
    alice = await kdc.login({
      principal: L.principals['alice']!.principal,
      password: L.principals['alice']!.password,
    });
  });

  /** alice's ticket to the LDAP service, from web through S4U2Self and S4U2Proxy. */
  async function impersonated(target = D.service.principal, etypes?: number[]): Promise<Credential> {
    const self = await web.s4u2self('alice');
    return (await web.s4u2proxy(self, target, etypes ? { etypes } : {})).credential;
  }

  /** Binds to one slapd with SASL GSSAPI; returns the open connection and the mechanism. */
  async function bind(
    credential: Credential,
    server: SaslLayer,
    o: { layers?: SaslLayer[]; flags?: number } = {},
  ) {
    const s = D.servers[server];
    const conn = await LdapConnection.open(s.host, s.port);
    const start = initSecContext({ credential, ...(o.flags === undefined ? {} : { flags: o.flags }) });
    const sasl = saslGssapiClient({ start, ...(o.layers ? { layers: o.layers } : {}) });
    try {
      return { conn, sasl, result: await saslBind(conn, 'GSSAPI', sasl) };
    } catch (e) {
      await conn.close();
      throw e;
    }
  }

  /** The SSF slapd logged for the last GSSAPI bind (the server's own view of the layer). */
  function lastBindSsf(server: SaslLayer): number {
    const lines = readFileSync(D.servers[server].log, 'utf8').split('\n');
    const last = lines.filter((l) => / BIND dn=".*" mech=GSSAPI /.test(l)).pop() ?? '';
    return Number(/ ssf=(\d+)/.exec(last)?.[1] ?? Number.NaN);
  }

  it.each(LAYERS)(
    'MIT: S4U2Self then S4U2Proxy to ldap/<host>, SASL GSSAPI bind to the %s slapd: that layer, WhoAmI is alice',
    async (server) => {
      const cred = await impersonated();
      expect(cred.client.name.nameString.join('/')).toBe('alice');
      // The client allows every layer (confidentiality first): the server's sasl-secprops decide.
      const { conn, sasl, result } = await bind(cred, server);
      try {
        expect(result.resultCode).toBe(LdapResultCode.success);
        expect(sasl.layer).toBe(server);
        expect(await conn.whoAmI()).toBe(D.users['alice']!.authzId);
        // A second wrapped operation: sequence numbers move on in both directions.
        expect(await conn.whoAmI()).toBe(D.users['alice']!.authzId);
        const layered = server !== 'none';
        expect(conn.wrapped).toEqual({ sent: layered ? 2 : 0, received: layered ? 2 : 0 });
        const ssf = lastBindSsf(server);
        if (server === 'none') expect(ssf).toBe(0);
        else if (server === 'integrity') expect(ssf).toBe(1);
        else expect(ssf).toBeGreaterThanOrEqual(56);
      } finally {
        await conn.close();
      }
    },
  );

  // RFC 4121 CFX tokens with aes-sha1 and aes-sha2 context keys, RFC 4757 tokens with rc4-hmac, as Cyrus reads them.
  it.each(
    ENCTYPES.flatMap(([name, etype]) =>
      (['integrity', 'confidentiality'] as const).map((server) => ({ name, etype, server })),
    ),
  )(
    'MIT: S4U2Proxy with a $name session key, bind to the $server slapd, WhoAmI is alice',
    async ({ etype, server }) => {
      const cred = await impersonated(D.service.principal, [etype]);
      expect(cred.sessionKey.etype).toBe(etype);
      const { conn, sasl } = await bind(cred, server);
      try {
        expect(sasl.layer).toBe(server);
        expect(await conn.whoAmI()).toBe(D.users['alice']!.authzId);
      } finally {
        await conn.close();
      }
    },
  );

  it("MIT: alice's own TGT (password login) to ldap/<host>, bind with confidentiality, WhoAmI is alice", async () => {
    const cred = await alice.getServiceTicket(D.service.principal);
    const { conn, sasl } = await bind(cred, 'confidentiality');
    try {
      expect(sasl.layer).toBe('confidentiality');
      expect(await conn.whoAmI()).toBe(D.users['alice']!.authzId);
    } finally {
      await conn.close();
    }
  });

  it('MIT: a ticket for another service (ldap/other) is refused by slapd: LdapResultError invalidCredentials', async () => {
    const cred = await alice.getServiceTicket(L.principals['ldapOther']!.principal);
    const err = await bind(cred, 'none').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LdapResultError);
    expect((err as LdapResultError).resultCode).toBe(LdapResultCode.invalidCredentials);
    expect((err as LdapResultError).result.diagnosticMessage).toMatch(/GSSAPI/);
  });

  it("MIT: S4U2Proxy to an LDAP service outside web's delegation list: KDC_ERR_BADOPTION", async () => {
    const err = await impersonated(L.principals['ldapOther']!.principal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KdcError);
    expect((err as KdcError).codeName).toBe('KDC_ERR_BADOPTION');
  });

  it('MIT: a client that demands confidentiality from the integrity-only slapd stops with ProtocolError sasl-layer', async () => {
    const cred = await impersonated();
    const err = await bind(cred, 'integrity', { layers: ['confidentiality'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).check).toBe('sasl-layer');
  });

  it('MIT: a context without CONF cannot take the confidentiality-only slapd: ProtocolError sasl-layer', async () => {
    const cred = await impersonated();
    const flags = GssFlag.MUTUAL | GssFlag.SEQUENCE | GssFlag.REPLAY | GssFlag.INTEG;
    const err = await bind(cred, 'confidentiality', { flags }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).check).toBe('sasl-layer');
  });
});
