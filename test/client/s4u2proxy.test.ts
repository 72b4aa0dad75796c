import { describe, expect, it } from 'vitest';
import { decodePaPacOptions, PaDataType } from '../../src/asn1/index.js';
import { s4u2proxy, s4u2self } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import type { TraceEvent } from '../../src/client/trace.js';
import { ProtocolError } from '../../src/errors.js';
import { BACK, BACK_KEY, frontTgt, KRBTGT_KEY, MiniKdc, miniClock, REALM, text } from '../s4u/mini-kdc.js';

function setup(kdc = new MiniKdc()) {
  const events: TraceEvent[] = [];
  const client = new KdcClient({
    realm: REALM,
    transport: kdc,
    clock: miniClock,
    trace: (e) => events.push(e),
  });
  return { kdc, client, events };
}

describe('s4u2proxy', () => {
  it('sends cname-in-addl-tkt, the evidence in additional-tickets and PA-PAC-OPTIONS (RBCD); the reply names the user', async () => {
    const { kdc, client } = setup();
    const tgt = frontTgt();
    const self = await s4u2self(client, tgt, 'alice');
    const r = await s4u2proxy(client, tgt, self, 'cifs/file.unit.test', { serviceKeys: [BACK_KEY] });
    const seen = kdc.seen[1]!;
    expect(seen.padataTypes).toEqual([PaDataType.TGS_REQ, PaDataType.PAC_OPTIONS]);
    const pacOptions = decodePaPacOptions(seen.req.padata![1]!.padataValue);
    expect(pacOptions.flags.resourceBasedConstrainedDelegation).toBe(true);
    expect(seen.req.reqBody.kdcOptions).toMatchObject({
      forwardable: true,
      cnameInAddlTkt: true,
      canonicalize: true,
    });
    expect(seen.req.reqBody.additionalTickets).toEqual([self.ticket]);
    expect(text({ realm: seen.req.reqBody.realm, name: seen.req.reqBody.sname! })).toBe(text(BACK));
    // The authenticator is the front service's: S4U2Proxy is the service speaking, in the user's name.
    expect(seen.authenticator.cname.nameString).toEqual(['HTTP', 'web.unit.test']);

    expect(r.step).toBe('S4U2Proxy');
    expect(text(r.user)).toBe(`alice@${REALM}`);
    expect(text(r.service)).toBe(text(BACK));
    expect(r.ticketPart?.cname.nameString).toEqual(['alice']);
    expect(r.warnings).toEqual([]);
    expect(r.userCheck).toBeUndefined();
  });

  it('without RBCD: no PA-PAC-OPTIONS', async () => {
    const { kdc, client } = setup();
    const tgt = frontTgt();
    await s4u2proxy(client, tgt, await s4u2self(client, tgt, 'alice'), BACK, { rbcd: false });
    expect(kdc.seen[1]!.padataTypes).toEqual([PaDataType.TGS_REQ]);
  });

  it('warns before sending non-forwardable evidence', async () => {
    const { client, events } = setup(new MiniKdc({ flags: {} }));
    const tgt = frontTgt();
    const self = await s4u2self(client, tgt, 'alice');
    const r = await s4u2proxy(client, tgt, self, BACK);
    expect(r.warnings).toEqual([expect.stringMatching(/evidence ticket is not forwardable/)]);
    expect(events.some((e) => e.step === 'S4U2Proxy' && e.phase === 'warning')).toBe(true);
  });

  it('accepts a bare ticket a user presented, and refuses a reply for another client than the evidence names', async () => {
    const { client } = setup();
    const tgt = frontTgt();
    const self = await s4u2self(client, tgt, 'alice');
    const bare = await s4u2proxy(client, tgt, { ticket: self.ticket }, BACK);
    expect(text(bare.user)).toBe(`alice@${REALM}`);
    const bob = { realm: REALM, name: { nameType: 1, nameString: ['bob'] } };
    await expect(s4u2proxy(client, tgt, { ticket: self.ticket, client: bob }, BACK)).rejects.toThrow(
      /reply check 'cname'/,
    );
  });

  it('a renewable TGT: asks renewable with rtime = the TGT renew-till; renewable: false turns it off', async () => {
    const { kdc, client } = setup();
    const renewTill = new Date('2026-11-30T10:00:00Z');
    const tgt = { ...frontTgt({ forwardable: true, initial: true, renewable: true }), renewTill };
    const self = await s4u2self(client, tgt, 'alice');
    await s4u2proxy(client, tgt, self, BACK);
    expect(kdc.seen[1]!.req.reqBody.kdcOptions).toMatchObject({ cnameInAddlTkt: true, renewable: true });
    expect(kdc.seen[1]!.req.reqBody.rtime?.toISOString()).toBe('2026-11-30T10:00:00.000Z');
    await s4u2proxy(client, tgt, self, BACK, { renewable: false });
    expect(kdc.seen[2]!.req.reqBody.kdcOptions.renewable).toBeFalsy();
    expect(kdc.seen[2]!.req.reqBody.rtime).toBeUndefined();
  });

  it.each([
    ['no PAC', undefined, /has no PAC/],
    ['a PAC not signed with the target key', 'bad-server', /does not verify/],
  ] as const)('requirePacVerified, %s: ProtocolError check pac', async (_n, pac, message) => {
    const { client } = setup(new MiniKdc(pac ? { pac } : {}));
    const tgt = frontTgt();
    const self = await s4u2self(client, tgt, 'alice');
    const err = await s4u2proxy(client, tgt, self, BACK, {
      serviceKeys: [BACK_KEY],
      kdcKeys: [KRBTGT_KEY],
      requirePacVerified: true,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).check).toBe('pac');
    expect((err as ProtocolError).message).toMatch(message);
  });

  it('requirePacVerified: a PAC signed with the target and krbtgt keys passes', async () => {
    const { client } = setup(new MiniKdc({ pac: 'signed' }));
    const tgt = frontTgt();
    const r = await s4u2proxy(client, tgt, await s4u2self(client, tgt, 'alice'), BACK, {
      serviceKeys: [BACK_KEY],
      kdcKeys: [KRBTGT_KEY],
      requirePacVerified: true,
    });
    expect(r.pac?.verification.verified).toBe(true);
    expect(r.pac?.verification.kdc.status).toBe('valid');
  });
});
