/** SASL GSSAPI (RFC 4752 3): client and server state machines, on the toy mechanism and on real Kerberos. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GssFlag } from '../../src/gss/constants.js';
import {
  SASL_MAX_BUFFER,
  type SaslAcceptedMech,
  type SaslGssInitiator,
  type SaslLayer,
  saslGssapiClient,
  saslGssapiServer,
} from '../../src/gss/sasl-gssapi.js';
import { fromUtf8, toHex, utf8 } from '../../src/util/bytes.js';
import { checkOf, ENCTYPES, krb5Mech, ToyContext, toyMech } from './spnego-fixtures.js';

/** Plaintext of a toy Wrap token (the toy mechanism leaves conf=false tokens readable). */
const toyPlain = (t: Uint8Array): Uint8Array => t.subarray(33);

/** Runs the exchange to the end; returns both ends and the challenges the server sent. */
function run<C extends SaslGssInitiator, R extends SaslAcceptedMech>(
  mech: { start: () => { token: Uint8Array; context: C }; accept: (token: Uint8Array) => R },
  o: {
    client?: SaslLayer[];
    server?: SaslLayer[];
    authzid?: string;
    serverMax?: number;
    clientMax?: number;
  } = {},
) {
  const client = saslGssapiClient({
    start: mech.start(),
    ...(o.client ? { layers: o.client } : {}),
    ...(o.authzid === undefined ? {} : { authzid: o.authzid }),
    ...(o.clientMax === undefined ? {} : { maxBuffer: o.clientMax }),
  });
  const server = saslGssapiServer({
    accept: mech.accept,
    ...(o.server ? { layers: o.server } : {}),
    ...(o.serverMax === undefined ? {} : { maxBuffer: o.serverMax }),
  });
  const challenges: Uint8Array[] = [];
  const responses: Uint8Array[] = [client.initialResponse];
  let challenge = server.step(client.initialResponse);
  while (challenge !== undefined) {
    challenges.push(challenge);
    const r = client.step(challenge);
    responses.push(r);
    challenge = server.step(r);
  }
  return { client, server, challenges, responses };
}

describe('the exchange (RFC 4752 3.1)', () => {
  it('mutual: AP-REQ, AP-REP / empty, offer / choice; confidentiality preferred by default', () => {
    const { client, server, challenges, responses } = run(toyMech());
    expect(challenges.map((c, i) => (i === 0 ? fromUtf8(c) : 'wrapped'))).toEqual(['AP-REP', 'wrapped']);
    expect(responses[1]).toEqual(new Uint8Array(0));
    // Offer: all three layers, 65536 bytes; reply: confidentiality, 65536 bytes, no authzid.
    expect(toHex(toyPlain(challenges[1]!))).toBe('07010000');
    expect(challenges[1]![0]).toBe(0); // wrapped without confidentiality, as RFC 4752 says
    expect(toHex(toyPlain(responses[2]!))).toBe('04010000');
    expect(client.complete && server.complete).toBe(true);
    expect(client.layer).toBe('confidentiality');
    expect(server.layer).toBe('confidentiality');
    expect(server.authzid).toBe('');
    expect(client.peerMaxBuffer).toBe(65536);
    expect(server.peerMaxBuffer).toBe(65536);
    expect(fromUtf8(server.unwrap(client.wrap(utf8('bind'))))).toBe('bind');
    expect(fromUtf8(client.unwrap(server.wrap(utf8('result'))))).toBe('result');
    expect(client.wrap(utf8('x'))[0]).toBe(1); // sealed
  });

  it('when the acceptor makes no AP-REP the server offers at once', () => {
    const { challenges, client } = run(toyMech({ mutual: false }));
    expect(challenges).toHaveLength(1);
    expect(client.layer).toBe('confidentiality');
  });

  it('an authorization identity travels as UTF-8 after the 4 octets', () => {
    const { server, responses } = run(toyMech(), { authzid: 'u:älice' });
    expect(server.authzid).toBe('u:älice');
    expect(toHex(toyPlain(responses[2]!))).toBe(`04010000${toHex(utf8('u:älice'))}`);
  });

  it('integrity layer: wrapped, not sealed', () => {
    const { client, server } = run(toyMech(), { client: ['integrity', 'none'] });
    expect(client.layer).toBe('integrity');
    expect(server.layer).toBe('integrity');
    const t = client.wrap(utf8('abc'));
    expect(t[0]).toBe(0);
    expect(fromUtf8(server.unwrap(t))).toBe('abc');
  });

  it('layer none (LDAP over TLS): max size 0 both ways, buffers pass through', () => {
    const { client, server, challenges, responses } = run(toyMech(), { server: ['none'] });
    expect(toHex(toyPlain(challenges[1]!))).toBe('01000000');
    expect(toHex(toyPlain(responses[2]!))).toBe('01000000');
    expect(client.layer).toBe('none');
    expect(client.wrap(utf8('plain'))).toEqual(utf8('plain'));
    expect(server.unwrap(utf8('plain'))).toEqual(utf8('plain'));
  });

  it('a context without CONF: the server does not offer confidentiality, the client takes integrity', () => {
    const { client, challenges } = run(toyMech({ flags: GssFlag.MUTUAL | GssFlag.INTEG }));
    expect(toHex(toyPlain(challenges[1]!))).toBe('03010000');
    expect(client.layer).toBe('integrity');
  });
});

