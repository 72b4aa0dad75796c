/**
 * Replays a recording: decodes each request and reply, opens what the recorded keys open, and tells the story of
 * each step (what the service asked, what each padata means, what the KDC answered, which key opened what, what
 * the PAC says about how the user's identity was established).
 */
import {
  type ApReq,
  decodeKerberosMessage,
  decodePaValue,
  type EncKdcRepPart,
  type EncTicketPart,
  errorCodeName,
  type KdcRep,
  type KdcReq,
  type KerberosMessage,
  type KrbError,
  PaDataType,
  type PrincipalName,
  type Ticket,
} from '../../asn1/index.js';
import { decrypt, Key, KeyUsage } from '../../crypto/index.js';
import { IntegrityError } from '../../errors.js';
import { etypeText, flagsNode, keyText, node, usageText } from '../../explain/core.js';
import { type ExplainNode, type ExplainOptions, explainAs, type PartKind } from '../../explain/explain.js';
import { Keyring } from '../../explain/keyring.js';
import { KDC_OPTIONS, PAC_OPTIONS, setFlagNames, TICKET_FLAGS } from '../../explain/names.js';
import { explainPac } from '../../explain/pac.js';
import { PADATA_MEANINGS, padataName } from '../../explain/padata.js';
import { type ExchangeStep, hintFor } from '../../messages/exchange-step.js';
import { formatPrincipal } from '../../messages/principal.js';
import { decodePac, findPac, ticketChecksumData, verifyPac } from '../../pac/index.js';
import { fromHex } from '../../util/bytes.js';
import type { DemoExchange, DemoRecording } from './recording.js';

/** One replayed step: its story and the full explain trees of the request and the reply. */
export interface DemoStep {
  readonly step: string;
  readonly title: string;
  readonly story: ExplainNode;
  readonly request: ExplainNode;
  readonly reply: ExplainNode;
}

/** A replayed recording. */
export interface DemoReplay {
  readonly header: ExplainNode;
  readonly steps: readonly DemoStep[];
}

const STEPS: ReadonlySet<string> = new Set<ExchangeStep>([
  'AS',
  'TGS',
  'S4U2Self',
  'S4U2Proxy',
  'U2U',
  'FAST',
  'RENEW',
]);

/** One part the keys opened, in the order opened. */
interface Opening {
  phase: 'request' | 'reply';
  kind: PartKind;
  keyLabel: string;
  usage: number;
  value: unknown;
}

function openTicketWithKey(ring: Keyring, t: Ticket): { part: EncTicketPart; key?: Key } | undefined {
  const o = ring.open(t.encPart, [KeyUsage.KdcRepTicket], 'EncTicketPart');
  if (o.status !== 'opened') return undefined;
  return { part: o.value as EncTicketPart, ...(o.key ? { key: o.key } : {}) };
}

function openTicket(ring: Keyring, t: Ticket): EncTicketPart | undefined {
  return openTicketWithKey(ring, t)?.part;
}

function tgsAuthenticatorClient(ring: Keyring, req: KdcReq): string | undefined {
  const pa = req.padata?.find((p) => p.padataType === PaDataType.TGS_REQ);
  if (pa === undefined) return undefined;
  const ap = decodePaValue(pa.padataType, pa.padataValue, { direction: 'request' }).value as ApReq;
  const o = ring.open(ap.authenticator, [KeyUsage.TgsReqAuthenticator], 'Authenticator');
  if (o.status !== 'opened') return undefined;
  const a = o.value as { cname: { nameType: number; nameString: string[] }; crealm: string };
  return formatPrincipal(a.cname, a.crealm);
}

/** What a padata says in one line of the story, beyond its meaning. */
function padataGist(type: number, value: Uint8Array): string | undefined {
  const v = decodePaValue(type, value, { direction: 'request' });
  if (v.name === 'PA-FOR-USER') return `user ${formatPrincipal(v.value.userName, v.value.userRealm)}`;
  if (v.name === 'PA-S4U-X509-USER') {
    const u = v.value.userId;
    return u.cname ? `user ${formatPrincipal(u.cname, u.crealm)}` : `user by certificate, realm ${u.crealm}`;
  }
  if (v.name === 'PA-TGS-REQ') return `TGT ${formatPrincipal(v.value.ticket.sname, v.value.ticket.realm)}`;
  if (v.name === 'PA-PAC-OPTIONS') return setFlagNames(PAC_OPTIONS, v.value.flags).join(', ') || 'no flags';
  if (v.name === 'PA-PAC-REQUEST') return v.value.includePac ? 'include the PAC' : 'no PAC';
  return undefined;
}

