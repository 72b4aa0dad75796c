/**
 * Captures real GSS-API tokens of MIT krb5 (gss-client -> gss-server of Debian's krb5-gss-samples, MIT on both
 * ends) through the Node sample-protocol relay, with the lab's throwaway keys that open them, into
 * test/vectors/gss-mit-*.json, so that unit tests can open MIT's AP-REQ (0x8003 checksum, with and without a
 * delegated TGT), SPNEGO NegTokenInit/NegTokenResp, AP-REP and Wrap/MIC tokens (RFC 4121 for aes256 and aes-sha2,
 * RFC 4757 for rc4) without a lab. Run by hand against the MIT lab:
 *   RECORD_GSS_VECTORS=1 npx vitest run test/interop/gss-mit-capture.test.ts
 * Every key it writes is a lab key (random per `npm run lab:up`) or a key derived from one in the capture.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AdType,
  type Authenticator,
  decodeAdIfRelevant,
  decodeApRep,
  decodeApReq,
  decodeAuthenticator,
  decodeEncApRepPart,
  decodeEncKrbCredPart,
  decodeKrbCred,
  type EncryptionKey,
} from '../../src/asn1/index.js';
import { decrypt, Key, KeyUsage } from '../../src/crypto/index.js';
import { GSS_CHECKSUM_TYPE, GssTokenId } from '../../src/gss/constants.js';
import { decodeKrb5Token } from '../../src/gss/framing.js';
import { formatPrincipal } from '../../src/messages/principal.js';
import { openTicket } from '../../src/messages/ticket.js';
import { fromUtf8, toHex } from '../../src/util/bytes.js';
import { type LabInfo, labKeys, labOrStandIn, mitLab } from '../helpers/lab.js';
import {
  kinitPassword,
  labGss,
  rc4FirstKrb5Conf,
  runGssClient,
  startGssServer,
} from './gss-sample-programs.js';
import { SampleFlag, startSampleRelay, type TranscriptEntry } from './gss-sample-protocol.js';

const record = process.env['RECORD_GSS_VECTORS'] === '1';
const lab = record ? mitLab : undefined;
const VECTORS = new URL('../vectors/', import.meta.url).pathname;
const KRB5_OID_DER = '06092a864886f712010202';

/** A key as the vectors store it. */
interface KeyHex {
  readonly etype: number;
  readonly hex: string;
}

const keyHex = (k: EncryptionKey | Key): KeyHex =>
  k instanceof Key ? { etype: k.etype, hex: toHex(k.bytes) } : { etype: k.keytype, hex: toHex(k.keyvalue) };

/**
 * The krb5 token inside a token: the token itself, or for SPNEGO the InitialContextToken that NegTokenInit's
 * mechToken / NegTokenResp's responseToken carries (found by the krb5 OID after a 0x60 header).
 */
function krb5Inner(token: Uint8Array): Uint8Array {
  if (toHex(token.subarray(0, 16)).includes(KRB5_OID_DER) && token[0] === 0x60) {
    const t = token[1]! < 0x80 ? 2 : 2 + (token[1]! & 0x7f);
    if (toHex(token.subarray(t, t + 11)) === KRB5_OID_DER) return token;
  }
  const hex = toHex(token);
  for (let i = hex.indexOf(KRB5_OID_DER); i >= 0; i = hex.indexOf(KRB5_OID_DER, i + 2)) {
    // Walk back to a 0x60 header whose content starts at this OID.
    for (let start = i / 2 - 2; start >= Math.max(0, i / 2 - 6); start--) {
      if (token[start] !== 0x60) continue;
      const l0 = token[start + 1]!;
      const lenBytes = l0 < 0x80 ? 0 : l0 & 0x7f;
      const contentAt = start + 2 + lenBytes;
      if (contentAt !== i / 2) continue;
      let len = l0 < 0x80 ? l0 : 0;
      for (let j = 0; j < lenBytes; j++) len = len * 256 + token[start + 2 + j]!;
      return token.subarray(start, contentAt + len);
    }
  }
  throw new Error('no krb5 token inside');
}