describe('refusals', () => {
  it('no acceptable layer on offer: sasl-layer', () => {
    expect(checkOf(() => run(toyMech(), { server: ['none'], client: ['confidentiality'] }))).toBe(
      'sasl-layer',
    );
    expect(checkOf(() => run(toyMech({ flags: GssFlag.MUTUAL }), { server: ['integrity'] }))).toBe(
      'sasl-layer',
    );
  });

  it('a server offer that is not 4 octets: sasl-offer', () => {
    const mech = toyMech();
    const client = saslGssapiClient({ start: mech.start() });
    client.step(utf8('AP-REP'));
    const serverCtx = new ToyContext(false, 0, utf8('toy secret'));
    expect(checkOf(() => client.step(serverCtx.wrap(Uint8Array.of(7, 1, 0, 0, 0), { conf: false })))).toBe(
      'sasl-offer',
    );
  });

  /** A server that has sent its offer, and the toy client context to forge replies with. */
  function awaitingReply() {
    const mech = toyMech();
    const server = saslGssapiServer({ accept: mech.accept, layers: ['integrity', 'none'] });
    server.step(utf8('AP-REQ#1'));
    server.step(new Uint8Array(0));
    const ctx = new ToyContext(true, 0, utf8('toy secret'));
    return { server, reply: (b: number[]) => ctx.wrap(Uint8Array.from(b), { conf: false }) };
  }

  it.each([
    ['a layer not offered', [4, 0, 1, 0], 'sasl-layer'],
    ['two layers at once', [3, 0, 1, 0], 'sasl-layer'],
    ['no layer bit', [0, 0, 1, 0], 'sasl-layer'],
    ['fewer than 4 octets', [2, 0, 1], 'sasl-reply'],
    ['an authzid that is not UTF-8', [2, 0, 1, 0, 0xff, 0xfe], 'sasl-authzid'],
    ['an authzid with NUL', [2, 0, 1, 0, 0x61, 0], 'sasl-authzid'],
  ])('server refuses a reply with %s: %s', (_, bytes, check) => {
    const { server, reply } = awaitingReply();
    expect(checkOf(() => server.step(reply(bytes)))).toBe(check);
    expect(server.complete).toBe(false);
  });

  it('server: a non-empty response after the AP-REP, and any step after the end: sasl-state', () => {
    const mech = toyMech();
    const server = saslGssapiServer({ accept: mech.accept });
    server.step(utf8('AP-REQ#1'));
    expect(checkOf(() => server.step(utf8('?')))).toBe('sasl-state');
    const done = run(toyMech()).server;
    expect(checkOf(() => done.step(new Uint8Array(0)))).toBe('sasl-state');
  });

  it('client: a step after the end, wrap before it, a bad authzid, no mutual authentication: named checks', () => {
    const { client } = run(toyMech());
    expect(checkOf(() => client.step(new Uint8Array(0)))).toBe('sasl-state');
    const fresh = saslGssapiClient({ start: toyMech().start() });
    expect(checkOf(() => fresh.wrap(utf8('x')))).toBe('sasl-state');
    expect(checkOf(() => fresh.unwrap(utf8('x')))).toBe('sasl-state');
    expect(checkOf(() => saslGssapiClient({ start: toyMech().start(), authzid: 'a\0b' }))).toBe(
      'sasl-authzid',
    );
    expect(checkOf(() => saslGssapiClient({ start: toyMech().start(), layers: [] }))).toBe('sasl-layer');
    const noMutual = toyMech({ mutual: false, flags: GssFlag.CONF | GssFlag.INTEG });
    expect(checkOf(() => saslGssapiClient({ start: noMutual.start() }))).toBe('sasl-mutual');
  });

  it('an unsealed buffer on a confidentiality layer: sasl-layer', () => {
    const { client, server } = run(toyMech());
    const serverCtx = new ToyContext(false, 0, utf8('toy secret'));
    expect(checkOf(() => client.unwrap(serverCtx.wrap(utf8('x'), { conf: false })))).toBe('sasl-layer');
    expect(server.layer).toBe('confidentiality');
  });

  it('buffers over the maximum sizes: sasl-max-buffer', () => {
    const { client, server } = run(toyMech(), { serverMax: 100, clientMax: 50 });
    expect(client.peerMaxBuffer).toBe(100);
    expect(server.peerMaxBuffer).toBe(50);
    expect(checkOf(() => client.wrap(new Uint8Array(80)))).toBe('sasl-max-buffer'); // 33 + 80 > 100
    expect(client.wrap(new Uint8Array(60)).length).toBe(93);
    expect(checkOf(() => client.unwrap(new Uint8Array(51)))).toBe('sasl-max-buffer');
    for (const maxBuffer of [-1, SASL_MAX_BUFFER + 1, 1.5])
      expect(checkOf(() => saslGssapiClient({ start: toyMech().start(), maxBuffer }))).toBe(
        'sasl-max-buffer',
      );
  });
});