function asked(ring: Keyring, req: KdcReq): ExplainNode {
  const b = req.reqBody;
  const who =
    tgsAuthenticatorClient(ring, req) ?? (b.cname ? formatPrincipal(b.cname, b.realm) : 'the client');
  const target = b.sname ? formatPrincipal(b.sname, b.realm) : b.realm;
  const kids: ExplainNode[] = (req.padata ?? []).map((p) =>
    node(
      `${padataName(p.padataType)} (${p.padataType})`,
      padataGist(p.padataType, p.padataValue),
      PADATA_MEANINGS.get(p.padataType),
    ),
  );
  kids.push(flagsNode('kdc-options', KDC_OPTIONS, b.kdcOptions));
  for (const t of b.additionalTickets ?? []) {
    const inner = openTicket(ring, t);
    const names = inner ? `, naming ${formatPrincipal(inner.cname, inner.crealm)}` : '';
    const flags = inner ? `; flags ${setFlagNames(TICKET_FLAGS, inner.flags).join(', ')}` : '';
    kids.push(
      node(
        'additional ticket',
        `${formatPrincipal(t.sname, t.realm)}${names}`,
        `the evidence the KDC checks${flags}`,
      ),
    );
  }
  return node('the service asked', `${who} → ${target}`, undefined, kids);
}

function answered(ring: Keyring, m: KerberosMessage, step: string): ExplainNode {
  if (m.type === 'KRB-ERROR') {
    const e = m.value as KrbError;
    const name = errorCodeName(e.errorCode);
    return node(
      'the KDC answered',
      `${name} (${e.errorCode})`,
      hintFor(STEPS.has(step) ? (step as ExchangeStep) : 'TGS', name),
    );
  }
  const rep = m.value as KdcRep;
  const kids: ExplainNode[] = [];
  const part = ring.open(
    rep.encPart,
    [KeyUsage.AsRepEncPart, KeyUsage.TgsRepEncPartSubkey, KeyUsage.TgsRepEncPartSessionKey],
    'EncKdcRepPart',
  );
  if (part.status === 'opened') {
    const p = part.value as EncKdcRepPart;
    kids.push(
      node('flags', setFlagNames(TICKET_FLAGS, p.flags).join(', ') || 'none', 'as the KDC granted them'),
    );
    kids.push(node('valid until', p.endtime.toISOString().replace('.000Z', 'Z')));
  }
  const ticket = `${m.type}: a ticket for ${formatPrincipal(rep.ticket.sname, rep.ticket.realm)} naming ${formatPrincipal(rep.cname, rep.crealm)}`;
  return node('the KDC answered', ticket, undefined, kids);
}

function checkKey(
  label: string,
  rec: DemoRecording,
  name: string,
  usage: number,
  cipher: Uint8Array,
): ExplainNode {
  const k = rec.keys[name]!;
  let ok = true;
  try {
    decrypt(new Key(k.etype, fromHex(k.hex)), usage, cipher);
  } catch (e) {
    if (!(e instanceof IntegrityError)) throw e;
    ok = false;
  }
  return node(label, `key '${name}' (${k.note})`, `${usageText(usage)}: ${ok ? 'opens' : 'DOES NOT open'}`);
}

/** `ticket naming admin@R`, `authenticator of apache@R`: which part an opening was. */
function partName(o: Opening): string {
  const v = o.value as { cname?: PrincipalName; crealm?: string; sname?: PrincipalName; srealm?: string };
  if (o.kind === 'EncTicketPart' && v.cname) return `ticket naming ${formatPrincipal(v.cname, v.crealm)}`;
  if (o.kind === 'Authenticator' && v.cname) return `authenticator of ${formatPrincipal(v.cname, v.crealm)}`;
  if (o.kind === 'EncKdcRepPart' && v.sname)
    return `enc-part of the reply for ${formatPrincipal(v.sname, v.srealm)}`;
  return o.kind;
}

function keysUsed(
  rec: DemoRecording,
  ex: DemoExchange,
  reply: KerberosMessage,
  openings: readonly Opening[],
): ExplainNode {
  const kids = openings.map((o) => node(`${o.phase}: ${partName(o)}`, o.keyLabel, usageText(o.usage)));
  if (reply.type !== 'KRB-ERROR') {
    const rep = reply.value as KdcRep;
    kids.push(checkKey('reply enc-part, as recorded', rec, ex.replyKey, ex.replyUsage, rep.encPart.cipher));
    if (ex.ticketKey !== undefined) {
      kids.push(
        checkKey(
          'new ticket, as recorded',
          rec,
          ex.ticketKey,
          KeyUsage.KdcRepTicket,
          rep.ticket.encPart.cipher,
        ),
      );
    }
  }
  return node('which key opened what', `${openings.length} parts opened`, undefined, kids);
}

