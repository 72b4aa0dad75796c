import { describe, expect, it } from 'vitest';
import {
  decodePaForUser,
  decodePaS4uX509User,
  encodeS4uUserId,
  NameType,
  PaDataType,
} from '../../src/asn1/index.js';
import { s4u2self } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import type { TraceEvent } from '../../src/client/trace.js';
import { ChecksumType, KeyUsage, verifyChecksum } from '../../src/crypto/index.js';
import { IntegrityError, KerberosError, ProtocolError } from '../../src/errors.js';
import { forUserChecksumData } from '../../src/s4u/index.js';
import { USER_CERT_DER } from '../s4u/fixtures.js';
import { FRONT, FRONT_KEY, frontTgt, KRBTGT_KEY, MiniKdc, miniClock, REALM, text } from '../s4u/mini-kdc.js';

function setup(kdc = new MiniKdc()) {
  const events: TraceEvent[] = [];
  const client = new KdcClient({
    realm: REALM,
    transport: kdc,
    trace: (e) => events.push(e),
    clock: miniClock,
  });
  return { kdc, client, events };
}

describe('s4u2self', () => {
  it('sends PA-TGS-REQ, PA-FOR-USER and PA-S4U-X509-USER, to the service itself, forwardable + canonicalize', async () => {
    const { kdc, client } = setup();
    const tgt = frontTgt();
    const r = await s4u2self(client, tgt, 'alice');
    const seen = kdc.seen[0]!;
    expect(seen.padataTypes).toEqual([PaDataType.TGS_REQ, PaDataType.FOR_USER, PaDataType.S4U_X509_USER]);
    expect(text({ realm: seen.req.reqBody.realm, name: seen.req.reqBody.sname! })).toBe(text(FRONT));
    expect(seen.req.reqBody.kdcOptions).toMatchObject({ forwardable: true, canonicalize: true });
    expect(seen.req.reqBody.kdcOptions.cnameInAddlTkt).toBeFalsy();
    expect(seen.req.reqBody.additionalTickets).toBeUndefined();

    // PA-FOR-USER: alice@UNIT.TEST with HMAC-MD5 keyed with the TGT session key, usage 17.
    const fu = decodePaForUser(seen.req.padata!.find((p) => p.padataType === 129)!.padataValue);
    expect(fu.userName).toEqual({ nameType: NameType.NT_PRINCIPAL, nameString: ['alice'] });
    expect(fu.userRealm).toBe(REALM);
    const data = forUserChecksumData({ realm: REALM, name: fu.userName });
    expect(verifyChecksum(ChecksumType.HMAC_MD5, tgt.sessionKey, 17, data, fu.cksum.checksum)).toBe(true);

    // PA-S4U-X509-USER: the request nonce, the user, signed with the authenticator subkey, usage 26.
    const x = decodePaS4uX509User(seen.req.padata!.find((p) => p.padataType === 130)!.padataValue);
    expect(x.userId.nonce).toBe(seen.req.reqBody.nonce);
    expect(x.userId.cname?.nameString).toEqual(['alice']);
    expect(x.userId.options?.signedWithKun27).toBe(true);
    expect(
      verifyChecksum(
        x.checksum.cksumtype,
        seen.subkey,
        KeyUsage.PaS4uX509UserRequest,
        encodeS4uUserId(x.userId),
        x.checksum.checksum,
      ),
    ).toBe(true);

    expect(r.step).toBe('S4U2Self');
    expect(text(r.user)).toBe(`alice@${REALM}`);
    expect(text(r.service)).toBe(text(FRONT));
    expect(r.forwardable).toBe(true);
    expect(r.warnings).toEqual([]);
    expect(r.userCheck).toMatchObject({ status: 'verified', usage: 27 });
    expect(r.encPart.nonce).toBe(seen.req.reqBody.nonce);
    expect(r.subkey?.bytes).toEqual(seen.subkey.bytes);
    expect(r.credential.sessionKey.bytes).toEqual(r.encPart.key.keyvalue);
  });

  it('opens its ticket with the service key when given', async () => {
    const { client } = setup();
    const r = await s4u2self(client, frontTgt(), 'alice', { serviceKeys: [FRONT_KEY] });
    expect(r.ticketPart?.cname.nameString).toEqual(['alice']);
    expect(r.pac).toBeUndefined();
    expect(r.delegationPath).toEqual([]);
  });

  it('a non-forwardable ticket warns, in the result and in the trace', async () => {
    const { client, events } = setup(new MiniKdc({ flags: {} }));
    const r = await s4u2self(client, frontTgt(), 'alice');
    expect(r.forwardable).toBe(false);
    expect(r.warnings).toEqual([
      expect.stringMatching(/not forwardable.*S4U2Proxy.*ok_to_auth_as_delegate.*TrustedToAuthForDelegation/),
    ]);
    expect(events.filter((e) => e.phase === 'warning').map((e) => e.summary)).toEqual(r.warnings);
  });

  it('no warning when forwardable was not asked for', async () => {
    const { kdc, client } = setup(new MiniKdc({ flags: {} }));
    const r = await s4u2self(client, frontTgt(), 'alice', { forwardable: false });
    expect(kdc.seen[0]!.req.reqBody.kdcOptions.forwardable).toBeFalsy();
    expect(r.warnings).toEqual([]);
  });

  it('a KDC that sends no PA-S4U-X509-USER (Samba): accepted with a warning, or refused when asked to', async () => {
    const r = await s4u2self(setup(new MiniKdc({ s4uReply: 'absent' })).client, frontTgt(), 'alice');
    expect(r.userCheck?.status).toBe('absent');
    expect(r.warnings).toEqual([expect.stringMatching(/no PA-S4U-X509-USER/)]);
    await expect(
      s4u2self(setup(new MiniKdc({ s4uReply: 'absent' })).client, frontTgt(), 'alice', {
        allowMissingUserCheck: false,
      }),
    ).rejects.toThrow(ProtocolError);
  });

  it('refuses a reply whose PA-S4U-X509-USER names another user', async () => {
    const kdc = new MiniKdc({ s4uReply: (u) => ({ ...u, cname: { nameType: 1, nameString: ['mallory'] } }) });
    await expect(s4u2self(setup(kdc).client, frontTgt(), 'alice')).rejects.toThrow(
      /user mallory@UNIT.TEST != requested alice@UNIT.TEST/,
    );
  });

  it('refuses a reply whose PA-S4U-X509-USER checksum does not verify', async () => {
    // The KDC signs the user id it echoes, then the echo is altered: the checksum no longer covers it.
    const kdc = new MiniKdc({ s4uReply: (u) => ({ ...u, options: {} }) });
    await expect(s4u2self(setup(kdc).client, frontTgt(), 'alice')).rejects.toThrow(IntegrityError);
  });

  it('refuses a reply that names another client than the user asked for', async () => {
    const kdc = new MiniKdc({
      replyClient: { realm: REALM, name: { nameType: 1, nameString: ['mallory'] } },
      s4uReply: 'absent',
    });
    await expect(s4u2self(setup(kdc).client, frontTgt(), 'alice')).rejects.toThrow(ProtocolError);
  });

  it.each([
    ['only PA-FOR-USER', { paS4uX509User: false }, [1, 129]],
    ['only PA-S4U-X509-USER', { paForUser: false }, [1, 130]],
  ] as const)('can send %s', async (_n, o, types) => {
    const { kdc, client } = setup();
    await s4u2self(client, frontTgt(), 'alice', o);
    expect(kdc.seen[0]!.padataTypes).toEqual(types);
  });

  it('by certificate: PA-S4U-X509-USER with the certificate and no cname, no PA-FOR-USER', async () => {
    const { kdc, client } = setup(new MiniKdc({ s4uReply: 'absent' }));
    const cert = USER_CERT_DER;
    // The mini KDC, like Samba, ignores PA-S4U-X509-USER and names the service: refused (MS-SFU 1.5).
    const err = await s4u2self(client, frontTgt(), undefined, { certificate: cert }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).check).toBe('s4u2self-client');
    expect((err as ProtocolError).hint).toMatch(/by certificate/);
    const seen = kdc.seen[0]!;
    expect(seen.padataTypes).toEqual([1, 130]);
    const x = decodePaS4uX509User(seen.req.padata![1]!.padataValue);
    expect(x.userId.cname).toBeUndefined();
    expect(x.userId.subjectCertificate).toEqual(cert);
    expect(x.userId.crealm).toBe(REALM);
  });

  it('needs a user or a certificate', async () => {
    await expect(s4u2self(setup().client, frontTgt(), undefined)).rejects.toThrow(KerberosError);
  });

  it('user-to-user: enc-tkt-in-skey with the given TGT in additional-tickets', async () => {
    const { kdc, client } = setup();
    const tgt = frontTgt();
    await s4u2self(client, tgt, 'alice', { u2uTgt: tgt });
    const body = kdc.seen[0]!.req.reqBody;
    expect(body.kdcOptions.encTktInSkey).toBe(true);
    expect(body.additionalTickets).toEqual([tgt.ticket]);
  });

  it('a renewable TGT: asks renewable with rtime = the TGT renew-till, as MIT; renewable: false turns it off', async () => {
    const renewTill = new Date('2026-11-30T10:00:00Z');
    const tgt = { ...frontTgt({ forwardable: true, initial: true, renewable: true }), renewTill };
    const { kdc, client } = setup();
    await s4u2self(client, tgt, 'alice');
    expect(kdc.seen[0]!.req.reqBody.kdcOptions).toMatchObject({ forwardable: true, renewable: true });
    expect(kdc.seen[0]!.req.reqBody.rtime?.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    await s4u2self(client, tgt, 'alice', { renewable: false });
    expect(kdc.seen[1]!.req.reqBody.kdcOptions.renewable).toBeFalsy();
    expect(kdc.seen[1]!.req.reqBody.rtime).toBeUndefined();
    await s4u2self(client, frontTgt(), 'alice');
    expect(kdc.seen[2]!.req.reqBody.kdcOptions.renewable).toBeFalsy();
  });
});