describe('properties', () => {
  it('any offer or reply plaintext: a negotiated layer or a named refusal, never a crash', () => {
    const toyWrap = (initiator: boolean, b: Uint8Array) =>
      new ToyContext(initiator, 0, utf8('toy secret')).wrap(b, { conf: false });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.boolean(), (plain, toClient) => {
        let check: string | undefined;
        if (toClient) {
          const client = saslGssapiClient({ start: toyMech().start() });
          client.step(utf8('AP-REP'));
          check = checkOf(() => client.step(toyWrap(false, plain)));
          if (check === undefined) expect(client.complete).toBe(true);
        } else {
          const server = saslGssapiServer({ accept: toyMech().accept });
          server.step(utf8('AP-REQ#1'));
          server.step(new Uint8Array(0));
          check = checkOf(() => server.step(toyWrap(true, plain)));
          if (check === undefined) expect(server.complete).toBe(true);
        }
        if (check !== undefined) expect(check).toMatch(/^sasl-(offer|reply|layer|authzid)$/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe.each(ENCTYPES)('over real Kerberos, $name', ({ etype, size }) => {
  it.each(['confidentiality', 'integrity', 'none'] as const)(
    'layer %s, with authzid, both directions',
    (layer) => {
      const mech = krb5Mech(etype, size);
      const { client, server, challenges } = run(mech, { client: [layer], authzid: 'dn:cn=alice' });
      const s = server;
      const c = client;
      expect(challenges).toHaveLength(2); // AP-REP, then the offer
      expect(s.result!.client.name.nameString).toEqual(['alice']);
      expect(s.authzid).toBe('dn:cn=alice');
      expect(c.layer).toBe(layer);
      expect(fromUtf8(s.unwrap(c.wrap(utf8('search request'))))).toBe('search request');
      expect(fromUtf8(c.unwrap(s.wrap(utf8('search result'))))).toBe('search result');
      // The offer itself is a Wrap token without confidentiality.
      const fresh = krb5Mech(etype, size);
      const start = fresh.start();
      const srv = saslGssapiServer({ accept: fresh.accept });
      const apRep = srv.step(start.token)!;
      start.context.step(apRep);
      const offer = start.context.unwrap(srv.step(new Uint8Array(0))!);
      expect(offer.conf).toBe(false);
      expect(toHex(offer.message)).toBe('07010000');
    },
  );
});
