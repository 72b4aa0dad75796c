/**
 * Records real exchanges with the MIT lab (AS with pre-authentication, TGS, cross-realm referral, errors) and the
 * plaintexts behind them, as seeds for mutation fuzzing. Run once with the lab up:
 * `node scripts/fuzz-record-mit.mjs` writes test/vectors/captured-mit.json. The lab's keys are throwaway.
 */
import { readFileSync } from 'node:fs';
import {
  decodeApReq,
  decodeAsRep,
  decodeAsReq,
  decodeAuthenticator,
  decodeEncKdcRepPart,
  decodeEncryptedData,
  decodeEtypeInfo2,
  decodeTgsRep,
  decodeTgsReq,
  PaDataType,
} from '../../src/asn1/index.js';
import { credentialToCcache } from '../../src/client/index.js';
import { KdcClient } from '../../src/client/kdc-client.js';
import { ccacheToKirbi, serializeCcache } from '../../src/creds/index.js';
import { decrypt, Key, KeyUsage, stringToKey } from '../../src/crypto/index.js';
import { defaultSaltOf } from '../../src/messages/etype-info.js';
import type { SendOptions, SendResult, Transport } from '../../src/transport/index.js';
import { toHex, utf8 } from '../../src/util/bytes.js';
import { type LabInfo, type LabPrincipal, labKeys, labTransport } from '../helpers/lab.js';

/** One recorded artefact. */
export interface CapturedItem {
  name: string;
  /** What the bytes are: a message name, a plaintext type, or a file format. */
  kind: string;
  hex: string;
}

/** The file written to test/vectors/captured-mit.json. */
export interface CapturedFile {
  note: string;
  createdAt: string;
  items: CapturedItem[];
}

interface Exchange {
  realm: string;
  request: Uint8Array;
  reply: Uint8Array;
}

/** A Transport that keeps every request and reply it passes on. */
export class RecordingTransport implements Transport {
  readonly log: Exchange[] = [];
  constructor(private readonly inner: Transport) {}

  /** Sends through the inner transport and records the pair. */
  async sendDetailed(realm: string, request: Uint8Array, opts?: SendOptions): Promise<SendResult> {
    const res = await this.inner.sendDetailed(realm, request, opts);
    this.log.push({ realm, request, reply: res.reply });
    return res;
  }

  /** The reply bytes only. */
  async send(realm: string, request: Uint8Array, opts?: SendOptions): Promise<Uint8Array> {
    return (await this.sendDetailed(realm, request, opts)).reply;
  }
}

const KIND_BY_TAG: Record<number, string> = {
  106: 'AS-REQ',
  107: 'AS-REP',
  108: 'TGS-REQ',
  109: 'TGS-REP',
  126: 'KRB-ERROR',
};

/** Runs the flows and returns every message plus the plaintexts the lab's keys open. */
export async function recordMit(lab: LabInfo): Promise<CapturedFile> {
  const items: CapturedItem[] = [];
  const add = (name: string, kind: string, b: Uint8Array) => items.push({ name, kind, hex: toHex(b) });
  const P = (k: string): LabPrincipal => {
    const p = lab.principals[k];
    if (!p) throw new Error(`lab has no principal ${k}`);
    return p;
  };
  const rec = new RecordingTransport(labTransport(lab));
  const client = (etypes?: number[]) => new KdcClient({ realm: lab.realm, transport: rec, etypes });
  const flows: [string, () => Promise<unknown>][] = [];
  const alice = P('alice');
  let aliceSession: Awaited<ReturnType<KdcClient['login']>> | undefined;
  flows.push([
    'alice AS + TGS cifs + cross-realm',
    async () => {
      aliceSession = await client().login({ principal: alice.principal, password: alice.password });
      await aliceSession.getServiceTicket('cifs/file.mit.test');
      await aliceSession.getServiceTicket(P('svcOther').principal);
      await aliceSession.getServiceTicket('nosuch/host.mit.test').catch(() => undefined);
    },
  ]);
  flows.push([
    'alice wrong password',
    () =>
      client()
        .login({ principal: alice.principal, password: 'wrong' })
        .catch(() => undefined),
  ]);
  flows.push([
    'rc4user AS etype 23',
    () => client([23]).login({ principal: P('rc4user').principal, password: P('rc4user').password }),
  ]);
  flows.push([
    'web AS with keytab keys, etype 20',
    () => client([20]).login({ principal: P('web').principal, keys: labKeys(P('web')) }),
  ]);
  flows.push([
    'fastuser AS without FAST in the FAST-only realm',
    () =>
      client()
        .login({ principal: P('fastuser').principal, password: P('fastuser').password })
        .catch(() => undefined),
  ]);
  for (const [name, run] of flows) {
    const from = rec.log.length;
    await run();
    rec.log.slice(from).forEach((x, i) => {
      add(`${name} #${i + 1} request`, KIND_BY_TAG[x.request[0]!] ?? 'unknown', x.request);
      add(`${name} #${i + 1} reply`, KIND_BY_TAG[x.reply[0]!] ?? 'unknown', x.reply);
    });
  }
  addPlaintexts(rec.log, lab, add);
  if (aliceSession) {
    const cc = {
      version: 0x0504,
      otherHeaderFields: [],
      defaultPrincipal: {
        realm: alice.realm,
        nameType: 1,
        components: [alice.name],
      },
      credentials: [credentialToCcache(aliceSession.tgt)],
    };
    add('alice TGT as a FILE ccache v4', 'ccache', serializeCcache(cc));
    add('alice TGT as a .kirbi (clear enc-part)', 'kirbi', ccacheToKirbi(cc));
  }
  const cifs = P('cifs');
  if (cifs.keytab) add('cifs keytab from the lab', 'keytab', new Uint8Array(readFileSync(cifs.keytab)));
  add('lab krb5.conf', 'krb5.conf', utf8(readFileSync(lab.krb5Conf, 'utf8')));
  return {
    note:
      'Recorded from the MIT krb5 1.20 lab (scripts/lab, realms MIT.TEST, OTHER.TEST, FAST.TEST) by ' +
      '`node scripts/fuzz-record-mit.mjs` (test/fuzz/record-mit.ts): tskrb KdcClient flows through a recording ' +
      'Transport; plaintexts decrypted with the lab passwords and keytabs, which are throwaway. Seeds for test/fuzz.',
    createdAt: new Date().toISOString(),
    items,
  };
}