/** The RFC 4121 4.1.1 checksum fields. */
function gssChecksum(a: Authenticator) {
  const c = a.cksum;
  if (!c || c.cksumtype !== GSS_CHECKSUM_TYPE) throw new Error('authenticator has no 0x8003 checksum');
  const v = new DataView(c.checksum.buffer, c.checksum.byteOffset, c.checksum.length);
  const bnd = c.checksum.subarray(4, 20);
  const flags = v.getUint32(20, true);
  const out: { flags: number; bindingsHash: string; dlgOpt?: number; krbCred?: Uint8Array } = {
    flags,
    bindingsHash: toHex(bnd),
  };
  if (c.checksum.length > 24) {
    out.dlgOpt = v.getUint16(24, true);
    const dlgth = v.getUint16(26, true);
    out.krbCred = c.checksum.subarray(28, 28 + dlgth);
  }
  return out;
}

/** Opens one captured MIT session with the service keys: session key, subkeys, sequence numbers, checksum. */
function openSession(transcript: readonly TranscriptEntry[], serviceKeys: readonly Key[]) {
  const ctx = transcript.filter((t) => t.flags & SampleFlag.CONTEXT);
  const initTok = ctx.find((t) => t.from === 'client')!.token;
  const apReq = decodeApReq(decodeKrb5Token(krb5Inner(initTok), [GssTokenId.AP_REQ]).body);
  const etp = openTicket(apReq.ticket, serviceKeys);
  const session = new Key(etp.key.keytype, etp.key.keyvalue);
  const auth = decodeAuthenticator(decrypt(session, KeyUsage.ApReqAuthenticator, apReq.authenticator.cipher));
  const cks = gssChecksum(auth);
  const reply = ctx.find((t) => t.from === 'server');
  let acceptor: { subkey?: KeyHex; seqNumber?: number } | undefined;
  if (reply) {
    const apRep = decodeApRep(decodeKrb5Token(krb5Inner(reply.token), [GssTokenId.AP_REP]).body);
    const part = decodeEncApRepPart(decrypt(session, KeyUsage.ApRepEncPart, apRep.encPart.cipher));
    expect(part.ctime.getTime()).toBe(auth.ctime.getTime());
    acceptor = {
      ...(part.subkey ? { subkey: keyHex(part.subkey) } : {}),
      ...(part.seqNumber !== undefined ? { seqNumber: part.seqNumber } : {}),
    };
  }
  let delegation: Record<string, unknown> | undefined;
  if (cks.krbCred) {
    const cred = decodeKrbCred(cks.krbCred);
    // MIT encrypts the KRB-CRED in the session key (not the subkey); Windows uses the subkey; etype 0 = clear.
    const candidates: [string, Key][] = [['sessionKey', session]];
    if (auth.subkey) candidates.push(['initiatorSubkey', new Key(auth.subkey.keytype, auth.subkey.keyvalue)]);
    let openedWith: string | undefined;
    let client = '';
    let server = '';
    for (const [name, k] of candidates) {
      if (cred.encPart.etype !== k.etype) continue;
      try {
        const part = decodeEncKrbCredPart(decrypt(k, KeyUsage.KrbCredEncPart, cred.encPart.cipher));
        const info = part.ticketInfo[0]!;
        openedWith = name;
        client = formatPrincipal(info.pname!, info.prealm);
        server = formatPrincipal(info.sname!, info.srealm);
        break;
      } catch {
        // Try the next candidate key.
      }
    }
    expect(openedWith, 'a key opens the delegated KRB-CRED').toBeDefined();
    delegation = {
      dlgOpt: cks.dlgOpt,
      krbCredEtype: cred.encPart.etype,
      krbCredKey: openedWith,
      client,
      server,
    };
  }
  return {
    client: formatPrincipal(etp.cname, etp.crealm),
    clock: auth.ctime.toISOString(),
    ticket: {
      etype: apReq.ticket.encPart.etype,
      authtime: etp.authtime.toISOString(),
      endtime: etp.endtime.toISOString(),
    },
    sessionKey: keyHex(session),
    initiator: {
      ctime: auth.ctime.toISOString(),
      cusec: auth.cusec,
      ...(auth.subkey ? { subkey: keyHex(auth.subkey) } : {}),
      ...(auth.seqNumber !== undefined ? { seqNumber: auth.seqNumber } : {}),
      checksum: { type: GSS_CHECKSUM_TYPE, flags: cks.flags, bindingsHash: cks.bindingsHash },
      // MIT puts RFC 4537 ETYPE-NEGOTIATION (ad-type 129) in AD-IF-RELEVANT (1): the acceptor picks its subkey's
      // enctype from that list, so an rc4 or aes-sha2 session still gets an aes256 acceptor subkey.
      authorizationData: (auth.authorizationData ?? []).map((e) => ({
        adType: e.adType,
        ...(e.adType === AdType.IF_RELEVANT
          ? { inner: decodeAdIfRelevant(e.adData).map((x) => ({ adType: x.adType, hex: toHex(x.adData) })) }
          : { hex: toHex(e.adData) }),
      })),
    },
    ...(acceptor ? { acceptor } : {}),
    ...(delegation ? { delegation } : {}),
  };
}

