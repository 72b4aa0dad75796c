// Proves tskrb's GSS-API Kerberos mechanism (src/gss/) against MIT krb5's own GSS-API: MIT's sample programs
// gss-server and gss-client (Debian krb5-gss-samples) in the MIT lab, spoken to through their length-prefixed
// protocol (gss-sample-protocol.ts); and Samba-issued tickets accepted with their PAC verified.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KdcClient, type Session } from '../../src/client/kdc-client.js';
import { enctypeName } from '../../src/crypto/index.js';
import { ProtocolError } from '../../src/errors.js';
import { type AcceptorOptions, type AcceptResult, acceptSecContext } from '../../src/gss/acceptor.js';
import { GssFlag, GssMechOid } from '../../src/gss/constants.js';
import type { GssContext } from '../../src/gss/context.js';
import { decodeGssToken } from '../../src/gss/framing.js';
import { type InitiatorContext, initSecContext } from '../../src/gss/initiator.js';
import { MemoryReplayCache } from '../../src/gss/replay-cache.js';
import { type SpnegoAcceptor, spnegoAccept } from '../../src/gss/spnego-acceptor.js';
import { spnegoInit, WINDOWS_KRB5_MECHS } from '../../src/gss/spnego-initiator.js';
import type { Credential } from '../../src/messages/credential.js';
import { formatPrincipal, krbtgt, parsePrincipal } from '../../src/messages/principal.js';
import { fromUtf8, toHex, utf8 } from '../../src/util/bytes.js';
import {
  type LabInfo,
  type LabPrincipal,
  labKeys,
  labOrStandIn,
  labTransport,
  mitLab,
  sambaLab,
} from '../helpers/lab.js';
import {
  type GssServerProcess,
  hasPythonGssapi,
  kinitPassword,
  type LabGssService,
  labGss,
  rc4FirstKrb5Conf,
  runGssClient,
  runPeerInitiator,
  startGssServer,
  startPeerAcceptor,
} from './gss-sample-programs.js';
import {
  runSampleClient,
  type SampleAcceptor,
  type SampleClientOptions,
  type SampleClientResult,
  type SampleInitiator,
  type SampleServer,
  type SampleServerSession,
  SampleSessionError,
  startSampleRelay,
  startSampleServer,
} from './gss-sample-protocol.js';

const mit = mitLab;
const notRunning = ' (lab not running: npm run lab:up)';

/** The sample client's view of a tskrb initiator context. */
function sampleInitiator(token: Uint8Array, context: InitiatorContext): SampleInitiator {
  return {
    initialToken: token,
    established: () => context.established,
    step: (reply) => {
      context.step(reply);
      return undefined;
    },
    wrap: (m, conf) => context.wrap(m, { conf }),
    verifyMic: (m, mic) => context.verifyMic(m, mic),
    getMic: (m) => context.getMic(m),
    unwrap: (t) => context.unwrap(t),
  };
}

/**
 * The sample server's view of tskrb's acceptor for one connection: a bare krb5 token goes to acceptSecContext, an
 * SPNEGO one (`spnego`) to spnegoAccept around it. Every AcceptResult is handed to `seen`.
 */
function sampleAcceptor(o: AcceptorOptions, seen: (r: AcceptResult) => void, spnego = false): SampleAcceptor {
  let context: GssContext | undefined;
  let negotiation: SpnegoAcceptor<AcceptResult> | undefined;
  const accept = (token: Uint8Array) => {
    const r = acceptSecContext(token, o);
    seen(r);
    context = r.context;
    return r;
  };
  return {
    accept(token) {
      if (!spnego) return { output: accept(token).outputToken, established: true };
      if (!negotiation) {
        const start = spnegoAccept(token, accept);
        negotiation = start.acceptor;
        return { output: start.outputToken, established: negotiation.established };
      }
      return { output: negotiation.step(token), established: negotiation.established };
    },
    unwrap: (t) => context!.unwrap(t),
    getMic: (m) => context!.getMic(m),
    verifyMic: (m, t) => context!.verifyMic(m, t),
    wrap: (m, conf) => context!.wrap(m, { conf }),
  };
}

/** The check named by a ProtocolError (through a failed sample session's cause). */
function checkOf(e: unknown): string | undefined {
  const inner = e instanceof SampleSessionError ? e.cause : e;
  return inner instanceof ProtocolError ? inner.check : undefined;
}

/** A per-message token without RFC 2743 framing: RFC 4757 tokens are framed with the krb5 OID, RFC 4121 ones not. */
const unframed = (token: Uint8Array) => (token[0] === 0x60 ? decodeGssToken(token).inner : token);

/** TOK_ID as hex: 05 04 / 04 04 (RFC 4121 Wrap / MIC), 02 01 / 01 01 (RFC 4757 Wrap / MIC). */
const tokId = (token: Uint8Array) => toHex(unframed(token).subarray(0, 2));