/** Opens what the lab's keys open: AS-REP and TGS-REP enc-parts, authenticators, service tickets, timestamps. */
function addPlaintexts(
  log: readonly Exchange[],
  lab: LabInfo,
  add: (name: string, kind: string, b: Uint8Array) => void,
): void {
  const byName = new Map(Object.values(lab.principals).map((p) => [p.principal, p]));
  /** Session keys learned so far, by the hex of the ticket they belong to. */
  const sessionKeys = new Map<string, Key>();
  // A session key is used as is (random-to-key is the identity for AES and RC4).
  const keyOf = (etype: number, bytes: Uint8Array): Key => new Key(etype, bytes);
  log.forEach((x, i) => {
    if (x.request[0] === 0x6a && x.reply[0] === 0x6b) {
      const req = decodeAsReq(x.request);
      const rep = decodeAsRep(x.reply);
      const p = byName.get(`${rep.cname.nameString.join('/')}@${rep.crealm}`);
      if (!p) return;
      const info = rep.padata?.find((d) => d.padataType === PaDataType.ETYPE_INFO2);
      const salt =
        (info ? decodeEtypeInfo2(info.padataValue)[0]?.salt : undefined) ??
        defaultSaltOf(rep.crealm, rep.cname.nameString);
      const key = stringToKey(rep.encPart.etype, p.password, salt);
      const plain = decrypt(key, KeyUsage.AsRepEncPart, rep.encPart.cipher);
      add(`exchange ${i + 1}: AS-REP enc-part plaintext`, 'EncKDCRepPart', plain);
      const part = decodeEncKdcRepPart(plain);
      sessionKeys.set(toHex(x.reply), keyOf(part.key.keytype, part.key.keyvalue));
      sessionKeys.set(
        `ticket:${rep.ticket.sname.nameString.join('/')}`,
        keyOf(part.key.keytype, part.key.keyvalue),
      );
      const ts = req.padata?.find((d) => d.padataType === PaDataType.ENC_TIMESTAMP);
      if (ts) {
        const ed = decodeEncryptedData(ts.padataValue);
        if (ed.etype === key.etype) {
          add(
            `exchange ${i + 1}: PA-ENC-TIMESTAMP plaintext`,
            'PA-ENC-TS-ENC',
            decrypt(key, KeyUsage.AsReqPaEncTimestamp, ed.cipher),
          );
        }
      }
    }
    if (x.request[0] === 0x6c && x.reply[0] === 0x6d) {
      const req = decodeTgsReq(x.request);
      const rep = decodeTgsRep(x.reply);
      const apPa = req.padata?.find((d) => d.padataType === PaDataType.TGS_REQ);
      if (!apPa) return;
      const ap = decodeApReq(apPa.padataValue);
      const tgtKey = sessionKeys.get(`ticket:${ap.ticket.sname.nameString.join('/')}`);
      if (!tgtKey) return;
      const authPlain = decrypt(tgtKey, KeyUsage.TgsReqAuthenticator, ap.authenticator.cipher);
      add(`exchange ${i + 1}: TGS-REQ authenticator plaintext`, 'Authenticator', authPlain);
      const sub = decodeAuthenticator(authPlain).subkey;
      const replyKey = sub ? keyOf(sub.keytype, sub.keyvalue) : tgtKey;
      const usage = sub ? KeyUsage.TgsRepEncPartSubkey : KeyUsage.TgsRepEncPartSessionKey;
      const plain = decrypt(replyKey, usage, rep.encPart.cipher);
      add(`exchange ${i + 1}: TGS-REP enc-part plaintext`, 'EncKDCRepPart', plain);
      const part = decodeEncKdcRepPart(plain);
      sessionKeys.set(
        `ticket:${rep.ticket.sname.nameString.join('/')}`,
        keyOf(part.key.keytype, part.key.keyvalue),
      );
      const svc = byName.get(`${rep.ticket.sname.nameString.join('/')}@${rep.ticket.realm}`);
      if (svc?.keytab) {
        const k = labKeys(svc).find((y) => y.etype === rep.ticket.encPart.etype);
        if (k) {
          add(
            `exchange ${i + 1}: service ticket EncTicketPart (with PAC)`,
            'EncTicketPart',
            decrypt(k, KeyUsage.KdcRepTicket, rep.ticket.encPart.cipher),
          );
        }
      }
    }
  });
}