/** Names each token of a session by what it is. */
function kindOf(t: TranscriptEntry, spnego: boolean): string {
  if (t.flags & SampleFlag.CONTEXT) {
    if (t.from === 'client') return spnego ? 'spnego-neg-token-init' : 'ap-req';
    return spnego ? 'spnego-neg-token-resp' : 'ap-rep';
  }
  if (t.flags & SampleFlag.MIC) return 'mic';
  if (t.flags & SampleFlag.DATA) return t.flags & SampleFlag.WRAPPED ? 'wrap' : 'data';
  return 'noop';
}

describe.skipIf(!lab)(
  `MIT gss-client -> gss-server capture${record ? '' : ' (run by hand: RECORD_GSS_VECTORS=1 with the MIT lab)'}`,
  () => {
    const L = labOrStandIn(lab) as LabInfo;
    const dir = mkdtempSync(join(tmpdir(), 'tskrb-gss-capture-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    async function capture(
      id: string,
      hostService: string,
      name: string,
      flags: string[],
      messages: string[],
      rc4First = false,
    ) {
      const g = labGss(L);
      const p = L.principals[id]!;
      const cc = join(dir, `cc-${Math.random().toString(36).slice(2)}`);
      const krb5Conf = rc4First ? rc4FirstKrb5Conf(L, dir) : undefined;
      await kinitPassword(L, L.principals[g.user]!, cc, krb5Conf);
      const srv = await startGssServer(L, { keytab: p.keytab!, service: hostService });
      const relay = await startSampleRelay(srv.port);
      try {
        const sessions = [];
        for (const message of messages) {
          const from = srv.output().length;
          const r = await runGssClient(L, {
            port: relay.port,
            service: hostService,
            message,
            ccache: cc,
            flags,
            ...(krb5Conf ? { krb5Conf } : {}),
          });
          expect(r.code, r.stderr + r.stdout).toBe(0);
          const transcript = await relay.next();
          await srv.waitFor(new RegExp(`Received message: "${message}"[\\s\\S]*NOOP token`), from);
          const spnego = flags.includes('-spnego');
          sessions.push({
            name,
            gssClientArgs: flags,
            ...(rc4First
              ? {
                  clientKrb5Conf:
                    'the lab krb5.conf with arcfour-hmac first in permitted_enctypes and default_tgs_enctypes',
                }
              : {}),
            message,
            service: p.principal,
            hostService,
            serviceKeys: labKeys(p).map((k) => ({ ...keyHex(k), kvno: p.kvno ?? 1 })),
            ...openSession(transcript, labKeys(p)),
            tokens: transcript.map((t) => ({
              from: t.from,
              sampleFlags: t.flags,
              kind: kindOf(t, spnego),
              ...(t.flags & SampleFlag.DATA && !(t.flags & SampleFlag.WRAPPED)
                ? { text: fromUtf8(t.token) }
                : {}),
              hex: toHex(t.token),
            })),
          });
        }
        return sessions;
      } finally {
        await relay.close();
        await srv.stop();
      }
    }

    function write(file: string, description: string, sessions: unknown[]) {
      const out = {
        description,
        source:
          'MIT krb5 1.20.1 (Debian 12 krb5-gss-samples) gss-client -> gss-server, MIT on both ends, relayed token by ' +
          'token by test/interop/gss-sample-protocol.ts; realm MIT.TEST of scripts/lab (throwaway keys)',
        recordedBy: 'RECORD_GSS_VECTORS=1 npx vitest run test/interop/gss-mit-capture.test.ts',
        capturedAt: new Date().toISOString(),
        notes: [
          'tokens: every sample-protocol token in order; sampleFlags as gss-misc.h (1 NOOP, 2 CONTEXT, 4 DATA, 8 MIC, 16 CONTEXT_NEXT, 32 WRAPPED, 64 ENCRYPTED, 128 SEND_MIC)',
          'clock: the authenticator ctime; a unit test accepting the AP-REQ sets its clock to it',
          'sessionKey, initiator.subkey, acceptor.subkey: derived from serviceKeys by opening the ticket, the authenticator and the AP-REP (kept for tests of Wrap/MIC alone)',
          "the MIC is over the unwrapped message; RFC 4121 Wrap and MIC after mutual authentication use the acceptor subkey (AcceptorSubkey flag); RFC 4757 ones the initiator subkey, which MIT's acceptor echoes in its AP-REP",
          'initiator.authorizationData: MIT sends RFC 4537 ETYPE-NEGOTIATION (ad-type 129 in AD-IF-RELEVANT) with its permitted enctypes up to the session key enctype, none when that comes first',
        ],
        sessions,
      };
      writeFileSync(join(VECTORS, file), `${JSON.stringify(out, null, 2)}\n`);
    }

    it('captures plain krb5 sessions for aes256 (18), aes-sha2 (20) and rc4 (23), sealed, integrity-only and no-wrap', async () => {
      const g = labGss(L);
      const sessions = [];
      for (const s of g.services) {
        sessions.push(
          ...(await capture(
            s.id,
            s.hostService,
            `etype ${s.enctype}: -seq -mcount 2 (sealed)`,
            ['-q', '-seq', '-mcount', '2'],
            [`sealed by MIT for etype ${s.enctype}`],
          )),
          ...(await capture(
            s.id,
            s.hostService,
            `etype ${s.enctype}: -nx (Wrap without confidentiality)`,
            ['-q', '-nx'],
            [`integrity only by MIT for etype ${s.enctype}`],
          )),
        );
      }
      // RFC 4757 tokens: with rc4 first MIT sends no ETYPE-NEGOTIATION, so no aes256 acceptor subkey either.
      const rc4 = g.services.find((s) => s.enctype === 23)!;
      sessions.push(
        ...(await capture(
          rc4.id,
          rc4.hostService,
          'etype 23, rc4 first in krb5.conf: -seq -mcount 2 (RFC 4757 sealed Wrap and MIC)',
          ['-q', '-seq', '-mcount', '2'],
          ['RFC 4757 sealed by MIT'],
          true,
        )),
        ...(await capture(
          rc4.id,
          rc4.hostService,
          'etype 23, rc4 first in krb5.conf: -nx (RFC 4757 Wrap without confidentiality)',
          ['-q', '-nx'],
          ['RFC 4757 integrity only by MIT'],
          true,
        )),
      );
      const aes = g.services.find((s) => s.enctype === 18)!;
      sessions.push(
        ...(await capture(
          aes.id,
          aes.hostService,
          'etype 18: -nw -nomutual (no AP-REP, message in the clear, MIC only)',
          ['-q', '-nw', '-nomutual'],
          ['in the clear, MIC by MIT'],
        )),
      );
      write(
        'gss-mit-krb5.json',
        'MIT krb5 GSS-API sessions (krb5 mechanism 1.2.840.113554.1.2.2): AP-REQ with the 0x8003 checksum, AP-REP, Wrap and MIC, for aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha384-192 and rc4-hmac session keys (RFC 4121 tokens under an aes256 acceptor subkey after RFC 4537 enctype negotiation; RFC 4757 tokens when rc4 comes first)',
        sessions,
      );
    });

    /** One session per service but aes-sha2 (MIT to MIT, the same code path as aes256) with gss-client `flag`. */
    async function captureAesAndRc4(flag: string, what: string) {
      const sessions = [];
      for (const s of labGss(L).services.filter((x) => x.enctype !== 20)) {
        sessions.push(
          ...(await capture(
            s.id,
            s.hostService,
            `etype ${s.enctype}: ${flag}`,
            ['-q', flag, '-seq'],
            [`${what} by MIT for etype ${s.enctype}`],
          )),
        );
      }
      return sessions;
    }

    it("captures delegation (-d): the 0x8003 checksum carries a KRB-CRED of alice's forwarded TGT", async () => {
      write(
        'gss-mit-delegation.json',
        'MIT krb5 GSS-API initiator with GSS_C_DELEG_FLAG: Deleg field of the 0x8003 checksum (DlgOpt 1) holding a KRB-CRED with the forwarded TGT',
        await captureAesAndRc4('-d', 'delegated'),
      );
    });

    it('captures SPNEGO (-spnego): NegTokenInit with the optimistic krb5 token, NegTokenResp with the AP-REP', async () => {
      write(
        'gss-mit-spnego.json',
        'MIT krb5 GSS-API SPNEGO (1.3.6.1.5.5.2): NegTokenInit with mechTypes and the optimistic krb5 AP-REQ, NegTokenResp accept-completed with the AP-REP; then krb5 Wrap/MIC',
        await captureAesAndRc4('-spnego', 'through SPNEGO'),
      );
    });
  },
);