/** Whether a Wrap token says it is sealed: RFC 4121 Flags bit Sealed, or RFC 4757 SEAL_ALG other than ff ff. */
function sealed(token: Uint8Array): boolean {
  const t = unframed(token);
  return token[0] === 0x60 ? toHex(t.subarray(4, 6)) !== 'ffff' : (t[2]! & 0x02) !== 0;
}

describe.skipIf(!mit)(`MIT krb5 GSS-API (gss-server, gss-client) and tskrb${mit ? '' : notRunning}`, () => {
  const L = labOrStandIn(mit);
  const P = (id: string) => L.principals[id]!;
  // Without the lab, placeholders of the lab's three services so that the skipped tests still show their names.
  const services: readonly LabGssService[] = mit
    ? labGss(L).services
    : [18, 20, 23].map((enctype) => ({ id: '', enctype, hostService: '' }));
  const dir = mkdtempSync(join(tmpdir(), 'tskrb-gss-mit-'));
  const servers = new Map<string, GssServerProcess>();
  let aliceCcache = '';
  let rc4Conf = '';
  let rc4Ccache = '';

  beforeAll(async () => {
    for (const s of services)
      servers.set(s.id, await startGssServer(L, { keytab: P(s.id).keytab!, service: s.hostService }));
    aliceCcache = join(dir, 'alice.ccache');
    await kinitPassword(L, P(labGss(L).user), aliceCcache);
    rc4Conf = rc4FirstKrb5Conf(L, dir);
    rc4Ccache = join(dir, 'alice-rc4-first.ccache');
    await kinitPassword(L, P(labGss(L).user), rc4Ccache, rc4Conf);
  });
  afterAll(async () => {
    for (const s of servers.values()) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const server = (s: LabGssService) => servers.get(s.id)!;
  const byEnctype = (e: number) => services.find((s) => s.enctype === e)!;

  /** One session of a tskrb initiator with a gss-server; resolves with gss-server's lines for that session. */
  async function sessionWith(
    s: LabGssService,
    token: Uint8Array,
    context: InitiatorContext,
    o: Omit<SampleClientOptions, 'port'>,
  ): Promise<{ result: SampleClientResult; log: string }> {
    const srv = server(s);
    const from = srv.output().length;
    let result: SampleClientResult;
    try {
      result = await runSampleClient(sampleInitiator(token, context), { port: srv.port, ...o });
    } catch (e) {
      await new Promise((r) => setTimeout(r, 200));
      throw new Error(`${(e as Error).message}\n--- gss-server said ---\n${srv.output().slice(from)}`, {
        cause: e,
      });
    }
    const log = await srv.waitFor(/NOOP token/, from);
    return { result, log };
  }

  /** alice's ticket to a GSS service by S4U2Self + S4U2Proxy from the web service (protocol transition). */
  async function aliceByS4u(s: LabGssService): Promise<Credential> {
    const g = labGss(L);
    const client = new KdcClient({ realm: L.realm, transport: labTransport(L) });
    const web: Session = await client.login({
      principal: P(g.front).principal,
      keys: labKeys(P(g.front)),
      forwardable: true,
    });
    const self = await web.s4u2self(g.user);
    const proxy = await web.s4u2proxy(self, P(s.id).principal);
    return proxy.credential;
  }

  describe('the lab: MIT to MIT through the Node sample-protocol relay', () => {
    it.each(services.map((s) => [s.enctype, s] as const))(
      'MIT: gss-client -> relay -> gss-server for the etype %i service: alice accepted, message unwrapped, MIC verified',
      async (_e, s) => {
        const srv = server(s);
        const from = srv.output().length;
        const relay = await startSampleRelay(srv.port);
        try {
          const r = await runGssClient(L, {
            port: relay.port,
            service: s.hostService,
            message: 'MIT to MIT',
            ccache: aliceCcache,
            flags: ['-seq'],
          });
          expect(r.code, r.stderr).toBe(0);
          expect(r.stdout).toContain('Signature verified.');
          const transcript = await relay.next();
          expect(transcript.map((t) => `${t.from}:${t.flags}`)).toEqual([
            'client:17', // NOOP | CONTEXT_NEXT
            'client:2', // CONTEXT: AP-REQ
            'server:2', // CONTEXT: AP-REP
            'client:228', // DATA | WRAPPED | ENCRYPTED | SEND_MIC
            'server:8', // MIC
            'client:1', // NOOP
          ]);
          const log = await srv.waitFor(/NOOP token/, from);
          expect(log).toContain(`Accepted connection: "alice@${L.realm}"`);
          expect(log).toContain('Received message: "MIT to MIT"');
        } finally {
          await relay.close();
        }
      },
    );
  });

  describe('tskrb initiator -> MIT gss-server', () => {
    // With RFC 4537 ETYPE-NEGOTIATION (tskrb's default, as MIT's) MIT's acceptor answers an rc4 or aes-sha2 session
    // with an aes256 acceptor subkey, so every context is RFC 4121; without it an rc4 session stays RFC 4757.
    const initiatorCases = [
      ...services.flatMap((s) =>
        (['sealed', 'integrity-only'] as const).map((mode) => ({ s, mode, negotiation: true })),
      ),
      ...services
        .filter((s) => s.enctype === 23)
        .flatMap((s) =>
          (['sealed', 'integrity-only'] as const).map((mode) => ({ s, mode, negotiation: false })),
        ),
    ].map(
      (c) => [enctypeName(c.s.enctype), c.s.enctype, c.negotiation ? 'with' : 'without', c.mode, c] as const,
    );

    it.each(initiatorCases)(
      "MIT: alice by S4U2Self + S4U2Proxy from web, %s (%i) session key, %s enctype negotiation: gss-server reports alice and unwraps tskrb's %s Wrap tokens; tskrb verifies its MICs",
      async (_n, enctype, _neg, mode, { s, negotiation }) => {
        const credential = await aliceByS4u(s);
        expect(formatPrincipal(credential.client.name, credential.client.realm)).toBe(`alice@${L.realm}`);
        expect(credential.sessionKey.etype).toBe(enctype);
        const { token, context } = initSecContext({
          credential,
          ...(negotiation ? {} : { etypeNegotiation: false as const }),
        });
        const messages = [`first from tskrb (${mode}, etype ${enctype})`, `second from tskrb (${mode})`];
        const { result, log } = await sessionWith(s, token, context, {
          messages: messages.map(utf8),
          conf: mode === 'sealed',
        });
        expect(log).toContain(`Accepted connection: "alice@${L.realm}"`);
        for (const m of messages) expect(log).toContain(`Received message: "${m}"`);
        for (const f of ['MUTUAL', 'REPLAY', 'SEQUENCE', 'CONF', 'INTEG'])
          expect(log).toContain(`context flag: GSS_C_${f}_FLAG`);
        expect(log).not.toMatch(/GSS-API error|Warning/);
        expect(context.established).toBe(true);
        expect(result.mics).toHaveLength(2);
        expect(result.sent.map(sealed)).toEqual([mode === 'sealed', mode === 'sealed']);
        if (negotiation) {
          // RFC 4121 (Wrap 05 04, MIC 04 04); MIT's MIC says SentByAcceptor | AcceptorSubkey (an aes256 subkey).
          expect([tokId(result.sent[0]!), tokId(result.mics[0]!), result.mics[0]![2]]).toEqual([
            '0504',
            '0404',
            0x05,
          ]);
        } else {
          // RFC 4757 (Wrap 02 01, MIC 01 01) under the initiator's rc4 subkey; MIT sends no acceptor subkey.
          expect([tokId(result.sent[0]!), tokId(result.mics[0]!)]).toEqual(['0201', '0101']);
        }
      },
    );

    it.each([
      ["Windows' list (Microsoft krb5 OID first)", 18, WINDOWS_KRB5_MECHS],
      ["MIT's list (krb5 OID only)", 18, [GssMechOid.KRB5]],
      ["Windows' list (Microsoft krb5 OID first)", 23, WINDOWS_KRB5_MECHS],
    ] as const)(
      'MIT: tskrb SPNEGO initiator, %s, etype %i: gss-server takes the optimistic token, tskrb completes on its NegTokenResp',
      async (_n, enctype, mechs) => {
        const s = byEnctype(enctype);
        const credential = await aliceByS4u(s);
        const { token, initiator } = spnegoInit({ mechs, start: () => initSecContext({ credential }) });
        const sample: SampleInitiator = {
          initialToken: token,
          established: () => initiator.established,
          step: (reply) => initiator.step(reply),
          wrap: (m, conf) => initiator.context!.wrap(m, { conf }),
          verifyMic: (m, mic) => initiator.context!.verifyMic(m, mic),
        };
        const srv = server(s);
        const from = srv.output().length;
        await runSampleClient(sample, { port: srv.port, messages: [utf8('through SPNEGO from tskrb')] });
        const log = await srv.waitFor(/NOOP token/, from);
        expect(initiator.mech).toBe(mechs[0]);
        expect(log).toContain(`Accepted connection: "alice@${L.realm}"`);
        expect(log).toContain('Received message: "through SPNEGO from tskrb"');
      },
    );

    it('MIT: without mutual authentication gss-server sends no AP-REP; its MIC (no acceptor subkey) verifies', async () => {
      const s = byEnctype(18);
      const credential = await aliceByS4u(s);
      const flags = GssFlag.REPLAY | GssFlag.SEQUENCE | GssFlag.CONF | GssFlag.INTEG;
      const { token, context } = initSecContext({ credential, flags });
      expect(context.established).toBe(true);
      const { result, log } = await sessionWith(s, token, context, { messages: [utf8('no mutual')] });
      expect(result.transcript.filter((t) => t.from === 'server' && t.flags === 2)).toEqual([]);
      expect(log).toContain(`Accepted connection: "alice@${L.realm}"`);
      expect(log).not.toContain('GSS_C_MUTUAL_FLAG');
      // SentByAcceptor only: no AcceptorSubkey flag without an AP-REP.
      expect(result.mics[0]![2]).toBe(0x01);
    });

    it("MIT: tskrb delegates alice's forwarded TGT (KRB-CRED in the 0x8003 checksum); gss-server accepts it (GSS_C_DELEG_FLAG)", async () => {
      const s = byEnctype(18);
      const client = new KdcClient({ realm: L.realm, transport: labTransport(L) });
      const alice = await client.login({
        principal: P('alice').principal,
        password: P('alice').password,
        forwardable: true,
      });
      const credential = await alice.getServiceTicket(P(s.id).principal);
      const forwarded = (
        await client.tgs(alice.tgt, krbtgt(L.realm), { options: { forwardable: true, forwarded: true } })
      ).credential;
      expect(forwarded.flags.forwarded).toBe(true);
      const { token, context } = initSecContext({ credential, delegate: { tgt: forwarded } });
      const { log } = await sessionWith(s, token, context, { messages: [utf8('with delegation')] });
      expect(log).toContain('context flag: GSS_C_DELEG_FLAG');
      expect(log).toContain(`Accepted connection: "alice@${L.realm}"`);
      expect(log).toContain('Received message: "with delegation"');
    });
  });
  describe('MIT gss-client -> tskrb acceptor', () => {
    /** A sample server whose acceptor is tskrb's, with the service's keytab keys and one replay cache. */
    async function tskrbServer(s: LabGssService, o: { spnego?: boolean } = {}) {
      const results: AcceptResult[] = [];
      const options: AcceptorOptions = {
        keys: labKeys(P(s.id)),
        service: parsePrincipal(P(s.id).principal),
        replayCache: new MemoryReplayCache(),
      };
      const srv = await startSampleServer(() => sampleAcceptor(options, (r) => results.push(r), o.spnego));
      return { srv, results, options };
    }

    /** Runs gss-client against `srv` and returns its output and the server's view of the session. */
    async function gssClient(
      srv: SampleServer,
      s: LabGssService,
      message: string,
      flags: readonly string[],
      rc4First = false,
    ): Promise<{ stdout: string; session: SampleServerSession }> {
      const [r, session] = await Promise.all([
        runGssClient(L, {
          port: srv.port,
          service: s.hostService,
          message,
          ccache: rc4First ? rc4Ccache : aliceCcache,
          flags,
          ...(rc4First ? { krb5Conf: rc4Conf } : {}),
        }),
        srv.next(),
      ]);
      expect(r.code, `gss-client: ${r.stderr}${r.stdout}`).toBe(0);
      return { stdout: r.stdout, session };
    }

    // gss-client with the lab's krb5.conf sends RFC 4537 ETYPE-NEGOTIATION (18, 17, 20, 19, 23): tskrb's AP-REP
    // then carries an aes256 acceptor subkey and the context is RFC 4121 whatever the session key. With rc4 first
    // in its krb5.conf, MIT sends no list for an rc4 session key and the context stays RFC 4757.
    const acceptorCases = [
      ...services.map((s) => ({ s, rc4First: false })),
      ...services.filter((s) => s.enctype === 23).map((s) => ({ s, rc4First: true })),
    ].map(
      (c) =>
        [enctypeName(c.s.enctype), c.s.enctype, c.rc4First ? ', rc4 first in krb5.conf' : '', c] as const,
    );

    it.each(acceptorCases)(
      "MIT: gss-client -seq -mcount 2 (alice's kinit ccache), %s (%i)%s: tskrb accepts alice, unwraps MIT's sealed Wrap tokens; gss-client verifies tskrb's MICs",
      async (_n, enctype, _c, { s, rc4First }) => {
        const { srv, results } = await tskrbServer(s);
        try {
          const message = `sealed by MIT gss-client, etype ${enctype}`;
          const { stdout, session } = await gssClient(srv, s, message, ['-seq', '-mcount', '2'], rc4First);
          expect(stdout.match(/Signature verified\./g)).toHaveLength(2);
          expect(stdout).toContain(`"alice@${L.realm}" to "${P(s.id).principal}"`);
          expect(results).toHaveLength(1);
          const r = results[0]!;
          expect(formatPrincipal(r.client.name, r.client.realm)).toBe(`alice@${L.realm}`);
          expect(r.ticketPart.key.keytype).toBe(enctype);
          const want = GssFlag.MUTUAL | GssFlag.REPLAY | GssFlag.SEQUENCE | GssFlag.CONF | GssFlag.INTEG;
          expect(r.flags & want).toBe(want);
          expect(r.outputToken).toBeDefined();
          expect(session.messages.map((m) => [fromUtf8(m.message), m.conf])).toEqual([
            [message, true],
            [message, true],
          ]);
          expect(tokId(session.messages[0]!.token)).toBe(rc4First ? '0201' : '0504');
          expect(tokId(session.messages[0]!.mic!)).toBe(rc4First ? '0101' : '0404');
        } finally {
          await srv.close();
        }
      },
    );

    it.each(
      (
        [
          ['-nx', 'a Wrap token without confidentiality', true],
          ['-nw', 'the message in the clear with a MIC asked', false],
        ] as const
      ).flatMap(
        ([flag, what, wrapped]) =>
          [
            [flag, what, 'aes256 (RFC 4121)', 18, wrapped],
            [flag, what, 'rc4, rc4 first in krb5.conf (RFC 4757)', 23, wrapped],
          ] as const,
      ),
    )(
      'MIT: gss-client %s (%s), %s: tskrb reads it and gss-client verifies the MIC',
      async (flag, _what, _ctx, enctype, wrapped) => {
        const s = byEnctype(enctype);
        const { srv } = await tskrbServer(s);
        try {
          const message = `${flag} for etype ${enctype}`;
          const { stdout, session } = await gssClient(srv, s, message, [flag], enctype === 23);
          expect(stdout).toContain('Signature verified.');
          const m = session.messages[0]!;
          expect([fromUtf8(m.message), m.conf, (m.flags & 32) !== 0]).toEqual([message, false, wrapped]);
        } finally {
          await srv.close();
        }
      },
    );

    it('MIT: gss-client -nomutual: tskrb sends no AP-REP; Wrap and MIC still work both ways', async () => {
      const s = byEnctype(18);
      const { srv, results } = await tskrbServer(s);
      try {
        const { stdout, session } = await gssClient(srv, s, 'no mutual', ['-nomutual']);
        expect(stdout).toContain('Signature verified.');
        expect(results[0]!.outputToken).toBeUndefined();
        expect(results[0]!.flags & GssFlag.MUTUAL).toBe(0);
        expect(session.transcript.filter((t) => t.from === 'server' && t.flags === 2)).toEqual([]);
        expect(fromUtf8(session.messages[0]!.message)).toBe('no mutual');
      } finally {
        await srv.close();
      }
    });

    it.each([byEnctype(18), byEnctype(23)].map((s) => [enctypeName(s?.enctype ?? 0), s] as const))(
      'MIT: gss-client -d (%s): tskrb opens the delegated TGT (KRB-CRED in the 0x8003 checksum) and uses it for a TGS request with its KdcClient',
      async (_n, s) => {
        const { srv, results } = await tskrbServer(s);
        try {
          const { stdout } = await gssClient(srv, s, 'delegating', ['-d', '-seq']);
          expect(stdout).toContain('context flag: GSS_C_DELEG_FLAG');
          const r = results[0]!;
          expect(r.flags & GssFlag.DELEG).toBe(GssFlag.DELEG);
          expect(r.delegated).toHaveLength(1);
          const tgt = r.delegated![0]!;
          expect(formatPrincipal(tgt.client.name, tgt.client.realm)).toBe(`alice@${L.realm}`);
          expect(formatPrincipal(tgt.server.name, tgt.server.realm)).toBe(`krbtgt/${L.realm}@${L.realm}`);
          expect(tgt.flags.forwarded).toBe(true);
          // The delegated TGT is alice's: tskrb's KdcClient gets a service ticket with it.
          const client = new KdcClient({ realm: L.realm, transport: labTransport(L) });
          const cifs = await client.tgs(tgt, parsePrincipal(P('cifs').principal));
          expect(formatPrincipal(cifs.credential.client.name, cifs.credential.client.realm)).toBe(
            `alice@${L.realm}`,
          );
          expect(formatPrincipal(cifs.credential.server.name, cifs.credential.server.realm)).toBe(
            P('cifs').principal,
          );
        } finally {
          await srv.close();
        }
      },
    );

    it.each(services.map((s) => [enctypeName(s.enctype), s] as const))(
      "MIT: gss-client -spnego (%s): tskrb's SPNEGO acceptor takes the NegTokenInit with the optimistic AP-REQ and answers accept-completed",
      async (_n, s) => {
        const { srv, results } = await tskrbServer(s, { spnego: true });
        try {
          const { stdout, session } = await gssClient(srv, s, 'through SPNEGO', ['-spnego', '-seq']);
          expect(stdout).toContain('Signature verified.');
          expect(formatPrincipal(results[0]!.client.name, results[0]!.client.realm)).toBe(`alice@${L.realm}`);
          expect(fromUtf8(session.messages[0]!.message)).toBe('through SPNEGO');
          // Initiator: NegTokenInit in the SPNEGO InitialContextToken; acceptor: a bare NegTokenResp ([1]).
          const ctx = session.transcript.filter((t) => t.flags === 2);
          expect(ctx.map((t) => t.from)).toEqual(['client', 'server']);
          expect(toHex(ctx[0]!.token.subarray(0, 1))).toBe('60');
          expect(toHex(ctx[1]!.token.subarray(0, 1))).toBe('a1');
        } finally {
          await srv.close();
        }
      },
    );

    it('MIT: a replayed AP-REQ is refused (check replay) over the wire and directly; a replayed Wrap token is refused by the context', async () => {
      const s = byEnctype(18);
      const { srv, results, options } = await tskrbServer(s);
      try {
        const { session } = await gssClient(srv, s, 'once only', ['-seq']);
        const apReq = session.transcript.find((t) => t.from === 'client' && t.flags === 2)!.token;
        // Over the wire: the captured AP-REQ sent again by a Node client to the same acceptor.
        const replay = runSampleClient(
          {
            initialToken: apReq,
            established: () => false,
            step: () => undefined,
            wrap: () => new Uint8Array(0),
            verifyMic: () => undefined,
          },
          { port: srv.port, messages: [] },
        );
        const [client, server] = await Promise.allSettled([replay, srv.next()]);
        expect(client.status).toBe('rejected');
        expect(server.status).toBe('rejected');
        expect(checkOf((server as PromiseRejectedResult).reason)).toBe('replay');
        // Directly, with the same replay cache.
        let err: unknown;
        try {
          acceptSecContext(apReq, options);
        } catch (e) {
          err = e;
        }
        expect(checkOf(err)).toBe('replay');
        // Within the context: MIT's Wrap token a second time.
        const wrapToken = session.messages[0]!.token;
        err = undefined;
        try {
          results[0]!.context.unwrap(wrapToken);
        } catch (e) {
          err = e;
        }
        expect(checkOf(err)).toBe('replay');
      } finally {
        await srv.close();
      }
    });
  });
  describe("MIT's GSS-API through python3-gssapi (gss-peer.py): the initiator's MIC and the acceptor's Wrap", () => {
    beforeAll(async () => {
      if (!(await hasPythonGssapi()))
        throw new Error('python3-gssapi is not installed: run scripts/lab/install-packages.sh');
    });

    const peerCases = [
      ...services.map((s) => ({ s, rc4Only: false })),
      ...services.filter((s) => s.enctype === 23).map((s) => ({ s, rc4Only: true })),
    ].map(
      (c) =>
        [
          enctypeName(c.s.enctype),
          c.s.enctype,
          c.rc4Only ? ' (RFC 4757: no enctype negotiation)' : '',
          c,
        ] as const,
    );

    it.each(peerCases)(
      "MIT: tskrb initiator (alice by S4U2Proxy), %s (%i)%s -> MIT acceptor: MIT unwraps tskrb's Wrap and verifies tskrb's MIC; tskrb verifies MIT's MIC and unwraps MIT's Wrap",
      async (_n, _e, _r, { s, rc4Only }) => {
        const credential = await aliceByS4u(s);
        const peer = await startPeerAcceptor(L, P(s.id).keytab!);
        try {
          const { token, context } = initSecContext({
            credential,
            ...(rc4Only ? { etypeNegotiation: false as const } : {}),
          });
          const message = `both ways with MIT, etype ${s.enctype}`;
          const result = await runSampleClient(sampleInitiator(token, context), {
            port: peer.port,
            messages: [utf8(message)],
            bothWays: true,
          }).catch(async (e: unknown) => {
            const r = await peer.done;
            throw new Error(`${(e as Error).message}; gss-peer.py: ${JSON.stringify(r.events)} ${r.stderr}`);
          });
          const { code, events } = await peer.done;
          expect(events.filter((e) => e.event === 'error')).toEqual([]);
          expect(code).toBe(0);
          expect(events.find((e) => e.event === 'accepted')?.['client']).toBe(`alice@${L.realm}`);
          expect(events.find((e) => e.event === 'unwrapped')).toMatchObject({ message, conf: true });
          expect(events.find((e) => e.event === 'mic')).toMatchObject({ verified: true });
          expect(result.replies.map((r) => [fromUtf8(r.message), r.conf])).toEqual([
            [`reply: ${message}`, true],
          ]);
          expect(tokId(result.replies[0]!.token)).toBe(rc4Only ? '0201' : '0504');
        } finally {
          await peer.stop();
        }
      },
    );

    it.each(peerCases)(
      "MIT: MIT initiator (alice's kinit ccache), %s (%i)%s -> tskrb acceptor: tskrb verifies MIT's MIC and MIT unwraps tskrb's Wrap",
      async (_n, _e, _r, { s, rc4Only }) => {
        const results: AcceptResult[] = [];
        const options: AcceptorOptions = { keys: labKeys(P(s.id)), replayCache: new MemoryReplayCache() };
        const srv = await startSampleServer(() => sampleAcceptor(options, (r) => results.push(r)));
        try {
          const message = `both ways with tskrb, etype ${s.enctype}`;
          const [peer, session] = await Promise.all([
            runPeerInitiator(L, {
              port: srv.port,
              service: s.hostService,
              message,
              ccache: rc4Only ? rc4Ccache : aliceCcache,
              options: ['seq'],
              ...(rc4Only ? { krb5Conf: rc4Conf } : {}),
            }),
            srv.next(),
          ]);
          expect(peer.events.filter((e) => e.event === 'error')).toEqual([]);
          expect(peer.code).toBe(0);
          expect(formatPrincipal(results[0]!.client.name, results[0]!.client.realm)).toBe(`alice@${L.realm}`);
          expect(session.messages[0]!.clientMic).toBeDefined();
          expect(peer.events.find((e) => e.event === 'mic')).toMatchObject({ verified: true });
          expect(peer.events.find((e) => e.event === 'reply')).toMatchObject({
            message: `reply: ${message}`,
            conf: true,
          });
          expect(tokId(session.messages[0]!.reply!)).toBe(rc4Only ? '0201' : '0504');
        } finally {
          await srv.close();
        }
      },
    );

    // RFC 4121 4.1.1.2: Bnd is the MD5 of the RFC 2744 bindings; MIT compares it with its own (GSS_S_BAD_BINDINGS).
    const bindings = utf8('tls-server-end-point:0123456789abcdef0123456789abcdef');
    const otherBindings = utf8('tls-server-end-point:fedcba9876543210fedcba9876543210');

    it.each([
      ['the same bindings', bindings, true],
      ['other bindings', otherBindings, false],
    ] as const)(
      'MIT: channel bindings, tskrb initiator -> MIT acceptor with %s: MIT computes the same Bnd (accepts), or refuses the mismatch',
      async (_n, acceptorBindings, accepted) => {
        const s = byEnctype(18);
        const credential = await aliceByS4u(s);
        const peer = await startPeerAcceptor(L, P(s.id).keytab!, acceptorBindings);
        try {
          const { token, context } = initSecContext({
            credential,
            channelBindings: { applicationData: bindings },
          });
          const run = runSampleClient(sampleInitiator(token, context), {
            port: peer.port,
            messages: [utf8('bound to the channel')],
            bothWays: true,
          });
          const [client, done] = await Promise.all([
            run.then(
              () => 'ok',
              (e: Error) => e.message,
            ),
            peer.done,
          ]);
          if (accepted) {
            expect(client).toBe('ok');
            expect(done.events.find((e) => e.event === 'accepted')?.['client']).toBe(`alice@${L.realm}`);
          } else {
            expect(client).not.toBe('ok');
            expect(done.events.find((e) => e.event === 'error')).toMatchObject({
              where: 'gss_accept_sec_context',
              message: expect.stringMatching(/Incorrect channel bindings/),
            });
          }
        } finally {
          await peer.stop();
        }
      },
    );

    it.each([
      ['the same bindings', bindings, true],
      ['other bindings', otherBindings, false],
    ] as const)(
      "MIT: channel bindings, MIT initiator -> tskrb acceptor with %s: tskrb computes MIT's Bnd (accepts), or refuses the mismatch (check channel-bindings)",
      async (_n, acceptorBindings, accepted) => {
        const s = byEnctype(18);
        const options: AcceptorOptions = {
          keys: labKeys(P(s.id)),
          replayCache: new MemoryReplayCache(),
          channelBindings: { applicationData: acceptorBindings },
        };
        const srv = await startSampleServer(() => sampleAcceptor(options, () => undefined));
        try {
          const [peer, session] = await Promise.allSettled([
            runPeerInitiator(L, {
              port: srv.port,
              service: s.hostService,
              message: 'bound to the channel',
              ccache: aliceCcache,
              channelBindings: bindings,
            }),
            srv.next(),
          ]);
          if (accepted) {
            expect(session.status).toBe('fulfilled');
            expect(peer.status === 'fulfilled' && peer.value.code).toBe(0);
          } else {
            expect(session.status).toBe('rejected');
            expect(checkOf((session as PromiseRejectedResult).reason)).toBe('channel-bindings');
          }
        } finally {
          await srv.close();
        }
      },
    );
  });
});

const samba = sambaLab;

describe.skipIf(!samba)(
  `Samba AD DC tickets accepted by tskrb's GSS acceptor${samba ? '' : notRunning}`,
  () => {
    const L = labOrStandIn(samba);
    const P = (id: string) => L.principals[id]!;
    const krbtgtKeys = () =>
      labKeys({
        name: 'krbtgt',
        realm: L.realm,
        principal: `krbtgt/${L.realm}@${L.realm}`,
        password: '',
        keytab: (L['krbtgt'] as { keytab: string }).keytab,
      } satisfies LabPrincipal);
    const dir = mkdtempSync(join(tmpdir(), 'tskrb-gss-samba-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    function acceptorOptions(service: string): AcceptorOptions {
      return { keys: labKeys(P(service)), kdcKeys: krbtgtKeys(), replayCache: new MemoryReplayCache() };
    }

    /** The PAC checks every Samba service ticket passes, and the SIDs of alice. */
    function expectAlicePac(
      r: AcceptResult,
      lab: LabInfo,
      assertion: 'authentication-authority' | 'service',
    ) {
      expect(formatPrincipal(r.client.name, r.client.realm)).toBe(`alice@${lab.realm}`);
      const pac = r.pac!;
      expect(pac.verification.server.status).toBe('valid');
      expect(pac.verification.kdc.status).toBe('valid');
      expect(pac.summary.userSid).toBe(P('alice').sid);
      expect(pac.summary.groups.map((g) => g.sid)).toContain(
        (lab['groups'] as Record<string, { sid: string }>)['labgroup']!.sid,
      );
      expect(pac.summary.identityAssertion).toBe(assertion);
      expect(pac.summary.extraSids.map((x) => x.sid)).toContain(
        assertion === 'service' ? 'S-1-18-2' : 'S-1-18-1',
      );
    }

    /** tskrb initiator -> tskrb acceptor on a Samba ticket; returns the acceptance and proves Wrap/MIC both ways. */
    function roundTrip(credential: Credential, service: string): AcceptResult {
      const { token, context } = initSecContext({ credential });
      const r = acceptSecContext(token, acceptorOptions(service));
      context.step(r.outputToken!);
      const m = utf8('over a Samba ticket');
      expect(r.context.unwrap(context.wrap(m)).message).toEqual(m);
      expect(context.unwrap(r.context.wrap(m)).message).toEqual(m);
      r.context.verifyMic(m, context.getMic(m));
      context.verifyMic(m, r.context.getMic(m));
      return r;
    }

    it.each([
      ['websvc', 'HTTP/web.samba.test', 18],
      ['rc4svc', 'HTTP/rc4.samba.test', 23],
    ] as const)(
      'Samba: alice (password login) to %s (%s): tskrb accepts the ticket, the PAC verifies (server and KDC signatures) with S-1-18-1',
      async (service, spn, etype) => {
        const client = new KdcClient({ realm: L.realm, transport: labTransport(L) });
        const alice = await client.login({ principal: P('alice').principal, password: P('alice').password });
        const credential = await alice.getServiceTicket(spn);
        expect(credential.sessionKey.etype).toBe(etype);
        expectAlicePac(roundTrip(credential, service), L, 'authentication-authority');
      },
    );

    it('Samba: S4U2Self by websvc for alice: tskrb accepts the ticket, the PAC verifies with S-1-18-2 (service asserted identity)', async () => {
      const client = new KdcClient({ realm: L.realm, transport: labTransport(L) });
      const web = await client.login({
        principal: P('websvc').principal,
        keys: labKeys(P('websvc')),
        forwardable: true,
      });
      const self = await web.s4u2self('alice');
      expectAlicePac(roundTrip(self.credential, 'websvc'), L, 'service');
    });

    it("Samba: MIT gss-client with alice's Samba ticket (kinit) -> tskrb acceptor for HTTP/web.samba.test: PAC with S-1-18-1, Wrap and MIC", async () => {
      const cc = join(dir, 'alice.ccache');
      await kinitPassword(L, P('alice'), cc);
      const results: AcceptResult[] = [];
      const srv = await startSampleServer(() =>
        sampleAcceptor(acceptorOptions('websvc'), (r) => results.push(r)),
      );
      try {
        const [r, session] = await Promise.all([
          runGssClient(L, {
            port: srv.port,
            service: 'HTTP@web.samba.test',
            message: 'from Samba',
            ccache: cc,
            flags: ['-seq'],
          }),
          srv.next(),
        ]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('Signature verified.');
        expect(fromUtf8(session.messages[0]!.message)).toBe('from Samba');
        expectAlicePac(results[0]!, L, 'authentication-authority');
      } finally {
        await srv.close();
      }
    });
  },
);