const PAC_STORY_LABELS = new Set(['user', 'identity', 'delegation', 'signatures']);

function pacStory(ring: Keyring, reply: KerberosMessage): ExplainNode | undefined {
  if (reply.type === 'KRB-ERROR') return undefined;
  const opened = openTicketWithKey(ring, (reply.value as KdcRep).ticket);
  const inner = opened?.part;
  const bytes = inner?.authorizationData ? findPac(inner.authorizationData) : undefined;
  if (inner === undefined || bytes === undefined) return undefined;
  const pac = decodePac(bytes);
  // The key that opened the ticket is the server's: with the krbtgt keys the story can say the PAC is genuine.
  const verification = verifyPac(pac, {
    ...(opened?.key ? { serverKeys: opened.key } : {}),
    kdcKeys: ring.kdcKeys(),
    ticketChecksumData: ticketChecksumData(inner),
  });
  const full = explainPac(pac, verification);
  return node(
    'what the PAC says',
    full.value,
    undefined,
    (full.children ?? []).filter((c) => PAC_STORY_LABELS.has(c.label)),
  );
}

function replayStep(rec: DemoRecording, ex: DemoExchange, ring: Keyring, showKeys: boolean): DemoStep {
  const openings: Opening[] = [];
  let phase: Opening['phase'] = 'request';
  const opts: ExplainOptions = {
    showKeys,
    kdcKeys: () => ring.kdcKeys(),
    open: (ed, usages, kind) => {
      const o = ring.open(ed, usages, kind);
      if (o.status === 'opened')
        openings.push({ phase, kind, keyLabel: o.keyLabel, usage: o.usage, value: o.value });
      return o;
    },
    ...(STEPS.has(ex.step) ? { step: ex.step as ExchangeStep } : {}),
  };
  const req = decodeKerberosMessage(fromHex(ex.request));
  const rep = decodeKerberosMessage(fromHex(ex.reply));
  const request = explainAs(req.type, req.value, { ...opts, label: 'request' });
  phase = 'reply';
  const reply = explainAs(rep.type, rep.value, { ...opts, label: 'reply' });
  const kids = [
    req.type === 'AS-REQ' || req.type === 'TGS-REQ'
      ? asked(ring, req.value as KdcReq)
      : node('request', req.type),
    answered(ring, rep, ex.step),
    keysUsed(rec, ex, rep, openings),
  ];
  const pac = pacStory(ring, rep);
  if (pac) kids.push(pac);
  if (ex.notes.length > 0)
    kids.push(
      node(
        'notes',
        undefined,
        undefined,
        ex.notes.map((n) => node('note', n)),
      ),
    );
  return { step: ex.step, title: ex.title, story: node('story', ex.title, undefined, kids), request, reply };
}

/** Replays every exchange of a recording with its keys; the keys learned in one step help the next. */
export function replayRecording(rec: DemoRecording, opts: { showKeys?: boolean } = {}): DemoReplay {
  const ring = new Keyring();
  for (const [name, k] of Object.entries(rec.keys)) {
    const principal =
      k.principal ?? (name.startsWith('krbtgt') ? `krbtgt/${rec.realm}@${rec.realm}` : undefined);
    ring.add(
      k.etype,
      fromHex(k.hex),
      `key '${name}' (${k.note})`,
      principal === undefined ? {} : { principal },
    );
  }
  const keyNodes = Object.entries(rec.keys).map(([name, k]) =>
    node(name, `${etypeText(k.etype)} ${keyText(k.etype, fromHex(k.hex), opts.showKeys)}`, k.note),
  );
  const header = node(
    'tskrb demo',
    `${rec.exchanges.length} exchanges with ${rec.kdc}, realm ${rec.realm}`,
    `recorded ${rec.recordedAt}`,
    [
      node(
        'keys',
        `${keyNodes.length} lab keys`,
        'throwaway keys of the lab realm, shipped so every part can be opened',
        keyNodes,
      ),
    ],
  );
  return { header, steps: rec.exchanges.map((ex) => replayStep(rec, ex, ring, opts.showKeys === true)) };
}