describe('s4u2self strict modes', () => {
  it('allowMissingUserCheck: false turns a missing PA-S4U-X509-USER echo into ProtocolError s4u-x509-user with a hint', async () => {
    const err = await s4u2self(setup(new MiniKdc({ s4uReply: 'absent' })).client, frontTgt(), 'alice', {
      allowMissingUserCheck: false,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).check).toBe('s4u-x509-user');
    expect((err as ProtocolError).hint).toMatch(/allowMissingUserCheck/);
    // An echoing KDC passes the strict mode.
    const ok = await s4u2self(setup().client, frontTgt(), 'alice', { allowMissingUserCheck: false });
    expect(ok.userCheck?.status).toBe('verified');
  });

  it.each([
    ['no PAC, requirePac', undefined, { requirePac: true }, /has no PAC/],
    ['no PAC, requirePacVerified', undefined, { requirePacVerified: true }, /has no PAC/],
    [
      'server signature by another key',
      'bad-server',
      { requirePacVerified: true },
      /server signature invalid/,
    ],
  ] as const)('%s: ProtocolError check pac with a hint', async (_n, pac, policy, message) => {
    const kdc = new MiniKdc(pac ? { pac } : {});
    const err = await s4u2self(setup(kdc).client, frontTgt(), 'alice', {
      serviceKeys: [FRONT_KEY],
      kdcKeys: [KRBTGT_KEY],
      ...policy,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).check).toBe('pac');
    expect((err as ProtocolError).message).toMatch(message);
    expect((err as ProtocolError).hint).toBeTruthy();
  });

  it('a PAC signed with the service and krbtgt keys passes requirePacVerified; a bad one passes requirePac only', async () => {
    const keys = { serviceKeys: [FRONT_KEY], kdcKeys: [KRBTGT_KEY] };
    const good = await s4u2self(setup(new MiniKdc({ pac: 'signed' })).client, frontTgt(), 'alice', {
      ...keys,
      requirePacVerified: true,
    });
    expect(good.pac?.verification.server.status).toBe('valid');
    expect(good.pac?.verification.kdc.status).toBe('valid');
    const lax = await s4u2self(setup(new MiniKdc({ pac: 'bad-server' })).client, frontTgt(), 'alice', {
      ...keys,
      requirePac: true,
    });
    expect(lax.pac?.verification.verified).toBe(false);
  });

  it('a PAC requirement without serviceKeys is a usage error, before trusting the ticket', async () => {
    await expect(
      s4u2self(setup(new MiniKdc({ pac: 'signed' })).client, frontTgt(), 'alice', { requirePac: true }),
    ).rejects.toThrow(/needs the ticket server's keys/);
  });
});
